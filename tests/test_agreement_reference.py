"""Agreement coefficients against published reference values and reference packages.

DESIGN §4's worked example must come out to 5 decimals. On random rating matrices (with
missing ratings) every coefficient must match, to 1e-9, a reference: the ``krippendorff``
package for alpha, statsmodels for Fleiss' and Randolph's kappa on complete matrices,
scikit-learn for Cohen's kappa, and, for the missing-data generalizations of Fleiss' kappa,
percent agreement and Gwet's AC1 (irrCAC cannot be installed beside this project's pins:
it requires scipy==1.12 and pandas<3), a plain per-item loop over Gwet's formulas written
here independently of the vectorized code.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from medeval_ui.stats.agreement import (
    agreement_table,
    count_table,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    randolph_kappa,
)
from medeval_ui.stats.cohen import cohen_kappa

DESIGN_ROWS = np.array(
    [[0, 0, 0], [1, 1, 0], [2, 2, 2], [0, 1, 0], [1, 1, 1], [2, 1, 2]], dtype=np.float64
)
SETTINGS = settings(max_examples=150, deadline=None)


@st.composite
def _shape(
    draw: st.DrawFn, missing: bool, max_raters: int
) -> tuple[np.random.Generator, int, int, float, float]:
    """Matrix size, seed and shape of the data. Drawing cells one by one through hypothesis
    costs 20 ms an example; a seeded generator keeps examples cheap, and hypothesis still
    steers the sizes, the share missing and how much one answer dominates."""
    n = draw(st.integers(1, 25))
    r = draw(st.integers(2, max_raters))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    p_missing = draw(st.sampled_from([0.0, 0.15, 0.4, 0.7])) if missing else 0.0
    dominant = draw(st.sampled_from([0.0, 0.5, 0.9]))  # share of cells forced to one answer
    return rng, n, r, p_missing, dominant


def _fill(x: np.ndarray, rng: np.random.Generator, p_missing: float, dominant: float):
    x[rng.random(x.shape) < dominant] = x.flat[0]
    x[rng.random(x.shape) < p_missing] = math.nan
    return x


@st.composite
def coded(draw: st.DrawFn, missing: bool = True, max_raters: int = 6):
    """(items x raters codes with NaN missing, number of categories)."""
    k = draw(st.integers(2, 5))
    rng, n, r, p_missing, dominant = draw(_shape(missing, max_raters))
    return _fill(rng.integers(0, k, (n, r)).astype(np.float64), rng, p_missing, dominant), k


@st.composite
def numbers(draw: st.DrawFn):
    """Items x raters numbers on a quarter grid (NaN missing): often > 20 distinct values."""
    rng, n, r, p_missing, dominant = draw(_shape(True, 6))
    return _fill(rng.integers(-60, 61, (n, r)) / 4.0, rng, p_missing, dominant)


def _krippendorff(x: np.ndarray, level: str, k: int | None = None) -> float | None:
    """The package's alpha, None where it is undefined (NaN, or no pairable unit)."""
    domain = list(range(k)) if k else None
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            value = krippendorff.alpha(
                reliability_data=x.T, level_of_measurement=level, value_domain=domain
            )
    except ValueError:  # "at least one unit with values assigned by at least two coders"
        return None
    return None if math.isnan(value) else float(value)


def _same(ours: float | None, reference: float | None) -> None:
    if reference is None:
        assert ours is None
    else:
        assert ours is not None and ours == pytest.approx(reference, abs=1e-9)


def _plain_gwet(x: np.ndarray, q: int) -> tuple[float | None, float | None, float | None]:
    """Percent agreement, Fleiss' kappa and Gwet's AC1 with missing ratings, one item at a
    time (Gwet 2014; irrCAC fleiss.kappa.raw / gwet.ac1.raw): pa over items with >= 2
    ratings, pi_k = mean over rated items of r_ik / r_i."""
    items = [[int(v) for v in row if not math.isnan(v)] for row in x]
    items = [row for row in items if row]
    pairable = [row for row in items if len(row) >= 2]
    if not pairable:
        return None, None, None
    pa = 0.0
    for row in pairable:
        agree = sum(c * (c - 1) for c in Counter(row).values())
        pa += agree / (len(row) * (len(row) - 1))
    pa /= len(pairable)
    pi = [sum(row.count(k) / len(row) for row in items) / len(items) for k in range(q)]
    pe_fleiss = sum(p * p for p in pi)
    pe_gwet = sum(p * (1 - p) for p in pi) / (q - 1)
    fleiss = None if abs(1 - pe_fleiss) < 1e-12 else (pa - pe_fleiss) / (1 - pe_fleiss)
    return pa, fleiss, (pa - pe_gwet) / (1 - pe_gwet)


