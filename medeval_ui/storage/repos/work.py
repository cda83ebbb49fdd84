"""Rating work: work items, assignments and leases (``work_items``, ``assignments``).

Concurrency: callers run these inside ``Database.write()``. On SQLite that transaction
holds the write lock from its BEGIN IMMEDIATE, so "find an item with taken < k, then take
it" cannot interleave with another clinician's. On PostgreSQL the candidate row is locked
with ``FOR UPDATE SKIP LOCKED``: a second clinician skips it instead of waiting, and sees
the new ``taken`` once the first commits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeAlias

from sqlalchemy import (
    Integer,
    Row,
    and_,
    cast,
    exists,
    false,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy import case as when
from sqlalchemy.orm import Session

from medeval_ui.storage.bulk import insert_rows
from medeval_ui.storage.tables import (
    Assignment,
    Case,
    CaseImage,
    GoldAnswer,
    Model,
    Output,
    Rating,
    User,
    WorkItem,
    utcnow,
)

__all__ = ["utcnow"]

AssignmentRow: TypeAlias = Assignment
WorkItemRow: TypeAlias = WorkItem
RatingRow: TypeAlias = Rating
CaseRowT: TypeAlias = Case
ImageRow: TypeAlias = CaseImage

_RAND = 2**31 - 1


def _is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def lock_user(session: Session, user_id: int) -> None:
    """Serialize one clinician's requests (two tabs) on PostgreSQL; SQLite already is."""
    if _is_pg(session):
        session.execute(select(User.id).where(User.id == user_id).with_for_update())


def add_work_items(session: Session, study_id: int) -> int:
    """Create the missing work items of a study: one per (case, sample index) that has
    outputs. One INSERT ... SELECT: building the rows in Python took 0.84 s for 100k items
    (bench_import's outputs: 58k -> 47k rows/s); languages and random keys come from SQL."""
    if _is_pg(session):
        base = func.lower(func.split_part(Case.language, "-", 1))
        rand = cast(func.floor(func.random() * _RAND), Integer)
    else:
        base = func.lower(func.substr(Case.language, 1, func.instr(Case.language + "-", "-") - 1))
        rand = func.abs(func.random() % _RAND)
    have = exists().where(
        WorkItem.case_id == Output.case_id, WorkItem.sample_index == Output.sample_index
    )
    missing = (
        select(
            Case.study_id,
            Output.case_id,
            Output.sample_index,
            base,
            false(),
            literal(0),
            literal(0),
            rand,
        )
        .join(Case, Case.id == Output.case_id)
        .where(Case.study_id == study_id, ~have)
        .group_by(Case.study_id, Output.case_id, Output.sample_index, Case.language)
    )
    columns = ["study_id", "case_id", "sample_index", "language", "gold", "taken", "done"]
    result = session.execute(insert(WorkItem).from_select([*columns, "rand_key"], missing))
    return int(result.rowcount or 0)


def refresh_gold(session: Session, study_id: int) -> None:
    """Mark as gold the work items that have an output with expected answers."""
    gold_exists = exists().where(
        GoldAnswer.output_id == Output.id,
        Output.case_id == WorkItem.case_id,
        Output.sample_index == WorkItem.sample_index,
    )
    session.execute(
        update(WorkItem)
        .where(WorkItem.study_id == study_id)
        .values(gold=gold_exists)
        .execution_options(synchronize_session=False)
    )


def release_expired(session: Session, study_id: int, now: datetime) -> int:
    """Free the places held by open, unnamed assignments whose lease ran out."""
    freed = session.execute(
        update(Assignment)
        .where(
            Assignment.study_id == study_id,
            Assignment.kind == "rating",
            Assignment.status == "open",
            Assignment.named.is_(False),
            Assignment.lease_expires_at < now,
        )
        .values(status="released")
        .returning(Assignment.work_item_id)
        .execution_options(synchronize_session=False)
    ).scalars()
    counts = Counter(w for w in freed if w is not None)
    for work_item_id, n in counts.items():
        session.execute(
            update(WorkItem).where(WorkItem.id == work_item_id).values(taken=WorkItem.taken - n)
        )
    return sum(counts.values())


def open_assignment(session: Session, user_id: int, study_id: int) -> Assignment | None:
    """The clinician's open rating item in this study (named ones first), if any."""
    return session.scalar(
        select(Assignment)
        .where(
            Assignment.user_id == user_id,
            Assignment.study_id == study_id,
            Assignment.kind == "rating",
            Assignment.status == "open",
        )
        .order_by(Assignment.named.desc(), Assignment.id)
        .limit(1)
    )


def claim_candidate(
    session: Session,
    study_id: int,
    user_id: int,
    languages: Sequence[str],
    k: int,
    *,
    gold: bool,
) -> WorkItem | None:
    """The work item to hand this clinician next: the least-taken one they have not had,
    random among equals (``rand_key``); gold items ignore k (everyone rates them)."""
    mine = exists().where(Assignment.user_id == user_id, Assignment.work_item_id == WorkItem.id)
    query = select(WorkItem).where(
        WorkItem.study_id == study_id,
        WorkItem.gold.is_(gold),
        WorkItem.language.in_(list(languages)),
        ~mine,
    )
    if not gold:
        query = query.where(WorkItem.taken < k)
    query = query.order_by(WorkItem.taken, WorkItem.rand_key).limit(1)
    if _is_pg(session):
        query = query.with_for_update(skip_locked=True)
    return session.scalar(query)


