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

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

SCALE = 400.0
BASE = 1000.0
# One virtual tie added to a compared pair whose ratings would otherwise drift to infinity.
PSEUDO_TIES = 1.0
# Fewer votes than this and a model's row is marked provisional.
MIN_VOTES = 50
# Winner labels of the Chatbot Arena battle format (DESIGN §4), as outcomes for model A.
ARENA_OUTCOMES = {"model_a": 1.0, "model_b": 0.0, "tie": 0.5, "tie (bothbad)": 0.5}

_TO_RATING = SCALE / math.log(10.0)  # natural-log strength -> rating points
_TOL = 1e-10  # Newton stops when no strength moves by more than this (1.7e-8 points)
_MAX_ITER = 200


class DisconnectedComparisonWarning(UserWarning):
    """Some models were never compared, even indirectly: their ratings are not comparable."""


@dataclass(frozen=True, eq=False)
class Votes:
    """A table of pairwise votes, one entry per vote.

    ``model_a[k]`` and ``model_b[k]`` index ``names``; ``outcome[k]`` is 1.0 when A won, 0.0
    when B won and 0.5 for a tie or "both bad". Which output was shown on the left is not
    part of this table (see ``position_bias``). Arrays are converted on construction and
    checked: same length, indices in range, A differs from B, outcomes in {0, 0.5, 1}.
    """

    model_a: NDArray[np.intp]
    model_b: NDArray[np.intp]
    outcome: NDArray[np.float64]
    names: tuple[str, ...]

    def __post_init__(self) -> None:
        a = np.asarray(self.model_a, dtype=np.intp).reshape(-1)
        b = np.asarray(self.model_b, dtype=np.intp).reshape(-1)
        o = np.asarray(self.outcome, dtype=np.float64).reshape(-1)
        names = tuple(str(n) for n in self.names)
        if not (len(a) == len(b) == len(o)):
            raise ValueError("model_a, model_b and outcome must have the same length")
        if len(set(names)) != len(names):
            raise ValueError("model names must be distinct")
        m = len(names)
        if len(a) and (a.min() < 0 or b.min() < 0 or a.max() >= m or b.max() >= m):
            raise ValueError(f"model indices must lie in 0..{m - 1}")
        if np.any(a == b):
            raise ValueError("a vote must compare two different models")
        if not np.all(np.isin(o, (0.0, 0.5, 1.0))):
            raise ValueError("outcome must be 1.0 (A wins), 0.0 (B wins) or 0.5 (tie, both bad)")
        object.__setattr__(self, "model_a", a)
        object.__setattr__(self, "model_b", b)
        object.__setattr__(self, "outcome", o)
        object.__setattr__(self, "names", names)

    def __len__(self) -> int:
        return len(self.outcome)

    @classmethod
    def from_labels(
        cls,
        model_a: Sequence[str],
        model_b: Sequence[str],
        winner: Sequence[str],
        names: Sequence[str] | None = None,
    ) -> Votes:
        """Votes from model names and Chatbot Arena winner labels (``model_a``, ``model_b``,
        ``tie``, ``tie (bothbad)``). ``names`` fixes the model order (and may list models
        without votes); by default the sorted names that occur."""
        all_names = list(names) if names is not None else sorted({*model_a, *model_b})
        index = {n: i for i, n in enumerate(all_names)}
        try:
            a = [index[x] for x in model_a]
            b = [index[x] for x in model_b]
        except KeyError as exc:
            raise ValueError(f"model {exc.args[0]!r} is not among the names") from None
        try:
            o = [ARENA_OUTCOMES[w] for w in winner]
        except KeyError as exc:
            raise ValueError(f"unknown winner label {exc.args[0]!r}") from None
        return cls(np.array(a, np.intp), np.array(b, np.intp), np.array(o), tuple(all_names))

    def select(self, mask: ArrayLike) -> Votes:
        """The votes where ``mask`` is true (e.g. one language), with the same models."""
        keep = np.asarray(mask)
        return Votes(self.model_a[keep], self.model_b[keep], self.outcome[keep], self.names)


