"""Language gap (DESIGN §4): a model's correctness in one language against the pivot language.

Compared on the same case groups only (the same clinical question asked in both languages),
so that a gap is not a difference between question sets. Each case group contributes the
sum of its correctness scores and its number of ratings in each language; a rate is a ratio
of sums (total score / total ratings), the same definition as ``correctness``. The interval
is a paired percentile bootstrap: case groups are resampled with both languages together,
which keeps the pairing (a hard question is hard in both languages) and the clustering of
ratings within a group.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from medeval_ui.stats.correctness import MIN_CASES
from medeval_ui.stats.estimate import Estimate, finite_or_none, undefined
from medeval_ui.stats.resample import (
    DEFAULT_ROUNDS,
    DEFAULT_SEED,
    multinomial_counts,
    percentile_interval,
    unique_patterns,
)

__all__ = ["METHOD_PAIRED", "NO_GROUPS", "NO_VARIATION", "ZERO_PIVOT", "Gap", "language_gap"]

METHOD_PAIRED = "paired bootstrap over case groups"
NO_VARIATION = "no variation between case groups: the interval is a single point"
NO_GROUPS = "no case groups rated in both languages"
ZERO_PIVOT = "relative change undefined: the pivot language's rate is 0"


@dataclass(frozen=True)
class Gap:
    """One language against the pivot, on the case groups rated in both.

    ``difference``: other rate minus pivot rate (-0.12: twelve points lower than in the
    pivot language); ``relative``: that difference as a share of the pivot rate (-0.15:
    15% lower); ``pivot`` and ``other``: the two rates on these groups (they can differ
    from the languages' overall correctness, which counts every case). ``n`` is the number
    of case groups throughout; ``n_obs`` the ratings behind each number.
    """

    difference: Estimate
    relative: Estimate
    pivot: Estimate
    other: Estimate


def language_gap(
    pivot_sum: ArrayLike,
    pivot_n: ArrayLike,
    other_sum: ArrayLike,
    other_n: ArrayLike,
    *,
    rounds: int = DEFAULT_ROUNDS,
    seed: int = DEFAULT_SEED,
    confidence: float = 0.95,
) -> Gap:
    """The gap between another language and the pivot, with paired bootstrap intervals.

    The four arrays are aligned per case group: the sum of the model's correctness scores
    and its number of ratings in that group, in the pivot and in the other language.

    How to read it: an interval of ``difference`` that excludes 0 is a gap the data show at
    ``confidence``; ``small`` marks fewer than ``MIN_CASES`` case groups.

    Edges: groups with no ratings on either side are dropped (not rated in both); none left
    gives four undefined estimates; a pivot rate of 0 leaves ``relative`` undefined (rounds
    where the resampled pivot rate is 0 are left out of its interval); when every case group
    gives the same result the interval is a point and ``label`` says so. Raises
    ``ValueError`` for arrays of different lengths, NaN, negative counts or sums outside
    0..n.
    """
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")
    rows = _rows(pivot_sum, pivot_n, other_sum, other_n)
    groups = rows.shape[0]
    if groups == 0:
        none = undefined(NO_GROUPS)
        return Gap(none, none, none, none)
    ps, pn, os_, on = rows.sum(axis=0)
    pivot_rate, other_rate = ps / pn, os_ / on
    diff = other_rate - pivot_rate

    patterns, counts = unique_patterns(rows)
    totals = multinomial_counts(counts, rounds, seed) @ patterns  # rounds x 4
    with np.errstate(invalid="ignore", divide="ignore"):
        r_pivot = totals[:, 0] / totals[:, 1]
        r_other = totals[:, 2] / totals[:, 3]
        r_diff = r_other - r_pivot
        r_rel = np.where(r_pivot > 0, r_diff / r_pivot, np.nan)

    small = groups < MIN_CASES
    n_p, n_o = int(pn), int(on)

    def estimate(value: float, replicates: NDArray[np.float64], n_obs: int) -> Estimate:
        lower, upper = percentile_interval(replicates, confidence)
        label = METHOD_PAIRED
        if lower is not None and lower == upper:
            label = NO_VARIATION
        return Estimate(
            finite_or_none(value),
            finite_or_none(lower),
            finite_or_none(upper),
            n=groups,
            n_obs=n_obs,
            small=small,
            label=label,
        )

    relative = (
        estimate(diff / pivot_rate, r_rel, n_p + n_o)
        if pivot_rate > 0
        else undefined(ZERO_PIVOT, n=groups, n_obs=n_p + n_o, small=small)
    )
    return Gap(
        difference=estimate(diff, r_diff, n_p + n_o),
        relative=relative,
        pivot=estimate(pivot_rate, r_pivot, n_p),
        other=estimate(other_rate, r_other, n_o),
    )


def _rows(*columns: ArrayLike) -> NDArray[np.float64]:
    """Groups x (pivot sum, pivot n, other sum, other n), groups without ratings dropped."""
    arrays = [np.asarray(x, dtype=np.float64).reshape(-1) for x in columns]
    if len({a.size for a in arrays}) != 1:
        raise ValueError("pivot_sum, pivot_n, other_sum and other_n must be aligned per group")
    rows = np.column_stack(arrays)
    if np.isnan(rows).any():
        raise ValueError("language_gap needs counts per case group, got NaN")
    sums, ns = rows[:, [0, 2]], rows[:, [1, 3]]
    if (ns < 0).any() or (sums < 0).any() or (sums > ns).any():
        raise ValueError("each sum of scores must lie between 0 and its number of ratings")
    return rows[(ns > 0).all(axis=1)]
