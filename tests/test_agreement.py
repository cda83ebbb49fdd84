"""The agreement table: edge cases, reasons, sizes and the pattern bootstrap.

Values against references live in test_agreement_reference.py; here: what a dashboard can
rely on (one row per statistic, never a NaN, a reason wherever a value is missing), and that
the fast bootstrap (multinomial redraws of item patterns) is the item bootstrap.
"""

from __future__ import annotations

import math
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medeval_ui.stats.agreement import (
    AGREEMENT_STATISTICS,
    MIN_ITEMS,
    NEEDS_ITEMS,
    WEIGHTS_NOMINAL,
    AgreementRow,
    agreement_table,
    count_table,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    landis_koch,
    percent_agreement,
    randolph_kappa,
)
from medeval_ui.stats.agreement_bootstrap import (
    code_index,
    code_patterns,
    draws,
    row_sum,
    weighted_sums,
)
from medeval_ui.stats.agreement_coefficients import alpha_rounds, fleiss_rounds, gwet_rounds
from medeval_ui.stats.cohen import cohen_kappa
from medeval_ui.stats.resample import multinomial_counts

NAN = math.nan


def _table(codes: np.ndarray, **kwargs: object) -> dict[str, AgreementRow]:
    options: dict = {"level": "ordinal", "n_categories": 3, "rounds": 200} | kwargs
    rows = agreement_table(codes, **options)
    assert [r.statistic for r in rows] == list(AGREEMENT_STATISTICS)
    _assert_clean(rows)
    return {r.statistic: r for r in rows}


def _assert_clean(rows: list[AgreementRow]) -> None:
    """No NaN anywhere; a reason wherever the value is missing; ordered bounds."""
    for row in rows:
        e = row.estimate
        for field in (e.value, e.lower, e.upper):
            assert field is None or (isinstance(field, float) and math.isfinite(field))
        assert (e.value is None) == bool(e.undefined), row
        assert (e.lower is None) == (e.upper is None)
        if e.lower is not None and e.upper is not None:
            assert e.value is not None and e.lower <= e.upper
        assert e.small == (e.n < MIN_ITEMS)
        assert e.label == (
            "" if e.value is None or row.statistic == "percent_agreement" else landis_koch(e.value)
        )


