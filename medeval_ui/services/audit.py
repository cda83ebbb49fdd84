"""The audit trail: who did what, and when (DESIGN.md section 2, ``audit_events``).

``record`` joins the caller's transaction instead of opening its own, so an action and its
audit row are committed together or not at all.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from medeval_ui.storage.repos.audit import add_audit_event

_MAX_ACTOR = 64  # the column's width; an attempted username at login can be anything


def record(
    session: Session,
    action: str,
    *,
    actor: str = "",
    user_id: int | None = None,
    study_id: int | None = None,
    **detail: Any,
) -> None:
    """Add one audit event to ``session``; it is committed with the caller's transaction.

    ``detail`` must be JSON-serializable; it never holds passwords or hashes.
    """
    add_audit_event(
        session,
        action=action,
        actor=actor[:_MAX_ACTOR],
        user_id=user_id,
        study_id=study_id,
        detail=detail,
    )
