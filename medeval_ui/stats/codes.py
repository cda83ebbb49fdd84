"""Grouping by integer codes without a sort.

The dashboard groups a million ratings by output, clinician and cell many times per
recompute. Its keys are small non-negative integers (database ids, dense codes), so
counting them in bins gives what ``np.unique(keys, return_inverse=True)`` gives at a
fraction of the cost: 7 ms against 106 ms on 1M output ids (numpy 2.4, this machine).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

# Bins are used while they stay within a few times the number of keys (or 1M): beyond
# that the bins cost more memory than the sort costs time.
DENSE_FACTOR = 4
DENSE_MIN = 1 << 20


def unique_inverse(keys: ArrayLike) -> tuple[NDArray[Any], NDArray[np.int64]]:
    """``np.unique(keys, return_inverse=True)`` for integer keys: the sorted distinct keys
    and, for each key, the position of its value among them.

    Edges: an empty array gives two empty arrays; negative or widely spread keys (and
    keys that are not integers) take np.unique's sort, with the same result.
    """
    k = np.asarray(keys).reshape(-1)
    if k.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    bins = _bins(k)
    if bins is not None:
        as_int = k.astype(np.int64, copy=False)  # bool keys index as 0/1, not as a mask
        present = np.bincount(as_int, minlength=bins) > 0
        code = np.cumsum(present) - 1
        return np.flatnonzero(present).astype(np.int64), code[as_int].astype(np.int64)
    uniques, inverse = np.unique(k, return_inverse=True)
    return uniques, inverse.reshape(-1).astype(np.int64)


def distinct(keys: ArrayLike) -> NDArray[Any]:
    """``np.unique(keys)`` for integer keys, by bins when they are small (as above)."""
    k = np.asarray(keys).reshape(-1)
    if k.size and k.dtype.kind != "b" and _bins(k) is not None:
        return np.flatnonzero(np.bincount(k.astype(np.int64, copy=False))).astype(np.int64)
    return np.unique(k)


def fits_bins(span: int, n: int) -> bool:
    """Whether ``span`` bins are cheap enough for ``n`` keys (the bound above)."""
    return span <= max(DENSE_FACTOR * n, DENSE_MIN)


def _bins(k: NDArray[Any]) -> int | None:
    """How many bins non-empty integer keys need (one per value from 0 to the largest),
    or None when they are not integers, go below 0 or need too many."""
    if k.dtype.kind not in "iub" or int(k.min()) < 0:
        return None
    span = int(k.max()) + 1
    return span if fits_bins(span, k.size) else None
