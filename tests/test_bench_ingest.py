"""Ingest throughput stays above its floors (bench/floors.json, "ingest")."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

import benchlib

ROOT = Path(__file__).resolve().parents[1]
FLOORS = benchlib.floors("ingest")
SHARED = ROOT.parent / "shared"

pytestmark = pytest.mark.skipif(not (SHARED / "datasets" / "polnear").is_dir(),
                                reason="../shared/datasets is not beside the checkout")


def load_bench():
    return benchlib.load_bench("ingest")


def measure(bench, tmp: Path, attempt: int) -> tuple[dict, dict]:
    t = tmp / str(attempt)
    (t / "text").mkdir(parents=True)
    bench.make_text_corpus(t / "text", 600)
    text = bench.run("text", t / "text", t / "text.db")
    (t / "html").mkdir()
    bench.make_html_corpus(t / "html", 300, "demo")
    html = bench.run("html", t / "html", t / "html.db")
    return text, html


def test_text_and_html_ingest_rates() -> None:
    """Best of two runs, so one burst of load on a shared VM does not fail the build."""
    bench = load_bench()
    text_floor, html_floor = FLOORS["text_per_s"]["floor"], FLOORS["html_typical_per_s"]["floor"]
    with tempfile.TemporaryDirectory() as tmp:
        for attempt in range(2):
            text, html = measure(bench, Path(tmp), attempt)
            assert text["dropped"] == 0 and text["inserted"] == 600
            if text["articles_per_s"] >= text_floor and html["articles_per_s"] >= html_floor:
                break
    assert text["articles_per_s"] >= text_floor, text
    assert html["articles_per_s"] >= html_floor, html
