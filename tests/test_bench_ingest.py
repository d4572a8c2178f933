"""Ingest throughput stays above its floors (bench/floors.json, "ingest")."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import benchlib

FLOORS = benchlib.floors("ingest")

pytestmark = benchlib.needs_datasets("polnear")


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


def rate(r: dict) -> float:
    """The wall-clock rate; on a machine busier than its cores (other jobs), the rate from the CPU
    seconds the work used instead, since others' load stretches the wall clock, not the work."""
    busy = os.getloadavg()[0] > (os.cpu_count() or 1)
    return max(r["articles_per_s"], r["articles_per_s_cpu"] or 0.0) if busy else r["articles_per_s"]


def test_text_and_html_ingest_rates() -> None:
    """Best of two runs, so one burst of load on a shared VM does not fail the build."""
    bench = load_bench()
    text_floor, html_floor = FLOORS["text_per_s"]["floor"], FLOORS["html_typical_per_s"]["floor"]
    with tempfile.TemporaryDirectory() as tmp:
        for attempt in range(2):
            text, html = measure(bench, Path(tmp), attempt)
            assert text["dropped"] == 0 and text["inserted"] == 600
            if rate(text) >= text_floor and rate(html) >= html_floor:
                break
    assert rate(text) >= text_floor, (text, os.getloadavg())
    assert rate(html) >= html_floor, (html, os.getloadavg())