def _ratings(n: int, raters: int, k: int, seed: int, missing: float = 0.2) -> np.ndarray:
    """Items with a true category, each rater off by one now and then, some missing."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, k, n)
    noise = rng.choice([-1, 0, 0, 0, 1], size=(n, raters))
    codes = np.clip(truth[:, None] + noise, 0, k - 1).astype(np.float64)
    codes[rng.random((n, raters)) < missing] = NAN
    return codes


def test_statistics_in_the_promised_order() -> None:
    assert AGREEMENT_STATISTICS == (
        "percent_agreement",
        "krippendorff_alpha",
        "fleiss_kappa",
        "randolph_kappa",
        "cohen_kappa",
        "cohen_kappa_linear",
        "cohen_kappa_quadratic",
        "gwet_ac1",
    )
    assert MIN_ITEMS == 30


@pytest.mark.parametrize(
    ("codes", "n", "n_obs"),
    [
        (np.zeros((0, 0)), 0, 0),
        (np.zeros((0, 3)), 0, 0),
        (np.full((5, 3), NAN), 0, 0),
        (np.where(np.eye(4, dtype=bool), 1.0, NAN), 0, 0),  # one rater per item
        (np.array([[0.0, 1.0, 1.0]]), 1, 3),  # a single item
        (np.array([[0.0, 1.0, NAN], [2.0, NAN, NAN]]), 1, 2),
    ],
    ids=["empty", "no-items", "all-missing", "one-rater-per-item", "single-item", "one-pair"],
)
@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_too_few_items_is_undefined_everywhere(
    codes: np.ndarray, n: int, n_obs: int, level: str
) -> None:
    rows = _table(codes, level=level)
    for row in rows.values():
        assert row.estimate.undefined == NEEDS_ITEMS
        assert (row.estimate.n, row.estimate.n_obs, row.estimate.small) == (n, n_obs, True)


def test_one_category_only() -> None:
    rows = _table(np.zeros((40, 3)))
    for name in ("percent_agreement", "randolph_kappa", "gwet_ac1"):
        assert rows[name].estimate.value == 1.0
        assert (rows[name].estimate.lower, rows[name].estimate.upper) == (1.0, 1.0)
    for name in ("krippendorff_alpha", "fleiss_kappa"):
        assert rows[name].estimate.undefined == (
            "no variation: every rating is the same category (percent agreement 100%)"
        )
    assert rows["gwet_ac1"].estimate.label == "almost perfect"
    two = _table(np.ones((40, 2)))
    for name in ("cohen_kappa", "cohen_kappa_linear", "cohen_kappa_quadratic"):
        assert two[name].estimate.undefined.startswith("no variation")
    number = _table(np.full((40, 3), 7.5), level="interval", n_categories=None)
    assert number["krippendorff_alpha"].estimate.undefined == (
        "no variation: every rating is the same value (percent agreement 100%)"
    )
    assert number["randolph_kappa"].estimate.undefined.startswith("no variation")  # q = 1


def test_reasons_for_cohen() -> None:
    five = _table(_ratings(50, 5, 3, seed=1, missing=0.0))
    assert five["cohen_kappa"].estimate.undefined == (
        "Cohen's kappa needs exactly two raters; 5 clinicians rated these items "
        "(read Fleiss' kappa or Krippendorff's alpha)"
    )
    nominal = _table(_ratings(50, 2, 3, seed=1), level="nominal")
    assert nominal["cohen_kappa"].estimate.defined
    for name in ("cohen_kappa_linear", "cohen_kappa_quadratic"):
        assert nominal[name].estimate.undefined == WEIGHTS_NOMINAL


def test_cohen_ignores_a_clinician_who_only_rated_alone() -> None:
    codes = np.column_stack([_ratings(50, 2, 3, seed=2, missing=0.0), np.full(50, NAN)])
    codes[0, 2] = 1.0
    codes[1, :] = [NAN, NAN, 2.0]  # the third clinician's other item, rated alone
    rows = _table(codes)
    a, b = codes[:, 0], codes[:, 1]
    assert rows["cohen_kappa"].estimate.value is None  # item 0 has all three
    codes[0, 2] = NAN
    rows = _table(codes)
    assert rows["cohen_kappa"].estimate.value == pytest.approx(cohen_kappa(a, b, n_categories=3))
    assert rows["cohen_kappa"].estimate.n == 49


def test_sizes_count_items_rated_twice_or_more() -> None:
    codes = _ratings(MIN_ITEMS, 3, 4, seed=3, missing=0.0)
    codes[0, 1:] = NAN  # one item with a single rating
    codes[1, 2] = NAN
    rows = _table(codes, n_categories=4)
    estimate = rows["krippendorff_alpha"].estimate
    assert (estimate.n, estimate.n_obs, estimate.small) == (MIN_ITEMS - 1, 3 * MIN_ITEMS - 4, True)
    codes = np.vstack([codes, _ratings(1, 3, 4, seed=4, missing=0.0)])
    assert not _table(codes, n_categories=4)["fleiss_kappa"].estimate.small


def test_unrated_items_and_idle_raters_change_nothing() -> None:
    codes = _ratings(80, 3, 4, seed=5)
    padded = np.full((100, 5), NAN)
    padded[10:90, [0, 2, 3]] = codes
    assert agreement_table(codes, level="ordinal", n_categories=4) == agreement_table(
        padded, level="ordinal", n_categories=4
    )


def test_numbers_with_few_values_are_categories_with_value_distances() -> None:
    values = np.array([1.0, 2.0, 5.0])
    codes = _ratings(60, 2, 3, seed=6)
    numbers = np.where(np.isnan(codes), NAN, values[np.nan_to_num(codes).astype(int)])
    as_numbers = _table(numbers, level="interval", n_categories=None)
    as_codes = _table(codes, level="ordinal", n_categories=3)
    for name in ("percent_agreement", "fleiss_kappa", "randolph_kappa", "gwet_ac1", "cohen_kappa"):
        assert as_numbers[name].estimate.value == pytest.approx(as_codes[name].estimate.value)
    assert as_numbers["krippendorff_alpha"].estimate.value == pytest.approx(
        krippendorff_alpha(numbers, "interval")
    )
    # Linear weights on the values: 1 vs 5 is four times as far as 1 vs 2.
    both = ~np.isnan(numbers).any(axis=1)
    a, b = numbers[both, 0], numbers[both, 1]
    d = np.abs(values[:, None] - values[None, :])
    observed = np.mean(np.abs(a - b))
    chance = sum(
        np.mean(a == x) * np.mean(b == y) * d[i, j]
        for i, x in enumerate(values)
        for j, y in enumerate(values)
    )
    assert as_numbers["cohen_kappa_linear"].estimate.value == pytest.approx(1 - observed / chance)


def test_numbers_with_many_values_keep_only_alpha() -> None:
    rng = np.random.default_rng(7)
    values = np.round(rng.normal(50, 10, (40, 3)), 1)
    rows = _table(values, level="interval", n_categories=None)
    assert rows["krippendorff_alpha"].estimate.defined
    for name in (*AGREEMENT_STATISTICS[2:], "percent_agreement"):
        assert "up to 20 distinct values" in rows[name].estimate.undefined


@pytest.mark.parametrize(
    ("codes", "kwargs", "message"),
    [
        (np.array([[0.0, 1.5]]), {}, "whole numbers 0..2; found 1.5"),
        (np.array([[0.0, 3.0]]), {}, "found 3"),
        (np.array([[-1.0, 0.0]]), {}, "found -1"),
        (np.array([0.0, 1.0]), {}, "2-D"),
        (np.array([[0.0, np.inf]]), {"level": "interval"}, "finite"),
        (np.array([[0.0, 1.0]]), {"level": "ratio"}, "level"),
    ],
)
def test_bad_input_raises(codes: np.ndarray, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        agreement_table(codes, **({"level": "ordinal", "n_categories": 3} | kwargs))
    if "level" not in kwargs and codes.ndim == 2:
        with pytest.raises(ValueError, match=message):
            count_table(codes, 3)


def test_landis_koch_bands() -> None:
    words = [landis_koch(v) for v in (-0.01, 0.0, 0.2, 0.21, 0.4, 0.5, 0.6, 0.8, 0.81, 1.0)]
    assert words == [
        "poor", "slight", "slight", "fair", "fair", "moderate", "moderate",
        "substantial", "almost perfect", "almost perfect",
    ]  # fmt: skip
    with pytest.raises(ValueError):
        landis_koch(NAN)


def test_functions_on_count_tables_at_the_edges() -> None:
    empty = np.zeros((0, 3))
    for f in (percent_agreement, fleiss_kappa, gwet_ac1):
        assert f(empty) is None
    assert randolph_kappa(empty, 3) is None
    assert krippendorff_alpha(empty, "nominal") is None
    single = np.array([[3, 0]])
    assert percent_agreement(single) == 1.0 and fleiss_kappa(single) is None
    assert gwet_ac1(single) == 1.0 and randolph_kappa(single, 1) is None
    with pytest.raises(ValueError):
        fleiss_kappa(np.array([[0.5, 1.0]]))
    assert krippendorff_alpha(np.full((4, 3), NAN), "interval") is None
    assert krippendorff_alpha(np.array([[2.0, 2.0], [2.0, NAN]]), "interval") is None


@pytest.mark.parametrize("patterns", [39, 5000])  # matrix-vector loop, then one matmul
def test_weighted_sums_is_the_matrix_product(patterns: int) -> None:
    rng = np.random.default_rng(patterns)
    w, f = rng.random((30, patterns)), rng.random((patterns, 6))
    assert np.allclose(weighted_sums(w, f), w @ f, rtol=1e-12)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.sampled_from(["nominal", "ordinal", "interval"]),
    st.integers(0, 40),
    st.integers(1, 5),
    st.sampled_from([0.0, 0.3, 0.8]),
)
def test_random_tables_are_clean(seed: int, level: str, n: int, raters: int, miss: float) -> None:
    codes = _ratings(n, raters, 4, seed, miss)
    rows = agreement_table(codes, level=level, n_categories=4, rounds=20, seed=seed)
    _assert_clean(rows)


# --- the bootstrap -----------------------------------------------------------------------


def test_bootstrap_is_seeded() -> None:
    codes = _ratings(100, 3, 4, seed=8)
    first = agreement_table(codes, level="ordinal", n_categories=4, seed=11)
    assert first == agreement_table(codes, level="ordinal", n_categories=4, seed=11)
    other = agreement_table(codes, level="ordinal", n_categories=4, seed=12)
    assert [r.estimate.lower for r in first] != [r.estimate.lower for r in other]
    assert all(
        r.estimate.lower is None
        for r in agreement_table(codes, level="ordinal", n_categories=4, rounds=0)
    )


def test_draws_are_resample_multinomial_counts_in_any_chunking() -> None:
    weights = np.array([5.0, 1.0, 7.0, 3.0])
    one = np.vstack(list(draws(weights, 50, seed=3)))
    assert np.array_equal(one, multinomial_counts(weights.astype(np.int64), 50, seed=3))
    assert np.array_equal(one, np.vstack(list(draws(weights, 50, seed=3, max_cells=28))))


def test_pattern_rounds_equal_the_same_items_resampled() -> None:
    """Identical draws: a round of pattern counts, expanded back to items, gives the same
    coefficient when computed on those items (krippendorff for alpha)."""
    codes = _ratings(60, 4, 3, seed=9, missing=0.3)
    index = code_index(codes, 3)
    patterns = code_patterns(index, 3, row_sum(~np.isnan(codes)))
    w = next(draws(patterns.weights, 15, seed=4))
    vectorized = {
        "ordinal": alpha_rounds(w, patterns.rows, "ordinal"),
        "fleiss": fleiss_rounds(w, patterns.rows),
        "gwet": gwet_rounds(w, patterns.rows),
    }
    for r in range(w.shape[0]):
        table = np.repeat(patterns.rows, w[r].astype(int), axis=0)
        # One code row per item: its count row spelled out, NaN padded.
        items = np.full((len(table), int(table.sum(axis=1).max())), NAN)
        for i, row in enumerate(table.astype(int)):
            spelled = np.repeat(np.arange(3), row)
            items[i, : len(spelled)] = spelled
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            reference = krippendorff.alpha(
                reliability_data=items.T, level_of_measurement="ordinal", value_domain=[0, 1, 2]
            )
        assert vectorized["ordinal"][r] == pytest.approx(reference, abs=1e-12)
        assert vectorized["fleiss"][r] == pytest.approx(fleiss_kappa(table), abs=1e-12)
        assert vectorized["gwet"][r] == pytest.approx(gwet_ac1(table), abs=1e-12)


def _naive_bounds(stat, units: np.ndarray, rounds: int, seed: int) -> np.ndarray:
    """The textbook item bootstrap: draw item indices with replacement, recompute."""
    rng = np.random.default_rng(seed)
    values = [stat(units[rng.integers(0, len(units), len(units))]) for _ in range(rounds)]
    return np.quantile([v for v in values if v is not None], [0.025, 0.5, 0.975])


def test_pattern_bootstrap_matches_naive_item_resampling() -> None:
    codes = _ratings(300, 3, 4, seed=10, missing=0.25)
    table = count_table(codes, 4)
    rows = _table(codes, n_categories=4, rounds=2000)
    naive = {
        "krippendorff_alpha": lambda t: krippendorff_alpha(t, "ordinal"),
        "fleiss_kappa": fleiss_kappa,
        "gwet_ac1": gwet_ac1,
        "percent_agreement": percent_agreement,
    }
    for name, stat in naive.items():
        low, mid, high = _naive_bounds(stat, table, 400, seed=1)
        e = rows[name].estimate
        assert e.lower == pytest.approx(low, abs=0.015), name
        assert e.upper == pytest.approx(high, abs=0.015), name
        assert e.lower < e.value < e.upper
        assert mid == pytest.approx(e.value, abs=0.01)


def test_item_draws_for_many_distinct_numbers_match_naive_resampling() -> None:
    rng = np.random.default_rng(11)
    truth = rng.normal(0, 1, 400)
    values = truth[:, None] + rng.normal(0, 0.6, (400, 3))
    values[rng.random(values.shape) < 0.2] = NAN
    alpha = _table(values, level="interval", n_categories=None, rounds=2000)["krippendorff_alpha"]
    low, _, high = _naive_bounds(lambda v: krippendorff_alpha(v, "interval"), values, 400, 2)
    assert alpha.estimate.lower == pytest.approx(low, abs=0.015)
    assert alpha.estimate.upper == pytest.approx(high, abs=0.015)


def test_cohen_bootstrap_matches_naive_resampling() -> None:
    codes = _ratings(300, 2, 4, seed=12, missing=0.1)
    rows = _table(codes, n_categories=4, rounds=2000)
    for name, weights in (("cohen_kappa", None), ("cohen_kappa_quadratic", "quadratic")):
        low, _, high = _naive_bounds(
            lambda c, w=weights: cohen_kappa(c[:, 0], c[:, 1], n_categories=4, weights=w),
            codes,
            400,
            seed=3,
        )
        assert rows[name].estimate.lower == pytest.approx(low, abs=0.015)
        assert rows[name].estimate.upper == pytest.approx(high, abs=0.015)


def test_interval_narrows_with_confidence() -> None:
    codes = _ratings(120, 3, 4, seed=13)
    wide = _table(codes, n_categories=4, confidence=0.95)["fleiss_kappa"].estimate
    narrow = _table(codes, n_categories=4, confidence=0.5)["fleiss_kappa"].estimate
    assert wide.lower < narrow.lower < narrow.value < narrow.upper < wide.upper
