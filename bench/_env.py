"""Imported first by the bench scripts: BLAS on two threads (the cores of the machine the floors were
measured on) before numpy loads, and ``src/`` and ``bench/`` on ``sys.path``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

ROOT = Path(__file__).resolve().parents[1]
for _p in (ROOT / "src", ROOT / "bench"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))