def test_design_reference_values() -> None:
    table = count_table(DESIGN_ROWS, 3)
    assert round(fleiss_kappa(table) or 0, 5) == 0.49533
    assert round(randolph_kappa(table, 3) or 0, 5) == 0.50000
    assert round(krippendorff_alpha(table, "nominal") or 0, 5) == 0.52336
    assert round(krippendorff_alpha(table, "ordinal") or 0, 5) == 0.73472
    assert round(gwet_ac1(table) or 0, 5) == 0.50230
    first, second = DESIGN_ROWS[:, 0], DESIGN_ROWS[:, 1]
    assert round(cohen_kappa(first, second, n_categories=3) or 0, 5) == 0.5
    assert round(cohen_kappa(first, second, n_categories=3, weights="quadratic") or 0, 5) == (
        0.66667
    )


def test_design_reference_values_through_the_table() -> None:
    three = {
        r.statistic: r.estimate
        for r in agreement_table(DESIGN_ROWS, level="ordinal", n_categories=3, rounds=0)
    }
    assert {s: round(three[s].value or 0, 5) for s in three if three[s].defined} == {
        "percent_agreement": 0.66667,
        "krippendorff_alpha": 0.73472,
        "fleiss_kappa": 0.49533,
        "randolph_kappa": 0.5,
        "gwet_ac1": 0.5023,
    }
    nominal = agreement_table(DESIGN_ROWS, level="nominal", n_categories=3, rounds=0)
    assert round(nominal[1].estimate.value or 0, 5) == 0.52336
    two = {
        r.statistic: r.estimate
        for r in agreement_table(DESIGN_ROWS[:, :2], level="ordinal", n_categories=3, rounds=0)
    }
    assert round(two["cohen_kappa"].value or 0, 5) == 0.5
    assert round(two["cohen_kappa_quadratic"].value or 0, 5) == 0.66667


@SETTINGS
@given(coded())
def test_alpha_matches_krippendorff_package(case: tuple[np.ndarray, int]) -> None:
    x, k = case
    table = count_table(x, k)
    for level in ("nominal", "ordinal"):
        _same(krippendorff_alpha(table, level), _krippendorff(x, level, k))
    _same(krippendorff_alpha(x, "interval"), _krippendorff(x, "interval"))


@SETTINGS
@given(numbers())
def test_interval_alpha_matches_krippendorff_package_on_many_values(x: np.ndarray) -> None:
    reference = _krippendorff(x, "interval")
    _same(krippendorff_alpha(x, "interval"), reference)
    alpha = agreement_table(x, level="interval", n_categories=None, rounds=0)[1].estimate
    _same(alpha.value, reference if alpha.n >= 2 else None)  # the table wants 2 items


@SETTINGS
@given(coded(missing=False))
def test_fleiss_and_randolph_match_statsmodels_on_complete_matrices(
    case: tuple[np.ndarray, int],
) -> None:
    x, k = case
    table = count_table(x, k)
    assert np.array_equal(table, aggregate_raters(x.astype(int), n_cat=k)[0])
    with np.errstate(all="ignore"):
        reference = sm_fleiss_kappa(table, method="fleiss")
        free = sm_fleiss_kappa(table, method="randolph")
    _same(fleiss_kappa(table), None if math.isnan(reference) else float(reference))
    _same(randolph_kappa(table, k), float(free))


@SETTINGS
@given(coded())
def test_missing_data_generalizations_match_plain_loops(case: tuple[np.ndarray, int]) -> None:
    x, k = case
    table = count_table(x, k)
    pa, fleiss, ac1 = _plain_gwet(x, k)
    _same(percent_agreement(table), pa)
    _same(fleiss_kappa(table), fleiss)
    _same(gwet_ac1(table), ac1)
    _same(randolph_kappa(table, k), None if pa is None else (pa - 1 / k) / (1 - 1 / k))


@SETTINGS
@given(
    coded(max_raters=2),
    st.sampled_from(["cohen_kappa", "cohen_kappa_linear", "cohen_kappa_quadratic"]),
)
def test_cohen_matches_scikit_learn(case: tuple[np.ndarray, int], name: str) -> None:
    x, k = case
    weights = {"cohen_kappa": None, "cohen_kappa_linear": "linear"}.get(name, "quadratic")
    a, b = x[:, 0], x[:, 1]
    both = ~(np.isnan(a) | np.isnan(b))
    ours = cohen_kappa(a, b, n_categories=k, weights=weights)
    if not both.any():
        assert ours is None
        return
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # sklearn warns where kappa is undefined (NaN)
        reference = cohen_kappa_score(
            a[both].astype(int), b[both].astype(int), labels=list(range(k)), weights=weights
        )
    expected = None if math.isnan(reference) else float(reference)
    _same(ours, expected)
    rows = agreement_table(x, level="ordinal", n_categories=k, rounds=0)
    estimate = {r.statistic: r.estimate for r in rows}[name]
    _same(estimate.value, expected if both.sum() >= 2 else None)  # the table wants 2 items
