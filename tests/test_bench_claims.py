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


def test_gpu_fine_tune_helpers_read_debates_in_line_order():
    """bench/checkworthy_gpu.py (run on a GPU machine only): its context and MAP helpers, on the CPU."""
    gpu = benchlib.load_bench("checkworthy_gpu")
    rows = [{"text": "b", "file": "d1", "line": 2}, {"text": "x"}, {"text": "a", "file": "d1", "line": 1},
            {"text": "c", "file": "d1", "line": 3}]
    assert gpu.neighbours(rows) == ["a [SEP] c", " [SEP] ", " [SEP] b", "b [SEP] "]
    import numpy as np

    from train_classifiers import average_precision, mean_ap_by_file

    scores, labels = np.array([0.9, 0.2, 0.8, 0.1, 0.5]), np.array([0, 1, 1, 0, 1])
    files = ["f", "f", "g", "g", "g"]
    assert gpu.average_precision(scores, labels) == average_precision(scores, labels)
    assert abs(gpu.map_by_file(scores, list(labels), files) - mean_ap_by_file(scores, labels, files)) < 1e-12
