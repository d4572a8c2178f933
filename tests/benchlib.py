"""Helpers for the tests that check bench/floors.json: load a bench script as a module, read floors."""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path
from types import ModuleType
from collections.abc import Callable
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
#: The evaluation datasets beside the checkout (../shared/datasets), as CI lays them out.
DATASETS = ROOT.parent / "shared" / "datasets"


def needs_datasets(*names: str) -> Any:
    """A pytest mark that skips the module's tests unless every named dataset folder is there."""
    import pytest

    return pytest.mark.skipif(not all((DATASETS / n).is_dir() for n in names),
                              reason="../shared/datasets is not beside the checkout")


def floors(key: str | None = None) -> Any:
    """bench/floors.json, or one of its top-level keys."""
    data = json.loads((BENCH / "floors.json").read_text(encoding="utf-8"))
    return data if key is None else data[key]


def load_bench(name: str) -> ModuleType:
    """bench/<name>.py as a module (bench/ on sys.path for the scripts' own imports)."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"storyline_bench_{name}", BENCH / f"{name}.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def cpu_timed(fn: Callable[..., Any], *args: Any) -> tuple[Any, float]:
    """``fn(*args)`` and the CPU seconds this process spent on it: a time limit that other jobs on a
    shared machine cannot push over (they stretch the wall clock, not the work)."""
    t0 = time.process_time()
    out = fn(*args)
    return out, time.process_time() - t0
