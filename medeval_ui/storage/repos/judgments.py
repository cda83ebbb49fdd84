"""The reads behind the dashboards: ratings with their case and model, automatic scores,
gold answers, and the texts of repeated samples.

Each read returns a pandas DataFrame of plain columns (answers extracted per question in
SQL, so no JSON is parsed in Python for a million ratings). ``after_id`` lets the caller
read only ratings newer than those it already holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import pyarrow as pa
from sqlalchemy import Float, Select, Text, and_, cast, func, literal, select
from sqlalchemy.orm import Session

from medeval_ui.storage.streaming import arrow_rows, query
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
    model and sample, and one text column ``q:<id>`` per ``(question id, question type)``:
    the option id for choice questions, the number as text, the JSON list for multiple
    choice; "" when unanswered. ``supersedes_id`` says which earlier rating a row replaces
    (the caller drops those); ``created_at`` is ISO text.

    Read as Arrow columns (storage/streaming.py: ADBC on a SQLite file): a million rows
    arrive in about a second instead of the 15 s that SQLAlchemy row objects took.
    """
    answers: dict[str, tuple[Any, pa.DataType]] = {}
    sqlite = session.get_bind().dialect.name == "sqlite"
    for qid, kind in questions:
        if kind not in (*_STRING_TYPES, "number", "multiple_choice"):
            continue
        # The answer as text in SQL: an option id, a number, or a JSON list. The path is
        # written out (question ids are [a-z0-9_]) because the Arrow reader passes bind
        # values as they are, without SQLAlchemy's JSON-path processing.
        if sqlite:
            text = cast(func.json_extract(Rating.answers, f'$."{qid}"'), Text)
        else:
            text = Rating.answers.op("->>")(literal(qid))
        # never NULL: ADBC types a column from its first batch, and NULL reads as integer
        answers[f"q:{qid}"] = (func.coalesce(text, ""), pa.string())
    stmt, row_type = query(
        rating_id=(Rating.id, pa.int64()),
        supersedes_id=(Rating.supersedes_id, pa.int64()),
        output_id=(Rating.output_id, pa.int64()),
        user_id=(Rating.user_id, pa.int64()),
        created_at=(cast(Rating.created_at, Text), pa.string()),
        time_spent_ms=(Rating.time_spent_ms, pa.int64()),
        case_id=(Output.case_id, pa.int64()),
        sample_index=(Output.sample_index, pa.int64()),
        model_id=(Output.model_id, pa.int64()),
        **answers,
    )
    stmt = (
        stmt.select_from(Rating)
        .join(Output, Output.id == Rating.output_id)
        .where(Rating.study_id == study_id, Rating.id > after_id)
        .order_by(Rating.id)
    )
    with arrow_rows(session.connection()) as rows:
        chunks = [pa.RecordBatch.from_pydict(c) for c in rows.chunks(stmt, row_type, 100_000)]
    table = pa.Table.from_batches(chunks, schema=pa.schema(list(row_type)))
    return table.to_pandas()


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
