"""The compare stage calls few of a real report's own paragraphs off topic (bench/compare_topic.py on
BASIL triplets, which carry no padding): at most the ceiling in bench/floors.json, "compare_topic"."""

from __future__ import annotations

import benchlib

CEIL = benchlib.floors("compare_topic")

pytestmark = benchlib.needs_datasets("basil")


def test_off_topic_share_on_real_reports_under_ceiling():
    bench = benchlib.load_bench("compare_topic")
    sub = CEIL["first5"]
    res = bench.run(sub["first"], sub["step"], sub["events"])
    assert res["stories_compared"] >= 5 and res["own_paragraphs"] > 200, res
    assert res["off_topic_share"] <= sub["off_topic_share_max"], res


def test_ceiling_sits_above_measured():
    assert CEIL["first5"]["measured"] <= CEIL["first5"]["off_topic_share_max"]
