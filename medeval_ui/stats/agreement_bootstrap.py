"""Item patterns and bootstrap rounds for the agreement statistics.

A clustered bootstrap resamples items. Every agreement coefficient is a ratio of sums of
per-item quantities, and items with the same ratings (the same count row; the same pair of
answers, for Cohen's kappa; the same multiset of numbers, for interval alpha) contribute the
same quantities. So the items are first compressed to their distinct patterns with a count
of each, and a bootstrap round is a multinomial redraw of those counts: a few dozen patterns
instead of every item, all rounds evaluated at once as one matrix product
(``agreement_coefficients``). Draws come from the same generator as
``resample.multinomial_counts``, in chunks that bound memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
RoundStatistic = Callable[[FloatArray], FloatArray]

# A chunk of rounds holds at most this many (round, pattern) cells: 16 MB of float64.
MAX_CELLS = 2_000_000
# Keys of up to this many slots are counted with bincount; larger key spaces are sorted.
_BINCOUNT_SLOTS = 1 << 18


def row_sum(a: NDArray[Any]) -> NDArray[Any]:
    """Sum along rows (booleans counted as int64; other dtypes kept), by a loop over the
    columns when there are few: numpy's reduction along a short last axis is 5-10x slower
    than a handful of vector additions."""
    if a.ndim != 2 or not 0 < a.shape[1] <= 16:
        return np.asarray(a.sum(axis=1))
    out = a[:, 0].astype(np.int64) if a.dtype == np.bool_ else a[:, 0].copy()
    for j in range(1, a.shape[1]):
        out += a[:, j]
    return out


def weighted_sums(w: FloatArray, features: FloatArray) -> FloatArray:
    """``w @ features`` (rounds x patterns times patterns x features) as one matrix-vector
    product per feature. OpenBLAS threads matrix-matrix products even this small, and on a
    busy machine its threads wait for a core: 15 ms for a 1000 x 39 x 25 product where 25
    matrix-vector products (which it does not thread) took 0.2 ms. With many patterns (a
    number question with many distinct values) the product is large enough to be worth
    the matrix-matrix call."""
    if w.shape[1] > 2048:
        return np.asarray(w @ features)
    columns = np.ascontiguousarray(features.T)
    out = np.empty((w.shape[0], len(columns)))
    for j, column in enumerate(columns):
        out[:, j] = w @ column
    return out


def code_index(codes: FloatArray, n_categories: int) -> NDArray[np.intp]:
    """Category codes (items x raters, NaN missing) as integers, missing = ``n_categories``.

    Raises ``ValueError`` naming the first entry that is not a whole number 0..k-1.
    """
    k = n_categories
    missing = np.isnan(codes)
    filled = np.where(missing, k, codes)
    index = filled.astype(np.intp)
    if index.size and (
        index.min() < 0
        or index.max() > k
        or not np.array_equal(index, filled)
        or np.count_nonzero(index == k) != np.count_nonzero(missing)
    ):
        bad = ~missing & ((codes < 0) | (codes > k - 1) | (codes != np.floor(codes)))
        raise ValueError(
            f"category codes must be whole numbers 0..{k - 1}; found {codes[bad][0]:g}"
        )
    return index


def unique_int_rows(rows: IntArray, base: int) -> tuple[IntArray, FloatArray]:
    """Distinct rows of a non-negative int matrix with entries below ``base``, and their
    counts. Rows are read as numbers in base ``base`` so that one 1-D count (or sort)
    replaces a lexicographic sort of the rows, which is 10-20x slower."""
    n, width = rows.shape
    if n == 0:
        return rows.copy(), np.zeros(0)
    if width == 0:
        return np.zeros((1, 0), dtype=np.int64), np.array([float(n)])
    if base**width >= 2**62:
        patterns, counts = np.unique(rows, axis=0, return_counts=True)
        return patterns.astype(np.int64), counts.astype(np.float64)
    place = np.asarray([base**j for j in range(width)], dtype=np.int64)
    return _decode(rows @ place, place, base)


def _decode(key: IntArray, place: IntArray, base: int) -> tuple[IntArray, FloatArray]:
    if int(place[-1]) * base <= max(_BINCOUNT_SLOTS, 4 * len(key)):
        tally = np.bincount(key, minlength=int(place[-1]) * base)
        keys = np.flatnonzero(tally)
        counts = tally[keys]
    else:
        keys, counts = np.unique(key, return_counts=True)
    return (keys[:, None] // place) % base, counts.astype(np.float64)


@dataclass(frozen=True)
class Patterns:
    """Distinct count rows (``rows``: patterns x categories) and how many items have each
    (``weights``). Items that nobody rated are left out."""

    rows: FloatArray
    weights: FloatArray

    @property
    def observed(self) -> FloatArray:
        """The one round that holds the observed data: a (1 x patterns) weight matrix."""
        return self.weights[None, :]


def count_patterns(counts: ArrayLike) -> Patterns:
    """The distinct rows of a count table (items x categories) with their multiplicities.

    Raises ``ValueError`` for a table that is not 2-D or holds negative or fractional counts.
    """
    table = np.asarray(counts, dtype=np.float64)
    if table.ndim != 2:
        raise ValueError("a count table must be 2-D (items x categories)")
    if table.size and (table.min() < 0 or np.any(table != np.floor(table))):
        raise ValueError("a count table holds whole non-negative counts")
    table = table[row_sum(table) > 0]
    base = int(table.max()) + 1 if table.size else 1
    rows, weights = unique_int_rows(table.astype(np.int64), base)
    return Patterns(rows.astype(np.float64), weights)


def code_patterns(index: NDArray[np.intp], n_categories: int, per_item: IntArray) -> Patterns:
    """The count-row patterns of an items x raters code matrix (``code_index``: missing =
    ``n_categories``), straight from the codes: an item's key sum_r base^code_r is its count
    row read in base ``base`` = the most ratings an item has + 1, so no count table is built.
    ``per_item`` is the number of ratings of each item."""
    k = n_categories
    base = int(per_item.max()) + 1 if len(per_item) else 1
    if base**k >= 2**62:  # too many categories x ratings for an int key: count, then sort
        return count_patterns(tally_codes(index, k))
    place = np.asarray([base**j for j in range(k)] + [0], dtype=np.int64)
    key = row_sum(place[index])
    rows, weights = _decode(key, place[:-1], base)
    rated = rows.sum(axis=1) > 0  # key 0: items nobody rated
    return Patterns(rows[rated].astype(np.float64), weights[rated])


def tally_codes(index: NDArray[np.intp], k: int) -> IntArray:
    """Items x k count table from ``code_index`` codes (column k, the missing ones, dropped)."""
    n = index.shape[0]
    slot = np.arange(n)[:, None] * (k + 1) + index
    return np.bincount(slot.ravel(), minlength=n * (k + 1)).reshape(n, k + 1)[:, :k]


def interval_features(values: FloatArray) -> FloatArray:
    """Per-item sums for interval alpha, items with >= 2 values only: (m, S1, S2, D) with
    D = sum_{a != b} (v_a - v_b)^2 / (m - 1), from values centred on the median (so that
    identical values give exactly zero spread). ``values``: items x slots, NaN missing."""
    present = ~np.isnan(values)
    m = row_sum(present)
    keep = m >= 2
    v = values[keep]
    if v.size == 0:
        return np.zeros((0, 4))
    v = v - np.median(v[~np.isnan(v)])
    m_k = m[keep].astype(np.float64)
    s1 = np.nansum(v, axis=1)
    s2 = np.nansum(v**2, axis=1)
    spread = np.nansum((v - (s1 / m_k)[:, None]) ** 2, axis=1)
    return np.column_stack([m_k, s1, s2, 2.0 * m_k * spread / (m_k - 1.0)])


@dataclass(frozen=True)
class IntervalPatterns:
    """Distinct multisets of numbers among the items (``values``: sorted, NaN padded), how
    many items have each, and the interval-alpha sums (``features``) of those among them
    with >= 2 values (``pairable``)."""

    values: FloatArray
    weights: FloatArray
    features: FloatArray
    pairable: NDArray[np.bool_]

    def feature_weights(self, w: FloatArray) -> FloatArray:
        """Round weights restricted to the patterns that ``features`` describes."""
        return w[:, self.pairable]


def interval_patterns(values: FloatArray, distinct: FloatArray) -> IntervalPatterns:
    """Compress an items x raters matrix of numbers (NaN missing) to the distinct multisets
    of the items rated at least once; ``distinct`` is the sorted distinct values.
    A multiset is the item's values sorted, cut to the most ratings any item has, coded as
    indices into ``distinct`` and counted as integers."""
    q = len(distinct)
    codes = np.sort(np.where(np.isnan(values), q, np.searchsorted(distinct, values)), axis=1)
    width = int(row_sum(codes < q).max()) if len(codes) else 0
    if width == 0:  # nobody rated anything
        nothing = np.zeros((0, 0))
        return IntervalPatterns(nothing, np.zeros(0), np.zeros((0, 4)), np.zeros(0, dtype=bool))
    patterns, counts = unique_int_rows(codes[:, :width].astype(np.int64), q + 1)
    rated = patterns[:, 0] < q  # sorted: an item nobody rated is all q
    patterns, counts = patterns[rated], counts[rated]
    pattern_values = np.append(distinct, np.nan)[patterns]
    pairable = row_sum(patterns < q) >= 2
    return IntervalPatterns(pattern_values, counts, interval_features(pattern_values), pairable)


@dataclass(frozen=True)
class PairCells:
    """Cohen's kappa data as patterns: each pattern is one cell a * q + b of the two raters'
    q x q answer table (``cells``), or q * q for the items only one of them answered (they
    are resampled but add nothing), with how many items fall in it (``weights``)."""

    cells: IntArray
    weights: FloatArray
    n_categories: int

    def tables(self, w: FloatArray) -> FloatArray:
        """The (rounds x q x q) answer tables of the rounds ``w`` (rounds x patterns)."""
        q = self.n_categories
        out = np.zeros((w.shape[0], q * q + 1))
        out[:, self.cells] = w  # one pattern per cell
        return out[:, : q * q].reshape(w.shape[0], q, q)


def pair_cells(a: FloatArray, b: FloatArray, n_categories: int) -> PairCells:
    """The answer pairs of two raters (codes 0..q-1, NaN missing) as patterns. Items that
    neither rater answered are left out."""
    q = n_categories
    a_rated, b_rated = ~np.isnan(a), ~np.isnan(b)
    paired = a_rated & b_rated
    cell = np.full(len(a), q * q, dtype=np.int64)
    cell[paired] = a[paired].astype(np.int64) * q + b[paired].astype(np.int64)
    tally = np.bincount(cell[a_rated | b_rated], minlength=q * q + 1)
    used = np.flatnonzero(tally)
    return PairCells(used.astype(np.int64), tally[used].astype(np.float64), q)


def draws(
    weights: FloatArray, rounds: int, seed: int, *, max_cells: int = MAX_CELLS
) -> Iterator[FloatArray]:
    """Bootstrap rounds of the items behind ``weights`` (items per pattern), as chunks of
    (rounds x patterns) counts that each sum to ``weights.sum()``. Seeded: the same call
    gives the same rounds. With few patterns (the usual case) a round is a multinomial draw,
    exactly ``resample.multinomial_counts``'s draws when one chunk holds every round; when
    most items have a pattern of their own (numbers with many distinct values), drawing the
    items themselves and counting their patterns is the same distribution at a third of
    the cost. Either way the cost grows with rounds x patterns.

    Edges: no rounds yields nothing; no items yields all-zero rounds.
    """
    total = round(float(np.sum(weights)))
    width = len(weights)
    by_item = 2 * width > total  # most items have a pattern of their own
    step = max(1, max_cells // max(total if by_item else width, 1))
    rng = np.random.default_rng(seed)
    for start in range(0, max(rounds, 0), step):
        size = min(step, rounds - start)
        if total == 0:
            yield np.zeros((size, width))
        elif by_item:
            owner = np.repeat(np.arange(width), np.asarray(weights, dtype=np.int64))
            picked = owner[rng.integers(0, total, size=(size, total))]
            picked += np.arange(size)[:, None] * width
            tally = np.bincount(picked.ravel(), minlength=size * width)
            yield tally.reshape(size, width).astype(np.float64)
        else:
            p = np.asarray(weights, dtype=np.float64) / total
            yield rng.multinomial(total, p, size=size).astype(np.float64)


def bootstrap(
    weights: FloatArray,
    statistics: list[RoundStatistic],
    rounds: int,
    seed: int,
    *,
    max_cells: int = MAX_CELLS,
) -> list[FloatArray]:
    """Each statistic evaluated on the same bootstrap rounds: one array of ``rounds``
    values per statistic, NaN where a round leaves it undefined."""
    out: list[list[FloatArray]] = [[] for _ in statistics]
    for chunk in draws(weights, rounds, seed, max_cells=max_cells):
        for values, statistic in zip(out, statistics, strict=True):
            values.append(statistic(chunk))
    return [np.concatenate(v) if v else np.zeros(0) for v in out]
