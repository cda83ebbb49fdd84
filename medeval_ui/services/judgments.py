"""A study's judgments in memory, for the dashboards: current ratings as numbers, the
cases and models they are about, automatic scores, gold answers and rater names.

Ratings are append-only (an edit is a new row that supersedes the old one), so a cached
frame stays right by reading only ratings with a larger id than the newest it holds and
dropping the ones they supersede. Each rating is kept as numbers only: ids, the case and
model, and per question the option's code (or the value) and its correctness score,
converted once when the rating is first read. A recompute then starts from memory instead
of a million-row query and a million strings (bench/bench_dashboard.py measures both).
Cases, models, scores, gold answers and names are small and re-read each time. Per
process: with several instances each reads the same database, so each shows every
committed rating.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from medeval_ui.domain.rubric import Question, Rubric
from medeval_ui.services.judgment_codes import answer_values, question_scores
from medeval_ui.services.studies import StudyInfo, find_study, study_info
from medeval_ui.storage.engine import Database
from medeval_ui.storage.repos import judgments as repo
from medeval_ui.storage.repos import work_admin

# Question types the dashboards can summarize (free text has no number to show).
SUMMARIZED = ("single_choice", "likert", "pairwise", "number", "multiple_choice")
CATEGORICAL = ("single_choice", "likert", "pairwise")
_NUMERIC = ["rating_id", "supersedes_id", "output_id", "user_id", "created_at"]
_NUMERIC += ["time_spent_ms", "case_id", "sample_index", "model_id"]


@dataclass
class Judgments:
    """Everything the dashboard statistics read, for one study.

    ``ratings``: one row per current rating (superseded revisions dropped), numeric
    columns only: ids, ``created_at``, ``time_spent_ms``, and per summarized question
    ``a:<id>`` (option code in rubric order, or the number; NaN when unanswered) and, for
    questions whose options carry scores, ``s:<id>`` (the answer's correctness 0..1).
    Ratings of gold outputs (``gold_answers``: quality-control items the lead knows the
    answer to) are left out of the model statistics and used by the clinician statistics.
    """

    study: StudyInfo
    rubric: Rubric
    ratings: pd.DataFrame
    cases: pd.DataFrame
    models: dict[int, str]
    scores: pd.DataFrame
    gold_answers: dict[int, dict[str, object]]
    gold_ratings: list[tuple[int, int, int, dict[str, Any]]]  # user, rating, output, answers
    raters: dict[int, tuple[str, str]]
    texts: pd.DataFrame | None = None

    def questions(self, types: tuple[str, ...] = SUMMARIZED) -> list[Question]:
        return [q for q in self.rubric.questions if q.type in types]

    def scored_questions(self) -> list[Question]:
        """Questions whose options carry a correctness score (0..1)."""
        return [
            q
            for q in self.questions((*CATEGORICAL, "multiple_choice"))
            if any(o.score is not None for o in q.options)
        ]


@dataclass
class _Cached:
    rubric_version: str
    max_id: int = 0
    frame: pd.DataFrame = field(default_factory=pd.DataFrame)


_cache: dict[tuple[str, int, str], _Cached] = {}
_lock = threading.Lock()


def forget_judgments() -> None:
    """Drop every cached frame (tests, and after a restore)."""
    with _lock:
        _cache.clear()


def _columns(rubric: Rubric) -> list[tuple[str, str]]:
    return [(q.id, q.type) for q in rubric.questions if q.type in SUMMARIZED]


def _as_numbers(raw: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    """The numeric form of freshly read ratings: answers become codes and scores."""
    out = pd.DataFrame({c: raw[c] for c in _NUMERIC})
    out["created_at"] = pd.to_datetime(out["created_at"], format="ISO8601")
    out["time_spent_ms"] = pd.to_numeric(out["time_spent_ms"]).astype(np.float64)
    for q in rubric.questions:
        if q.type not in SUMMARIZED:
            continue
        column = raw[f"q:{q.id}"]
        out[f"a:{q.id}"] = answer_values(column, q)
        if any(o.score is not None for o in q.options):
            out[f"s:{q.id}"] = question_scores(column, q)
    return out


def _top_up(cached: _Cached, new: pd.DataFrame, rubric: Rubric) -> None:
    if new.empty:
        return
    replaced = new["supersedes_id"].dropna().astype(np.int64)
    numbers = _as_numbers(new, rubric)
    frame = numbers if cached.frame.empty else pd.concat([cached.frame, numbers], ignore_index=True)
    if len(replaced):
        frame = frame[~frame["rating_id"].isin(replaced)].reset_index(drop=True)
    cached.frame = frame
    cached.max_id = int(new["rating_id"].max())


def load_judgments(db: Database, slug: str, *, with_texts: bool = True) -> Judgments:
    """The study's judgments as of now (raises NotFoundError for an unknown slug)."""
    url = db.engine.url.render_as_string(hide_password=True)
    with db.snapshot() as session:
        row = find_study(session, slug)
        study = study_info(row)
        rubric = Rubric.from_snapshot(row.rubric_snapshot)
        # a study id can come back after a restore or a reset: its creation time tells
        key = (url, study.id, str(row.created_at))
        with _lock:
            cached = _cache.get(key)
            if cached is None or cached.rubric_version != study.rubric_version:
                cached = _cache[key] = _Cached(study.rubric_version)
            new = repo.rating_frame(session, study.id, _columns(rubric), after_id=cached.max_id)
            _top_up(cached, new, rubric)
            ratings = cached.frame
        cases = repo.case_frame(session, study.id)
        models = repo.model_names(session)
        scores = repo.score_frame(session, study.id)
        gold = repo.gold_answers(session, study.id)
        gold_ratings = [
            (int(u), int(r), int(o), dict(a or {}))
            for u, r, o, a, _ in work_admin.gold_ratings(session, study.id)
        ]
        users = sorted(int(u) for u in ratings["user_id"].unique()) if len(ratings) else []
        raters = repo.rater_names(session, users)
        texts = repo.repeated_sample_texts(session, study.id) if with_texts else None
    if ratings.empty:
        ratings = _as_numbers(_empty(rubric), rubric)
    return Judgments(
        study, rubric, ratings, cases, models, scores, gold, gold_ratings, raters, texts
    )


def _empty(rubric: Rubric) -> pd.DataFrame:
    names = _NUMERIC + [f"q:{qid}" for qid, _ in _columns(rubric)]
    return pd.DataFrame({n: pd.Series(dtype=object) for n in names})
