"""Encoders, article vectors and the vector cache (storyline.embed, Store.get_vectors/put_vectors)."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Sequence

import numpy as np
import pytest

from storyline import embed
from storyline.embed import (
    DIM,
    Encoder,
    OnnxMiniLM,
    TorchMiniLM,
    article_head,
    article_text_for_embedding,
    body_chunks,
    embed_article,
    embed_articles,
    ensure_doc_vectors,
    ensure_sentence_vectors,
    get_encoder,
    sentence_vectors,
)
from storyline.errors import StorylineError, UsageError
from storyline.model import Article, content_id
from storyline.store import migrations as migrations_mod
from storyline.store import Store
from storyline.text import split_sentences

STRIKE_A = "Ferry workers walked off the job on Monday, stopping every crossing to the islands."
STRIKE_B = "On Monday ferry staff went on strike, halting all crossings to the islands."
UNRELATED = "The museum opened a new exhibition of medieval manuscripts this weekend."


@pytest.fixture(scope="module")
def enc() -> OnnxMiniLM:
    return OnnxMiniLM(threads=2)


class Counting:
    """Wraps an encoder and counts the texts it is asked to encode."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.calls = 0
        self.texts = 0

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        self.calls += 1
        self.texts += len(texts)
        return self.inner.encode(texts, batch_size=batch_size)


def make_article(title: str, text: str, key: str = "") -> Article:
    a = Article(title=title, text=text, raw_text=text, path=f"/t/{key or title}.txt")
    a.sentences = split_sentences(text)
    a.id = content_id(a.path, text)
    return a


def long_text(n_sent: int = 60) -> str:
    topics = ["ferry", "union", "islands", "ministry", "tourism", "harbour"]
    return " ".join(
        f"Sentence {i} says the {topics[i % 6]} dispute went on for a {i}th day with talks stalled."
        for i in range(n_sent)
    )


# --------------------------------------------------------------------------- encoder


def test_protocol_and_factory(enc: OnnxMiniLM) -> None:
    assert isinstance(enc, Encoder)
    assert enc.dim == DIM == 384
    assert isinstance(get_encoder("cpu", threads=1), OnnxMiniLM)
    with pytest.raises(UsageError, match="Unknown device"):
        get_encoder("tpu")


def test_vectors_unit_norm_float32(enc: OnnxMiniLM) -> None:
    v = enc.encode([STRIKE_A, STRIKE_B, UNRELATED, ""])
    assert v.shape == (4, 384) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert enc.encode([]).shape == (0, 384)


def test_paraphrase_closer_than_unrelated(enc: OnnxMiniLM) -> None:
    a, b, c = enc.encode([STRIKE_A, STRIKE_B, UNRELATED])
    assert float(a @ b) > 0.7
    assert float(a @ b) > float(a @ c) + 0.4
    assert float(a @ b) > float(b @ c) + 0.4


def test_length_sorted_batches_keep_input_order(enc: OnnxMiniLM) -> None:
    texts = [
        "Short.",
        long_text(12),
        STRIKE_A,
        "Two words",
        UNRELATED,
        "A medium-length sentence about a harbour strike and its effect on island shops.",
        STRIKE_B,
    ]
    batched = enc.encode(texts, batch_size=3)
    one_by_one = np.vstack([enc.encode([t], batch_size=1) for t in texts])
    np.testing.assert_allclose(batched, one_by_one, atol=1e-5)
    # and the same set in another order gives the same rows, permuted
    rev = enc.encode(texts[::-1], batch_size=3)
    np.testing.assert_allclose(rev[::-1], batched, atol=1e-5)


def test_truncates_at_256_tokens(enc: OnnxMiniLM) -> None:
    assert max(enc.token_counts([long_text(200)])) == 256
    v = enc.encode([long_text(200)])
    assert v.shape == (1, 384)


# --------------------------------------------------------------------------- articles