def add_to_taken(session: Session, work_item_id: int, taken: int = 0, done: int = 0) -> None:
    session.execute(
        update(WorkItem)
        .where(WorkItem.id == work_item_id)
        .values(taken=WorkItem.taken + taken, done=WorkItem.done + done)
    )


def work_item(session: Session, work_item_id: int, *, lock: bool = False) -> WorkItem | None:
    query = select(WorkItem).where(WorkItem.id == work_item_id)
    if lock and _is_pg(session):
        query = query.with_for_update()
    return session.scalar(query)


def insert_assignment(session: Session, **values: Any) -> Assignment:
    row = Assignment(**values)
    session.add(row)
    session.flush()
    return row


def assignment(session: Session, assignment_id: int, *, lock: bool = False) -> Assignment | None:
    query = select(Assignment).where(Assignment.id == assignment_id)
    if lock and _is_pg(session):
        query = query.with_for_update()
    return session.scalar(query)


def item_outputs(
    session: Session, case_id: int, sample_index: int
) -> list[Row[int, str, str, str]]:
    """(output id, model name, model version, text) of a work item's outputs."""
    return list(
        session.execute(
            select(Output.id, Model.name, Model.version, Output.text)
            .join(Model, Model.id == Output.model_id)
            .where(Output.case_id == case_id, Output.sample_index == sample_index)
            .order_by(Output.id)
        ).all()
    )


def case_with_images(session: Session, case_id: int) -> tuple[Case, list[CaseImage]]:
    case = session.get_one(Case, case_id)
    images = session.scalars(
        select(CaseImage).where(CaseImage.case_id == case_id).order_by(CaseImage.position)
    )
    return case, list(images)


def latest_ratings(session: Session, user_id: int, output_ids: Sequence[int]) -> dict[int, Rating]:
    """This clinician's newest revision of their rating of each output."""
    rows = session.scalars(
        select(Rating)
        .where(Rating.user_id == user_id, Rating.output_id.in_(list(output_ids)))
        .order_by(Rating.id)
    )
    return {r.output_id: r for r in rows}  # later ids win


def tokens_recorded(session: Session, tokens: Sequence[str]) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(Rating).where(Rating.client_token.in_(list(tokens)))
        )
        or 0
    )


def count_submissions(session: Session, assignment_id: int) -> int:
    """How many times an assignment was submitted (its first rating and each revision):
    the ratings of one submission share their ``created_at``."""
    return (
        session.scalar(
            select(func.count(func.distinct(Rating.created_at))).where(
                Rating.assignment_id == assignment_id
            )
        )
        or 0
    )


def add_ratings(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Add one submission's ratings; they are written with the caller's commit."""
    session.add_all([Rating(**values) for values in rows])


def count_done(session: Session, user_id: int, study_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Assignment)
            .where(
                Assignment.user_id == user_id,
                Assignment.study_id == study_id,
                Assignment.kind == "rating",
                Assignment.status == "done",
            )
        )
        or 0
    )


def count_gold_seen(session: Session, user_id: int, study_id: int) -> int:
    """Gold items this clinician has been given in the study. Walks the study's few gold
    items and probes the (user, item) unique index for each, instead of joining every
    assignment of the clinician (0.9 ms at 250 items each, bench_next_item)."""
    mine = exists().where(Assignment.user_id == user_id, Assignment.work_item_id == WorkItem.id)
    return (
        session.scalar(
            select(func.count())
            .select_from(WorkItem)
            .where(WorkItem.study_id == study_id, WorkItem.gold.is_(True), mine)
        )
        or 0
    )


def gold_and_all_counts(session: Session, study_id: int) -> tuple[int, int]:
    """(gold work items, all work items) of a study."""
    row = session.execute(
        select(
            func.count(), func.coalesce(func.sum(when((WorkItem.gold.is_(True), 1), else_=0)), 0)
        ).where(WorkItem.study_id == study_id)
    ).one()
    return int(row[1]), int(row[0])


def count_available(
    session: Session, study_id: int, user_id: int, languages: Sequence[str], k: int
) -> int:
    """Items this clinician could still be given: not theirs yet, in their languages, and
    (unless gold) still short of k."""
    mine = exists().where(Assignment.user_id == user_id, Assignment.work_item_id == WorkItem.id)
    return (
        session.scalar(
            select(func.count())
            .select_from(WorkItem)
            .where(
                WorkItem.study_id == study_id,
                WorkItem.language.in_(list(languages)),
                ~mine,
                (WorkItem.taken < k) | WorkItem.gold.is_(True),
            )
        )
        or 0
    )


def study_languages(session: Session, study_id: int) -> list[str]:
    """Base languages the study's work items are in."""
    return sorted(
        session.scalars(select(WorkItem.language).where(WorkItem.study_id == study_id).distinct())
    )


def history(session: Session, user_id: int, study_id: int) -> list[Row[Any, ...]]:
    """(assignment id, case external id, language, completed at, revisions) of the items
    this clinician submitted, newest first."""
    revisions = (
        select(func.count(func.distinct(Rating.created_at)))
        .where(Rating.assignment_id == Assignment.id)
        .correlate(Assignment)
        .scalar_subquery()
    )
    return list(
        session.execute(
            select(
                Assignment.id, Case.external_id, Case.language, Assignment.completed_at, revisions
            )
            .join(Case, Case.id == Assignment.case_id)
            .where(
                Assignment.user_id == user_id,
                Assignment.study_id == study_id,
                Assignment.kind == "rating",
                Assignment.status == "done",
            )
            .order_by(Assignment.completed_at.desc(), Assignment.id.desc())
        ).all()
    )


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
