"""Reading in worker processes gives exactly what one process gives, in the same order."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyline.clean import Cleaner
from storyline.ingest import read_inputs
from storyline.ingest.parallel import MIN_FILES_FOR_POOL, PREPARED, read_inputs_parallel

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the checkout")
def test_parallel_equals_sequential(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    n = MIN_FILES_FOR_POOL + 12
    for i in range(n):
        (tmp_path / f"{i:03d}.txt").write_text(seeds[i % 5].read_text(encoding="utf-8") + f"\nNote {i}.\n",
                                              encoding="utf-8")
    (tmp_path / "zz-empty.txt").write_text("", encoding="utf-8")
    one = list(read_inputs([str(tmp_path)]))
    Cleaner().process(one)
    many = list(read_inputs_parallel([str(tmp_path)], workers=2, prepare=True))
    assert [a.id for a in many] == [a.id for a in one]
    assert [a.status for a in many] == [a.status for a in one]
    assert many[-1].drop_reason == "empty"
    for a, b in zip(one, many):
        assert b.meta.pop(PREPARED, False) == (b.status == "ok")
        assert (a.text, [r.to_dict() for r in a.removed], a.sentences) == \
               (b.text, [r.to_dict() for r in b.removed], b.sentences)
        assert b.language == ("en" if b.status == "ok" else None)
