"""Quality and speed floors of the reuse capability (bench/floors.json, key "reuse").

The figures come from bench/reuse.py (derived families of real BASIL/PolNeAR articles, BASIL's
independent same-event reports as hard negatives), bench/msrp.py (sentence paraphrase decision) and
bench/reuse_candidates.py (candidate stage against datasketch). The tests run small, deterministic
versions of each; a floor only ever goes up.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import benchlib

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT.parent / "shared" / "datasets"
FLOORS = benchlib.floors("reuse")

pytestmark = pytest.mark.skipif(not (DATASETS / "basil").is_dir() or not (DATASETS / "msrp").is_dir(),
                                reason="../shared/datasets is not beside the checkout")


@pytest.fixture(scope="module")
def bench_mod():
    return benchlib.load_bench("reuse")


def test_derived_links_quick(bench_mod, tmp_path: Path) -> None:
    out = bench_mod.main(["--quick", "--json", str(tmp_path / "r.json")])
    res = out["derived"]
    f = FLOORS["derived_quick"]
    assert res["macro_f1"] >= f["macro_f1"], res["confusion"]
    assert res["detection_recall"] >= f["detection_recall"], res["confusion"]
    assert res["basil_fp_rate"] <= f["basil_fp_rate_max"], res["basil_fp_examples"]
    for kind in ("duplicate", "near_duplicate"):
        assert res["per_kind"][kind]["f1"] >= f["copy_f1"], (kind, res["per_kind"][kind])


def test_msrp_paraphrase_decision_subset() -> None:
    msrp = benchlib.load_bench("msrp")
    from storyline.embed import shared_encoder
    from storyline.reuse import align as al

    a, b, y = msrp.load("test")
    n = FLOORS["msrp_subset"]["pairs"]
    a, b, y = a[:n], b[:n], y[:n]
    enc = shared_encoder()
    x = msrp.features(a, b, np.stack([enc.encode(a), enc.encode(b)], axis=1))
    p = np.array([al.paraphrase_probability(f) for f in x])
    acc = float(((p >= al.PARAPHRASE_THRESHOLD).astype(int) == y).mean())
    assert acc >= FLOORS["msrp_subset"]["accuracy"]


def test_candidate_stage_beats_datasketch() -> None:
    pytest.importorskip("datasketch")
    rc = benchlib.load_bench("reuse_candidates")
    from storyline.reuse.stage import BANDS, ROWS

    f = FLOORS["candidates_test"]
    texts, planted = rc.build_corpus(f["articles"])
    t_ours, pairs, _, _ = rc.run_ours(texts, 2, BANDS, ROWS)
    t_ds, _, _ = rc.run_datasketch(texts, BANDS, ROWS)
    ours = {(x, y) for x, y, _ in pairs}
    pl = {(min(x, y), max(x, y)) for x, y in planted}
    assert len(pl & ours) / len(pl) >= f["planted_recall"]
    assert t_ds / t_ours >= f["speedup"], (t_ds, t_ours)
