"""The compare stage calls few of a real report's own paragraphs off topic (bench/compare_topic.py on
BASIL triplets, which carry no padding): at most the ceiling in bench/floors.json, "compare_topic"."""

from __future__ import annotations

from pathlib import Path

import pytest

import benchlib

ROOT = Path(__file__).resolve().parents[1]
CEIL = benchlib.floors("compare_topic")
SHARED = ROOT.parent / "shared"

pytestmark = pytest.mark.skipif(not (SHARED / "datasets" / "basil").is_dir(),
                                reason="../shared/datasets is not beside the checkout")


def test_off_topic_share_on_real_reports_under_ceiling():
    bench = benchlib.load_bench("compare_topic")
    sub = CEIL["first5"]
    res = bench.run(sub["first"], sub["step"], sub["events"])
    assert res["stories_compared"] >= 5 and res["own_paragraphs"] > 200, res
    assert res["off_topic_share"] <= sub["off_topic_share_max"], res


def test_ceiling_sits_above_measured():
    assert CEIL["first5"]["measured"] <= CEIL["first5"]["off_topic_share_max"]
