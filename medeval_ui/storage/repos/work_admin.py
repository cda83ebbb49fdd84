"""The lead's side of rating work: who did what (status counts, time spent, gold ratings,
flags), and the lookups behind named assignments and gold answers. The clinician's side,
handing out and counting items, is repos/work.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, and_, func, select
from sqlalchemy.orm import Session

from medeval_ui.storage.bulk import insert_rows
from medeval_ui.storage.tables import Assignment, Case, GoldAnswer, Rating, User, WorkItem


def status_counts(session: Session, study_id: int) -> list[tuple[Any, ...]]:
    """(user id, username, languages, status, flagged, count) over a study's assignments."""
    counts = session.execute(
        select(Assignment.user_id, Assignment.status, Assignment.flagged, func.count())
        .where(Assignment.study_id == study_id, Assignment.kind == "rating")
        .group_by(Assignment.user_id, Assignment.status, Assignment.flagged)
    ).all()
    ids = {uid for uid, *_ in counts}
    people = {
        u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))
    }  # JSON columns cannot be grouped on PostgreSQL, so names are joined here
    return [
        (uid, people[uid].username, people[uid].languages, status, flagged, n)
        for uid, status, flagged, n in counts
    ]


def rating_times(session: Session, study_id: int) -> list[Row[int, int | None]]:
    """(user id, time spent in ms) of the first revision of every app rating in a study."""
    return list(
        session.execute(
            select(Rating.user_id, Rating.time_spent_ms).where(
                Rating.study_id == study_id,
                Rating.origin == "app",
                Rating.supersedes_id.is_(None),
            )
        ).all()
    )


def gold_ratings(session: Session, study_id: int) -> list[Row[Any, ...]]:
    """(user id, rating id, output id, answers, expected answers) for ratings of gold outputs."""
    return list(
        session.execute(
            select(Rating.user_id, Rating.id, Rating.output_id, Rating.answers, GoldAnswer.answers)
            .join(GoldAnswer, GoldAnswer.output_id == Rating.output_id)
            .where(Rating.study_id == study_id)
            .order_by(Rating.id)
        ).all()
    )


def flags(session: Session, study_id: int) -> list[Row[Any, ...]]:
    """(assignment id, username, case external id, language, note, flagged at)."""
    return list(
        session.execute(
            select(
                Assignment.id,
                User.username,
                Case.external_id,
                Case.language,
                Assignment.flag_note,
                Assignment.flagged_at,
            )
            .join(User, User.id == Assignment.user_id)
            .join(Case, Case.id == Assignment.case_id)
            .where(Assignment.study_id == study_id, Assignment.flagged.is_(True))
            .order_by(Assignment.flagged_at.desc())
        ).all()
    )


def work_items_of_cases(session: Session, case_ids: Sequence[int]) -> list[WorkItem]:
    return list(
        session.scalars(
            select(WorkItem)
            .where(WorkItem.case_id.in_(list(case_ids)))
            .order_by(WorkItem.case_id, WorkItem.sample_index)
        )
    )


def assigned_pairs(session: Session, study_id: int) -> set[tuple[int, int]]:
    """(user id, work item id) of every assignment in a study."""
    rows = session.execute(
        select(Assignment.user_id, Assignment.work_item_id).where(
            and_(Assignment.study_id == study_id, Assignment.work_item_id.is_not(None))
        )
    )
    return {(user_id, item_id) for user_id, item_id in rows}


def gold_answers_of_study(session: Session, study_id: int) -> dict[int, dict[str, Any]]:
    return dict(
        session.execute(
            select(GoldAnswer.output_id, GoldAnswer.answers).where(GoldAnswer.study_id == study_id)
        ).all()
    )


def insert_gold_answers(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    insert_rows(session, GoldAnswer.__table__, rows)
