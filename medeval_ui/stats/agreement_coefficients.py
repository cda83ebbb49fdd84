"""Inter-rater agreement coefficients, each one a ratio of sums over items (DESIGN §4).

Every coefficient here depends on the ratings only through per-item quantities that are
summed over items. So each is written once, "over rounds": it takes the distinct item
patterns (rows of a count table) and a (rounds x patterns) matrix of how many items of each
pattern a round holds, and returns one value per round (NaN where a round leaves it
undefined). The point estimate is the single round that holds the observed counts; a
bootstrap round is a multinomial redraw of those counts (``agreement_bootstrap``). The
public functions return a float, or None where the coefficient is undefined.

Missing ratings: an item rated by ``n_i`` clinicians enters each coefficient as the
standard generalization says (cited in each docstring); an item with a single rating
carries no agreement information and never counts as an agreeing or disagreeing item.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from medeval_ui.stats.agreement_bootstrap import (
    FloatArray,
    PairCells,
    code_index,
    count_patterns,
    interval_features,
    tally_codes,
    weighted_sums,
)

Level = Literal["nominal", "ordinal", "interval"]


def count_table(codes: NDArray[np.float64], n_categories: int) -> NDArray[np.int64]:
    """Items x categories: how many raters put each item in each category.

    ``codes`` is items x raters, category codes 0..``n_categories``-1 (in scale order for
    an ordinal question), NaN where a rater did not rate the item. Raises ``ValueError``
    for a code that is not a whole number in range. Edges: no items gives a 0 x k table.
    """
    data = np.asarray(codes, dtype=np.float64)
    if data.ndim != 2:
        raise ValueError("codes must be a 2-D array (items x raters)")
    k = int(n_categories)
    if k < 1:
        raise ValueError(f"n_categories must be at least 1, got {n_categories}")
    return tally_codes(code_index(data, k), k).astype(np.int64)


def _ratio(num: FloatArray, den: FloatArray, tol: float = 0.0) -> FloatArray:
    """num / den, NaN where |den| <= tol: an undefined round (0/0), not an error."""
    ok = np.abs(den) > tol
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ok, num / np.where(ok, den, 1.0), np.nan)


# 1 - pe below this is rounding noise around pe = 1 (a single category): 0/0.
_UNIT_TOL = 1e-12


def percent_rounds(w: FloatArray, rows: FloatArray) -> FloatArray:
    """Percent agreement per round: the mean over items with n_i >= 2 of
    sum_k c_ik (c_ik - 1) / (n_i (n_i - 1)), the share of agreeing ordered rater pairs."""
    m = rows.sum(axis=1)
    pairable = m >= 2
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(pairable, (rows * (rows - 1)).sum(axis=1) / (m * (m - 1)), 0.0)
    return _ratio(w @ share, w @ pairable.astype(np.float64))


def _class_shares(w: FloatArray, rows: FloatArray) -> FloatArray:
    """Gwet's pi_k per round: the mean over rated items of c_ik / n_i (rounds x k)."""
    m = rows.sum(axis=1)
    return _ratio(weighted_sums(w, rows / m[:, None]), w.sum(axis=1)[:, None])


def fleiss_rounds(w: FloatArray, rows: FloatArray) -> FloatArray:
    """Fleiss' kappa per round, pe = sum_k pi_k^2 (Gwet 2014; irrCAC fleiss.kappa.raw)."""
    pi = _class_shares(w, rows)
    pe = (pi**2).sum(axis=1)
    return _ratio(percent_rounds(w, rows) - pe, 1.0 - pe, _UNIT_TOL)


def gwet_rounds(w: FloatArray, rows: FloatArray) -> FloatArray:
    """Gwet's AC1 per round, pe = sum_k pi_k (1 - pi_k) / (q - 1) with q = the number of
    columns (Gwet 2014; irrCAC gwet.ac1.raw). NaN for every round when q < 2."""
    q = rows.shape[1]
    if q < 2:
        return np.full(w.shape[0], np.nan)
    pi = _class_shares(w, rows)
    pe = (pi * (1.0 - pi)).sum(axis=1) / (q - 1)
    return _ratio(percent_rounds(w, rows) - pe, 1.0 - pe, _UNIT_TOL)


def randolph_rounds(w: FloatArray, rows: FloatArray, n_categories: int) -> FloatArray:
    """Randolph's free-marginal kappa per round: (pa - 1/q) / (1 - 1/q)."""
    if n_categories < 2:
        return np.full(w.shape[0], np.nan)
    chance = 1.0 / n_categories
    return (percent_rounds(w, rows) - chance) / (1.0 - chance)


