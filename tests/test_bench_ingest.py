"""Ingest throughput stays above its floors (bench/floors.json, "ingest")."""

from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FLOORS = json.loads((ROOT / "bench" / "floors.json").read_text(encoding="utf-8"))["ingest"]
SHARED = ROOT.parent / "shared"

pytestmark = pytest.mark.skipif(not (SHARED / "datasets" / "polnear").is_dir(),
                                reason="../shared/datasets is not beside the checkout")


def load_bench():
    spec = importlib.util.spec_from_file_location("storyline_bench_ingest", ROOT / "bench" / "ingest.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def test_text_and_html_ingest_rates() -> None:
    bench = load_bench()
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        (t / "text").mkdir()
        bench.make_text_corpus(t / "text", 600)
        text = bench.run("text", t / "text", t / "text.db")
        (t / "html").mkdir()
        bench.make_html_corpus(t / "html", 300, "demo")
        html = bench.run("html", t / "html", t / "html.db")
    assert text["dropped"] == 0 and text["inserted"] == 600
    assert text["articles_per_s"] >= FLOORS["text_per_s"]["floor"], text
    assert html["articles_per_s"] >= FLOORS["html_typical_per_s"]["floor"], html