def test_article_texts_and_chunks() -> None:
    short = make_article("Ferry strike", STRIKE_A + " " + STRIKE_B + " " + UNRELATED)
    assert article_head(short) == "Ferry strike\n" + STRIKE_A + " " + STRIKE_B
    assert article_text_for_embedding(short).startswith("Ferry strike\n" + STRIKE_A)
    long = make_article("Ferry dispute", long_text(60))
    chunks = body_chunks(long)
    assert len(chunks) >= 3
    assert all(len(c.split()) <= embed.CHUNK_WORDS for c in chunks)
    assert not any(c.startswith("Sentence 0 ") or c.startswith("Sentence 1 ") for c in chunks)  # lead
    assert chunks[0].startswith("Sentence 2 ")
    assert len(body_chunks(make_article("x", long_text(400)))) == embed.MAX_CHUNKS


def test_embed_article_short_and_long(enc: OnnxMiniLM) -> None:
    short = make_article("Ferry strike", STRIKE_A)
    np.testing.assert_allclose(
        embed_article(enc, short), enc.encode([article_text_for_embedding(short)])[0], atol=1e-5
    )
    long = make_article("Ferry dispute", long_text(60))
    counting = Counting(enc)
    v = embed_article(counting, long)
    assert counting.texts == 1 + len(body_chunks(long))
    assert v.shape == (384,) and abs(float(np.linalg.norm(v)) - 1.0) < 1e-5
    head = enc.encode([article_head(long)])[0]
    assert float(v @ head) > 0.6  # the head carries half the weight
    both = embed_articles(enc, [short, long])
    np.testing.assert_allclose(both[1], v, atol=1e-5)


def test_sentence_vectors(enc: OnnxMiniLM) -> None:
    a = make_article("Ferry strike", STRIKE_A + "\n" + UNRELATED + " " + STRIKE_B)
    m = sentence_vectors(enc, a)
    assert m.shape == (3, 384)
    np.testing.assert_allclose(m[0], enc.encode([STRIKE_A])[0], atol=1e-5)
    assert float(m[0] @ m[2]) > float(m[0] @ m[1])
    assert sentence_vectors(enc, make_article("t", "")).shape == (0, 384)


# --------------------------------------------------------------------------- cache


def test_cache_embeds_nothing_twice(enc: OnnxMiniLM) -> None:
    arts = [
        make_article("Ferry strike", STRIKE_A, "a"),
        make_article("Ferry walkout", STRIKE_B, "b"),
        make_article("Ferry dispute", long_text(30), "c"),
    ]
    counting = Counting(enc)
    with Store(":memory:") as store:
        first = ensure_doc_vectors(store, counting, arts + arts[:1])
        assert set(first) == {a.id for a in arts} and counting.calls == 1
        again = ensure_doc_vectors(store, counting, arts)
        assert counting.calls == 1  # nothing embedded the second time
        for k in first:
            np.testing.assert_array_equal(first[k], again[k])
            assert again[k].dtype == np.float32 and again[k].shape == (384,)
        new = make_article("Museum", UNRELATED, "d")
        before = counting.texts
        ensure_doc_vectors(store, counting, arts + [new])
        assert counting.calls == 2 and counting.texts - before == 1
        # sentence matrices round-trip with their shape, empty ones included
        empty = make_article("Empty", "", "e")
        sents = ensure_sentence_vectors(store, counting, arts + [empty])
        calls = counting.calls
        back = ensure_sentence_vectors(store, counting, arts + [empty])
        assert counting.calls == calls
        assert back[arts[2].id].shape == (len(arts[2].sentences), 384)
        assert back[empty.id].shape == (0, 384)
        np.testing.assert_array_equal(back[arts[0].id], sents[arts[0].id])
        # another model's vectors are separate
        assert store.get_vectors([a.id for a in arts], "doc", "other-model") == {}


