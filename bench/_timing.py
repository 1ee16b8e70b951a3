"""Shared timing helper of the benchmarks (run as scripts: ``python bench/bench_….py``)."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of(fn: Callable[[], object], repeat: int = 3) -> tuple[float, object]:
    """Fastest wall time (s) of *repeat* runs of *fn* and the last result."""
    best, out = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - started)
    return best, out
