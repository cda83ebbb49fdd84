"""Memoized reads behind handing out rating work (see ttl_cache for why they may lag).

- study-wide counts (gold share) and each clinician's progress total: recounted at most
  every 60 / 30 s per key;
- case, image and output rows, which never change once imported (an import that would
  change one is refused): kept 5 minutes, two to three queries fewer per next item;
- the sweep of expired leases: at most every 30 s per study (a lease lasts an hour).

Keys start with the database URL. ``forget_counts`` drops everything: imports call it,
and the tests between tests (PostgreSQL tests share one URL).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from medeval_ui.domain import assignment as rules
from medeval_ui.services.ttl_cache import TtlCache
from medeval_ui.storage.repos import work

if TYPE_CHECKING:
    from medeval_ui.storage.repos.studies import StudyRow
    from medeval_ui.storage.repos.users import UserRow

study_counts: TtlCache[tuple[int, int]] = TtlCache(ttl_s=60)
totals: TtlCache[int] = TtlCache(ttl_s=30)


def db_key(session: Session) -> str:
    return str(session.get_bind().engine.url)


def forget_counts() -> None:
    """Drop the memoized counts and rows; imports call it so new items show at once."""
    study_counts.clear()
    totals.clear()
    _static.clear()
    _released_at.clear()


_static: TtlCache[Any] = TtlCache(ttl_s=300)
_SWEEP = timedelta(seconds=30)
_released_at: dict[tuple[str, int], datetime] = {}


def case_and_images(session: Session, case_id: int) -> Any:
    """(case row, its image rows in order), memoized per database and case."""
    return _static.get(
        (db_key(session), "case", case_id), lambda: work.case_with_images(session, case_id)
    )


def item_outputs(session: Session, case_id: int, sample: int) -> list[Any]:
    return _static.get(
        (db_key(session), "outputs", case_id, sample),
        lambda: work.item_outputs(session, case_id, sample),
    )


def release_expired(session: Session, study_id: int, now: datetime) -> None:
    key = (db_key(session), study_id)
    last = _released_at.get(key)
    if last is None or not timedelta(0) <= now - last < _SWEEP:
        work.release_expired(session, study_id, now)
        _released_at[key] = now


def progress_total(session: Session, study: StudyRow, user: UserRow, mine: int) -> int:
    """The "40" of "12 of 40": items this clinician has (``mine``: done and open) plus
    those they could still be given. Memoized for 30 s; the clinician's own claims and
    submissions do not change it, so only others' work makes it lag."""
    langs = rules.clinician_languages(user.languages)
    k = study.ratings_per_output
    return totals.get(
        (db_key(session), study.id, user.id, tuple(langs), k),
        lambda: mine + work.count_available(session, study.id, user.id, langs, k),
    )
