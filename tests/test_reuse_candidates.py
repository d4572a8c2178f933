"""Near-duplicate candidate stage: shingling, MinHash, LSH banding, incremental index, persistence."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest

from storyline.reuse import candidates as C
from storyline.reuse import CandidateIndex, candidate_pairs, containment, shingle_set, signatures

_WORDS = re.compile(r"\w+")


def _corpus(n: int = 60, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    vocab = [f"{rng.choice('bcdfghklmnprstvz')}{rng.choice('aeiou')}{rng.choice('nrstlm')}{i}" for i in range(3000)]
    docs = []
    for _ in range(n):
        paras = [" ".join(rng.choice(vocab) for _ in range(rng.randint(20, 60))) + "." for _ in range(rng.randint(3, 8))]
        docs.append("\n\n".join(paras))
    return docs


def _near_copy(text: str, rng: random.Random) -> str:
    paras = text.split("\n\n")
    paras = ["Subscribe to our newsletter for more."] + paras[:-1] + ["All rights reserved."]
    ws = "\n\n".join(paras).split(" ")
    for _ in range(3):
        ws[rng.randrange(len(ws))] = "CHANGED"
    return " ".join(ws)


@pytest.fixture(scope="module")
def planted():
    rng = random.Random(5)
    base = _corpus()
    texts = list(base)
    pairs = set()
    for i in range(0, 20):
        texts.append(_near_copy(base[i], rng))
        pairs.add((i, len(texts) - 1))
    return texts, pairs


def test_planted_duplicates_found_and_unrelated_not_paired(planted):
    texts, pairs = planted
    got = candidate_pairs(list(range(len(texts))), texts)
    found = {(a, b) for a, b, _ in got}
    assert pairs <= found
    # random vocabulary texts share no 5-grams: nothing else is paired
    assert found == pairs
    for a, b, est in got:
        exact = containment(shingle_set(texts[a]), shingle_set(texts[b]))[0]
        assert abs(est - exact) < 0.15


def test_incremental_add_equals_batch(planted):
    texts, _ = planted
    ids = [f"d{i}" for i in range(len(texts))]
    batch = {(a, b) for a, b, _ in CandidateIndex().add(ids, texts)}
    idx = CandidateIndex()
    inc = set()
    order = list(range(len(texts)))
    random.Random(1).shuffle(order)
    for k in range(0, len(order), 13):
        part = order[k : k + 13]
        for a, b, _ in idx.add([ids[i] for i in part], [texts[i] for i in part]):
            inc.add(tuple(sorted((a, b))))
    assert {tuple(sorted(p)) for p in batch} == inc
    assert len(idx) == len(texts)
    # re-adding known ids recomputes nothing and returns nothing
    assert idx.add(ids[:5], texts[:5]) == []


def test_persistence_round_trip(planted, tmp_path):
    texts, _ = planted
    ids = list(range(len(texts)))
    half = len(texts) // 2
    idx = CandidateIndex(bands=16, rows=8)
    idx.add(ids[:half], texts[:half])
    path = tmp_path / "cand.idx"
    idx.save(str(path))
    back = CandidateIndex.load(str(path))
    assert back.ids == idx.ids and np.array_equal(back.sig, idx.sig)
    assert (back.bands, back.rows) == (16, 8)
    assert back.to_bytes() == idx.to_bytes()
    assert back.add(ids[half:], texts[half:]) == idx.add(ids[half:], texts[half:])


def test_deterministic(planted):
    texts, _ = planted
    s1 = signatures(texts)
    s2 = signatures(list(reversed(texts)))[::-1]
    assert s1.dtype == np.uint32 and s1.shape == (len(texts), 128)
    assert np.array_equal(s1, s2)
    old = C.CHUNK_DOCS
    try:
        C.CHUNK_DOCS = 7  # chunking does not change the result
        assert np.array_equal(signatures(texts), s1)
    finally:
        C.CHUNK_DOCS = old
    ids = list(range(len(texts)))
    assert candidate_pairs(ids, texts) == candidate_pairs(ids, texts)


def test_unicode_words_stay_whole():
    texts = [
        "Café déjà vu — «naïve» façade, Москва и Санкт-Петербург; Ελλάδα “quoted” don't x_y 42",
        "ÉCOLE École école; МОСКВА Москва; ΑΘΗΝΑ",
    ]
    hashes, offsets = C.word_hashes(texts)
    for i, t in enumerate(texts):
        ref = _WORDS.findall(t.lower())
        assert offsets[i + 1] - offsets[i] == len(ref), ref
        # equal words (after lower-casing) hash equally, different words differently
        h = hashes[offsets[i] : offsets[i + 1]]
        assert len(set(h.tolist())) == len(set(ref))
    h2 = hashes[offsets[1] : offsets[2]].tolist()
    assert h2[0] == h2[1] == h2[2]  # ÉCOLE / École / école
    assert h2[3] == h2[4]  # МОСКВА / Москва
    a = C.word_hashes(["Москва"])[0][0]
    assert a == h2[4]


def test_short_and_empty_texts():
    texts = ["", "one two", "one two", "   ", "a b c d e f"]
    sig = signatures(texts)
    assert (sig[0] == np.iinfo(np.uint32).max).all()
    got = candidate_pairs(list(range(len(texts))), texts)
    assert [(a, b) for a, b, _ in got] == [(1, 2)]
    assert got[0][2] == 1.0


def test_containment_for_partial_reuse():
    base = _corpus(2, seed=9)
    a = base[0]
    b = a[: len(a) // 2] + " " + base[1]
    sa, sb = shingle_set(a), shingle_set(b)
    j, ca, cb = containment(sa, sb)
    assert 0.3 < ca < 0.7 and j < ca
    assert containment(sa, sa) == (1.0, 1.0, 1.0)


def test_spawn_pool_matches_serial():
    texts = _corpus(1100, seed=11)
    pool = C.make_pool(2)
    try:
        par = signatures(texts, executor=pool)
    finally:
        pool.shutdown()
    assert np.array_equal(par, signatures(texts))
