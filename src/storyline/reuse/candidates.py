r"""Near-duplicate candidates: vectorised word 5-gram shingling, MinHash, LSH banding.

Everything from text to candidate pairs avoids per-token Python:

* a batch of texts is UTF-8 encoded as one buffer and lower-cased there with numpy (ASCII, and the
  two-byte capitals of Latin-1, Latin Extended-A, Greek and Cyrillic);
* word bytes are ASCII letters, digits, ``_`` and every byte >= 0x80, so UTF-8 words such as "café"
  or "Москва" stay whole; common Unicode punctuation (U+0080-U+00BF, U+2000-U+207F, U+3000-U+303F)
  is masked out so "a—b" or "«a»" split as ``\w+`` would;
* each word is hashed with a polynomial hash mod 2^32 taken from prefix sums, its byte length in the
  high 32 bits;
* 5-gram shingle hashes combine 5 consecutive word hashes polynomially mod 2^64, then splitmix64
  (documents with 1-4 words get one shingle of all their words);
* MinHash (128 permutations) is rensa's ``digest_matrix_from_flat_token_hashes`` over the shingle
  hashes (a numpy fallback is used when rensa is missing);
* LSH banding (default 32 bands x 4 rows, threshold about 0.5) uses numpy: band keys, sort /
  searchsorted, pairs within equal keys (buckets capped), deduplicated.

Signatures are ``uint32[128]`` per document and are all that :class:`CandidateIndex` keeps, so a
persisted index never recomputes documents it already holds. Exact containment for partial reuse
needs the shingle sets, computed on demand from the texts of candidate pairs (:func:`containment`).

rensa's thread pool deadlocks a ``fork()`` made after its first use, so worker processes are always
started with ``spawn``.
"""

from __future__ import annotations

import io
from collections import deque
import multiprocessing as mp
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Hashable, Sequence

import numpy as np

try:  # pragma: no cover - exercised implicitly
    import rensa as _rensa
except Exception:  # pragma: no cover
    _rensa = None

NUM_PERM = 128
SEED = 42
SHINGLE = 5
CHUNK_DOCS = 500  # documents per vectorised batch: keeps temporaries under glibc's mmap threshold

_U64 = np.uint64
_P = 0x100000001B3  # FNV-64 prime, odd: invertible mod 2^64
_P32 = 0x01000193  # FNV-32 prime
_P32_INV = pow(_P32, -1, 1 << 32)
_GOLD = 0x9E3779B97F4A7C15

