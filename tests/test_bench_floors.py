"""The extraction benchmark stays above its pinned floors (bench/floors.json).

The default test runs the first pages of each dataset (about 10 s); the full run is opt-in with
STORYLINE_BENCH_FULL=1 (about 1.5 minutes on 2 cores). Both skip when ../shared/datasets is absent.
"""

from __future__ import annotations

import os

import pytest

import benchlib

FLOORS = benchlib.floors()
DATASETS = ("scrapinghub-aeb", "trafilatura-eval")


def load_bench():
    return benchlib.load_bench("extraction")


@pytest.fixture(scope="module")
def bench():
    mod = load_bench()
    if not mod.available():
        pytest.skip(f"extraction datasets not found under {mod.datasets_dir()} (set STORYLINE_DATASETS)")
    return mod


def check(report: dict, floors: dict) -> None:
    for ds in DATASETS:
        systems = report["datasets"][ds]["systems"]
        story, alone = systems["storyline"]["f1"], systems["trafilatura"]["f1"]
        # cleaning must be precise: it may not cost F1 against trafilatura alone
        assert story >= alone - 0.001, f"{ds}: Storyline F1 {story:.4f} < trafilatura alone {alone:.4f}"
        assert story >= floors[ds]["f1"], f"{ds}: Storyline F1 {story:.4f} below its floor {floors[ds]['f1']}"


def test_extraction_subset_floors(bench) -> None:
    sub = FLOORS["extraction_subset"]
    report = bench.run_benchmark(limit=sub["pages_per_dataset"], workers=1)
    for ds in DATASETS:
        assert report["datasets"][ds]["systems"]["storyline"]["pages"] == sub["pages_per_dataset"]
    check(report, sub)


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("STORYLINE_BENCH_FULL") != "1", reason="full benchmark: set STORYLINE_BENCH_FULL=1")
def test_extraction_full_floors(bench) -> None:
    report = bench.run_benchmark(limit=None, workers=2)
    check(report, FLOORS["extraction"])
