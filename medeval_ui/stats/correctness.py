"""Correctness per model x language (DESIGN §4): the share of correct answers, with an interval.

The rubric gives each answer option a score from 0 (wrong) to 1 (correct), partial credit in
between. A rating's score is the score of the option the clinician chose; a model's
correctness in a language is the mean score over its ratings there.

How the interval is formed, per group:
- every case rated once and every score 0 or 1: the Wilson score interval (ratings are
  independent Bernoulli trials);
- otherwise (several clinicians on the same case, or partial credit): a percentile
  bootstrap that resamples *cases*, so that ratings of one case, which are correlated, move
  together. Resampling ratings one by one gave intervals 2.3 times too narrow on measured
  data (shared/notes/STORAGE_AND_SPEED.md). Cases are drawn by counts of distinct
  (sum of scores, number of ratings) patterns, which gives the same distribution as drawing
  cases one by one, for the price of a handful of patterns;
- when every case has the same mean (all correct, all wrong, one case) the bootstrap has no
  variation to resample and would collapse to a point: the Wilson interval with n = the
  number of cases is used instead, the cautious reading of fully correlated ratings.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from medeval_ui.stats.codes import fits_bins
from medeval_ui.stats.estimate import Estimate, finite_or_none, undefined
from medeval_ui.stats.intervals import wilson_intervals
from medeval_ui.stats.resample import (
    DEFAULT_ROUNDS,
    DEFAULT_SEED,
    multinomial_counts,
    percentile_interval,
    unique_patterns,
)

__all__ = [
    "METHOD_BOOTSTRAP",
    "METHOD_FLAT",
    "METHOD_WILSON",
    "MIN_CASES",
    "correctness",
    "correctness_by_group",
    "ratio_replicates",
]

# Fewer cases than this and the estimate is marked small.
MIN_CASES = 30

# What ``Estimate.label`` says about how the interval was formed.
METHOD_WILSON = "Wilson interval"
METHOD_BOOTSTRAP = "bootstrap over cases"
METHOD_FLAT = "Wilson interval over cases (every case has the same mean)"

# Case sums are keyed to 9 decimals, so that float noise (0.1 + 0.2 vs 0.2 + 0.1) does not
# split one pattern in two; the intervals move by far less than they can show.
_PATTERN_DECIMALS = 9


def correctness(
    scores: ArrayLike,
    cases: ArrayLike,
    *,
    rounds: int = DEFAULT_ROUNDS,
    seed: int = DEFAULT_SEED,
    confidence: float = 0.95,
) -> Estimate:
    """Mean correctness score of one model in one language, with its interval.

    ``scores`` holds one score in 0..1 per rating (NaN: the question was not answered, the
    rating is left out); ``cases`` the case each rating is about (any integer ids).

    How to read it: ``value`` is the mean score over ratings (0.8: on average the answers
    were judged 80% correct), ``lower``..``upper`` its interval at ``confidence`` (see the
    module notes for which one; ``label`` names it), ``n`` the number of cases and ``n_obs``
    the number of ratings. ``small`` marks fewer than ``MIN_CASES`` cases.

    Edges: no ratings gives an undefined estimate ("no ratings"); a single case gives the
    Wilson interval for one trial (wide, as it should be); ``rounds=0`` gives no bounds on
    the bootstrap path. Raises ``ValueError`` for scores outside 0..1, arrays of different
    lengths or a confidence outside (0, 1).
    """
    s = np.asarray(scores, dtype=np.float64).reshape(-1)
    groups = np.zeros(s.size, dtype=np.int64)
    return correctness_by_group(
        s, groups, cases, 1, rounds=rounds, seed=seed, confidence=confidence
    )[0]


def correctness_by_group(
    scores: ArrayLike,
    groups: ArrayLike,
    cases: ArrayLike,
    n_groups: int,
    *,
    rounds: int = DEFAULT_ROUNDS,
    seed: int = DEFAULT_SEED,
    confidence: float = 0.95,
) -> list[Estimate]:
    """``correctness`` for every group code 0..n_groups-1 (model x language cells) at once.

    ``groups`` gives each rating's group. Group ``g``'s estimate is exactly what
    ``correctness`` returns for that group's ratings alone with the same seed (each group's
    draws start from ``seed``). Each interval reads on its own: compare two languages with
    ``language_gap``, not by whether their intervals overlap.

    Edges: a group without ratings (or whose scores are all NaN) is undefined, "no ratings".
    Raises ``ValueError`` for a group code outside 0..n_groups-1, and as ``correctness``.
    """
    s, g, c = _validated(scores, groups, cases, n_groups, confidence)
    cell_sum, cell_n, cell_group = _case_cells(s, g, c, n_groups)
    n_obs = np.bincount(g, minlength=n_groups)
    totals = np.bincount(g, weights=s, minlength=n_groups)
    n_cases = np.bincount(cell_group, minlength=n_groups)
    partial = np.bincount(g[(s != 0.0) & (s != 1.0)], minlength=n_groups) > 0
    repeated = np.bincount(cell_group, weights=cell_n > 1, minlength=n_groups) > 0
    flat = _flat_groups(cell_sum / np.maximum(cell_n, 1), n_cases)
    wilson = (n_obs > 0) & ~partial & ~repeated
    use_flat = (n_obs > 0) & ~wilson & flat
    bootstrap = (n_obs > 0) & ~wilson & ~flat

    with np.errstate(invalid="ignore", divide="ignore"):
        values = totals / n_obs
    # Wilson on ratings (= cases here) and, for flat groups, on cases at the common mean.
    # (Clipped: a float sum of scores <= 1 may not exceed its count by rounding.)
    successes = np.clip(np.where(wilson, totals, np.nan_to_num(values) * n_cases), 0, n_cases)
    w_lower, w_upper = wilson_intervals(successes, n_cases, confidence)

    bounds = _bootstrap_bounds(cell_sum, cell_n, cell_group, bootstrap, rounds, seed, confidence)
    out: list[Estimate] = []
    for k in range(n_groups):
        if n_obs[k] == 0:
            out.append(undefined("no ratings"))
            continue
        if bootstrap[k]:
            lower, upper = bounds.get(k, (None, None))
            label = METHOD_BOOTSTRAP
        else:
            lower, upper = float(w_lower[k]), float(w_upper[k])
            label = METHOD_FLAT if use_flat[k] else METHOD_WILSON
        out.append(
            Estimate(
                finite_or_none(float(values[k])),
                finite_or_none(lower),
                finite_or_none(upper),
                n=int(n_cases[k]),
                n_obs=int(n_obs[k]),
                small=bool(n_cases[k] < MIN_CASES),
                label=label,
            )
        )
    return out


def ratio_replicates(
    numerators: ArrayLike,
    denominators: ArrayLike,
    *,
    rounds: int = DEFAULT_ROUNDS,
    seed: int = DEFAULT_SEED,
) -> NDArray[np.float64]:
    """Bootstrap replicates of ``sum(numerators) / sum(denominators)`` resampling units.

    One entry per unit (a case: sum of its scores and number of its ratings; a unit of
    samples: agreeing pairs and pairs). Units are drawn with replacement by counts of their
    distinct (numerator, denominator) patterns: the same distribution as drawing units one
    by one. Returns ``rounds`` values; NaN for a round whose denominators sum to 0.

    Edges: no units gives ``rounds`` NaNs.
    """
    num = np.asarray(numerators, dtype=np.float64).reshape(-1)
    den = np.asarray(denominators, dtype=np.float64).reshape(-1)
    if num.shape != den.shape:
        raise ValueError("ratio_replicates needs as many numerators as denominators")
    if num.size == 0:
        return np.full(rounds, np.nan)
    patterns, counts = unique_patterns(np.column_stack([num, den]))
    draws = multinomial_counts(counts, rounds, seed)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray((draws @ patterns[:, 0]) / (draws @ patterns[:, 1]))


def _validated(
    scores: ArrayLike, groups: ArrayLike, cases: ArrayLike, n_groups: int, confidence: float
) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.int64]]:
    """Flat arrays with NaN scores dropped; raises ``ValueError`` for anything malformed."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")
    if n_groups < 1:
        raise ValueError(f"n_groups must be at least 1, got {n_groups!r}")
    s = np.asarray(scores, dtype=np.float64).reshape(-1)
    g = np.asarray(groups).reshape(-1)
    c = np.asarray(cases).reshape(-1)
    if not (s.size == g.size == c.size):
        raise ValueError(
            f"scores, groups and cases must have one entry per rating "
            f"(got {s.size}, {g.size}, {c.size})"
        )
    if c.size and not np.issubdtype(c.dtype, np.integer):
        raise ValueError("cases must be integer ids")
    if g.size and not np.issubdtype(g.dtype, np.integer):
        raise ValueError("groups must be integer codes")
    g = g.astype(np.int64, copy=False)
    c = c.astype(np.int64, copy=False)
    if g.size and (g.min() < 0 or g.max() >= n_groups):
        raise ValueError(f"group codes must lie in 0..{n_groups - 1}")
    keep = ~np.isnan(s)
    if not keep.all():
        s, g, c = s[keep], g[keep], c[keep]
    if s.size and (s.min() < 0.0 or s.max() > 1.0):
        raise ValueError("correctness scores must lie in 0..1 (the rubric's option scores)")
    return s, g, c