_pow_cache: dict[str, np.ndarray] = {}


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """P^i and P^-i mod 2^32 for i < n (grown geometrically and cached)."""
    have = _pow_cache.get("p")
    if have is None or len(have) < n:
        m = max(n, 1 << 20, 0 if have is None else 2 * len(have))
        p = np.full(m, _P32, dtype=np.uint32)
        p[0] = 1
        pinv = np.full(m, _P32_INV, dtype=np.uint32)
        pinv[0] = 1
        with np.errstate(over="ignore"):
            _pow_cache["p"] = np.cumprod(p, dtype=np.uint32)
            _pow_cache["pinv"] = np.cumprod(pinv, dtype=np.uint32)
    return _pow_cache["p"][:n], _pow_cache["pinv"][:n]


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, vectorised (wrapping uint64 arithmetic)."""
    x = x ^ (x >> _U64(30))
    x *= _U64(0xBF58476D1CE4E5B9)
    x ^= x >> _U64(27)
    x *= _U64(0x94D049BB133111EB)
    x ^= x >> _U64(31)
    return x


def _word_mask(buf: np.ndarray) -> np.ndarray:
    """Bytes that belong to words: ASCII letters, digits, ``_`` and UTF-8 bytes (>= 0x80) that are
    not part of common Unicode punctuation. ``buf`` is already lower-cased."""
    isw = buf >= 0x80
    isw |= (buf - np.uint8(ord("a"))) < 26
    isw |= (buf - np.uint8(ord("0"))) < 10
    isw |= buf == ord("_")
    for lead_byte, seconds, width in ((0xE2, (0x80, 0x81), 3), (0xE3, (0x80,), 3)):
        lead = np.flatnonzero(buf[:-2] == lead_byte)
        if len(lead):
            sb = buf[lead + 1]
            keep = sb == seconds[0]
            for x in seconds[1:]:
                keep |= sb == x
            lead = lead[keep]  # U+2000-U+207F (spaces, dashes, quotes), U+3000-U+303F
            for k in range(width):
                isw[lead + k] = False
    lead = np.flatnonzero(buf[:-1] == 0xC2)
    if len(lead):
        lead = lead[buf[lead + 1] < 0xC0]  # U+0080-U+00BF: nbsp, «», ©, ° ...
        isw[lead] = isw[lead + 1] = False
    return isw


def _lower_utf8(buf: np.ndarray) -> None:
    """Lower-case in place: ASCII, and the two-byte UTF-8 capitals of Latin-1, Latin Extended-A,
    Greek and Cyrillic (the cases that keep their byte length)."""
    up = (buf - np.uint8(ord("A"))) < 26
    buf += up.view(np.uint8) << np.uint8(5)
    hi = np.flatnonzero(buf[:-1] >= 0xC3)
    if not len(hi):
        return
    b0 = buf[hi]
    hi = hi[b0 <= 0xD0]
    b0, b1 = buf[hi], buf[hi + 1]
    # Latin-1 capitals U+00C0-U+00DE except U+00D7 (multiplication sign): C3 80-9E -> C3 A0-BE
    m = (b0 == 0xC3) & (b1 >= 0x80) & (b1 <= 0x9E) & (b1 != 0x97)
    buf[hi[m] + 1] += 0x20
    # Latin Extended-A U+0100-U+017F (C4 xx, C5 xx): capitals are even code points in U+0100-0137
    # and U+014A-0177, odd ones in U+0139-0148 and U+0179-017E (U+0130 and U+0178 left alone)
    m = (b0 == 0xC4) | (b0 == 0xC5)
    if m.any():
        pos = hi[m]
        cp = ((b0[m].astype(np.int32) & 0x1F) << 6) | (b1[m].astype(np.int32) & 0x3F)
        odd = (cp & 1) == 1
        cap = (((cp <= 0x137) | ((cp >= 0x14A) & (cp <= 0x177))) & ~odd & (cp != 0x130)) | (
            (((cp >= 0x139) & (cp <= 0x148)) | ((cp >= 0x179) & (cp <= 0x17E))) & odd)
        cp = cp[cap] + 1
        buf[pos[cap]] = (0xC0 | (cp >> 6)).astype(np.uint8)
        buf[pos[cap] + 1] = (0x80 | (cp & 0x3F)).astype(np.uint8)
    # Greek capitals U+0391-U+03AB: CE 91-9F -> CE B1-BF; CE A0-AB -> CF 80-8B
    m = (b0 == 0xCE) & (b1 >= 0x91) & (b1 <= 0x9F)
    buf[hi[m] + 1] += 0x20
    m = (b0 == 0xCE) & (b1 >= 0xA0) & (b1 <= 0xAB) & (b1 != 0xA2)
    buf[hi[m]] = 0xCF
    buf[hi[m] + 1] -= 0x20
    # Cyrillic U+0400-U+042F: D0 80-8F -> D1 90-9F; D0 90-9F -> D0 B0-BF; D0 A0-AF -> D1 80-8F
    m = (b0 == 0xD0) & (b1 <= 0x8F)
    buf[hi[m]] = 0xD1
    buf[hi[m] + 1] += 0x10
    m = (b0 == 0xD0) & (b1 >= 0x90) & (b1 <= 0x9F)
    buf[hi[m] + 1] += 0x20
    m = (b0 == 0xD0) & (b1 >= 0xA0) & (b1 <= 0xAF)
    buf[hi[m]] = 0xD1
    buf[hi[m] + 1] -= 0x20


def _join(texts: Sequence[str]) -> str:
    """Texts joined with NUL separators (NULs inside texts become spaces)."""
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:
        joined = "\x00".join(t.replace("\x00", " ") for t in texts)
    return joined


def _encode(texts: Sequence[str] | str) -> np.ndarray:
    """One lower-cased UTF-8 buffer: NUL, text, NUL, text, ..., NUL. ``texts`` may be pre-joined."""
    joined = texts if isinstance(texts, str) else _join(texts)
    data = bytearray(("\x00" + joined + "\x00").encode("utf-8", errors="replace"))
    buf = np.frombuffer(data, dtype=np.uint8)
    _lower_utf8(buf)
    return buf


def word_hashes(texts: Sequence[str] | str) -> tuple[np.ndarray, np.ndarray]:
    """Word hashes of a batch: (uint64 hashes in text order, int64 offsets of length len(texts)+1).

    A word hash is a polynomial hash mod 2^32 of its bytes with the byte length in the high 32 bits
    (not mixed: the shingle hash mixes). ``texts`` may be one string of NUL-joined texts."""
    buf = _encode(texts)
    n = len(buf)
    isw = _word_mask(buf)
    edges = np.flatnonzero(isw[1:] != isw[:-1]) + 1  # buffer starts and ends with a non-word byte
    starts, ends = edges[0::2], edges[1::2]  # first byte of each word, one past its last byte
    seps = np.flatnonzero(buf == 0)  # len(texts)+1 separators
    pw, pinv = _powers(n)
    with np.errstate(over="ignore"):
        # polynomial hash mod 2^32 of the bytes, from prefix sums: sum b_j P^(j-start)
        pref = np.empty(n + 1, dtype=np.uint32)
        pref[0] = 0
        np.multiply(buf, pw, out=pref[1:])
        np.cumsum(pref[1:], out=pref[1:])
        h = ((pref[ends] - pref[starts]) * pinv[starts]).astype(_U64)
        h |= (ends - starts).astype(_U64) << _U64(32)  # word length in the high half
    offsets = np.searchsorted(starts, seps).astype(np.int64)
    return h, offsets


def shingle_hashes(texts: Sequence[str] | str, k: int = SHINGLE) -> tuple[np.ndarray, np.ndarray]:
    """Word k-gram hashes: (flat uint64 hashes grouped by document, int64 row offsets).

    A document with 1..k-1 words gets one shingle of all its words; an empty one gets none.
    """
    wh, woff = word_hashes(texts)
    nw = np.diff(woff)
    nsh = np.where(nw >= k, nw - (k - 1), np.minimum(nw, 1))
    soff = np.zeros(len(nw) + 1, dtype=np.int64)
    np.cumsum(nsh, out=soff[1:])
    out = np.empty(int(soff[-1]), dtype=_U64)
    m = len(wh) - (k - 1)
    short = np.flatnonzero((nw > 0) & (nw < k))
    if m > 0:
        with np.errstate(over="ignore"):
            g = wh[:m] * _U64(_P)
            for j in range(1, k):
                g += wh[j : j + m]
                g *= _U64(_P)
            g = _mix(g)
        # the window starting at word i is valid when words i..i+k-1 lie in one document
        first = np.cumsum(np.bincount(woff[1:-1], minlength=len(wh) + 1))  # document of each word
        valid = first[:m] == first[k - 1 : k - 1 + m]
        if len(short) == 0:
            out = g[valid]
        else:
            vi = np.flatnonzero(valid)
            d = first[vi]
            out[soff[d] + (vi - woff[d])] = g[vi]
    if len(short):
        with np.errstate(over="ignore"):
            for di in short.tolist():
                hh = np.uint64(nw[di])
                for w in wh[woff[di] : woff[di + 1]]:
                    hh = hh * _U64(_P) + w
                out[soff[di]] = _mix(np.array([hh], dtype=_U64))[0]
    return out, soff


def shingle_set(text: str, k: int = SHINGLE) -> np.ndarray:
    """Sorted unique shingle hashes of one text (for exact Jaccard / containment)."""
    h, _ = shingle_hashes([text], k)
    return np.unique(h)


# --- MinHash -----------------------------------------------------------------------------------

_rng = np.random.default_rng(SEED)
_PERM_A = (_rng.integers(1, 1 << 62, NUM_PERM, dtype=np.uint64) | _U64(1))
_PERM_B = _rng.integers(0, 1 << 62, NUM_PERM, dtype=np.uint64)


def _minhash_numpy(flat: np.ndarray, offsets: np.ndarray, num_perm: int) -> np.ndarray:
    sig = np.full((len(offsets) - 1, num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    nonempty = np.flatnonzero(np.diff(offsets) > 0)
    if len(nonempty) == 0:
        return sig
    starts = offsets[nonempty]
    with np.errstate(over="ignore"):
        for p in range(num_perm):
            v = ((flat * _PERM_A[p] + _PERM_B[p]) >> _U64(32)).astype(np.uint32)
            sig[nonempty, p] = np.minimum.reduceat(v, starts)
    return sig


def signatures_from_shingles(flat: np.ndarray, offsets: np.ndarray, num_perm: int = NUM_PERM,
                             seed: int = SEED) -> np.ndarray:
    """MinHash signatures (uint32[n, num_perm]); rows of empty documents are all 0xFFFFFFFF."""
    n = len(offsets) - 1
    if n == 0:
        return np.zeros((0, num_perm), dtype=np.uint32)
    if _rensa is None:
        return _minhash_numpy(flat, offsets, num_perm)
    mat = _rensa.RMinHash.digest_matrix_from_flat_token_hashes(
        flat, offsets.astype(np.uint64), num_perm, seed)
    sig = np.array(mat.to_rows(), dtype=np.uint32).reshape(n, num_perm)
    sig[np.diff(offsets) == 0] = np.iinfo(np.uint32).max
    return sig


def _signatures_serial(texts: Sequence[str], num_perm: int = NUM_PERM, seed: int = SEED) -> np.ndarray:
    parts = []
    for i in range(0, len(texts), CHUNK_DOCS):
        flat, off = shingle_hashes(texts[i : i + CHUNK_DOCS])
        parts.append(signatures_from_shingles(flat, off, num_perm, seed))
    if not parts:
        return np.zeros((0, num_perm), dtype=np.uint32)
    return np.concatenate(parts)


def _sig_job(args: tuple[str, int, int]) -> np.ndarray:
    # the texts travel as one NUL-joined str: pickling many non-ASCII str objects would leave a
    # cached UTF-8 copy inside each of them in the parent (PyUnicode_AsUTF8AndSize)
    joined, num_perm, seed = args
    flat, off = shingle_hashes(joined)
    return signatures_from_shingles(flat, off, num_perm, seed)


def make_pool(workers: int = 2) -> ProcessPoolExecutor:
    """A ``spawn`` process pool for :func:`signatures` (never fork: rensa's thread pool deadlocks it)."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"))


def signatures(texts: Sequence[str], *, executor: Executor | None = None,
               num_perm: int = NUM_PERM, seed: int = SEED) -> np.ndarray:
    """MinHash signatures (uint32[len(texts), num_perm]) of word 5-gram shingles.

    With an ``executor`` (see :func:`make_pool`) the batch is split into chunks run in parallel.
    The result does not depend on the executor or chunking.
    """
    texts = list(texts)
    if executor is None or len(texts) <= CHUNK_DOCS:
        return _signatures_serial(texts, num_perm, seed)
    step = CHUNK_DOCS
    inflight = 2 * max(1, getattr(executor, "_max_workers", 2))  # bounds pickled texts in flight
    pending: deque = deque()
    out = []
    for i in range(0, len(texts), step):
        pending.append(executor.submit(_sig_job, (_join(texts[i : i + step]), num_perm, seed)))
        if len(pending) >= inflight:
            out.append(pending.popleft().result())
    out.extend(f.result() for f in pending)
    return np.concatenate(out)


# --- LSH banding ---------------------------------------------------------------------------------

def band_keys(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """uint64[n, bands] keys: each band's rows hashed to 64 bits, band index mixed in."""
    n = len(sig)
    out = np.empty((n, bands), dtype=_U64)
    with np.errstate(over="ignore"):
        for b in range(bands):
            h = np.full(n, (b + 1) * _GOLD & 0xFFFFFFFFFFFFFFFF, dtype=_U64)
            for r in range(rows):
                h ^= sig[:, b * rows + r].astype(_U64)
                h = _mix(h) if r < rows - 1 else h
                h *= _U64(_P)
            out[:, b] = _mix(h)
    return out


def _pairs_in_sorted_runs(keys_sorted: np.ndarray, members: np.ndarray, cap: int) -> np.ndarray:
    """All (i, j) member pairs sharing a key; keys sorted. Each member pairs with at most ``cap``
    following members of its run. Returns int64[m, 2]."""
    n = len(keys_sorted)
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    brk = np.flatnonzero(keys_sorted[1:] != keys_sorted[:-1]) + 1
    run_end = np.empty(n, dtype=np.int64)
    bounds = np.concatenate([brk, [n]])
    sizes = np.diff(np.concatenate([[0], bounds]))
    run_end[:] = np.repeat(bounds, sizes)
    pos = np.arange(n)
    cnt = np.minimum(run_end - pos - 1, cap)
    tot = int(cnt.sum())
    if tot == 0:
        return np.zeros((0, 2), dtype=np.int64)
    src = np.repeat(pos, cnt)
    first = np.repeat(np.cumsum(cnt) - cnt, cnt)
    dst = src + 1 + (np.arange(tot) - first)
    return np.stack([members[src], members[dst]], axis=1)


def _canon(pairs: np.ndarray) -> np.ndarray:
    if len(pairs) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    a = np.minimum(pairs[:, 0], pairs[:, 1])
    b = np.maximum(pairs[:, 0], pairs[:, 1])
    code = np.unique((a << 32) | b)
    return np.stack([code >> 32, code & 0xFFFFFFFF], axis=1)


def estimated_jaccard(sig: np.ndarray, pairs: np.ndarray, chunk: int = 65536) -> np.ndarray:
    """Share of equal signature slots for each (i, j) row pair."""
    out = np.empty(len(pairs), dtype=np.float64)
    for i in range(0, len(pairs), chunk):
        p = pairs[i : i + chunk]
        out[i : i + chunk] = (sig[p[:, 0]] == sig[p[:, 1]]).mean(axis=1)
    return out


def containment(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """(Jaccard, |a∩b|/|a|, |a∩b|/|b|) of two sorted unique shingle arrays."""
    if len(a) == 0 or len(b) == 0:
        return 0.0, 0.0, 0.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter), inter / len(a), inter / len(b)


class CandidateIndex:
    """Incremental MinHash/LSH index holding only signatures (uint32[num_perm] per document).

    ``add`` queries the new documents against everything already indexed (and against each other),
    then inserts them; it returns candidate pairs ``(id_a, id_b, est_jaccard)`` with ``id_a`` the
    earlier-indexed document. Adding a batch all at once or in pieces gives the same pairs (as long as
    no bucket exceeds ``bucket_cap``). ``min_jaccard`` filters returned pairs by the estimate
    (0 keeps every LSH candidate: partial reuse can have low Jaccard but high containment).
    """

    _MAGIC = b"SLCI1\n"

    def __init__(self, *, bands: int = 32, rows: int = 4, num_perm: int = NUM_PERM, seed: int = SEED,
                 bucket_cap: int = 200, min_jaccard: float = 0.0, executor: Executor | None = None):
        if bands * rows > num_perm:
            raise ValueError("bands * rows must not exceed num_perm")
        self.bands, self.rows, self.num_perm, self.seed = bands, rows, num_perm, seed
        self.bucket_cap, self.min_jaccard, self.executor = bucket_cap, min_jaccard, executor
        self.ids: list[Hashable] = []
        self._pos: dict[Hashable, int] = {}
        self.sig = np.zeros((0, num_perm), dtype=np.uint32)
        self._empty = np.zeros(0, dtype=bool)
        # per band: sorted keys of indexed (non-empty) docs and their row numbers
        self._skeys = [np.zeros(0, dtype=_U64) for _ in range(bands)]
        self._srows = [np.zeros(0, dtype=np.int64) for _ in range(bands)]

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, doc_id: Hashable) -> bool:
        return doc_id in self._pos

    def signature(self, doc_id: Hashable) -> np.ndarray:
        return self.sig[self._pos[doc_id]]

    def add(self, ids: Sequence[Hashable], texts: Sequence[str]) -> list[tuple[Hashable, Hashable, float]]:
        """Index new documents and return their candidate pairs. Ids already present are skipped."""
        if len(ids) != len(texts):
            raise ValueError("ids and texts differ in length")
        keep = [i for i, d in enumerate(ids) if d not in self._pos]
        if len(set(ids[i] for i in keep)) != len(keep):
            raise ValueError("duplicate ids in one batch")
        new_ids = [ids[i] for i in keep]
        sig = signatures([texts[i] for i in keep], executor=self.executor,
                         num_perm=self.num_perm, seed=self.seed)
        return self.add_signatures(new_ids, sig)

    def add_signatures(self, ids: Sequence[Hashable], sig: np.ndarray, *,
                       query: bool = True) -> list[tuple[Hashable, Hashable, float]]:
        """Like :meth:`add` with precomputed signatures (e.g. loaded from the store).

        ``query=False`` only inserts (used when loading a persisted index)."""
        if any(d in self._pos for d in ids) or len(set(ids)) != len(ids):
            raise ValueError("ids already indexed or repeated")
        sig = np.ascontiguousarray(sig, dtype=np.uint32)
        n_old, n_new = len(self.ids), len(ids)
        if n_new == 0:
            return []
        empty = (sig == np.iinfo(np.uint32).max).all(axis=1)
        rows_new = np.flatnonzero(~empty) + n_old
        keys = band_keys(sig[~empty], self.bands, self.rows) if len(rows_new) else np.zeros((0, self.bands), _U64)
        found = []
        cap = self.bucket_cap
        for b in range(self.bands):
            k = keys[:, b]
            order = np.argsort(k, kind="stable")
            ks, rs = k[order], rows_new[order]
            old_k, old_r = self._skeys[b], self._srows[b]
            if query:
                found.append(_pairs_in_sorted_runs(ks, rs, cap))  # new x new
            if query and len(old_k):
                lo = np.searchsorted(old_k, k, "left")
                hi = np.minimum(np.searchsorted(old_k, k, "right"), lo + cap)
                cnt = hi - lo
                tot = int(cnt.sum())
                if tot:
                    src = np.repeat(rows_new, cnt)
                    first = np.repeat(np.cumsum(cnt) - cnt, cnt)
                    dst = old_r[np.repeat(lo, cnt) + (np.arange(tot) - first)]
                    found.append(np.stack([dst, src], axis=1))
            # insert (merge two sorted arrays; rows stay sorted within equal keys)
            allk = np.concatenate([old_k, ks])
            allr = np.concatenate([old_r, rs])
            o = np.argsort(allk, kind="stable")
            self._skeys[b], self._srows[b] = allk[o], allr[o]
        self.sig = np.concatenate([self.sig, sig])
        self._empty = np.concatenate([self._empty, empty])
        for i, d in enumerate(ids):
            self._pos[d] = n_old + i
        self.ids.extend(ids)
        pairs = _canon(np.concatenate(found)) if found else np.zeros((0, 2), np.int64)
        est = estimated_jaccard(self.sig, pairs)
        if self.min_jaccard > 0:
            m = est >= self.min_jaccard
            pairs, est = pairs[m], est[m]
        idl = self.ids
        return [(idl[a], idl[b], float(e)) for (a, b), e in zip(pairs.tolist(), est.tolist())]

    # --- persistence --------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """Signatures, ids and parameters (band keys are rebuilt on load, nothing is re-hashed)."""
        import json

        meta = json.dumps({"bands": self.bands, "rows": self.rows, "num_perm": self.num_perm,
                           "seed": self.seed, "bucket_cap": self.bucket_cap,
                           "min_jaccard": self.min_jaccard, "ids": self.ids}).encode()
        bio = io.BytesIO()
        bio.write(self._MAGIC)
        bio.write(len(meta).to_bytes(8, "little"))
        bio.write(meta)
        bio.write(np.ascontiguousarray(self.sig, dtype="<u4").tobytes())
        return bio.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes, *, executor: Executor | None = None) -> "CandidateIndex":
        import json

        if not data.startswith(cls._MAGIC):
            raise ValueError("not a CandidateIndex blob")
        p = len(cls._MAGIC)
        mlen = int.from_bytes(data[p : p + 8], "little")
        meta = json.loads(data[p + 8 : p + 8 + mlen])
        ids = [tuple(i) if isinstance(i, list) else i for i in meta.pop("ids")]
        idx = cls(executor=executor, **meta)
        sig = np.frombuffer(data, dtype="<u4", offset=p + 8 + mlen).reshape(len(ids), idx.num_perm)
        idx.add_signatures(ids, sig, query=False)
        return idx

    def save(self, path: str) -> None:
        with open(path, "wb") as f:
            f.write(self.to_bytes())

    @classmethod
    def load(cls, path: str, *, executor: Executor | None = None) -> "CandidateIndex":
        with open(path, "rb") as f:
            return cls.from_bytes(f.read(), executor=executor)


def candidate_pairs(ids: Sequence[Hashable], texts: Sequence[str], **kw) -> list[tuple[Hashable, Hashable, float]]:
    """One-shot: candidate pairs of a batch (see :class:`CandidateIndex`)."""
    return CandidateIndex(**kw).add(ids, texts)


__all__ = [
    "CandidateIndex", "candidate_pairs", "containment", "estimated_jaccard", "make_pool",
    "shingle_hashes", "shingle_set", "signatures", "signatures_from_shingles", "word_hashes",
]
