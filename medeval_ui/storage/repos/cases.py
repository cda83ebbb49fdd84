"""Cases and their images (``cases``, ``case_images``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from medeval_ui.storage.bulk import insert_rows
from medeval_ui.storage.tables import Case, CaseImage

# What these functions return; services name it in annotations only.
CaseRow: TypeAlias = Case


def cases_by_external_id(session: Session, study_id: int) -> dict[str, Case]:
    """The study's cases as ORM rows, keyed by external id."""
    return {
        c.external_id: c for c in session.scalars(select(Case).where(Case.study_id == study_id))
    }


def case_ids_by_external_id(session: Session, study_id: int) -> dict[str, int]:
    return dict(
        session.execute(select(Case.external_id, Case.id).where(Case.study_id == study_id)).all()
    )


def image_hashes_by_case(session: Session, study_id: int) -> dict[int, tuple[str, ...]]:
    """Each case's image sha256 values in display order; cases without images are absent."""
    rows = session.execute(
        select(CaseImage.case_id, CaseImage.sha256)
        .join(Case, Case.id == CaseImage.case_id)
        .where(Case.study_id == study_id)
        .order_by(CaseImage.case_id, CaseImage.position)
    )
    out: dict[int, tuple[str, ...]] = {}
    for case_id, sha in rows:
        out[case_id] = (*out.get(case_id, ()), sha)
    return out


def insert_cases(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Bulk insert; keys are ``cases`` column names (``metadata``, not ``meta``)."""
    insert_rows(session, Case.__table__, rows)


def insert_case_images(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    insert_rows(session, CaseImage.__table__, rows)


def case_counts_by_study_and_language(session: Session) -> list[tuple[int, str, int]]:
    """(study id, language, number of cases) for every study and language it has."""
    rows = session.execute(
        select(Case.study_id, Case.language, func.count()).group_by(Case.study_id, Case.language)
    )
    return [(study_id, language, n) for study_id, language, n in rows]
