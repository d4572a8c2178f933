"""A faster greedy decoder for spaCy's named-entity recogniser, with the same entities.

spaCy's ``ner`` component is a transition-based tagger: for each token it scores the BILUO moves
(``B-ORG``, ``I-ORG``, ``L-ORG``, ``U-ORG``, ..., ``O``) from three context tokens and takes the best
valid one. Its network is small; the time goes into the per-state bookkeeping around it: checking the
validity of all 74 moves of every state, one C call each (a profile of ``ner.predict`` on news
paragraphs: 38 % in ``set_valid``, 75 % of the component outside its own ``tok2vec``). With
``en_core_web_sm`` that made the NER more than half of the whole parse.

Every NER move consumes exactly one token, so all documents of a batch advance in step: at step
``t`` every unfinished document is at its token ``t``. :class:`FastEntityRecognizer` runs the
component's own networks (its ``tok2vec`` and the precomputed first layer) and then decodes all
documents of a batch together with numpy: one gather, one maxout and one small matrix product per
step, the validity of the moves as boolean masks. The arithmetic is spaCy's, in the same order
(features summed in order, then the bias), so the entities are the same (tested over PolNeAR
paragraphs); a document carrying preset entity annotations goes to the original component, which
knows how to honour them.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Iterable, Iterator

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from spacy.pipeline import EntityRecognizer
    from spacy.tokens import Doc

LOGGER = logging.getLogger(__name__)

FACTORY = "storyline_ner"

# move kinds, as spaCy's BiluoPushDown names them
_BEGIN, _IN, _LAST, _UNIT, _OUT, _OTHER = range(6)


class FastEntityRecognizer:
    """Drop-in replacement for a trained spaCy ``ner`` pipe at prediction time (see module doc)."""

    def __init__(self) -> None:
        self.ner: "EntityRecognizer | None" = None

    def setup(self, ner: "EntityRecognizer") -> "FastEntityRecognizer":
        from spacy.tokens import Span  # noqa: F401 - fail early if spaCy is missing

        model = ner.model
        if ner.cfg.get("beam_width", 1) != 1 or not model.attrs.get("has_upper", False):
            raise ValueError("only greedy NER models with an upper layer can be decoded here")
        self.ner = ner
        moves = ner.moves
        names = [moves.get_class_name(i) for i in range(moves.n_moves)]
        labels = sorted({n.split("-", 1)[1] for n in names if "-" in n and n.split("-", 1)[1]})
        self._labels = labels
        label_ix = {lab: i for i, lab in enumerate(labels)}
        kind = np.full(len(names), _OTHER, dtype=np.int8)
        lab = np.full(len(names), -1, dtype=np.int32)
        for i, name in enumerate(names):
            move, _, label = name.partition("-")
            if move == "O" and not label:
                kind[i] = _OUT
            elif label:
                kind[i] = {"B": _BEGIN, "I": _IN, "L": _LAST, "U": _UNIT}.get(move, _OTHER)
                lab[i] = label_ix[label]
            # "U-" (no label) is only valid over preset blocked tokens: never here
        self._kind = kind
        self._lab = lab
        self._unseen = sorted(model.attrs.get("unseen_classes", set()))
        upper = model.get_ref("upper")
        self._w_up = np.ascontiguousarray(upper.get_param("W"), dtype=np.float32)  # (classes, hidden)
        self._b_up = np.asarray(upper.get_param("b"), dtype=np.float32)
        lower = model.get_ref("lower")
        self._lower = lower
        self._b_low = np.asarray(lower.get_param("b"), dtype=np.float32)  # (hidden, pieces)
        self._tok2vec = model.get_ref("tok2vec")
        self._ops = model.ops
        return self

    # -- spaCy pipe protocol -------------------------------------------------------------------------

    def __call__(self, doc: "Doc") -> "Doc":
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable["Doc"], *, batch_size: int = 256) -> Iterator["Doc"]:
        batch: list["Doc"] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._process(batch)
                batch = []
        if batch:
            yield from self._process(batch)

    # -- decoding ------------------------------------------------------------------------------------

    def _process(self, docs: list["Doc"]) -> list["Doc"]:
        from spacy.attrs import ENT_IOB

        assert self.ner is not None, "call setup() first"
        plain: list["Doc"] = []
        preset: list["Doc"] = []
        for d in docs:
            if len(d):
                (preset if d.to_array(ENT_IOB).any() else plain).append(d)
        if preset:  # keep spaCy's handling of preset and blocked entities
            self.ner.set_annotations(preset, self.ner.predict(preset))
        if plain:
            self._decode(plain)
        for d in docs:
            if not len(d):
                d.set_ents([], default="outside")
        return docs

    def _decode(self, docs: list["Doc"]) -> None:
        from spacy.attrs import IS_SPACE, SENT_START
        from spacy.tokens import Span

        tokvecs = self._tok2vec.predict(docs)
        cached = self._lower.predict(tokvecs)  # (N + 1, nF, hidden, pieces); row 0 is the padding
        if not isinstance(cached, np.ndarray):  # pragma: no cover - GPU ops
            cached = cached.get()
        pad, feats = cached[0], cached[1:]
        lens = np.array([len(d) for d in docs])
        starts = np.concatenate([[0], np.cumsum(lens)])
        total = int(starts[-1])
        sent_start = np.zeros(total, dtype=np.int64)
        is_space = np.zeros(total, dtype=bool)
        for d, off in zip(docs, starts):
            arr = d.to_array([SENT_START, IS_SPACE]).astype(np.int64)
            sent_start[off:off + len(d)] = arr[:, 0]
            is_space[off:off + len(d)] = arr[:, 1] != 0
        doc_end = np.repeat(starts[1:], lens)  # per token: the end of its document
        remaining = doc_end - np.arange(total)  # buffer length when the token is B(0)
        nxt = np.zeros(total, dtype=bool)  # the next token starts a sentence
        nxt[:-1] = sent_start[1:] == 1
        nxt &= remaining >= 2
        can_continue = (remaining >= 2) & ~nxt  # I is allowed here (and B, for a closed state)
        kind, lab, w_up, b_up = self._kind, self._lab, self._w_up, self._b_up
        # No entity open: features B(0), padding, padding; the same for every state at this token.
        h = feats[:, 0] + pad[1]
        h += pad[2]
        h += self._b_low
        # the model's own ops (parse.py gives them numpy's BLAS, held to one thread while parsing)
        scores = self._ops.gemm(np.ascontiguousarray(h.max(axis=2)), w_up, trans2=True)
        scores += b_up
        if self._unseen:
            scores[:, self._unseen] = scores.min()
        is_b = kind == _BEGIN
        is_u = kind == _UNIT
        valid = np.zeros(scores.shape, dtype=bool)
        valid[:, is_b] = (can_continue & ~is_space)[:, None]
        valid[:, is_u] = (~is_space)[:, None]
        valid[:, kind == _OUT] = True
        scores[~valid] = -np.inf
        guess = scores.argmax(axis=1)
        g_kind = kind[guess]
        opens = np.flatnonzero((g_kind == _BEGIN) | (g_kind == _UNIT))
        # I-x / L-x of each label: inside an entity only these two moves can be valid
        in_of = {int(lab[i]): i for i in np.flatnonzero(kind == _IN)}
        last_of = {int(lab[i]): i for i in np.flatnonzero(kind == _LAST)}
        b_low = self._b_low
        found: list[list[tuple[int, int, int]]] = [[] for _ in docs]
        doc_of = np.repeat(np.arange(len(docs)), lens)
        pos = 0  # the first token not yet decided
        for c in opens.tolist():
            if c < pos:
                continue  # inside an entity opened earlier
            k = int(doc_of[c])
            label = int(lab[guess[c]])
            if g_kind[c] == _UNIT:
                found[k].append((c, c + 1, label))
                pos = c + 1
                continue
            w_in, w_last = in_of[label], last_of[label]
            t = c + 1
            while True:  # an entity is open at [c, t): I or L at token t
                h = feats[t, 0] + feats[c, 1]
                h += feats[t - 1, 2]
                h += b_low
                hid = np.maximum(h[:, 0], h[:, 1]) if h.shape[1] == 2 else h.max(axis=1)
                if can_continue[t] and hid @ w_up[w_in] + b_up[w_in] >= hid @ w_up[w_last] + b_up[w_last]:
                    t += 1
                    continue
                found[k].append((c, t + 1, label))
                break
            pos = t + 1
        labels = self._labels
        for k, (d, ents) in enumerate(zip(docs, found)):
            off = int(starts[k])
            d.set_ents([Span(d, s - off, e - off, label=labels[j]) for s, e, j in ents], default="outside")


def install(nlp: "object") -> None:
    """Swap the pipeline's ``ner`` for :class:`FastEntityRecognizer` (named ``storyline_ner``); a no-op
    when there is no ``ner`` or its model has another layout."""
    from spacy.language import Language

    if "ner" not in getattr(nlp, "pipe_names", []):
        return
    if FACTORY not in Language.factories:
        Language.factory(FACTORY, func=lambda nlp, name: FastEntityRecognizer())
    ner = nlp.get_pipe("ner")  # type: ignore[attr-defined]
    try:
        FastEntityRecognizer().setup(ner)
    except (ValueError, KeyError, IndexError) as exc:  # pragma: no cover - another model layout
        LOGGER.info("keeping spaCy's own NER decoder: %s", exc)
        return
    nlp.add_pipe(FACTORY, after="ner").setup(ner)  # type: ignore[attr-defined]
    nlp.remove_pipe("ner")  # type: ignore[attr-defined]
