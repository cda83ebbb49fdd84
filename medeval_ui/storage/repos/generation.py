"""What generating outputs reads and writes: the cases to answer, their display images,
which (case, sample) a model already answered, and a study's prompt template."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from medeval_ui.storage.tables import Case, CaseImage, Model, Output, Study


@dataclass(frozen=True)
class CaseToAnswer:
    id: int
    external_id: str
    language: str
    prompt: str
    specialty: str
    modality: str
    display_images: tuple[str, ...]  # display PNG sha256 values, in display order


def cases_to_answer(session: Session, study_id: int) -> list[CaseToAnswer]:
    """The study's cases in import order, each with its display images."""
    images: dict[int, tuple[str, ...]] = {}
    for case_id, sha in session.execute(
        select(CaseImage.case_id, CaseImage.display_sha256)
        .join(Case, Case.id == CaseImage.case_id)
        .where(Case.study_id == study_id)
        .order_by(CaseImage.case_id, CaseImage.position)
    ):
        images[case_id] = (*images.get(case_id, ()), sha)
    rows = session.execute(
        select(Case.id, Case.external_id, Case.language, Case.prompt, Case.specialty, Case.modality)
        .where(Case.study_id == study_id)
        .order_by(Case.id)
    )
    return [CaseToAnswer(*row, display_images=images.get(row[0], ())) for row in rows]


def find_model_id(session: Session, name: str, version: str) -> int | None:
    return session.scalar(select(Model.id).where(Model.name == name, Model.version == version))


def model_id_for(session: Session, name: str, version: str) -> int:
    """The model's id, adding the model first if it is new."""
    found = find_model_id(session, name, version)
    if found is not None:
        return found
    session.execute(insert(Model).values(name=name, version=version))
    found = find_model_id(session, name, version)
    assert found is not None
    return found


def answered(
    session: Session, study_id: int, model_id: int, case_ids: Collection[int] | None = None
) -> set[tuple[int, int]]:
    """(case id, sample index) of the model's outputs in the study (optionally only for
    some cases)."""
    query = (
        select(Output.case_id, Output.sample_index)
        .join(Case, Case.id == Output.case_id)
        .where(Case.study_id == study_id, Output.model_id == model_id)
    )
    if case_ids is not None:
        query = query.where(Output.case_id.in_(list(case_ids)))
    return {(c, s) for c, s in session.execute(query)}


def prompt_settings(session: Session, study_id: int) -> tuple[str, str]:
    """(prompt template, system prompt) of a study; empty strings mean the defaults."""
    row = session.execute(
        select(Study.prompt_template, Study.system_prompt).where(Study.id == study_id)
    ).one()
    return row[0], row[1]


def set_prompt_settings(session: Session, study_id: int, template: str, system: str) -> None:
    session.execute(
        update(Study)
        .where(Study.id == study_id)
        .values(prompt_template=template, system_prompt=system)
    )
