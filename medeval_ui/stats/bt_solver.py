"""Numerical core of the Bradley-Terry fit (DESIGN §4): the rating scale, comparison
structure (components, unbounded groups) and the batched damped-Newton solver that
``bradley_terry.fit`` and ``bradley_terry.bootstrap`` share. See ``bradley_terry`` for how
the results are read and for the edge cases.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

SCALE = 400.0
BASE = 1000.0
# One virtual tie added to a compared pair whose ratings would otherwise drift to infinity.
PSEUDO_TIES = 1.0

_TO_RATING = SCALE / math.log(10.0)  # natural-log strength -> rating points
_TOL = 1e-10  # Newton stops when no strength moves by more than this (1.7e-8 points)
_MAX_ITER = 200


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
