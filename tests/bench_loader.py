"""Load a module of ``bench/`` or ``scripts/`` (not packages: their scripts run with their folder on the path)
for a test."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from atlas import settings


def load_bench_module(name: str, folder: str = "bench") -> ModuleType:
    """``<folder>/<name>.py`` (default ``bench/``) as a module, registered in ``sys.modules`` (its dataclasses
    look their module up)."""
    path = settings.PROJECT_ROOT / folder / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"{folder}_{name.strip('_')}_under_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
