"""Story clustering floors (bench/floors.json, key "stories"), on the bench's own code (bench/stories.py):
BASIL B-cubed F1 on the held-out 2013-2016 events with the defaults, MStream NMI on the first 2,000
headlines of News-T in stream order (MiniLM + keywords, maintenance every 1,000 articles; threshold
and entity weight chosen on the even-numbered stories, scored on the odd ones), MStream NMI on the
whole of News-T with the defaults (nothing tuned), and assignment throughput with vectors at hand at
10k and 100k synthetic articles, which must also not slow down along the stream."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import stories as bench  # noqa: E402

FLOORS = json.loads((ROOT / "bench" / "floors.json").read_text(encoding="utf-8"))["stories"]
BASIL = bench.SHARED / "datasets" / "basil" / "articles"
MSTREAM = bench.SHARED / "datasets" / "mstream-googlenews" / "MStream" / "data" / "News-T"


@pytest.mark.skipif(not BASIL.is_dir(), reason="BASIL is not in ../shared/datasets")
def test_basil_heldout_bcubed_floor() -> None:
    from storyline.cluster import StoryClusterer, extract_entities

    rows = bench.load_basil()
    V = bench.basil_vectors(rows)
    test = [i for i, r in enumerate(rows) if r["year"] > 2012]
    sub = [rows[i] for i in test]
    pred = bench.run_stream(sub, V[test], [extract_entities(r["text"], r["title"]) for r in sub], {})
    assert StoryClusterer().threshold == 0.50  # the defaults, nothing tuned here
    f1 = bench.bcubed(pred, [r["gold"] for r in sub])[2]
    assert f1 >= FLOORS["basil_test_bcubed_f1"]["floor"], f1


@pytest.mark.skipif(not MSTREAM.is_file(), reason="MStream Google News is not in ../shared/datasets")
def test_mstream_subset_nmi_floor() -> None:
    rows = bench.load_mstream("News-T")[:2000]
    test = [r for r in rows if r["clusterNo"] % 2 == 1]
    best = bench.mstream_dev_params(rows)  # grid on the even-numbered stories only
    score = bench.nmi(bench.run_mstream([r["textCleaned"] for r in test], None, best[1]), [r["clusterNo"] for r in test])
    assert score >= FLOORS["mstream_news_t_2000_odd_nmi"]["floor"], (score, best)


@pytest.mark.skipif(not MSTREAM.is_file(), reason="MStream Google News is not in ../shared/datasets")
def test_mstream_news_t_defaults_nmi_floor() -> None:
    rows = bench.load_mstream("News-T")
    pred = bench.run_mstream([r["textCleaned"] for r in rows], None, {})  # the defaults: nothing tuned
    score = bench.nmi(pred, [r["clusterNo"] for r in rows])
    assert score >= FLOORS["mstream_news_t_defaults_nmi"]["floor"], score


def test_assignment_throughput_floor() -> None:
    res: dict = {}
    bench.bench_throughput(res, [10000, 100000])
    for n in ("10000", "100000"):
        row = res["throughput"][n]
        assert row["articles_per_s"] >= FLOORS[f"throughput_{n}_per_s"]["floor"], (n, row)
        assert row["bcubed_f1"] > 0.99, row
        # no slow-down along the stream: the last 10 % runs at least about as fast as the whole
        assert row["last10pct_per_s"] >= 0.7 * row["articles_per_s"], row
    # the active set follows the stream's density, not the corpus: 10x the articles over the same
    # year gives about 10x the stories per day, and the per-article rate stays within a small factor
    assert res["throughput"]["100000"]["articles_per_s"] >= 0.3 * res["throughput"]["10000"]["articles_per_s"]