@dataclass(frozen=True, eq=False)
class PairCounts:
    """Votes aggregated per pair of models.

    ``n[i, j]`` (symmetric, zero diagonal) is the number of votes between i and j;
    ``wins[i, j]`` the wins of i over j with ties and both-bad counted as half a win each
    way, so ``wins[i, j] + wins[j, i] == n[i, j]``.
    """

    wins: NDArray[np.float64]
    n: NDArray[np.float64]
    names: tuple[str, ...]

    def __post_init__(self) -> None:
        wins = np.asarray(self.wins, dtype=np.float64)
        n = np.asarray(self.n, dtype=np.float64)
        m = len(self.names)
        if wins.shape != (m, m) or n.shape != (m, m):
            raise ValueError(f"wins and n must be {m} x {m} matrices")
        if np.any(wins < 0) or not np.allclose(wins + wins.T, n) or np.any(np.diag(n) != 0):
            raise ValueError("need wins >= 0, wins + wins.T == n and a zero diagonal")
        object.__setattr__(self, "wins", wins)
        object.__setattr__(self, "n", n)
        object.__setattr__(self, "names", tuple(self.names))

    @classmethod
    def from_votes(cls, votes: Votes) -> PairCounts:
        """Aggregate a vote table (a ``bincount``: 100k votes take about a millisecond)."""
        m = len(votes.names)
        a, b, o = votes.model_a, votes.model_b, votes.outcome
        n = np.bincount(a * m + b, minlength=m * m).astype(np.float64).reshape(m, m)
        wins = np.bincount(a * m + b, weights=o, minlength=m * m)
        wins += np.bincount(b * m + a, weights=1.0 - o, minlength=m * m)
        return cls(np.asarray(wins, np.float64).reshape(m, m), n + n.T, votes.names)

    @property
    def votes_per_model(self) -> NDArray[np.int64]:
        """How many votes each model took part in."""
        return np.rint(self.n.sum(axis=1)).astype(np.int64)


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


def pair_counts(votes: Votes | PairCounts) -> PairCounts:
    """``PairCounts`` for a vote table; counts are passed through unchanged."""
    return votes if isinstance(votes, PairCounts) else PairCounts.from_votes(votes)


def win_probability(rating_a: ArrayLike, rating_b: ArrayLike) -> NDArray[np.float64]:
    """P(A beats B) = 1 / (1 + 10 ** ((R_B - R_A) / 400)), counting a tie as half a win."""
    diff = np.asarray(rating_b, dtype=np.float64) - np.asarray(rating_a, dtype=np.float64)
    return np.asarray(1.0 / (1.0 + 10.0 ** (diff / SCALE)))


def win_rate_matrix(votes: Votes | PairCounts) -> NDArray[np.float64]:
    """Share of half-counted wins of row model i over column model j.

    ``matrix[i, j] + matrix[j, i] == 1`` where the pair was compared; NaN where it was not
    (and on the diagonal). Raw shares: they ignore who else each model met, unlike ratings.
    """
    counts = pair_counts(votes)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts.n > 0, counts.wins / counts.n, np.nan)


def vote_count_matrix(votes: Votes | PairCounts) -> NDArray[np.int64]:
    """Votes between each pair of models (symmetric, zero diagonal)."""
    return np.rint(pair_counts(votes).n).astype(np.int64)


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