def test_store_vectors_validate() -> None:
    with Store(":memory:") as store:
        with pytest.raises(UsageError):
            store.put_vectors({"x": np.zeros((2, 3))}, "doc", "m")
        with pytest.raises(UsageError):
            store.get_vectors(["x"], "para", "m")
        store.put_vectors({"x": np.arange(4, dtype=np.float64)}, "doc", "m")
        raw = store.conn.execute("SELECT dim, data FROM vectors").fetchone()
        assert raw[0] == 4 and raw[1] == np.arange(4, dtype="<f4").tobytes()
        store.put_vectors({"x": np.ones(4)}, "doc", "m")  # replaces
        np.testing.assert_array_equal(store.get_vectors(["x"], "doc", "m")["x"], np.ones(4, np.float32))


def test_migration_2_recorded_and_v1_database_upgrades(tmp_path) -> None:
    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations_mod.migrate(conn, migrations_mod.MIGRATIONS[:1])
    conn.execute(
        "INSERT INTO articles(id, input_kind, status, added_at) VALUES ('a1', 'text', 'ok', '2024-01-01')"
    )
    conn.close()
    with Store(path) as store:
        versions = [r[0] for r in store.conn.execute("SELECT version FROM schema_migrations ORDER BY 1")]
        assert versions[:2] == [1, 2]
        assert store.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
        store.put_vectors({"a1": np.ones(384, np.float32)}, "doc", "m")
    with Store(path, readonly=True) as store:
        assert store.get_vectors(["a1"], "doc", "m")["a1"].shape == (384,)


# --------------------------------------------------------------------------- torch


def test_torch_encoder_without_torch_says_what_to_install(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)  # an import of torch now raises ImportError
    with pytest.raises(StorylineError, match="install torch"):
        TorchMiniLM("cuda")
    with pytest.raises(StorylineError, match="install torch"):
        get_encoder("cuda")


# --------------------------------------------------------------------------- accelerator path, no GPU needed


def _corpus_texts() -> list[str]:
    from pathlib import Path

    from storyline.ingest import read_inputs

    corpus = Path(embed.__file__).parent / "demo" / "corpus"
    texts = []
    for a in read_inputs([str(corpus)]):
        if a.status == "ok":
            texts += [a.text[s:e] for s, e in split_sentences(a.text)] + [a.text]  # whole texts run past 256
    return texts


ODD_TEXTS = [
    "", " ", "A", "U.S. $5,000 -- 3.5% (approx.) e-mail@x.com #tag ~~", "x" * 150,
    "supercalifragilisticexpialidocious " * 100, "Hello\tworld", "naïve café", "“Quoted” — text’s",
    "a\x07b", "[CLS] [SEP] [UNK] [MASK]", "[cls] x", "don't won't it's", "AbC dEf 123abc",
    "Σίσυφος ΣΣ ΟΔΟΣ", "\x1cX y", "a\u200bb c", "日本語テキスト です", "Ｆｕｌｌwidth", "ﬁne ligature",
    "İstanbul İ", "x\x7fy", "a\u00a0b", "e\u0301 \u0301x", "tab\tin\nline", "\x00null", "l\u00adong",
]


def test_fast_tokenizer_gives_the_tokenizers_ids() -> None:
    """The word-cache shortcut of the accelerator path: the same ids as the tokenizer on real news
    sentences, whole articles (cut at 256) and odd text (accents, CJK, controls, special tokens)."""
    from storyline.weights import verified_path

    path = str(verified_path("minilm-tokenizer.json"))
    texts = _corpus_texts() + ODD_TEXTS
    want = [e.ids for e in embed._load_tokenizer(path, 256).encode_batch(texts)]
    fast = embed._FastTokenizer(path, 256)
    assert fast.ids(texts) == want
    assert fast.ids(texts) == want  # again, from a warm cache
    assert max(map(len, want)) == 256
    flat, lengths = embed._tokenize_flat(fast, texts[:50])
    assert lengths.tolist() == [len(w) for w in want[:50]]
    assert flat.tolist() == [i for w in want[:50] for i in w]


