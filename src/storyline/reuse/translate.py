"""Translation links: the same text in two languages.

MinHash shingles and the English MiniLM cannot see that a French or Arabic article is an English one
translated. This step does, with multilingual-e5-small (:class:`storyline.embed.MultilingualE5`), which
puts sentences of about 100 languages in one space:

1. **Partners** (:func:`translation_partners`): for a new article whose language is known, the stored
   ok articles in *another* known language, dated within :data:`WINDOW_DAYS` of it (or undated; the
   :data:`MAX_LEADS` nearest in time), ranked by the cosine of their multilingual lead vectors (title + first two sentences, cached as
   ``vectors`` kind ``doc``, model ``"<encoder>+lead"``); those at or above :data:`LEAD_COSINE`, at most
   :data:`MAX_PARTNERS`, best first.
2. **Sentences** (:func:`align_translation`): cosines of the two articles' sentence vectors. A pair is
   a candidate when its cosine clears :data:`COSINE_FLOOR` and its *ratio margin* does
   :data:`MARGIN`: the cosine over the mean of the two sentences' :data:`MARGIN_K` best cosines on the
   other side (Artetxe & Schwenk, 2019). E5's cosines are compressed (unrelated sentences score about
   0.78), so the margin, not the raw cosine, separates a translation from a sentence on the same
   subject. Pairs are made one to one by the Hungarian assignment over margins; a pair whose digits
   disagree is ``changed`` (a translated sentence keeps its numbers), the others ``paraphrase``.
3. **Link** (:func:`classify_translation`): ``translation`` when at least :data:`MIN_SENTENCES`
   sentences pair up, covering at least :data:`MIN_SHARE` of the shorter article's sentences, and at
   least :data:`ORDER_SHARE` of the pairs keep their order (a translation follows its original;
   reports written apart share facts in any order). Direction as for every link
   (:func:`storyline.reuse.links.direction`: dates, credits, containment).

Calibrated on CLEF 2018 CheckThat! task 1 (three US debates, English and their Arabic translation,
line by line; ../shared/datasets/clef2018-checkworthiness): tuned on the first presidential debate,
reported on the other two by ``bench/reuse.py`` (sentence precision and recall, link precision and
recall on documents cut from the debates; see bench/README.md).
"""

from __future__ import annotations

import bisect
import logging
import re
from collections import Counter
from typing import Any, Callable, Sequence

import numpy as np

from storyline.embed import article_head
from storyline.model import Article
from storyline.reuse.align import Passage, SentencePair, merge_passages
from storyline.reuse.links import ReuseLink, coverage, directed

logger = logging.getLogger(__name__)

COSINE_FLOOR = 0.86  # sentence pairs below this cosine are never translations
MARGIN = 1.02  # ratio margin a pair must clear
MARGIN_K = 3  # neighbours in the margin's denominator
MIN_SENTENCES = 3  # aligned sentence pairs a translation link needs...
MIN_SHARE = 0.5  # ...covering this share of the shorter article's sentences
ORDER_SHARE = 0.6  # share of the pairs in the same order on both sides
LEAD_COSINE = 0.84  # lead-vector cosine a partner needs to be aligned at all
MAX_PARTNERS = 10  # partners aligned per new article, best first
WINDOW_DAYS = 30  # a translation appears within this many days of its original
MAX_LEADS = 200  # stored articles in another language whose leads are compared, nearest in time first

# a number with its digit-group separators in any language's style: "1,000", "1 000", "4.5", "4,5"
_NUMBER = re.compile(r"\d+(?:[ \u00a0\u202f.,'’]\d{3})*(?:[.,]\d+)?")


def _numbers(sentence: str) -> frozenset[str]:
    """The numbers of a sentence as bare digit strings (separators dropped), comparable across languages."""
    return frozenset(re.sub(r"\D", "", m) for m in _NUMBER.findall(sentence))


