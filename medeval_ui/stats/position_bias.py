"""Position bias in blind pairwise votes (DESIGN §4).

The two outputs of a comparison are shown side by side in random order; if clinicians
favoured one side, the left position would win more (or fewer) than half of the decisive
votes. Ties and "both bad" say nothing about sides and are left out of the share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from medeval_ui.stats.intervals import wilson_interval

WINNERS = ("left", "right", "tie", "both_bad")


@dataclass(frozen=True)
class PositionBias:
    """Share of decisive votes won by the left position.

    ``share`` = ``left_wins / n`` with ``n = left_wins + right_wins`` (decisive votes);
    ``lower``..``upper`` its Wilson interval at ``level``. NaN share and bounds when
    ``n == 0``. ``reading`` says it in words.
    """

    left_wins: int
    right_wins: int
    ties: int
    both_bad: int
    n: int
    share: float
    lower: float
    upper: float
    level: float
    reading: str

    @property
    def biased(self) -> bool | None:
        """True when 0.5 lies outside the interval, None when there are no decisive votes."""
        if self.n == 0:
            return None
        return not self.lower <= 0.5 <= self.upper


def position_bias(winner: Sequence[str] | ArrayLike, level: float = 0.95) -> PositionBias:
    """Position bias from the winning side of each vote: ``left``, ``right``, ``tie`` or
    ``both_bad``.

    How to read it: a left share of 0.5 means no preference for a side. When 0.5 is inside
    the interval the reading is "no evidence of position bias" (which, with few votes, is
    not evidence of its absence: look at ``n``); otherwise the favoured side is named.
    Edges: no decisive votes gives NaN share and bounds and says so; any other label raises
    ``ValueError``.
    """
    labels = np.asarray(winner, dtype=object).reshape(-1)
    unknown = sorted({str(x) for x in labels} - set(WINNERS))
    if unknown:
        raise ValueError(f"unknown winner labels {unknown}: expected one of {list(WINNERS)}")
    left, right, ties, both_bad = (int(np.count_nonzero(labels == w)) for w in WINNERS)
    n = left + right
    share = left / n if n else float("nan")
    lower, upper = wilson_interval(left, n, level)
    pct = f"{level:.0%}"
    if n == 0:
        reading = "no decisive votes yet: position bias cannot be assessed"
    else:
        detail = (
            f"left won {share:.1%} of {n} decisive votes ({pct} interval "
            f"{lower:.1%} to {upper:.1%})"
        )
        if lower <= 0.5 <= upper:
            reading = f"no evidence of position bias: {detail}"
        elif lower > 0.5:
            reading = f"left position favoured: {detail}"
        else:
            reading = f"right position favoured: {detail}"
    return PositionBias(left, right, ties, both_bad, n, share, lower, upper, level, reading)


def position_bias_by(
    winner: Sequence[str] | ArrayLike, group: Sequence[str] | ArrayLike, level: float = 0.95
) -> dict[str, PositionBias]:
    """``position_bias`` per group (e.g. per language), keyed by group, in sorted order."""
    labels = np.asarray(winner, dtype=object).reshape(-1)
    groups = np.array([str(x) for x in np.asarray(group, dtype=object).reshape(-1)], object)
    if len(labels) != len(groups):
        raise ValueError("winner and group must have the same length")
    return {str(g): position_bias(labels[groups == g], level) for g in sorted(set(groups))}