def _coincidences(w: FloatArray, rows: FloatArray) -> FloatArray:
    """Krippendorff's coincidence matrix per round (rounds x k x k): o_ck sums, over items
    with n_i >= 2, (c_ic c_ik - [c = k] c_ic) / (n_i - 1)."""
    m = rows.sum(axis=1)
    k = rows.shape[1]
    scale = np.where(m >= 2, 1.0 / np.maximum(m - 1, 1), 0.0)
    per_item = rows[:, :, None] * rows[:, None, :]
    per_item[:, np.arange(k), np.arange(k)] -= rows
    per_item *= scale[:, None, None]
    return weighted_sums(w, per_item.reshape(len(rows), k * k)).reshape(w.shape[0], k, k)


def alpha_rounds(w: FloatArray, rows: FloatArray, level: Level) -> FloatArray:
    """Krippendorff's alpha per round, nominal or ordinal, from the coincidence matrix:
    1 - (n - 1) sum o_ck d_ck / sum n_c n_k d_ck (Krippendorff 2011, "Computing
    Krippendorff's alpha-reliability"). Ordinal d_ck = (sum_{g=c..k} n_g - (n_c + n_k)/2)^2
    uses the marginals of each round, so it is recomputed per round."""
    if level == "nominal":
        # d_ck = [c != k]: the sums reduce to per-item disagreeing pairs and the marginals.
        m = rows.sum(axis=1)
        pairable = m >= 2
        with np.errstate(divide="ignore", invalid="ignore"):
            pairs = np.where(pairable, (m**2 - (rows**2).sum(axis=1)) / (m - 1), 0.0)
        nc = weighted_sums(w, rows * pairable[:, None])
        n = nc.sum(axis=1)
        observed = w @ pairs
        expected = n**2 - (nc**2).sum(axis=1)
        return 1.0 - _ratio((n - 1.0) * observed, expected)
    if level != "ordinal":
        raise ValueError(f"alpha_rounds takes 'nominal' or 'ordinal', got {level!r}")
    o = _coincidences(w, rows)
    m = rows.sum(axis=1)
    nc = weighted_sums(w, rows * (m >= 2)[:, None])  # exact integers, unlike o's row sums
    n = nc.sum(axis=1)
    # d_ck = (mid_k - mid_c)^2 with mid_c = n_1 + ... + n_c - n_c / 2, the category's
    # mid-rank: the same as Krippendorff's (sum_{g=c..k} n_g - (n_c + n_k)/2)^2 for c <= k.
    # Centred on n/2, mid-ranks stay exact half-integers: one category gives exactly 0.
    mid = np.cumsum(nc, axis=1) - nc / 2.0 - n[:, None] / 2.0
    d = (mid[:, :, None] - mid[:, None, :]) ** 2
    observed = (o * d).sum(axis=(1, 2))
    # sum_ck n_c n_k (mid_c - mid_k)^2, expanded: 2 (n sum n_c mid_c^2 - (sum n_c mid_c)^2)
    expected = 2.0 * (n * (nc * mid**2).sum(axis=1) - (nc * mid).sum(axis=1) ** 2)
    return 1.0 - _ratio((n - 1.0) * observed, expected)


def interval_rounds(w: FloatArray, features: FloatArray) -> FloatArray:
    """Krippendorff's interval alpha per round, d = (v - v')^2:
    1 - (n - 1) sum_u D_u / (2 (n T2 - T1^2)), T = sums of the pairable values."""
    n, t1, t2, observed = weighted_sums(w, features).T
    expected = 2.0 * (n * t2 - t1**2)
    # Below this the total spread is rounding noise: every value is the same.
    expected = np.where(expected > 1e-12 * np.maximum(n * t2, 1e-300), expected, 0.0)
    return 1.0 - _ratio((n - 1.0) * observed, expected)


def cohen_rounds(w: FloatArray, cells: PairCells, disagreement: FloatArray) -> FloatArray:
    """Cohen's kappa per round, 1 - sum(D * observed) / sum(D * expected), where expected is
    the outer product of the two raters' marginals and D the disagreement weights (0 on the
    diagonal; Cohen 1968 for the weighted form). NaN in a round where chance disagreement
    is 0 (both raters used one and the same category) or no item was answered by both."""
    table = cells.tables(w)
    total = table.sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = (table * disagreement).sum(axis=(1, 2)) / total
        rows = table.sum(axis=2) / total[:, None]
        cols = table.sum(axis=1) / total[:, None]
    chance = np.einsum("ri,rj,ij->r", rows, cols, disagreement)
    # Relative to the largest weight, so that number scales in any unit behave alike.
    return 1.0 - _ratio(observed, chance, _UNIT_TOL * float(disagreement.max(initial=0.0)))


def disagreement_weights(points: FloatArray, weights: str | None) -> FloatArray:
    """Cohen's disagreement matrix between categories placed at ``points`` on the scale
    (their codes for an ordinal question, their values for a number): 1 off the diagonal
    unweighted, |x - y| linear, (x - y)^2 quadratic."""
    diff = points[:, None] - points[None, :]
    if weights is None:
        return (diff != 0).astype(np.float64)
    if weights == "linear":
        return np.abs(diff)
    if weights == "quadratic":
        return diff**2
    raise ValueError(f"weights must be None, 'linear' or 'quadratic', got {weights!r}")