def _in_order(pairs: Sequence[SentencePair]) -> int:
    """Length of the longest run of pairs increasing on both sides (pairs sorted by ``i``)."""
    best: list[int] = []  # patience sorting over j

    for p in sorted(pairs, key=lambda p: p.i):
        k = bisect.bisect_left(best, p.j)
        if k == len(best):
            best.append(p.j)
        else:
            best[k] = p.j
    return len(best)


def align_translation(a_text: str, a_sents: Sequence[tuple[int, int]], b_text: str,
                      b_sents: Sequence[tuple[int, int]], a_vecs: np.ndarray, b_vecs: np.ndarray
                      ) -> list[SentencePair]:
    """One-to-one sentence pairs between two texts in different languages (see the module doc);
    vectors are the multilingual encoder's, one unit row per sentence span."""
    from scipy.optimize import linear_sum_assignment

    va, vb = np.asarray(a_vecs, dtype=np.float32), np.asarray(b_vecs, dtype=np.float32)
    if not len(va) or not len(vb):
        return []
    cos = va @ vb.T
    ka = np.sort(cos, axis=1)[:, -min(MARGIN_K, cos.shape[1]):].mean(axis=1)
    kb = np.sort(cos, axis=0)[-min(MARGIN_K, cos.shape[0]):, :].mean(axis=0)
    margin = cos / np.maximum((ka[:, None] + kb[None, :]) / 2, 1e-6)
    ok = (cos >= COSINE_FLOOR) & (margin >= MARGIN)
    if not ok.any():
        return []
    rows, cols = linear_sum_assignment(-np.where(ok, margin, 0.0))
    pairs = []
    for i, j in zip(rows.tolist(), cols.tolist()):
        if not ok[i, j]:
            continue
        da = _numbers(a_text[a_sents[i][0]:a_sents[i][1]])
        db = _numbers(b_text[b_sents[j][0]:b_sents[j][1]])
        changed = bool(da) and bool(db) and da != db
        ev = {"rule": "multilingual cosine and margin", "cosine": round(float(cos[i, j]), 4),
              "margin": round(float(margin[i, j]), 4)}
        if changed:
            ev["numbers"] = {"a": sorted(da), "b": sorted(db)}
        pairs.append(SentencePair(i, j, "changed" if changed else "paraphrase", round(float(cos[i, j]), 4),
                                  float(margin[i, j]), ev))
    pairs.sort(key=lambda p: p.i)
    return pairs


def classify_translation(a: Article, b: Article, pairs: Sequence[SentencePair],
                         passages: Sequence[Passage]) -> ReuseLink | None:
    """A ``translation`` link from the aligned sentence pairs, or None (see the module doc)."""
    n_a, n_b = len(a.sentences), len(b.sentences)
    n = len(pairs)
    if not n or not n_a or not n_b:
        return None
    share = n / min(n_a, n_b)
    in_order = _in_order(pairs) / n
    ev: dict[str, Any] = {"aligned_sentences": n, "share_of_shorter": round(share, 4),
                          "in_order": round(in_order, 4), "languages": {"a": a.language, "b": b.language},
                          "passages_by_match": dict(Counter(p.match for p in passages))}
    if n < MIN_SENTENCES or share < MIN_SHARE or in_order < ORDER_SHARE:
        return None
    ev["rule"] = (f"{n} sentences in two languages pair up ({share:.0%} of the shorter article, "
                  f"{in_order:.0%} in order): at least {MIN_SENTENCES}, {MIN_SHARE:.0%} and {ORDER_SHARE:.0%}")
    scores = coverage(passages, a.sentences, b.sentences)
    return ReuseLink(a.id, b.id, "translation", scores, list(passages), evidence=ev)


def judge_translation(a: Article, b: Article, a_vecs: np.ndarray, b_vecs: np.ndarray) -> ReuseLink | None:
    """Align two articles in different languages and classify the link (``a.id < b.id`` for storage)."""
    pairs = align_translation(a.text, a.sentences, b.text, b.sentences, a_vecs, b_vecs)
    passages = merge_passages(pairs, list(a.sentences), list(b.sentences))
    return directed(classify_translation(a, b, pairs, passages), a, b)


