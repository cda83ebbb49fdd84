"""Bootstrap by counts: resample how many times each distinct unit pattern occurs.

A clustered bootstrap draws units (cases, items) with replacement. When a statistic depends
on the units only through sums of per-unit quantities, units with identical data are
interchangeable, so drawing a multinomial over the *distinct* patterns gives the same
distribution as drawing units, at the cost of a few patterns instead of every unit
(shared/notes/STORAGE_AND_SPEED.md: 0.20 s against 3.0 s for 1000 rounds on 100k items).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

DEFAULT_ROUNDS = 1000
DEFAULT_SEED = 20240501


def unique_patterns(rows: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """The distinct rows of a 2-D array and how many units have each (NaN counts as a value).

    Edges: an empty array gives empty results with the same number of columns.
    """
    data = np.asarray(rows, dtype=np.float64)
    if data.ndim != 2:
        raise ValueError("unique_patterns needs a 2-D array (units x features)")
    if data.shape[0] == 0:
        return data.copy(), np.zeros(0, dtype=np.int64)
    # Sort rows with lexsort and cut where a row differs from the previous one: np.unique
    # with axis=0 does the same through structured comparisons, about 10x slower here.
    # NaNs become a sentinel first (NaN != NaN would split equal rows).
    sentinel = np.finfo(np.float64).max
    keyed = np.where(np.isnan(data), sentinel, data)
    order = np.lexsort(keyed.T[::-1])
    ordered = keyed[order]
    starts = np.ones(len(ordered), dtype=bool)
    starts[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
    first = np.flatnonzero(starts)
    counts = np.diff(np.append(first, len(ordered)))
    patterns = np.where(ordered[first] == sentinel, np.nan, ordered[first])
    return patterns, counts.astype(np.int64)


def multinomial_counts(
    counts: NDArray[np.int64], rounds: int = DEFAULT_ROUNDS, seed: int = DEFAULT_SEED
) -> NDArray[np.float64]:
    """``rounds`` bootstrap draws of the units behind ``counts``: a (rounds x patterns) array
    whose rows each sum to ``counts.sum()``. Seeded, so the same call gives the same draws.

    Edges: no units gives a (rounds x 0) or all-zero array.
    """
    total = int(np.sum(counts))
    k = len(counts)
    if total == 0 or k == 0:
        return np.zeros((rounds, k), dtype=np.float64)
    rng = np.random.default_rng(seed)
    p = np.asarray(counts, dtype=np.float64) / total
    return rng.multinomial(total, p, size=rounds).astype(np.float64)


def percentile_interval(
    samples: NDArray[np.float64], level: float = 0.95
) -> tuple[float | None, float | None]:
    """The percentile interval of bootstrap replicates, ignoring undefined (NaN) rounds.

    Edges: None bounds when fewer than half of the rounds gave a value (the statistic is
    too often undefined on resamples for an interval to mean anything).
    """
    values = np.asarray(samples, dtype=np.float64)
    finite = values[np.isfinite(values)]
    if finite.size == 0 or finite.size < values.size / 2:
        return None, None
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(finite, [alpha, 1.0 - alpha])
    return float(low), float(high)