def _closure(adjacency: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Reachability (reflexive, transitive) for a batch of directed graphs (R x m x m)."""
    m = adjacency.shape[-1]
    reach = adjacency | np.eye(m, dtype=bool)
    while True:
        as_float = reach.astype(np.float64)
        longer = (as_float @ as_float) > 0
        if np.array_equal(longer, reach):
            return reach
        reach = longer


def _structure(
    wins: NDArray[np.float64], n: NDArray[np.float64]
) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
    """Component labels (0 = largest, -1 = no votes) and unbounded flags for one win matrix.

    Within a component, models that beat each other directly or through others form groups
    (strongly connected components of the "won at least half a vote against" graph); the
    MLE is finite only when the component is one such group. Otherwise the models outside
    the single largest group are flagged unbounded (all of them when no group is largest).
    """
    m = n.shape[0]
    played = n > 0
    voted = np.asarray(played.any(axis=1), dtype=bool)
    same = _closure(played[None])[0]
    beat = _closure((wins > 0)[None])[0]
    mutual = beat & beat.T
    labels = np.full(m, -1, dtype=np.intp)
    roots = sorted(
        {int(np.argmax(same[i])) for i in range(m) if voted[i]},
        key=lambda r: (-int(same[r].sum()), r),
    )
    unbounded = np.zeros(m, dtype=bool)
    for label, root in enumerate(roots):
        members = np.flatnonzero(same[root])
        labels[members] = label
        group_of = {int(i): int(np.argmax(mutual[i])) for i in members}
        sizes = {g: list(group_of.values()).count(g) for g in set(group_of.values())}
        if len(sizes) == 1:
            continue
        biggest = max(sizes.values())
        main = [g for g, s in sizes.items() if s == biggest]
        for i, g in group_of.items():
            unbounded[i] = len(main) > 1 or g != main[0]
    return labels, unbounded


def _fit_batch(wins: NDArray[np.float64], n: NDArray[np.float64]) -> NDArray[np.float64]:
    """Ratings for a batch of win matrices (R x m x m): NaN for models without votes.

    Maximises the Bradley-Terry log-likelihood minus ``0.5 * sum_C (sum_{i in C} beta_i)^2``
    over comparison components C: the likelihood does not change when a component is
    shifted, so the penalty only picks the centred solution (and keeps the Newton system
    positive definite). Damped Newton on natural-log strengths, worked on the list of
    pairs (i < j): a step is halved, round by round, until the objective does not drop.
    """
    rounds, m, _ = n.shape
    played = n > 0
    voted = np.asarray(played.any(axis=2), dtype=bool)
    same = _closure(played).astype(np.float64)
    beat = _closure(wins > 0)
    cross = played & ~(beat & np.swapaxes(beat, 1, 2))
    if cross.any():
        wins = wins + 0.5 * PSEUDO_TIES * cross
        n = n + PSEUDO_TIES * cross
    first, second = np.triu_indices(m, 1)
    pair_n = n[:, first, second]
    pair_w = wins[:, first, second]  # wins of `first` over `second`
    diagonal = np.arange(m)
    # Small arrays: plain indexing and sums here, not BLAS calls (whose threads cost more
    # than they save on 10 x 10 matrices on a busy machine).
    spread = np.zeros((rounds, m, m))

    def evaluate(
        b: NDArray[np.float64],
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Objective per round, and P(first beats second) per pair."""
        d = b[:, first] - b[:, second]
        soft = np.logaddexp(0.0, d)
        loglik = (pair_w * d - pair_n * soft).sum(axis=1)
        penalty = 0.5 * ((same * b[:, None, :]).sum(axis=2) * b).sum(axis=1)
        return loglik - penalty, np.exp(d - soft)

    beta = np.zeros((rounds, m))
    current, p = evaluate(beta)
    for _ in range(_MAX_ITER):
        # Observed minus expected wins per model, minus the centring penalty's gradient.
        residual = pair_w - pair_n * p
        spread[:, first, second] = residual
        spread[:, second, first] = -residual
        grad = spread.sum(axis=2) - (same * beta[:, None, :]).sum(axis=2)
        # Negative Hessian: the Laplacian of the pair weights n p (1 - p), plus the penalty.
        weight = pair_n * p * (1.0 - p)
        spread[:, first, second] = -weight
        spread[:, second, first] = -weight
        system = same + spread
        system[:, diagonal, diagonal] -= spread.sum(axis=2)
        step = np.linalg.solve(system, grad[:, :, None])[:, :, 0]
        scale = np.ones(rounds)
        for _ in range(60):
            candidate = beta + scale[:, None] * step
            value, p_new = evaluate(candidate)
            worse = value < current - 1e-12 * (1.0 + np.abs(current))
            if not worse.any():
                break
            scale[worse] *= 0.5
        beta, current, p = candidate, value, p_new
        if np.max(np.abs(scale[:, None] * step), initial=0.0) < _TOL:
            break
    ratings = _TO_RATING * beta + BASE
    ratings[~voted] = np.nan
    return ratings
