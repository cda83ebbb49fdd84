"""Cross-lingual and sample consistency, and automatic judges against clinicians (DESIGN §4)."""

from __future__ import annotations

import math
import warnings
from dataclasses import astuple

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score, f1_score
from statsmodels.stats.proportion import proportion_confint

from medeval_ui.stats.consistency import (
    FLAT_UNITS,
    KAPPA_SAME_LABEL,
    UNIT_BOOTSTRAP,
    all_languages_agree,
    confusion_tables,
    crosslingual_agreement,
    kappa_of_tables,
    landis_koch,
    sample_consistency,
)
from medeval_ui.stats.estimate import Estimate
from medeval_ui.stats.judges import (
    KAPPA_SAME_VERDICT,
    NO_PAIRS,
    consensus,
    judge_vs_human,
    macro_f1_of_tables,
)

# Codes 0..3 with some missing, as the dashboards pass them.
labels = st.lists(
    st.tuples(
        st.sampled_from([0.0, 1.0, 2.0, 3.0, math.nan]),
        st.sampled_from([0.0, 1.0, 2.0, 3.0, math.nan]),
    ),
    min_size=1,
    max_size=80,
)


def assert_no_nan(estimate: Estimate) -> None:
    for field in astuple(estimate):
        assert not (isinstance(field, float) and math.isnan(field)), estimate


