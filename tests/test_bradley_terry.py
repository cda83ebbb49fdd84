"""Bradley-Terry leaderboard (DESIGN §4): recovery of known strengths, agreement with a
vote-level logistic regression fitted independently, bootstrap coverage, ranks and edges."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from medeval_ui.stats.bradley_terry import (
    DisconnectedComparisonWarning,
    PairCounts,
    Votes,
    bootstrap,
    fit,
    fit_details,
    leaderboard,
    separation_ranks,
    vote_count_matrix,
    win_probability,
    win_rate_matrix,
)

LN10 = math.log(10.0)


def simulate(
    true: np.ndarray, n_votes: int, rng: np.random.Generator, tie_share: float = 0.0
) -> Votes:
    """Votes between random pairs; a vote is a tie with probability tie_share, otherwise A
    wins with the Bradley-Terry probability of the true ratings."""
    m = len(true)
    a = rng.integers(0, m, n_votes)
    b = (a + rng.integers(1, m, n_votes)) % m
    p = 1.0 / (1.0 + 10.0 ** ((true[b] - true[a]) / 400.0))
    outcome = (rng.random(n_votes) < p).astype(float)
    outcome[rng.random(n_votes) < tie_share] = 0.5
    return Votes(a, b, outcome, tuple(f"m{i}" for i in range(m)))


def centred(ratings: np.ndarray) -> np.ndarray:
    return ratings - ratings.mean() + 1000.0


def reference_logistic_ratings(votes: Votes) -> tuple[np.ndarray, str]:
    """Vote-level logistic regression, no regularisation, written here from scratch: one row
    per decisive vote (x = e_a - e_b, y = 1 if A won), each tie as two half-weighted rows
    (one win each way); strength of model 0 fixed at 0. scipy.optimize.minimize when scipy
    is installed, otherwise Newton-Raphson (IRLS) on the same rows with numpy.linalg."""
    m = len(votes.names)
    tie = votes.outcome == 0.5
    a = np.concatenate([votes.model_a, votes.model_a[tie]])
    b = np.concatenate([votes.model_b, votes.model_b[tie]])
    y = np.concatenate([np.where(tie, 1.0, votes.outcome), np.zeros(int(tie.sum()))])
    w = np.concatenate([np.where(tie, 0.5, 1.0), np.full(int(tie.sum()), 0.5)])
    x = np.zeros((len(a), m))
    x[np.arange(len(a)), a] = 1.0
    x[np.arange(len(a)), b] = -1.0
    x = x[:, 1:]

    def nll(beta: np.ndarray) -> tuple[float, np.ndarray]:
        eta = x @ beta
        value = float(np.sum(w * (np.logaddexp(0.0, eta) - y * eta)))
        grad = x.T @ (w * (1.0 / (1.0 + np.exp(-eta)) - y))
        return value, grad

    try:
        from scipy.optimize import minimize
    except ImportError:
        beta = np.zeros(m - 1)
        for _ in range(100):
            p = 1.0 / (1.0 + np.exp(-(x @ beta)))
            hess = x.T @ (x * (w * p * (1.0 - p))[:, None])
            step = np.linalg.solve(hess, x.T @ (w * (y - p)))
            beta += step
            if np.max(np.abs(step)) < 1e-12:
                break
        how = "numpy IRLS (scipy not installed)"
    else:
        res = minimize(nll, np.zeros(m - 1), jac=True, method="BFGS", options={"gtol": 1e-9})
        beta = res.x
        how = f"scipy.optimize.minimize BFGS ({res.message})"
    ratings = 400.0 / LN10 * np.concatenate([[0.0], beta])
    return centred(ratings), how


def test_known_strengths_are_recovered() -> None:
    true = np.array([800.0, 900.0, 1000.0, 1100.0, 1200.0, 1300.0])
    votes = simulate(true, 20_000, np.random.default_rng(7))
    ratings = fit(votes)
    error = ratings - centred(true)
    print(f"\nrecovery error, rating points: {np.round(error, 1)}")
    assert list(np.argsort(ratings)) == list(range(6))
    assert np.max(np.abs(error)) < 15.0  # about 3 standard errors at 20k votes
    assert ratings.mean() == pytest.approx(1000.0)


def test_matches_vote_level_logistic_regression() -> None:
    rng = np.random.default_rng(11)
    votes = simulate(np.array([900.0, 980.0, 1000.0, 1070.0, 1150.0]), 3_000, rng, 0.2)
    reference, how = reference_logistic_ratings(votes)
    diff = np.max(np.abs(fit(votes) - reference))
    print(f"\naggregated fit vs vote-level logistic ({how}): max diff {diff:.2e} points")
    assert diff < 0.01


def test_counts_and_votes_give_the_same_fit() -> None:
    votes = simulate(np.array([950.0, 1000.0, 1100.0]), 500, np.random.default_rng(3), 0.1)
    counts = PairCounts.from_votes(votes)
    assert np.allclose(counts.wins + counts.wins.T, counts.n)
    assert np.array_equal(fit(counts), fit(votes))
    assert counts.votes_per_model.sum() == 2 * len(votes)


def test_fitted_ratings_obey_the_design_formula() -> None:
    # Two models, A wins 60, B wins 20, 20 ties: the MLE gives P(A beats B) = 70%.
    outcome = [1.0] * 60 + [0.0] * 20 + [0.5] * 20
    votes = Votes(np.zeros(100, int), np.ones(100, int), outcome, ("A", "B"))
    r_a, r_b = fit(votes)
    assert 1.0 / (1.0 + 10.0 ** ((r_b - r_a) / 400.0)) == pytest.approx(0.7, abs=1e-9)
    assert (r_a + r_b) / 2 == pytest.approx(1000.0)
    assert win_probability(r_a, r_b) == pytest.approx(0.7, abs=1e-9)
    # Several models: at the MLE, each model's expected wins equal its observed wins.
    many = simulate(np.array([900.0, 1000.0, 1050.0, 1200.0]), 2_000, np.random.default_rng(5))
    r = fit(many)
    counts = PairCounts.from_votes(many)
    expected = counts.n / (1.0 + 10.0 ** ((r[None, :] - r[:, None]) / 400.0))
    assert np.allclose(expected.sum(axis=1), counts.wins.sum(axis=1), atol=1e-6)


def test_bootstrap_intervals_cover_the_truth() -> None:
    true = np.array([950.0, 1000.0, 1060.0, 1120.0])
    rng = np.random.default_rng(2024)
    covered = []
    for study in range(200):
        votes = simulate(true, 300, rng)
        result = bootstrap(votes, rounds=200, seed=study)
        diffs = result.samples[:, 1:] - result.samples[:, :1]
        lower, upper = np.nanpercentile(diffs, [2.5, 97.5], axis=0)
        truth = true[1:] - true[0]
        covered.extend((lower <= truth) & (truth <= upper))
    rate = float(np.mean(covered))
    print(f"\n95% bootstrap intervals of differences vs m0: coverage {rate:.3f} of {len(covered)}")
    assert 0.88 <= rate <= 0.99


def test_bootstrap_is_seeded_and_contains_the_estimate() -> None:
    votes = simulate(np.array([900.0, 1000.0, 1100.0]), 1_000, np.random.default_rng(1))
    first = bootstrap(votes, rounds=300, seed=42)
    again = bootstrap(votes, rounds=300, seed=42)
    other = bootstrap(votes, rounds=300, seed=43)
    assert np.array_equal(first.samples, again.samples)
    assert np.array_equal(first.lower, again.lower) and np.array_equal(first.upper, again.upper)
    assert not np.array_equal(first.samples, other.samples)
    assert np.all(first.lower < first.ratings) and np.all(first.ratings < first.upper)
    assert leaderboard(votes, rounds=300, seed=42) == leaderboard(votes, rounds=300, seed=42)


def test_rank_counts_models_clearly_above() -> None:
    lower = [10.0, 8.0, 5.0, 0.0, np.nan]
    upper = [12.0, 11.0, 9.0, 3.0, np.nan]
    # 0 and 1 overlap: both first; 2 is below 0 only; 3 is below all three; 4 has no interval.
    assert separation_ranks(lower, upper) == [1, 1, 2, 4, None]
    assert separation_ranks(lower, upper, groups=[0, 0, 1, 1, 1]) == [1, 1, 1, 2, None]


def test_leaderboard_rows_ranks_and_provisional() -> None:
    true = np.array([1000.0, 1005.0, 1200.0, 1400.0])
    votes = simulate(true, 4_000, np.random.default_rng(9))
    # Model m4 only appears in 10 votes: provisional.
    names = (*votes.names, "m4")
    a = np.concatenate([votes.model_a, np.full(10, 4)])
    b = np.concatenate([votes.model_b, np.arange(10) % 4])
    o = np.concatenate([votes.outcome, np.tile([1.0, 0.0], 5)])
    rows = leaderboard(Votes(a, b, o, names), rounds=300, min_votes=50)
    by_name = {r.model: r for r in rows}
    assert [r.model for r in rows][:2] == ["m3", "m2"]
    assert by_name["m3"].rank == 1 and by_name["m2"].rank == 2
    # m0 and m1 are 5 points apart: overlapping intervals, the same rank.
    assert by_name["m0"].rank == by_name["m1"].rank
    assert by_name["m4"].provisional and by_name["m4"].votes == 10
    assert not any(r.provisional for r in rows if r.model != "m4")
    for r in rows:
        assert r.lower <= r.rating <= r.upper and r.component == 0 and not r.unbounded


def test_win_rate_and_vote_count_matrices() -> None:
    votes = Votes([0, 0, 0, 1, 2], [1, 1, 2, 0, 0], [1.0, 0.5, 0.0, 1.0, 0.5], ("a", "b", "c"))
    rate = win_rate_matrix(votes)
    count = vote_count_matrix(votes)
    assert count.tolist() == [[0, 3, 2], [3, 0, 0], [2, 0, 0]]
    assert rate[0, 1] == pytest.approx(1.5 / 3) and rate[1, 0] == pytest.approx(1.5 / 3)
    assert rate[0, 2] == pytest.approx(0.25) and rate[2, 0] == pytest.approx(0.75)
    assert np.isnan(rate[1, 2]) and np.isnan(rate[0, 0])


def test_model_without_votes_is_nan_and_unranked() -> None:
    votes = simulate(np.array([900.0, 1100.0]), 200, np.random.default_rng(4))
    with_ghost = Votes(votes.model_a, votes.model_b, votes.outcome, (*votes.names, "ghost"))
    ratings = fit(with_ghost)
    assert np.isnan(ratings[2]) and np.allclose(ratings[:2], fit(votes))
    rows = leaderboard(with_ghost, rounds=100)
    ghost = rows[-1]
    assert ghost.model == "ghost" and ghost.rank is None and ghost.votes == 0
    assert math.isnan(ghost.rating) and math.isnan(ghost.lower) and math.isnan(ghost.upper)
    assert ghost.provisional and ghost.component is None


def test_one_model_or_no_votes() -> None:
    empty = Votes(np.zeros(0, int), np.zeros(0, int), np.zeros(0), ("only",))
    assert np.isnan(fit(empty)).all()
    (row,) = leaderboard(empty, rounds=10)
    assert row.rank is None and math.isnan(row.rating) and row.votes == 0
    none = Votes(np.zeros(0, int), np.zeros(0, int), np.zeros(0), ())
    assert leaderboard(none, rounds=10) == [] and fit(none).shape == (0,)


def test_model_that_won_everything_is_finite_and_flagged() -> None:
    rng = np.random.default_rng(8)
    votes = simulate(np.array([950.0, 1000.0, 1050.0, 1100.0]), 600, rng)
    # m4 beats everyone in all of its 40 votes; m5 loses all of its 40.
    a = np.concatenate([votes.model_a, np.full(40, 4), np.full(40, 5)])
    b = np.concatenate([votes.model_b, np.arange(40) % 4, np.arange(40) % 4])
    o = np.concatenate([votes.outcome, np.ones(40), np.zeros(40)])
    names = (*votes.names, "winner", "loser")
    details = fit_details(Votes(a, b, o, names))
    assert details.unbounded.tolist() == [False] * 4 + [True, True]
    assert np.all(np.isfinite(details.ratings))
    assert (
        details.ratings[4] == details.ratings.max() and details.ratings[5] == details.ratings.min()
    )
    rows = {r.model: r for r in leaderboard(Votes(a, b, o, names), rounds=200)}
    assert rows["winner"].unbounded and rows["winner"].rank == 1 and rows["loser"].unbounded
    assert np.isfinite(rows["winner"].upper) and not rows["m0"].unbounded
    # Two models, one won every vote: neither rating is bounded, both are flagged.
    pair = fit_details(Votes([0] * 5, [1] * 5, [1.0] * 5, ("x", "y")))
    assert pair.unbounded.tolist() == [True, True]
    assert pair.ratings[0] > pair.ratings[1] and np.all(np.isfinite(pair.ratings))


def test_only_ties_is_a_finite_fit() -> None:
    votes = Votes([0, 1, 0], [1, 2, 2], [0.5, 0.5, 0.5], ("a", "b", "c"))
    details = fit_details(votes)
    assert np.allclose(details.ratings, 1000.0) and not details.unbounded.any()


def test_disconnected_comparisons_warn_and_centre_separately() -> None:
    rng = np.random.default_rng(6)
    left = simulate(np.array([900.0, 1100.0, 1000.0]), 300, rng)
    right = simulate(np.array([1000.0, 1300.0]), 200, rng)
    a = np.concatenate([left.model_a, right.model_a + 3])
    b = np.concatenate([left.model_b, right.model_b + 3])
    o = np.concatenate([left.outcome, right.outcome])
    votes = Votes(a, b, o, ("a", "b", "c", "d", "e"))
    with pytest.warns(DisconnectedComparisonWarning, match="not comparable"):
        details = fit_details(votes)
    assert details.component.tolist() == [0, 0, 0, 1, 1] and not details.connected
    assert details.ratings[:3].mean() == pytest.approx(1000.0)
    assert details.ratings[3:].mean() == pytest.approx(1000.0)
    with pytest.warns(DisconnectedComparisonWarning):
        rows = leaderboard(votes, rounds=200)
    assert [r.component for r in rows] == [0, 0, 0, 1, 1]
    assert [r.model for r in rows] == ["b", "c", "a", "e", "d"]
    assert rows[3].rank == 1  # ranked within its own component
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fit_details(left).connected


def test_arena_labels_and_validation() -> None:
    votes = Votes.from_labels(
        ["gpt", "med", "gpt", "med"],
        ["med", "gpt", "med", "gpt"],
        ["model_a", "model_a", "tie", "tie (bothbad)"],
    )
    assert votes.names == ("gpt", "med")
    assert votes.outcome.tolist() == [1.0, 1.0, 0.5, 0.5]
    assert np.allclose(fit(votes), 1000.0)
    assert len(votes.select(votes.outcome == 0.5)) == 2
    with pytest.raises(ValueError, match="winner label"):
        Votes.from_labels(["gpt"], ["med"], ["left"])
    with pytest.raises(ValueError, match="different models"):
        Votes([0], [0], [1.0], ("a", "b"))
    with pytest.raises(ValueError, match="outcome"):
        Votes([0], [1], [0.3], ("a", "b"))
    with pytest.raises(ValueError, match="indices"):
        Votes([0], [2], [1.0], ("a", "b"))