def _scalar(rounds: FloatArray) -> float | None:
    value = float(rounds[0]) if rounds.size else math.nan
    return value if math.isfinite(value) else None


def percent_agreement(counts: ArrayLike) -> float | None:
    """Share of agreeing rater pairs, 0..1: the mean over items rated by n_i >= 2 of
    sum_k c_ik (c_ik - 1) / (n_i (n_i - 1)) (Gwet 2014; Fleiss 1971's P-bar).

    Read 0.8 as "two clinicians picked at random on an item chose the same answer 80% of
    the time"; it is not corrected for chance. Edges: None when no item has 2 ratings.
    """
    p = count_patterns(counts)
    return _scalar(percent_rounds(p.observed, p.rows))


def fleiss_kappa(counts: ArrayLike) -> float | None:
    """Fleiss' kappa of a count table (items x categories), missing ratings allowed.

    (pa - pe) / (1 - pe) with pa the percent agreement and pe = sum_k pi_k^2, pi_k the mean
    over rated items of c_ik / n_i (Gwet, Handbook of Inter-Rater Reliability, 4th ed. 2014;
    irrCAC fleiss.kappa.raw). With every item rated by the same number of raters this is
    Fleiss (1971). Read it on the Landis and Koch scale. Edges: None when no item has 2
    ratings or when every rating is the same category (pe = 1: 0/0).
    """
    p = count_patterns(counts)
    return _scalar(fleiss_rounds(p.observed, p.rows))


def randolph_kappa(counts: ArrayLike, n_categories: int) -> float | None:
    """Randolph's free-marginal multirater kappa: (pa - 1/q) / (1 - 1/q), q =
    ``n_categories``, the question's number of answer options (used or not).

    Chance agreement assumes raters pick any option equally often, so unlike Fleiss' kappa
    it does not collapse when one answer dominates. Edges: None when no item has 2 ratings
    or when q < 2.
    """
    p = count_patterns(counts)
    return _scalar(randolph_rounds(p.observed, p.rows, int(n_categories)))


def gwet_ac1(counts: ArrayLike) -> float | None:
    """Gwet's AC1: (pa - pe) / (1 - pe), pe = sum_k pi_k (1 - pi_k) / (q - 1), q = the
    table's number of columns (the question's categories), pi_k as in Fleiss' kappa
    (Gwet 2014; irrCAC gwet.ac1.raw).

    Stays stable when one answer dominates (e.g. "no harm"), where kappa and alpha drop
    towards 0 despite high raw agreement; it is 1 when every rating is the same. Edges: None
    when no item has 2 ratings or the table has fewer than 2 columns.
    """
    p = count_patterns(counts)
    return _scalar(gwet_rounds(p.observed, p.rows))


def krippendorff_alpha(data: ArrayLike, level: Level) -> float | None:
    """Krippendorff's alpha, 1 - observed / expected disagreement (Krippendorff 2011).

    ``data``: for "nominal" and "ordinal" a count table (items x categories, categories in
    scale order); for "interval" an items x raters matrix of numbers, NaN missing. Items with
    a single rating do not count (they form no pair). 1 is perfect agreement, 0 chance level;
    below 0.667 is commonly read as too unreliable to draw conclusions from. Edges: None
    when no item has 2 ratings or when every pairable rating is the same (no disagreement
    is expected: 0/0).
    """
    if level == "interval":
        values = np.asarray(data, dtype=np.float64)
        if values.ndim != 2:
            raise ValueError("interval alpha takes an items x raters matrix of values")
        if np.any(np.isinf(values)):
            raise ValueError("interval values must be finite numbers (NaN for missing)")
        features = interval_features(values)
        return _scalar(interval_rounds(np.ones((1, len(features))), features))
    if level not in ("nominal", "ordinal"):
        raise ValueError(f"level must be nominal, ordinal or interval, got {level!r}")
    p = count_patterns(data)
    return _scalar(alpha_rounds(p.observed, p.rows, level))


def landis_koch(value: float) -> str:
    """Landis and Koch (1977)'s words for a kappa-type coefficient: poor (< 0), slight
    (0-0.20), fair (0.21-0.40), moderate (0.41-0.60), substantial (0.61-0.80), almost
    perfect (0.81-1). Bands include their upper bound. A reading aid, not a test. Rounded
    to 9 decimals first, so float noise around 0 or 0.2 does not change the word. Raises
    ValueError for NaN/inf."""
    if not math.isfinite(value):
        raise ValueError("landis_koch needs a finite value")
    value = round(value, 9)
    if value < 0:
        return "poor"
    for bound, word in ((0.2, "slight"), (0.4, "fair"), (0.6, "moderate"), (0.8, "substantial")):
        if value <= bound:
            return word
    return "almost perfect"