def split(pairs: list[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    return a, b, ~(np.isnan(a) | np.isnan(b))


@settings(max_examples=60, deadline=None)
@given(labels)
def test_crosslingual_kappa_and_agreement_match_sklearn_and_statsmodels(pairs) -> None:
    a, b, keep = split(pairs)
    agreement, kappa = crosslingual_agreement(a, b, rounds=50)
    n = int(keep.sum())
    assert agreement.n == kappa.n == n
    if n == 0:
        assert agreement.value is None and kappa.value is None and agreement.undefined
        return
    same = int((a[keep] == b[keep]).sum())
    assert agreement.value == pytest.approx(same / n)
    assert (agreement.lower, agreement.upper) == pytest.approx(
        proportion_confint(same, n, method="wilson"), abs=1e-12
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = cohen_kappa_score(a[keep].astype(int), b[keep].astype(int))
    if math.isnan(expected):
        assert kappa.value is None and kappa.undefined == KAPPA_SAME_LABEL
        assert agreement.value == 1.0
    else:
        assert kappa.value == pytest.approx(expected, abs=1e-12)
        assert kappa.label == landis_koch(kappa.value)
    assert_no_nan(agreement)
    assert_no_nan(kappa)


@settings(max_examples=60, deadline=None)
@given(labels)
def test_judge_macro_f1_and_kappa_match_sklearn(pairs) -> None:
    judge, human, keep = split(pairs)
    result = judge_vs_human(judge, human, rounds=50)
    if not keep.any():
        assert result.macro_f1.undefined == result.kappa.undefined == NO_PAIRS
        return
    y_true, y_pred = human[keep].astype(int), judge[keep].astype(int)
    assert result.macro_f1.value == pytest.approx(
        f1_score(y_true, y_pred, average="macro", zero_division=0), abs=1e-12
    )
    assert result.accuracy.value == pytest.approx(float(np.mean(y_true == y_pred)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = cohen_kappa_score(y_true, y_pred)
    if math.isnan(expected):
        assert result.kappa.undefined == KAPPA_SAME_VERDICT
    else:
        assert result.kappa.value == pytest.approx(expected, abs=1e-12)
    for e in (result.kappa, result.macro_f1, result.accuracy):
        assert_no_nan(e)


def test_bootstrap_tables_give_each_rounds_kappa_and_f1_as_sklearn() -> None:
    rng = np.random.default_rng(4)
    a = rng.integers(0, 3, 60)
    b = np.where(rng.random(60) < 0.7, a, rng.integers(0, 3, 60))
    observed, boot = confusion_tables(a, b, 3, rounds=20, seed=2)
    assert observed.sum() == 60 and boot.shape == (20, 3, 3)
    assert np.all(boot.sum(axis=(1, 2)) == 60)
    # A table's kappa and F1 are those of the pairs it counts, whatever their order.
    for table, kappa, f1 in zip(boot, kappa_of_tables(boot), macro_f1_of_tables(boot), strict=True):
        rows, cols = np.nonzero(table)
        x = np.repeat(rows, table[rows, cols].astype(int))
        y = np.repeat(cols, table[rows, cols].astype(int))
        assert kappa == pytest.approx(cohen_kappa_score(x, y), abs=1e-12)
        assert f1 == pytest.approx(f1_score(x, y, average="macro", zero_division=0), abs=1e-12)
    _, kappa = crosslingual_agreement(a, b, rounds=400, seed=3)
    assert kappa.lower < kappa.value < kappa.upper
    assert crosslingual_agreement(a, b, rounds=400, seed=3)[1] == kappa


def test_crosslingual_edges_say_why() -> None:
    agreement, kappa = crosslingual_agreement([1, 1, 1, np.nan], [1, 1, 1, 0])
    assert agreement.value == 1.0 and agreement.n == 3 and agreement.small
    assert kappa.value is None and kappa.undefined == KAPPA_SAME_LABEL and kappa.n == 3
    opposite = crosslingual_agreement([1, 1, 1], [0, 0, 0])
    assert opposite[0].value == 0.0 and opposite[1].value == 0.0  # defined: nothing by chance
    none = crosslingual_agreement([np.nan], [1])
    assert none[0].undefined and none[1].undefined
    for e in (agreement, kappa, *opposite, *none):
        assert_no_nan(e)
    with pytest.raises(ValueError, match="codes"):
        crosslingual_agreement([0.5], [1])
    with pytest.raises(ValueError, match=r"codes 0\.\.1"):
        crosslingual_agreement([2], [1], n_categories=2)
    with pytest.raises(ValueError, match="aligned"):
        crosslingual_agreement([1, 0], [1])
    with pytest.raises(ValueError, match="confidence"):
        sample_consistency(np.array([[1, 1]]), confidence=95)


def test_all_languages_agree_counts_groups_with_two_languages() -> None:
    grid = np.array(
        [
            [1, 1, 1],  # agree
            [1, np.nan, 1],  # agree (two languages)
            [0, 1, 0],  # disagree
            [1, np.nan, np.nan],  # one language: not counted
            [2, 2, np.nan],  # agree
        ]
    )
    result = all_languages_agree(grid)
    assert result.value == pytest.approx(3 / 4) and (result.n, result.n_obs) == (4, 10)
    assert (result.lower, result.upper) == pytest.approx(proportion_confint(3, 4, method="wilson"))
    lonely = all_languages_agree(np.array([[1, np.nan], [np.nan, np.nan]]))
    assert lonely.value is None and "two or more languages" in lonely.undefined
    with pytest.raises(ValueError, match="2-D"):
        all_languages_agree(np.array([1, 1]))


def test_sample_consistency_counts_agreeing_pairs() -> None:
    grid = np.array([[1, 1, 1], [1, 0, np.nan], [0, np.nan, np.nan], [2, 2, 0]])
    # Pairs: unit 0 three of three, unit 1 none of one, unit 2 no pair, unit 3 one of three.
    result = sample_consistency(grid, rounds=500)
    assert result.value == pytest.approx(4 / 7) and (result.n, result.n_obs) == (3, 8)
    assert result.label == UNIT_BOOTSTRAP and result.lower <= result.value <= result.upper
    assert sample_consistency(grid, rounds=500) == result
    steady = sample_consistency(np.array([[1, 1], [0, 0], [1, 1]]))
    assert steady.value == 1.0 and steady.label == FLAT_UNITS
    assert steady.lower == pytest.approx(proportion_confint(3, 3, method="wilson")[0])
    single = sample_consistency(np.array([[1, np.nan], [0, np.nan]]))
    assert single.value is None and "fewer than 2" in single.undefined
    for e in (result, steady, single):
        assert_no_nan(e)


def test_consensus_is_the_majority_and_ties_are_missing() -> None:
    scores = np.array([1, 1, 0, 1, 0, 0.5, 0.5, 1, 0.1, 0.6, 0.6, 0.7, np.nan, 0.3])
    units = np.array([0, 0, 0, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4])
    verdict = consensus(scores, units, 6)
    # unit 1: one each way; unit 3: mean 0.49999999999999994, a tie up to float noise;
    # unit 4: the NaN is dropped; unit 5: unrated
    np.testing.assert_array_equal(verdict, [1, np.nan, 1, np.nan, 0, np.nan])
    assert consensus(scores, units, 6, threshold=0.9)[0] == 0.0
    with pytest.raises(ValueError, match="unit codes"):
        consensus([1.0], [6], 6)


def test_judge_that_always_agrees_on_one_verdict() -> None:
    result = judge_vs_human(np.ones(40), np.ones(40))
    assert result.accuracy.value == 1.0 and result.macro_f1.value == 1.0
    assert result.kappa.value is None and result.kappa.undefined == KAPPA_SAME_VERDICT
    assert not result.accuracy.small and result.accuracy.lower > 0.9
    for e in (result.kappa, result.macro_f1, result.accuracy):
        assert_no_nan(e)


def test_landis_koch_words() -> None:
    words = [landis_koch(k) for k in (-0.1, -1e-17, 0.2 + 1e-16, 0.35, 0.6, 0.61, 0.95)]
    assert words == [
        "poor",
        "slight",
        "slight",
        "fair",
        "moderate",
        "substantial",
        "almost perfect",
    ]
