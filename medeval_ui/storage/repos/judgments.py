"""The reads behind the dashboards: ratings with their case and model, automatic scores,
gold answers, and the texts of repeated samples.

Each read returns a pandas DataFrame of plain columns (answers extracted per question in
SQL, so no JSON is parsed in Python for a million ratings). ``after_id`` lets the caller
read only ratings newer than those it already holds.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Float, Select, String, and_, func, select
from sqlalchemy.orm import Session

from medeval_ui.storage.tables import Case, GoldAnswer, Model, Output, Rating, Score, User

# Question types whose answer is one option id (a string in the JSON).
_STRING_TYPES = ("single_choice", "likert", "pairwise")


def _model_name() -> object:
    return func.trim(Model.name + " " + func.coalesce(Model.version, ""))


def _frame(session: Session, stmt: Select[tuple[object, ...]]) -> pd.DataFrame:
    result = session.execute(stmt)
    return pd.DataFrame(result.all(), columns=list(result.keys()))


def rating_frame(
    session: Session,
    study_id: int,
    questions: Sequence[tuple[str, str]],
    *,
    after_id: int = 0,
) -> pd.DataFrame:
    """Ratings of a study newer than ``after_id``, one row each, with their output's case,
    model and sample, and one column ``q:<id>`` per ``(question id, question type)``: the
    option id as text for
    choice questions, the value for numbers, the JSON list as text for multiple choice.
    ``supersedes_id`` says which earlier rating a row replaces (the caller drops those)."""
    answer_columns = []
    for qid, kind in questions:
        item = Rating.answers[qid]
        if kind in _STRING_TYPES:
            answer_columns.append(item.as_string().label(f"q:{qid}"))
        elif kind == "number":
            answer_columns.append(item.as_float().label(f"q:{qid}"))
        elif kind == "multiple_choice":
            answer_columns.append(item.as_json().cast(String).label(f"q:{qid}"))
    stmt = (
        select(
            Rating.id.label("rating_id"),
            Rating.supersedes_id,
            Rating.output_id,
            Rating.user_id,
            Rating.created_at,
            Rating.time_spent_ms,
            Rating.confidence,
            Output.case_id,
            Output.sample_index,
            Output.model_id,
            *answer_columns,
        )
        .join(Output, Output.id == Rating.output_id)
        .where(Rating.study_id == study_id, Rating.id > after_id)
        .order_by(Rating.id)
    )
    return _frame(session, stmt)


def score_frame(session: Session, study_id: int) -> pd.DataFrame:
    """Automatic scores (imported LLM judges, letter matches) on the study's outputs."""
    stmt = (
        select(
            Score.output_id,
            Score.scorer,
            Score.metric,
            Score.value.cast(Float).label("value"),
            Score.label,
            Output.case_id,
            Output.sample_index,
            Output.model_id,
        )
        .join(Output, Output.id == Score.output_id)
        .join(Case, Case.id == Output.case_id)
        .where(Case.study_id == study_id)
        .order_by(Score.id)
    )
    return _frame(session, stmt)


def case_frame(session: Session, study_id: int) -> pd.DataFrame:
    """The study's cases: id, group, language, specialty (what the dashboards group by)."""
    stmt = (
        select(Case.id.label("case_id"), Case.group_id, Case.language, Case.specialty)
        .where(Case.study_id == study_id)
        .order_by(Case.id)
    )
    return _frame(session, stmt)


def model_names(session: Session) -> dict[int, str]:
    """Every model's display name ("name version") by id."""
    return {mid: name for mid, name in session.execute(select(Model.id, _model_name()))}


def gold_answers(session: Session, study_id: int) -> dict[int, dict[str, object]]:
    """Expected answers per gold output id."""
    rows = session.execute(
        select(GoldAnswer.output_id, GoldAnswer.answers).where(GoldAnswer.study_id == study_id)
    )
    return {oid: dict(answers or {}) for oid, answers in rows}


def rater_names(session: Session, user_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """(username, pseudonym) per user id."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(User.id, User.username, User.pseudonym).where(User.id.in_(list(user_ids)))
    )
    return {uid: (name, pseudonym) for uid, name, pseudonym in rows}


def repeated_sample_texts(session: Session, study_id: int) -> pd.DataFrame:
    """Texts of outputs whose case and model have several samples (sample consistency)."""
    # the dashboards group on codes; model names and case fields come from the lookups
    repeated = (
        select(Output.case_id, Output.model_id)
        .join(Case, Case.id == Output.case_id)
        .where(Case.study_id == study_id)
        .group_by(Output.case_id, Output.model_id)
        .having(func.count() > 1)
        .subquery()
    )
    stmt = (
        select(
            Output.id.label("output_id"),
            Output.case_id,
            Output.sample_index,
            Output.model_id,
            Output.text,
        )
        .join(
            repeated,
            and_(repeated.c.case_id == Output.case_id, repeated.c.model_id == Output.model_id),
        )
        .order_by(Output.case_id, Output.model_id, Output.sample_index)
    )
    return _frame(session, stmt)