def _gap(x: Any, y: Any) -> float:
    """Days between two publication times; undated counts as far (but within the window)."""
    if x is None or y is None:
        return float(WINDOW_DAYS)
    try:
        d = x - y
    except TypeError:  # naive against aware
        d = x.replace(tzinfo=None) - y.replace(tzinfo=None)
    return abs(d.total_seconds()) / 86400


def _near(x: Any, y: Any) -> bool:
    return _gap(x, y) <= WINDOW_DAYS


def _in_other_languages(store: Any, new: Sequence[Article]) -> dict[str, list[str]]:
    """For each new article, the stored ok articles in another language within the window, the
    :data:`MAX_LEADS` nearest in time first (a translation follows its original within days)."""
    todo = [a for a in new if a.language]
    if not todo:
        return {}
    meta = store.language_index()
    if len({lang for _i, lang, _d in meta if lang}) < 2:
        return {}
    want: dict[str, list[str]] = {}
    for a in todo:
        others = [(_gap(a.published_at, when), i) for i, lang, when in meta
                  if lang and lang != a.language and i != a.id and _near(a.published_at, when)]
        if others:
            want[a.id] = [i for _g, i in sorted(others)[:MAX_LEADS]]
    return want


def translation_partners(store: Any, want: dict[str, list[str]], encoder: Any,
                         article: Callable[[str], Article]) -> list[tuple[str, str]]:
    """Pairs ``(a, b)`` with ``a < b`` to align, from each new article's articles in other languages
    (``want``) whose lead vectors are close to its own (see the module doc). ``article`` reads an
    article by id (cached by the caller)."""
    model = f"{encoder.name}+lead"
    ids = sorted({a for a in want} | {o for v in want.values() for o in v})
    have = store.get_vectors(ids, "doc", model)
    missing = [i for i in ids if i not in have]
    if missing:
        vecs = encoder.encode([article_head(article(i)) for i in missing])
        fresh = {i: vecs[k] for k, i in enumerate(missing)}
        store.put_vectors(fresh, "doc", model)
        have.update(fresh)
    pairs: set[tuple[str, str]] = set()
    for aid, others in want.items():
        q = np.asarray(have[aid], dtype=np.float32)
        m = np.stack([np.asarray(have[o], dtype=np.float32) for o in others])
        cos = m @ q
        ranked = sorted(((float(c), o) for c, o in zip(cos.tolist(), others) if c >= LEAD_COSINE),
                        key=lambda x: (-x[0], x[1]))[:MAX_PARTNERS]
        for _c, o in ranked:  # a pair of two new articles is found from both sides: once in the set
            pairs.add((min(aid, o), max(aid, o)))
    return sorted(pairs)


def link_translations(store: Any, new: Sequence[Article], article: Callable[[str], Article],
                      encoder: Any = None) -> list[ReuseLink]:
    """Translation links of the new articles (none where the multilingual encoder is not installed)."""
    from storyline.embed import multilingual_encoder
    from storyline.reuse.stage import current_sentence_vectors

    want = _in_other_languages(store, new)
    if not want:  # one language in the store (the usual case): the encoder is not even loaded
        return []
    encoder = encoder or multilingual_encoder()
    if encoder is None:
        return []
    pairs = translation_partners(store, want, encoder, article)
    if not pairs:
        return []
    involved = sorted({i for p in pairs for i in p})
    vecs = current_sentence_vectors(store, encoder, [article(i) for i in involved])
    links = []
    for x, y in pairs:
        link = judge_translation(article(x), article(y), vecs[x], vecs[y])
        if link is not None:
            links.append(link)
    logger.info("translations: %d pairs in two languages aligned, %d linked", len(pairs), len(links))
    return links
