"""bench/run_all.py writes bench/README.md from every benchmark: none may be left out."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"


def test_every_benchmark_is_run_by_run_all() -> None:
    spec = importlib.util.spec_from_file_location("run_all", BENCH / "run_all.py")
    assert spec is not None and spec.loader is not None
    run_all = importlib.util.module_from_spec(spec)
    sys.modules["run_all"] = run_all  # dataclasses look their module up there
    spec.loader.exec_module(run_all)
    registered = {b.script for b in run_all.BENCHMARKS}
    scripts = {p.name for p in BENCH.glob("bench_*.py")}
    if (BENCH / "load" / "run.py").exists():
        scripts.add("load/run.py")
    assert scripts <= registered, f"not in bench/run_all.py: {sorted(scripts - registered)}"
    assert all((BENCH / s).exists() for s in registered if s != "load/run.py")
