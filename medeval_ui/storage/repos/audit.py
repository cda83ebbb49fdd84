"""Audit events (``audit_events``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from medeval_ui.storage.tables import AuditEvent


def add_audit_event(
    session: Session,
    *,
    action: str,
    actor: str,
    user_id: int | None,
    study_id: int | None,
    detail: dict[str, Any],
) -> None:
    """Add one event; it is flushed and committed with the caller's transaction."""
    session.add(
        AuditEvent(action=action, actor=actor, user_id=user_id, study_id=study_id, detail=detail)
    )
