"""Ratings (``ratings``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from medeval_ui.storage.bulk import insert_rows
from medeval_ui.storage.tables import Rating, utcnow


def imported_rating_tokens(session: Session, study_id: int) -> set[str]:
    """Client tokens of the study's ratings that came from an import file."""
    return set(
        session.scalars(
            select(Rating.client_token).where(
                Rating.study_id == study_id, Rating.origin == "imported"
            )
        )
    )


def insert_ratings(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Bulk insert; a row whose ``created_at`` is None is dated now (naive UTC, as stored)."""
    for row in rows:
        if row["created_at"] is None:
            row["created_at"] = utcnow()
    insert_rows(session, Rating.__table__, rows)
