"""A tiny time-bounded memo for numbers that are costly to count and may lag a little.

The progress total ("12 of 40") and a study's share of gold items are counts over every work
item of a study (2-4 ms each at 50k items, bench/bench_next_item.py), which would be most
of the cost of handing out the next item. They change only when other clinicians take
places or a lead imports, so they are recounted at most every ``ttl_s`` seconds per key.
Per process: with several instances each keeps its own, which only affects what is shown.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class TtlCache(Generic[T]):
    def __init__(self, ttl_s: float, max_entries: int = 10_000) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._values: dict[Hashable, tuple[float, T]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        now = time.monotonic()
        with self._lock:
            hit = self._values.get(key)
        if hit is not None and now - hit[0] < self.ttl_s:
            return hit[1]
        value = compute()
        with self._lock:
            if len(self._values) >= self.max_entries:
                self._values.clear()
            self._values[key] = (now, value)
        return value

    def forget(self, key: Hashable) -> None:
        with self._lock:
            self._values.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
