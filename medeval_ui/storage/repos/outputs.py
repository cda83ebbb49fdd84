"""Model outputs, the models that wrote them, and automatic scores
(``outputs``, ``models``, ``scores``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from medeval_ui.storage.bulk import insert_rows
from medeval_ui.storage.tables import Case, Model, Output, Score


def existing_outputs(session: Session, study_id: int) -> dict[tuple[int, int, int], str]:
    """The study's outputs: (case id, model id, sample index) -> text."""
    return {
        (c, m, s): text
        for c, m, s, text in session.execute(
            select(Output.case_id, Output.model_id, Output.sample_index, Output.text)
            .join(Case, Case.id == Output.case_id)
            .where(Case.study_id == study_id)
        )
    }


def insert_outputs(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    insert_rows(session, Output.__table__, rows)


def output_ids_by_ref(session: Session, study_id: int) -> dict[tuple[str, str, str, int], int]:
    """The study's outputs by the names a file uses for them:
    (case external id, model name, model version, sample index) -> output id."""
    rows = session.execute(
        select(Case.external_id, Model.name, Model.version, Output.sample_index, Output.id)
        .join(Output, Output.case_id == Case.id)
        .join(Model, Model.id == Output.model_id)
        .where(Case.study_id == study_id)
    )
    return {(c, m, v, s): oid for c, m, v, s, oid in rows}


def output_counts_by_study(session: Session) -> dict[int, int]:
    """Number of outputs of each study that has any."""
    return {
        study_id: n
        for study_id, n in session.execute(
            select(Case.study_id, func.count(Output.id))
            .join(Output, Output.case_id == Case.id)
            .group_by(Case.study_id)
        )
    }


def model_ids(session: Session) -> dict[tuple[str, str], int]:
    """Every model: (name, version) -> id. Models are shared by all studies."""
    return {(m.name, m.version): m.id for m in session.scalars(select(Model))}


def insert_models(session: Session, names_versions: Iterable[tuple[str, str]]) -> None:
    session.execute(insert(Model), [{"name": n, "version": v} for n, v in names_versions])


def existing_scores(
    session: Session, study_id: int
) -> dict[tuple[int, str, str], tuple[float | None, str, str]]:
    """The study's scores: (output id, scorer, metric) -> (value, label, detail)."""
    rows = session.execute(
        select(Score.output_id, Score.scorer, Score.metric, Score.value, Score.label, Score.detail)
        .join(Output, Output.id == Score.output_id)
        .join(Case, Case.id == Output.case_id)
        .where(Case.study_id == study_id)
    )
    return {(o, s, m): (value, label, detail) for o, s, m, value, label, detail in rows}


def insert_scores(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    insert_rows(session, Score.__table__, rows)
