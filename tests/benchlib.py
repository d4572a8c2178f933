"""Helpers for the tests that check bench/floors.json: load a bench script as a module, read floors."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"


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
