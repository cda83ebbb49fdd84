"""Pairwise vote tables for the Bradley-Terry leaderboard (DESIGN §4): ``Votes`` (one entry
per vote), ``PairCounts`` (votes aggregated per pair of models) and the raw per-pair
matrices (win shares, vote counts) read off them. The fit itself is in ``bradley_terry``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

# Winner labels of the Chatbot Arena battle format (DESIGN §4), as outcomes for model A.
ARENA_OUTCOMES = {"model_a": 1.0, "model_b": 0.0, "tie": 0.5, "tie (bothbad)": 0.5}


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


def pair_counts(votes: Votes | PairCounts) -> PairCounts:
    """``PairCounts`` for a vote table; counts are passed through unchanged."""
    return votes if isinstance(votes, PairCounts) else PairCounts.from_votes(votes)


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
