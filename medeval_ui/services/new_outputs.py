"""Storing new model outputs, whether imported from a file or generated here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from medeval_ui.storage.repos.outputs import insert_outputs
from medeval_ui.storage.repos.pairs import add_pair_items
from medeval_ui.storage.repos.work import add_work_items

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from medeval_ui.storage.repos.studies import StudyRow


def add_outputs(session: Session, study: StudyRow, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (``outputs`` columns) and put them in the queues, in the caller's
    transaction: new work items to rate and, in a pairwise study, new pairs to vote on.

    The caller then calls ``annotation_memo.forget_counts()`` after its commit, so that the
    clinicians' progress totals are recounted from what was committed.
    """
    insert_outputs(session, rows)
    if not rows:
        return
    add_work_items(session, study.id)
    if "pairwise" in study.modes:
        add_pair_items(session, study.id)
