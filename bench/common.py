"""Helpers shared by the benchmarks."""

from __future__ import annotations

import resource
from pathlib import Path


def peak_rss_kb() -> int:
    """This process's peak resident memory in KiB.

    ``ru_maxrss`` is what we want, except that Linux carries it over from the parent across
    fork and exec: a child started by this (large) benchmark would report the benchmark's
    own peak. VmHWM is the same high-water mark kept per address space, fresh after exec.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of values, nearest rank: p99 of 2000 calls is the 20th worst."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
