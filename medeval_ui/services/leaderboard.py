"""The pairwise leaderboard of a study: Bradley-Terry ratings with bootstrap intervals,
win-rate and vote-count matrices, and position bias, overall, per language or per axis.

For leads and admins only (the web layer and CLI check the role). Model names appear here
by design: this is the unblinded view.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from medeval_ui.domain.languages import within
from medeval_ui.errors import MedevalError
from medeval_ui.services.studies import find_study
from medeval_ui.stats.bradley_terry import (
    DisconnectedComparisonWarning,
    LeaderboardRow,
    Votes,
    leaderboard,
    vote_count_matrix,
    win_rate_matrix,
)
from medeval_ui.stats.position_bias import PositionBias, position_bias
from medeval_ui.storage.engine import Database
from medeval_ui.storage.repos import pairs

# Stored winner (by position) -> outcome for the model shown on the left ("A").
_LEFT_OUTCOME = {"left": 1.0, "right": 0.0, "tie": 0.5, "both_bad": 0.5}


@dataclass(frozen=True)
class LeaderboardReport:
    study: str
    language: str | None
    axis: str | None
    rows: list[LeaderboardRow]
    names: list[str]  # the order of the matrices' rows and columns
    win_rate: list[list[float | None]]  # share of (half-counted) wins of row over column
    counts: list[list[int]]
    position: PositionBias  # from votes made in the app (imported votes have no sides)
    votes: int
    min_votes: int
    warnings: list[str]


def study_leaderboard(
    db: Database,
    slug: str,
    *,
    language: str | None = None,
    axis: str | None = None,
    rounds: int = 1000,
    seed: int = 0,
) -> LeaderboardReport:
    """The leaderboard from the study's votes. ``language`` keeps votes on cases whose
    language tag starts with it (``pt`` keeps ``pt-BR``); ``axis`` ranks by the answers to
    one per-axis question instead of the overall vote (votes without it are left out)."""
    if rounds < 1 or rounds > 100_000:
        raise MedevalError("bootstrap rounds must be between 1 and 100000")
    with db.read() as session:
        study = find_study(session, slug)
        rows = pairs.study_votes(session, study.id)
        min_votes = study.min_votes
    label = {}
    a_names, b_names, outcomes, sides, origins = [], [], [], [], []
    for lm, lv, rm, rv, winner, axes, lang, origin, _at, _user in rows:
        if language and not within(lang, language):
            continue
        result = winner if axis is None else (axes or {}).get(axis)
        if result is None:
            continue
        if result not in _LEFT_OUTCOME:
            raise MedevalError(f"vote answer {result!r} is not left, right, tie or both_bad")
        left, right = f"{lm} {lv}".strip(), f"{rm} {rv}".strip()
        label[left] = label[right] = True
        a_names.append(left)
        b_names.append(right)
        outcomes.append(_LEFT_OUTCOME[result])
        sides.append(result)
        origins.append(origin)
    names = sorted(label)
    index = {n: i for i, n in enumerate(names)}
    votes = Votes(
        np.array([index[n] for n in a_names], np.intp),
        np.array([index[n] for n in b_names], np.intp),
        np.array(outcomes, np.float64),
        tuple(names),
    )
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DisconnectedComparisonWarning)
        board = leaderboard(votes, rounds=rounds, seed=seed, min_votes=min_votes) if names else []
    notes += [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    if names and len(votes) < min_votes:
        notes.append(f"only {len(votes)} votes: every rating is provisional")
    rate = win_rate_matrix(votes) if names else np.zeros((0, 0))
    return LeaderboardReport(
        study=slug,
        language=language,
        axis=axis,
        rows=board,
        names=names,
        win_rate=[[None if np.isnan(x) else float(x) for x in row] for row in rate],
        counts=vote_count_matrix(votes).tolist() if names else [],
        position=position_bias([s for s, o in zip(sides, origins, strict=True) if o == "app"]),
        votes=len(votes),
        min_votes=min_votes,
        warnings=notes,
    )


def leaderboard_filters(db: Database, slug: str) -> tuple[list[str], list[str]]:
    """(languages with votes, per-axis question ids with answers) for the page's filters."""
    with db.read() as session:
        study = find_study(session, slug)
        rows = pairs.study_votes(session, study.id)
    languages = sorted({r[6] for r in rows})
    axes = sorted({k for r in rows for k in (r[5] or {})})
    return languages, axes
