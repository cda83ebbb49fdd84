"""Correctness per model x language and the language gap (DESIGN §4)."""

from __future__ import annotations

import math
from dataclasses import astuple

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from medeval_ui.stats.correctness import (
    METHOD_BOOTSTRAP,
    METHOD_FLAT,
    METHOD_WILSON,
    MIN_CASES,
    correctness,
    correctness_by_group,
    ratio_replicates,
)
from medeval_ui.stats.estimate import Estimate
from medeval_ui.stats.language_gap import NO_GROUPS, NO_VARIATION, ZERO_PIVOT, language_gap


def assert_no_nan(estimate: Estimate) -> None:
    for field in astuple(estimate):
        assert not (isinstance(field, float) and math.isnan(field)), estimate


def clustered(n_cases: int, ratings: int, rng: np.random.Generator, a: float = 0.5):
    """Scores of ``ratings`` clinicians on each case, correlated within a case."""
    p = rng.beta(a, a, n_cases)
    cases = np.repeat(np.arange(n_cases), ratings)
    scores = (rng.random(cases.size) < p[cases]).astype(float)
    return scores, cases


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from([0.0, 1.0]), min_size=1, max_size=300),
    st.sampled_from([0.8, 0.9, 0.95, 0.99]),
)
def test_single_binary_ratings_use_wilson_as_statsmodels(scores: list[float], level: float) -> None:
    s = np.array(scores)
    result = correctness(s, np.arange(s.size) * 7, confidence=level)
    lower, upper = proportion_confint(int(s.sum()), s.size, alpha=1 - level, method="wilson")
    assert result.label == METHOD_WILSON
    assert result.value == pytest.approx(s.mean())
    assert (result.lower, result.upper) == pytest.approx((lower, upper), abs=1e-12)
    assert (result.n, result.n_obs, result.small) == (s.size, s.size, s.size < MIN_CASES)


def test_pattern_bootstrap_matches_naive_case_resampling() -> None:
    rng = np.random.default_rng(3)
    n_cases = 40
    counts = rng.integers(1, 5, n_cases).astype(float)
    sums = np.array([rng.choice([0.0, 0.5, 1.0], int(c)).sum() for c in counts])
    ours = ratio_replicates(sums, counts, rounds=4000, seed=11)
    picks = rng.integers(0, n_cases, (4000, n_cases))
    naive = sums[picks].sum(axis=1) / counts[picks].sum(axis=1)
    q = [0.025, 0.1, 0.5, 0.9, 0.975]
    assert np.quantile(ours, q) == pytest.approx(np.quantile(naive, q), abs=0.012)
    assert ours.std() == pytest.approx(naive.std(), rel=0.08)
    # Through the public function: the same intervals, seeded and reproducible.
    scores = np.concatenate([np.full(int(c), s / c) for s, c in zip(sums, counts, strict=True)])
    cases = np.repeat(np.arange(n_cases), counts.astype(int))
    result = correctness(scores, cases, rounds=4000, seed=11)
    assert result.label == METHOD_BOOTSTRAP and (result.n, result.n_obs) == (40, counts.sum())
    assert result.value == pytest.approx(sums.sum() / counts.sum())
    assert (result.lower, result.upper) == pytest.approx(
        np.quantile(naive, [0.025, 0.975]), abs=0.012
    )
    assert correctness(scores, cases, rounds=4000, seed=11) == result
    assert correctness(scores, cases, rounds=4000, seed=12) != result


def test_clustered_interval_keeps_its_coverage_where_rating_level_wilson_does_not() -> None:
    rng = np.random.default_rng(2024)
    reps, n_cases, truth = 200, 60, 0.5  # Beta(0.5, 0.5) per case: mean 0.5, strong clustering
    covered = naive_covered = 0
    for rep in range(reps):
        scores, cases = clustered(n_cases, 3, rng)
        result = correctness(scores, cases, rounds=300, seed=rep)
        assert result.lower is not None and result.upper is not None
        covered += result.lower <= truth <= result.upper
        lo, hi = proportion_confint(int(scores.sum()), scores.size, method="wilson")
        naive_covered += lo <= truth <= hi
    assert 0.88 <= covered / reps <= 0.99
    assert naive_covered / reps < covered / reps - 0.05


def test_by_group_equals_correctness_of_each_group() -> None:
    rng = np.random.default_rng(5)
    parts = []
    # group 0: bootstrap; 1: single binary ratings (Wilson); 2: empty; 3: all correct with
    # repeated ratings (flat); 4: partial credit, one rating per case; 5: only NaN scores.
    s0, c0 = clustered(50, 3, rng)
    parts.append((s0, np.zeros(s0.size, int), c0))
    parts.append((rng.integers(0, 2, 25).astype(float), np.ones(25, int), np.arange(25) + 1000))
    parts.append((np.ones(12), np.full(12, 3), np.repeat(np.arange(4), 3)))
    parts.append((rng.choice([0.0, 0.5, 1.0], 20), np.full(20, 4), np.arange(20)))
    parts.append((np.full(3, np.nan), np.full(3, 5), np.arange(3)))
    scores, groups, cases = (np.concatenate(x) for x in zip(*parts, strict=True))
    order = rng.permutation(scores.size)  # interleave the groups
    scores, groups, cases = scores[order], groups[order], cases[order]
    together = correctness_by_group(scores, groups, cases, 6, rounds=500, seed=9)
    alone = [
        correctness(scores[groups == g], cases[groups == g], rounds=500, seed=9) for g in range(6)
    ]
    assert together == alone
    assert [e.label for e in together] == [
        METHOD_BOOTSTRAP, METHOD_WILSON, "", METHOD_FLAT, METHOD_BOOTSTRAP, ""
    ]  # fmt: skip
    assert together[2].undefined == together[5].undefined == "no ratings"
    # Sparse case ids take the sort path instead of dense bins: same numbers.
    sparse = correctness_by_group(scores, groups, cases * 10**12 + 7, 6, rounds=500, seed=9)
    assert sparse == together


