"""Check-worthiness stays above its floors (bench/floors.json, "claims") on a subset; from a cold cache
it needs under 120 CPU seconds (60 s on the 2 cores; CPU time, so other jobs' load does not count)."""

from __future__ import annotations

import benchlib

FLOORS = benchlib.floors("claims")

pytestmark = benchlib.needs_datasets("checkthat-claimbuster")


def load_bench():
    return benchlib.load_bench("claims")


def test_claims_subset_above_floors(tmp_path, monkeypatch):
    bench = load_bench()
    monkeypatch.setattr(bench.T, "CACHE", tmp_path)  # cold cache: the test embeds what it scores
    sub = FLOORS["subset"]
    res, cpu = benchlib.cpu_timed(bench.run, sub["limit_files"], sub["limit_cb"])
    assert res["ct19_test"]["map"] >= sub["ct19_map_floor"], res["ct19_test"]
    assert res["claimbuster_test"]["f1"] >= sub["claimbuster_f1_floor"], res["claimbuster_test"]
    assert cpu < 120, f"subset took {cpu:.0f} CPU s"


def test_full_floors_sit_below_measured():
    for key in ("ct19_test_map", "claimbuster_test_f1"):
        assert FLOORS[key]["floor"] <= FLOORS[key]["measured"]
