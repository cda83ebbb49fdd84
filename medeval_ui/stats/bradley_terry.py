"""Bradley-Terry leaderboard from blind pairwise votes (DESIGN §4).

A vote compares two anonymous outputs, A and B: A wins (1.0), B wins (0.0), or a tie / both
bad (0.5, half a win each way). Ratings are on the Elo-like scale ``400 * theta + 1000``,
where ``theta`` is the base-10 Bradley-Terry strength, so that

    P(A beats B) = 1 / (1 + 10 ** ((R_B - R_A) / 400))

(200 points apart: 76%; 400 points: 91%). Only differences carry meaning: ratings are
centred so that the mean over the models of one comparison component is 1000.

Everything is fitted on the aggregated win matrix (maximum likelihood by damped Newton, to
1e-8 rating points), which is the same likelihood as a vote-level logistic regression with
ties split into two half-weighted rows, at a fraction of the cost; the bootstrap resamples
the counts of distinct (A, B, outcome) cells from a multinomial instead of resampling rows.

Edge cases, shared by every function here:
- a model with no votes gets a NaN rating, NaN interval and no rank;
- where the maximum-likelihood rating is infinite (a model that won, or lost, every one of
  its votes; more generally a group of models that never lost to the rest), one virtual tie
  (``PSEUDO_TIES``: half a win each way) is added to each compared pair that links such
  groups, only there, which keeps ratings finite; those models are flagged ``unbounded``:
  read their rating as "at least" (or "at most") and their interval as open on that side;
- models that were never compared with one another, even indirectly, form separate
  components: each is centred on 1000 on its own, ratings across components are not
  comparable, ranks are counted within a component, and a
  ``DisconnectedComparisonWarning`` is issued;
- one model, or no votes at all: every rating is NaN.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from medeval_ui.stats.bt_solver import BASE, PSEUDO_TIES, SCALE, _fit_batch, _structure
from medeval_ui.stats.bt_votes import (
    ARENA_OUTCOMES,
    PairCounts,
    Votes,
    pair_counts,
    vote_count_matrix,
    win_rate_matrix,
)

__all__ = [
    "ARENA_OUTCOMES",
    "BASE",
    "MIN_VOTES",
    "PSEUDO_TIES",
    "SCALE",
    "BootstrapResult",
    "BradleyTerryFit",
    "DisconnectedComparisonWarning",
    "LeaderboardRow",
    "PairCounts",
    "Votes",
    "bootstrap",
    "fit",
    "fit_details",
    "leaderboard",
    "pair_counts",
    "separation_ranks",
    "vote_count_matrix",
    "win_probability",
    "win_rate_matrix",
]

# Fewer votes than this and a model's row is marked provisional.
MIN_VOTES = 50


class DisconnectedComparisonWarning(UserWarning):
    """Some models were never compared, even indirectly: their ratings are not comparable."""


@dataclass(frozen=True, eq=False)
class BradleyTerryFit:
    """One Bradley-Terry fit. Arrays follow ``names``.

    ``ratings``: NaN for models without votes. ``unbounded``: the maximum-likelihood rating
    is infinite and the value shown is held finite by ``PSEUDO_TIES``. ``component``: which
    group of mutually (perhaps indirectly) compared models each model belongs to, 0 for the
    largest, -1 for models without votes; ratings are comparable only within a component.
    """

    names: tuple[str, ...]
    ratings: NDArray[np.float64]
    votes: NDArray[np.int64]
    unbounded: NDArray[np.bool_]
    component: NDArray[np.intp]

    @property
    def connected(self) -> bool:
        """Whether all models with votes can be compared (one component at most)."""
        return int(self.component.max(initial=-1)) <= 0


@dataclass(frozen=True, eq=False)
class BootstrapResult:
    """Percentile bootstrap intervals for Bradley-Terry ratings. Arrays follow ``names``.

    ``ratings`` is the fit on all votes; ``lower`` and ``upper`` the ``level`` percentile
    interval over ``samples`` (``rounds`` x models, one refit per resampled round; NaN where
    a model drew no votes in that round). Intervals of rating differences can be read off
    ``samples`` column differences.
    """

    names: tuple[str, ...]
    ratings: NDArray[np.float64]
    lower: NDArray[np.float64]
    upper: NDArray[np.float64]
    samples: NDArray[np.float64]
    level: float
    seed: int
    fit: BradleyTerryFit


@dataclass(frozen=True)
class LeaderboardRow:
    """One model on the leaderboard.

    ``rating`` with its percentile bootstrap interval ``lower``..``upper``; ``rank`` = 1 +
    the number of models (of the same component) whose lower bound is above this model's
    upper bound, so models whose intervals overlap share a rank; None without votes.
    ``provisional``: fewer than ``min_votes`` votes. ``unbounded``: won or lost everything
    that matters (see the module notes); ``component``: None without votes.
    """

    model: str
    rating: float
    lower: float
    upper: float
    rank: int | None
    votes: int
    provisional: bool
    unbounded: bool
    component: int | None


def win_probability(rating_a: ArrayLike, rating_b: ArrayLike) -> NDArray[np.float64]:
    """P(A beats B) = 1 / (1 + 10 ** ((R_B - R_A) / 400)), counting a tie as half a win."""
    diff = np.asarray(rating_b, dtype=np.float64) - np.asarray(rating_a, dtype=np.float64)
    return np.asarray(1.0 / (1.0 + 10.0 ** (diff / SCALE)))


def fit(counts: PairCounts | Votes) -> NDArray[np.float64]:
    """Bradley-Terry ratings by maximum likelihood, one per model in ``counts.names``.

    How to read it: differences give win probabilities through ``win_probability``; the
    mean over the models of a component is 1000. Edges (see the module notes): NaN without
    votes, finite but unbounded when a model won or lost all its votes, separate centring
    (and a ``DisconnectedComparisonWarning``) for models never compared. ``fit_details``
    returns the flags as well.
    """
    return fit_details(counts).ratings


def fit_details(counts: PairCounts | Votes) -> BradleyTerryFit:
    """``fit`` with the per-model flags: votes, unbounded, component. Warns with
    ``DisconnectedComparisonWarning`` when the models with votes form several components."""
    pc = pair_counts(counts)
    m = len(pc.names)
    votes = pc.votes_per_model
    if m == 0:
        empty = np.zeros(0)
        return BradleyTerryFit(pc.names, empty, votes, empty.astype(bool), empty.astype(np.intp))
    ratings = _fit_batch(pc.wins[None], pc.n[None])[0]
    component, unbounded = _structure(pc.wins, pc.n)
    if component.max(initial=-1) > 0:
        groups = [
            [pc.names[i] for i in np.flatnonzero(component == c)]
            for c in range(int(component.max()) + 1)
        ]
        warnings.warn(
            "models were never compared across these groups, so their ratings are not "
            f"comparable (each group is centred on {BASE:.0f}): {groups}",
            DisconnectedComparisonWarning,
            stacklevel=3,
        )
    return BradleyTerryFit(pc.names, ratings, votes, unbounded, component)


def bootstrap(
    votes: Votes, rounds: int = 1000, seed: int = 0, level: float = 0.95
) -> BootstrapResult:
    """Percentile bootstrap intervals for the ratings, resampling votes.

    Each round draws as many votes as there are, with replacement, and refits. Because a
    vote is fully described by its (A, B, outcome) cell, a round is one multinomial draw of
    cell counts (pairs are stored unordered, A < B), and all rounds are fitted together on
    their win matrices: 1000 rounds on 100k votes take under 0.1 s (bench_leaderboard). The same
    ``seed`` gives the same intervals.

    How to read it: ``lower``..``upper`` holds the rating in ``level`` of the resampled
    studies; it ignores clustering (several votes on one case are treated as independent).
    Edges: a model absent from a round (few votes) is left out of that round, and NaN if it
    has no votes at all; rounds that hit an unbounded rating use ``PSEUDO_TIES`` like
    ``fit``, so an unbounded model's interval is open on that side in all but name.
    """
    if rounds < 1:
        raise ValueError("need at least one bootstrap round")
    if not 0.0 < level < 1.0:
        raise ValueError("level must lie between 0 and 1")
    full = fit_details(votes)
    m = len(votes.names)
    total = len(votes)
    if total == 0 or m < 2:
        samples = np.full((rounds, m), np.nan)
    else:
        lo = np.minimum(votes.model_a, votes.model_b)
        hi = np.maximum(votes.model_a, votes.model_b)
        o = np.where(votes.model_a == lo, votes.outcome, 1.0 - votes.outcome)
        code = (lo * m + hi) * 3 + np.rint(o * 2).astype(np.intp)
        per_code = np.bincount(code, minlength=m * m * 3)
        cells = np.flatnonzero(per_code)  # sorted by pair, then outcome
        pair, cell_outcome = np.divmod(cells, 3)
        rng = np.random.default_rng(seed)
        drawn = rng.multinomial(total, per_code[cells] / total, size=rounds).astype(np.float64)
        # Sum the (up to three) outcome cells of each pair: votes, and wins of the lower index.
        pairs, starts = np.unique(pair, return_index=True)
        pair_n = np.add.reduceat(drawn, starts, axis=1)
        pair_wins = np.add.reduceat(drawn * (cell_outcome / 2.0), starts, axis=1)
        ci, cj = np.divmod(pairs, m)
        n = np.zeros((rounds, m, m))
        wins = np.zeros((rounds, m, m))
        n[:, ci, cj] = pair_n
        n[:, cj, ci] = pair_n
        wins[:, ci, cj] = pair_wins
        wins[:, cj, ci] = pair_n - pair_wins
        samples = _fit_batch(wins, n)
    lower = np.full(m, np.nan)
    upper = np.full(m, np.nan)
    seen = ~np.all(np.isnan(samples), axis=0)
    if seen.any():
        tail = 50.0 * (1.0 - level)
        kept = samples[:, seen]
        quantile = np.nanpercentile if np.isnan(kept).any() else np.percentile
        bounds = quantile(kept, [tail, 100.0 - tail], axis=0)
        lower[seen], upper[seen] = bounds[0], bounds[1]
    return BootstrapResult(votes.names, full.ratings, lower, upper, samples, level, seed, full)


def separation_ranks(
    lower: ArrayLike, upper: ArrayLike, groups: ArrayLike | None = None
) -> list[int | None]:
    """Rank = 1 + the number of models whose lower bound is above this model's upper bound.

    Models whose intervals overlap are not told apart: two clearly best models with
    overlapping intervals are both rank 1, and the next one, clearly below both, is rank 3.
    ``groups`` (e.g. comparison components) restricts the count to the same group. A model
    with a NaN bound gets None and does not count against others.
    """
    lo = np.asarray(lower, dtype=np.float64)
    up = np.asarray(upper, dtype=np.float64)
    grp = np.zeros(len(lo), dtype=np.intp) if groups is None else np.asarray(groups)
    valid = ~(np.isnan(lo) | np.isnan(up))
    ranks: list[int | None] = []
    for i in range(len(lo)):
        if not valid[i]:
            ranks.append(None)
            continue
        above = valid & (grp == grp[i]) & (lo > up[i])
        ranks.append(1 + int(above.sum()))
    return ranks


def leaderboard(
    votes: Votes,
    rounds: int = 1000,
    seed: int = 0,
    min_votes: int = MIN_VOTES,
    level: float = 0.95,
) -> list[LeaderboardRow]:
    """The leaderboard: one row per model, best first.

    Ratings from ``fit``, intervals from ``bootstrap`` (``rounds``, ``seed``, ``level``),
    rank by interval separation (``separation_ranks``, within a comparison component).
    Rows are ordered by component (largest first), then rating; models without votes come
    last with NaN rating and no rank. For one language, pass ``votes.select(mask)``.
    """
    result = bootstrap(votes, rounds=rounds, seed=seed, level=level)
    details = result.fit
    ranks = separation_ranks(result.lower, result.upper, details.component)
    rows = [
        LeaderboardRow(
            model=name,
            rating=float(details.ratings[i]),
            lower=float(result.lower[i]),
            upper=float(result.upper[i]),
            rank=ranks[i] if details.votes[i] > 0 else None,
            votes=int(details.votes[i]),
            provisional=bool(details.votes[i] < min_votes),
            unbounded=bool(details.unbounded[i]),
            component=int(details.component[i]) if details.component[i] >= 0 else None,
        )
        for i, name in enumerate(votes.names)
    ]

    def order(row: LeaderboardRow) -> tuple[bool, int, float, str]:
        no_votes = row.component is None
        return (no_votes, row.component or 0, 0.0 if no_votes else -row.rating, row.model)

    return sorted(rows, key=order)