def _case_cells(
    s: NDArray[np.float64], g: NDArray[np.int64], c: NDArray[np.int64], n_groups: int
) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.int64]]:
    """Sum of scores, number of ratings and group of every (group, case) cell present,
    sorted by group (then case), so that each group's cells are one contiguous run."""
    if s.size == 0:
        return np.zeros(0), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    c_min, c_max = int(c.min()), int(c.max())
    span = c_max - c_min + 1
    if fits_bins(n_groups * span, s.size):
        # Case ids are compact (the usual database ids): bins instead of a sort.
        key = g * span + (c - c_min)
        counts = np.bincount(key)
        sums = np.bincount(key, weights=s).astype(np.float64, copy=False)
        present = np.flatnonzero(counts)
        return sums[present], counts[present].astype(np.int64), (present // span).astype(np.int64)
    _, case_code = np.unique(c, return_inverse=True)
    span = int(case_code.max()) + 1
    cells, cell_of = np.unique(g * span + case_code, return_inverse=True)
    sums = np.bincount(cell_of, weights=s).astype(np.float64, copy=False)
    counts = np.bincount(cell_of).astype(np.int64)
    return sums, counts, (cells // span).astype(np.int64)


def _flat_groups(case_mean: NDArray[np.float64], n_cases: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Whether every case of a group has the same mean score (True for empty groups)."""
    flat = np.ones(n_cases.size, dtype=bool)
    filled = np.flatnonzero(n_cases)
    if filled.size == 0:
        return flat
    starts = np.concatenate([[0], np.cumsum(n_cases)[:-1]])[filled]
    spread = np.maximum.reduceat(case_mean, starts) - np.minimum.reduceat(case_mean, starts)
    flat[filled] = spread <= 10.0**-_PATTERN_DECIMALS
    return flat


def _bootstrap_bounds(
    cell_sum: NDArray[np.float64],
    cell_n: NDArray[np.int64],
    cell_group: NDArray[np.int64],
    wanted: NDArray[np.bool_],
    rounds: int,
    seed: int,
    confidence: float,
) -> dict[int, tuple[float | None, float | None]]:
    """Percentile bounds of the case bootstrap for the groups marked ``wanted``."""
    pick = wanted[cell_group]
    if not pick.any():
        return {}
    sums = np.round(cell_sum[pick], _PATTERN_DECIMALS)
    n, grp = cell_n[pick], cell_group[pick]
    # Distinct (group, sum, count) patterns, sorted by group, then sum, then count: a group's
    # patterns come out in the same order whether or not other groups are present.
    sum_values, sum_code = np.unique(sums, return_inverse=True)
    width = int(n.max()) + 1
    key = (grp * sum_values.size + sum_code) * width + n
    keys, multiplicity = np.unique(key, return_counts=True)
    p_n = keys % width
    p_sum = sum_values[(keys // width) % sum_values.size]
    p_group = keys // width // sum_values.size
    starts = np.flatnonzero(np.r_[True, p_group[1:] != p_group[:-1]])
    ends = np.r_[starts[1:], p_group.size]
    replicates = np.empty((starts.size, rounds))
    for row, (a, b) in enumerate(zip(starts, ends, strict=True)):
        draws = multinomial_counts(multiplicity[a:b], rounds, seed)
        replicates[row] = (draws @ p_sum[a:b]) / (draws @ p_n[a:b].astype(np.float64))
    names = [int(p_group[a]) for a in starts]
    if rounds == 0 or not np.isfinite(replicates).all():
        return {
            k: percentile_interval(r, confidence) for k, r in zip(names, replicates, strict=True)
        }
    # Every draw holds at least one case, so every replicate is finite: one quantile call
    # for all groups gives what percentile_interval gives group by group.
    alpha = (1.0 - confidence) / 2.0
    low, high = np.quantile(replicates, [alpha, 1.0 - alpha], axis=1)
    return {k: (float(lo), float(hi)) for k, lo, hi in zip(names, low, high, strict=True)}