@pytest.mark.parametrize("m", [0, 1, 5, 1000, 40000])
def test_plan_batches_cover_every_row_once(m: int) -> None:
    rng = np.random.default_rng(m)
    lengths = np.sort(rng.integers(3, 80, m))
    lengths[-min(m, 3):] = 256
    perm, batches = embed._plan_batches(lengths, 65536, 32)
    assert sorted(perm.tolist()) == list(range(m))
    seen = np.zeros(m, dtype=int)
    for s, e, padded in batches:
        seen[s:e] += 1
        rows = lengths[perm[s:e]]
        assert (np.diff(rows) >= 0).all()  # the last row is the widest
        if not padded:
            assert (rows == rows[0]).all()  # unpadded batches hold one length
        assert (e - s) * rows[-1] <= 65536 + rows[-1] or e - s <= 32
    assert (seen == 1).all()
    if m == 40000:
        assert sum(not p for *_, p in batches) > 0.8 * len(batches)


def test_half_precision_pack_reads_back(tmp_path) -> None:
    """bench/encoder_gpu.py's fp16 pack of a safetensors file, read by embed.read_safetensors."""
    import json
    import struct
    from pathlib import Path

    bench = Path(__file__).resolve().parents[1] / "bench"
    sys.path.insert(0, str(bench))
    try:
        from encoder_gpu import half_safetensors
    finally:
        sys.path.remove(str(bench))
    rng = np.random.default_rng(0)
    tensors = {"a.weight": rng.normal(size=(4, 3)).astype("<f4"), "ids": np.arange(5, dtype="<i8")}
    header, body = {}, b""
    for k, v in tensors.items():
        header[k] = {"dtype": "F32" if v.dtype.kind == "f" else "I64", "shape": list(v.shape),
                     "data_offsets": [len(body), len(body) + v.nbytes]}
        body += v.tobytes()
    hb = json.dumps(header).encode()
    src = tmp_path / "model.safetensors"
    src.write_bytes(struct.pack("<Q", len(hb)) + hb + body)
    half_safetensors(src, tmp_path / "half.safetensors")
    half_safetensors(src, tmp_path / "again.safetensors")
    assert (tmp_path / "half.safetensors").read_bytes() == (tmp_path / "again.safetensors").read_bytes()
    back = embed.read_safetensors(tmp_path / "half.safetensors")
    assert back["a.weight"].dtype == np.float16
    assert np.allclose(back["a.weight"], tensors["a.weight"], atol=1e-3)
    assert back["ids"].tolist() == [0, 1, 2, 3, 4]
    assert np.allclose(embed.read_safetensors(src)["a.weight"], tensors["a.weight"])


def test_add_on_cuda_without_torch_says_what_to_install(tmp_path, monkeypatch) -> None:
    from click.testing import CliRunner

    from storyline.cli import cli

    monkeypatch.setitem(sys.modules, "torch", None)
    (tmp_path / "a.txt").write_text("Title\n\nFerry workers walked off the job on Monday.", encoding="utf-8")
    r = CliRunner().invoke(cli, ["--db", str(tmp_path / "s.db"), "add", "--device", "cuda", str(tmp_path / "a.txt")])
    assert r.exit_code != 0
    assert "install torch" in r.output


def test_store_text_vectors_round_trip() -> None:
    with Store(":memory:") as store:
        assert store.get_text_vectors(["a claim"], "m") == {}
        assert store.put_text_vectors({"a claim": np.arange(3, dtype=np.float64), "another": np.ones(3)}, "m") == 2
        got = store.get_text_vectors(["a claim", "another", "missing", "a claim"], "m")
        assert sorted(got) == ["a claim", "another"]
        assert got["a claim"].dtype == np.float32
        np.testing.assert_array_equal(got["a claim"], np.arange(3, dtype=np.float32))
        assert store.get_text_vectors(["a claim"], "other-model") == {}  # models never mix
        store.put_text_vectors({"a claim": np.zeros(3)}, "m")  # replaces
        np.testing.assert_array_equal(store.get_text_vectors(["a claim"], "m")["a claim"], np.zeros(3, np.float32))
        with pytest.raises(UsageError):
            store.put_text_vectors({"x": np.zeros((2, 3))}, "m")
        assert store.info()["cached_text_vectors"] == {"m": 2}