def test_degenerate_inputs_are_defined_or_say_why() -> None:
    cases = np.repeat(np.arange(5), 3)
    all_right = correctness(np.ones(15), cases)
    assert all_right.value == 1.0 and all_right.label == METHOD_FLAT
    assert all_right.lower == pytest.approx(proportion_confint(5, 5, method="wilson")[0])
    assert all_right.upper == 1.0 and all_right.small
    one_case = correctness([1.0, 0.0, 1.0], [7, 7, 7])
    assert one_case.value == pytest.approx(2 / 3) and one_case.n == 1 and one_case.lower < 0.2
    no_rounds = correctness([1.0, 0.0, 1.0, 0.5], [1, 1, 2, 2], rounds=0)
    assert no_rounds.value == 0.625 and no_rounds.lower is None and no_rounds.upper is None
    empty = correctness(np.array([]), np.array([], dtype=np.int64))
    missing = correctness([np.nan, np.nan], [1, 2])
    assert empty.undefined == missing.undefined == "no ratings" and empty.value is None
    for e in (all_right, one_case, no_rounds, empty, missing):
        assert_no_nan(e)
    assert not correctness(np.ones(MIN_CASES), np.arange(MIN_CASES)).small
    assert correctness(np.ones(MIN_CASES - 1), np.arange(MIN_CASES - 1)).small


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: correctness([1.5], [1]), "0..1"),
        (lambda: correctness([1.0, 0.0], [1]), "one entry per rating"),
        (lambda: correctness([1.0], [0.5]), "integer"),
        (lambda: correctness([1.0], [1], confidence=1.0), "confidence"),
        (lambda: correctness_by_group([1.0], [2], [1], 2), "0..1"),
    ],
)
def test_malformed_input_raises(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_language_gap_on_hand_computed_groups() -> None:
    gap = language_gap([2, 1, 3, 0], [3, 3, 3, 0], [1, 1, 2, 1], [3, 2, 3, 1], rounds=2000)
    # The fourth group has no pivot rating: dropped. Pivot 6/9, other 4/8.
    assert gap.pivot.value == pytest.approx(2 / 3) and gap.other.value == pytest.approx(0.5)
    assert gap.difference.value == pytest.approx(-1 / 6)
    assert gap.relative.value == pytest.approx(-0.25)
    assert (gap.difference.n, gap.difference.n_obs, gap.pivot.n_obs, gap.other.n_obs) == (
        3, 17, 9, 8
    )  # fmt: skip
    assert gap.difference.small and gap.difference.lower <= gap.difference.value
    # Paired resampling by hand, all 27 equally likely resamples of 3 groups enumerated.
    rows = np.array([[2, 3, 1, 3], [1, 3, 1, 2], [3, 3, 2, 3]], dtype=float)
    picks = np.array(np.meshgrid(*[range(3)] * 3)).reshape(3, -1).T
    t = rows[picks].sum(axis=1)
    exact = t[:, 2] / t[:, 3] - t[:, 0] / t[:, 1]  # atoms -1/3 (8/27) ... 1/6 (1/27)
    bounds = np.quantile(exact, [0.025, 0.975], method="inverted_cdf")
    assert (gap.difference.lower, gap.difference.upper) == pytest.approx(bounds, abs=1e-12)


def test_pairing_narrows_the_gap_interval() -> None:
    rng = np.random.default_rng(8)
    hard = rng.beta(0.5, 0.5, 200)  # the same question is hard in both languages
    pn = on = np.full(200, 3.0)
    ps = rng.binomial(3, hard).astype(float)
    os_ = rng.binomial(3, np.clip(hard - 0.05, 0, 1)).astype(float)
    gap = language_gap(ps, pn, os_, on, seed=1)
    shuffled = language_gap(ps, pn, rng.permutation(os_), on, seed=1)
    assert gap.difference.value == pytest.approx(shuffled.difference.value)
    width = gap.difference.upper - gap.difference.lower
    assert width < 0.8 * (shuffled.difference.upper - shuffled.difference.lower)
    assert language_gap(ps, pn, os_, on, seed=1) == gap


def test_language_gap_edges() -> None:
    empty = language_gap([], [], [], [])
    assert all(e.undefined == NO_GROUPS for e in (empty.difference, empty.relative, empty.pivot))
    zero = language_gap([0, 0], [3, 2], [1, 2], [3, 2])
    assert zero.difference.value == pytest.approx(0.6) and zero.relative.value is None
    assert zero.relative.undefined == ZERO_PIVOT and zero.relative.n == 2
    same = language_gap([3, 3], [3, 3], [3, 3], [3, 3])
    assert same.difference.value == 0.0 and same.difference.label == NO_VARIATION
    for gap in (empty, zero, same):
        for e in (gap.difference, gap.relative, gap.pivot, gap.other):
            assert_no_nan(e)
    with pytest.raises(ValueError, match="between 0"):
        language_gap([4], [3], [1], [3])
    with pytest.raises(ValueError, match="aligned"):
        language_gap([1, 2], [3], [1], [3])
