"""What the PolNeAR trainers (train_cues.py, train_spans.py) share: the parsed training split and
writing (or checking) a weights file byte for byte."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def trainer_args(doc: str | None, out: Path, argv: list[str] | None) -> argparse.Namespace:
    """The trainers' command line: ``--limit N``, ``--cache DIR``, ``--check``, ``--out PATH``."""
    ap = argparse.ArgumentParser(description=(doc or "").split("\n")[0])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--cache", type=Path, default=None, help="folder with train.spacy (parsed train split)")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--out", type=Path, default=out)
    return ap.parse_args(argv)


def polnear_train(limit: int | None, cache: Path | None) -> tuple[list[dict[str, Any]], list[Any]]:
    """PolNeAR's training articles (bench/quotes.py's loader) and their parses, read from
    ``cache/train.spacy`` when given (the whole split only) or parsed here."""
    import quotes as bq  # bench/quotes.py: the PolNeAR loader

    from storyline.nlp.parse import parse_many

    arts = bq.load_polnear("train", limit)
    if cache is not None and (cache / "train.spacy").is_file() and not limit:
        from spacy.tokens import DocBin

        from storyline.nlp.parse import get_nlp

        return arts, list(DocBin().from_disk(cache / "train.spacy").get_docs(get_nlp().vocab))
    return arts, parse_many([a["text"] for a in arts], batch_size=8)


def write_weights(path: Path, data: dict[str, Any], check: bool, summary: str) -> int:
    """Write ``data`` as the weights file at ``path`` (exit status 0), or with ``check`` only compare
    it with the file there (0 when the same bytes, 1 otherwise)."""
    out = json.dumps(data, indent=0, ensure_ascii=False) + "\n"
    if check:
        same = path.is_file() and path.read_text(encoding="utf-8") == out
        print("same" if same else "DIFFERENT", file=sys.stderr)
        return 0 if same else 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(out, encoding="utf-8")
    print(f"wrote {path} ({summary})", file=sys.stderr)
    return 0
