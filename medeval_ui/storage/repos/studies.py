"""Studies (``studies``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

from sqlalchemy import Row, bindparam, func, select
from sqlalchemy.orm import Session

from medeval_ui.storage.tables import Study

# What these functions return; services name it in annotations only.
StudyRow: TypeAlias = Study


# Built once: every clinician request looks its study up, and building the statement cost
# more than running it (bench_next_item).
_BY_SLUG = select(Study).where(Study.slug == bindparam("slug"))


def find_study_by_slug(session: Session, slug: str) -> Study | None:
    return session.scalar(_BY_SLUG, {"slug": slug})


def study_by_id(session: Session, study_id: int) -> Study:
    return session.get_one(Study, study_id)


def study_id_by_slug(session: Session, slug: str) -> int | None:
    return session.scalar(select(Study.id).where(Study.slug == slug))


def insert_study(session: Session, **values: Any) -> Study:
    """Add a study and flush, so that the returned row has its id."""
    row = Study(**values)
    session.add(row)
    session.flush()
    return row


def all_studies(session: Session) -> list[Study]:
    """Every study, oldest first."""
    return list(session.scalars(select(Study).order_by(Study.id)))


def count_studies(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Study)) or 0


def study_summaries(session: Session) -> Sequence[Row[int, str, str, str, str]]:
    """(id, slug, title, rubric_id, rubric_version) of every study, by slug."""
    return session.execute(
        select(Study.id, Study.slug, Study.title, Study.rubric_id, Study.rubric_version).order_by(
            Study.slug
        )
    ).all()
