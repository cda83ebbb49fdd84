"""Cross-lingual and sample consistency (DESIGN §4).

Cross-lingual: on parallel case groups (the same clinical question in several languages),
does a model get the same verdict in each language? The verdict is a label per case group
and language: judged correct (0/1, e.g. the clinicians' ``judges.consensus``) or the answer
option chosen (a letter as a code). Sample consistency: with several samples of a model's
answer to the same case, do clinicians judge the samples alike?

Labels are category codes 0..k-1 stored as float, NaN where missing. Shares come with a
Wilson interval (or a bootstrap over units, where a unit contributes several pairs), Cohen's
kappa with a percentile bootstrap over case groups. The confusion-table helpers here are
shared with ``judges``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from medeval_ui.stats.agreement_coefficients import landis_koch
from medeval_ui.stats.cohen import cohen_kappa
from medeval_ui.stats.correctness import MIN_CASES, ratio_replicates
from medeval_ui.stats.estimate import Estimate, finite_or_none, undefined
from medeval_ui.stats.intervals import normal_quantile, wilson_interval
from medeval_ui.stats.resample import (
    DEFAULT_ROUNDS,
    DEFAULT_SEED,
    multinomial_counts,
    percentile_interval,
)

__all__ = [
    "KAPPA_SAME_LABEL",
    "all_languages_agree",
    "code_count",
    "confusion_tables",
    "crosslingual_agreement",
    "kappa_estimate",
    "kappa_of_tables",
    "landis_koch",
    "paired_codes",
    "sample_consistency",
]

KAPPA_SAME_LABEL = (
    "kappa undefined: every group has the same label in both languages (agreement 100%)"
)
NO_PAIRED_GROUPS = "no case group has a label in both languages"
NO_MULTILINGUAL_GROUPS = "no case group has labels in two or more languages"
FEWER_THAN_TWO_SAMPLES = (
    "fewer than 2 judged samples in every unit: sample consistency needs two samples of one case"
)
WILSON = "Wilson interval"
UNIT_BOOTSTRAP = "bootstrap over units"
FLAT_UNITS = "Wilson interval over units (every unit has the same share)"


def crosslingual_agreement(
    pivot: ArrayLike,
    other: ArrayLike,
    *,
    n_categories: int | None = None,
    rounds: int = DEFAULT_ROUNDS,
    seed: int = DEFAULT_SEED,
    confidence: float = 0.95,
) -> tuple[Estimate, Estimate]:
    """Agreement of one model's labels between the pivot language and another language.

    ``pivot`` and ``other`` are aligned per case group. Returns ``(agreement, kappa)``:
    ``agreement`` is the share of groups with the same label in both languages (Wilson
    interval), ``kappa`` Cohen's kappa, the same agreement corrected for what the two
    languages' label frequencies give by chance (percentile bootstrap over groups; ``label``
    reads it on the Landis and Koch scale). ``n`` is the number of groups, ``n_obs`` the
    labels (two per group). ``small`` marks fewer than ``MIN_CASES`` groups.

    Edges: groups missing a label on either side are dropped; none left gives two undefined
    estimates; kappa is undefined when every group has one and the same label in both
    languages (agreement is then 100%, but chance alone would give that). Raises
    ``ValueError`` for arrays of different lengths or labels that are not codes 0..k-1.
    """
    normal_quantile(confidence)  # raises ValueError unless 0 < confidence < 1
    a, b = paired_codes(pivot, other, n_categories)
    n = a.size
    if n == 0:
        none = undefined(NO_PAIRED_GROUPS)
        return none, none
    same = int(np.count_nonzero(a == b))
    lower, upper = wilson_interval(same, n, confidence)
    agreement = Estimate(
        same / n, lower, upper, n=n, n_obs=2 * n, small=n < MIN_CASES, label=WILSON
    )
    kappa = kappa_estimate(
        a,
        b,
        n_categories=n_categories,
        rounds=rounds,
        seed=seed,
        confidence=confidence,
        same_label_reason=KAPPA_SAME_LABEL,
    )
    return agreement, kappa


def all_languages_agree(labels: ArrayLike, *, confidence: float = 0.95) -> Estimate:
    """Share of case groups where every language present gives the same label.

    ``labels`` is groups x languages (NaN where a language has no label for that group).
    Only groups with labels in at least two languages count. How to read it: 0.7 means
    that in 70% of the questions the model's verdict did not depend on the language; it
    falls as languages are added, so compare it across models on the same languages.
    ``n`` is the number of groups counted, ``n_obs`` their labels; Wilson interval.

    Edges: no group with two languages gives an undefined estimate. Raises ``ValueError``
    unless ``labels`` is 2-D with codes 0..k-1.
    """
    grid = _code_grid(labels)
    present = ~np.isnan(grid)
    used = present.sum(axis=1) >= 2
    n = int(used.sum())
    if n == 0:
        return undefined(NO_MULTILINGUAL_GROUPS)
    rows = grid[used]
    agree = int(np.count_nonzero(np.nanmax(rows, axis=1) == np.nanmin(rows, axis=1)))
    lower, upper = wilson_interval(agree, n, confidence)
    return Estimate(
        agree / n,
        lower,
        upper,
        n=n,
        n_obs=int(present[used].sum()),
        small=n < MIN_CASES,
        label=WILSON,
    )


def sample_consistency(
    labels: ArrayLike,
    *,
    rounds: int = DEFAULT_ROUNDS,
    seed: int = DEFAULT_SEED,
    confidence: float = 0.95,
) -> Estimate:
    """Share of pairs of samples (of the same case, model and language) given the same label.

    ``labels`` is units x samples, NaN where a sample has no label. Within a unit with m
    labelled samples there are m(m-1)/2 pairs; the value is the agreeing pairs over all
    pairs of all units with m >= 2 (with the same m everywhere this is the mean of the
    units' shares). The interval is a percentile bootstrap over units; when every unit has
    the same share (all fully consistent, say) it would be a point, so the Wilson interval
    over units is given instead. ``n`` is the number of units counted, ``n_obs`` their
    labels.

    Edges: no unit with two labelled samples gives an undefined estimate. Raises
    ``ValueError`` unless ``labels`` is 2-D with codes 0..k-1.
    """
    normal_quantile(confidence)  # raises ValueError unless 0 < confidence < 1
    grid = _code_grid(labels)
    present = ~np.isnan(grid)
    m = present.sum(axis=1)
    used = m >= 2
    units = int(used.sum())
    if units == 0:
        return undefined(FEWER_THAN_TWO_SAMPLES)
    rows = grid[used]
    unit, sample = np.nonzero(~np.isnan(rows))
    k = int(np.nanmax(rows)) + 1
    per_label = np.bincount(
        unit * k + rows[unit, sample].astype(np.int64), minlength=units * k
    ).reshape(units, k)
    agree = (per_label * (per_label - 1) // 2).sum(axis=1).astype(np.float64)
    pairs = (m[used] * (m[used] - 1) // 2).astype(np.float64)
    value = float(agree.sum() / pairs.sum())
    bounds: tuple[float | None, float | None]
    if np.ptp(agree / pairs) <= 1e-12:
        bounds, label = wilson_interval(value * units, units, confidence), FLAT_UNITS
    else:
        replicates = ratio_replicates(agree, pairs, rounds=rounds, seed=seed)
        bounds, label = percentile_interval(replicates, confidence), UNIT_BOOTSTRAP
    lower, upper = bounds
    return Estimate(
        value,
        finite_or_none(lower),
        finite_or_none(upper),
        n=units,
        n_obs=int(m[used].sum()),
        small=units < MIN_CASES,
        label=label,
    )


def paired_codes(
    a: ArrayLike, b: ArrayLike, n_categories: int | None = None
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Two aligned label arrays as int codes, pairs with a NaN on either side dropped.

    Raises ``ValueError`` for different lengths, or labels that are not integers
    0..n_categories-1.
    """
    x = np.asarray(a, dtype=np.float64).reshape(-1)
    y = np.asarray(b, dtype=np.float64).reshape(-1)
    if x.shape != y.shape:
        raise ValueError(f"the two label arrays must be aligned (got {x.size} and {y.size})")
    keep = ~(np.isnan(x) | np.isnan(y))
    x, y = x[keep], y[keep]
    _check_codes(np.concatenate([x, y]), n_categories)
    return x.astype(np.int64), y.astype(np.int64)


def confusion_tables(
    a: NDArray[np.int64],
    b: NDArray[np.int64],
    k: int,
    *,
    rounds: int = DEFAULT_ROUNDS,
    seed: int = DEFAULT_SEED,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The k x k table of pair counts (rows ``a``, columns ``b``) and ``rounds`` bootstrap
    tables (rounds x k x k) from resampling the pairs: drawn by counts of distinct cells."""
    cells = a * k + b
    observed = np.bincount(cells, minlength=k * k).astype(np.float64)
    filled = np.flatnonzero(observed)
    draws = multinomial_counts(observed[filled].astype(np.int64), rounds, seed)
    tables = np.zeros((rounds, k * k))
    tables[:, filled] = draws
    return observed.reshape(k, k), tables.reshape(rounds, k, k)


def kappa_of_tables(tables: NDArray[np.float64]) -> NDArray[np.float64]:
    """Unweighted Cohen's kappa of each k x k count table (last two axes); NaN where it is
    undefined (no pairs, or chance agreement already 1)."""
    n = tables.sum(axis=(-2, -1))
    with np.errstate(invalid="ignore", divide="ignore"):
        observed = np.trace(tables, axis1=-2, axis2=-1) / n
        chance = (tables.sum(axis=-1) * tables.sum(axis=-2)).sum(axis=-1) / (n * n)
        kappa = (observed - chance) / (1.0 - chance)
    return np.where((n > 0) & (1.0 - chance > 1e-15), kappa, np.nan)


def kappa_estimate(
    a: NDArray[np.int64],
    b: NDArray[np.int64],
    *,
    n_categories: int | None,
    rounds: int,
    seed: int,
    confidence: float,
    same_label_reason: str,
    tables: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None,
) -> Estimate:
    """Cohen's kappa of paired codes with a percentile bootstrap over pairs.

    ``same_label_reason`` is shown when kappa is undefined (both sides one label
    throughout); ``tables`` reuses ``confusion_tables`` a caller already drew. Bounds are
    None when most resampled rounds leave kappa undefined.
    """
    n = int(a.size)
    value = cohen_kappa(a, b, n_categories=n_categories) if n else None
    if value is None:
        return undefined(same_label_reason, n=n, n_obs=2 * n, small=n < MIN_CASES)
    k = code_count(a, b, n_categories)
    _, boot = tables or confusion_tables(a, b, k, rounds=rounds, seed=seed)
    lower, upper = percentile_interval(kappa_of_tables(boot), confidence)
    return Estimate(
        finite_or_none(value),
        finite_or_none(lower),
        finite_or_none(upper),
        n=n,
        n_obs=2 * n,
        small=n < MIN_CASES,
        label=landis_koch(value),
    )


def code_count(a: NDArray[np.int64], b: NDArray[np.int64], n_categories: int | None) -> int:
    """The number of categories k: ``n_categories`` when given, else the largest code + 1."""
    if n_categories:
        return int(n_categories)
    return int(max(a.max(initial=0), b.max(initial=0))) + 1


def _code_grid(labels: ArrayLike) -> NDArray[np.float64]:
    grid = np.asarray(labels, dtype=np.float64)
    if grid.ndim != 2:
        raise ValueError("labels must be a 2-D array (units x languages or samples)")
    _check_codes(grid[~np.isnan(grid)], None)
    return grid


def _check_codes(values: NDArray[np.float64], n_categories: int | None) -> None:
    if values.size == 0:
        return
    bad = (values < 0) | (values != np.floor(values)) | ~np.isfinite(values)
    if n_categories:
        bad |= values >= n_categories
    if bad.any():
        limit = f"0..{n_categories - 1}" if n_categories else "0..k-1"
        raise ValueError(f"labels must be category codes {limit} (NaN for missing)")
