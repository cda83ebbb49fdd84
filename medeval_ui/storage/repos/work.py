"""Rating work: work items, assignments and leases (``work_items``, ``assignments``).

Concurrency: callers run these inside ``Database.write()``. On SQLite that transaction
holds the write lock from its BEGIN IMMEDIATE, so "find an item with taken < k, then take
it" cannot interleave with another clinician's. On PostgreSQL the candidate row is locked
with ``FOR UPDATE SKIP LOCKED``: a second clinician skips it instead of waiting, and sees
the new ``taken`` once the first commits.

Speed: the statements behind handing out the next item are built once, below, with
``bindparam`` placeholders, and run with parameters. Building an expression per call (column
operators, coercions, its cache key) cost more than running it: bench_next_item measured
about 0.6 ms of SQL in a 7-8 ms ``next_item``. Where the caller needs no ORM object they are
Core statements on the tables, which also skips the ORM's result processing; ``_run`` keeps
the one thing the ORM did around them, the autoflush.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeAlias

from sqlalchemy import (
    Executable,
    Integer,
    Result,
    Row,
    Select,
    bindparam,
    cast,
    exists,
    false,
    func,
    insert,
    literal,
    select,
    true,
    update,
)
from sqlalchemy import case as when
from sqlalchemy.orm import Session

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


_A = Assignment.__table__.c
_W = WorkItem.__table__.c
_MINE = exists().where(_A.user_id == bindparam("user_id"), _A.work_item_id == _W.id)


def _is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _run(
    session: Session, statement: Executable, params: dict[str, Any] | list[dict[str, Any]]
) -> Result[Any]:
    """Execute a prebuilt Core statement. The ORM flushes pending changes before each of its
    statements and Core does not: flush the same way (a no-op when nothing is pending), so
    that a Core statement sees exactly what the ORM one it replaces saw."""
    if session.autoflush:
        session.flush()
    return session.execute(statement, params)


_LOCK_USER = (
    select(User.__table__.c.id).where(User.__table__.c.id == bindparam("user_id")).with_for_update()
)


def lock_user(session: Session, user_id: int) -> None:
    """Serialize one clinician's requests (two tabs) on PostgreSQL; SQLite already is."""
    if _is_pg(session):
        _run(session, _LOCK_USER, {"user_id": user_id})


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


_RELEASE = (
    update(Assignment.__table__)
    .where(
        _A.study_id == bindparam("of_study"),  # not "study_id": an UPDATE reserves it
        _A.kind == "rating",
        _A.status == "open",
        _A.named.is_(False),
        _A.lease_expires_at < bindparam("now"),
    )
    .values(status="released")
    .returning(_A.work_item_id)
)


def release_expired(session: Session, study_id: int, now: datetime) -> int:
    """Free the places held by open, unnamed assignments whose lease ran out."""
    freed = _run(session, _RELEASE, {"of_study": study_id, "now": now}).scalars()
    counts = Counter(w for w in freed if w is not None)
    for work_item_id, n in counts.items():
        add_to_taken(session, work_item_id, taken=-n)
    return sum(counts.values())


_OPEN = (
    select(Assignment)
    .where(
        Assignment.user_id == bindparam("user_id"),
        Assignment.study_id == bindparam("study_id"),
        Assignment.kind == "rating",
        Assignment.status == "open",
    )
    .order_by(Assignment.named.desc(), Assignment.id)
    .limit(1)
)


def open_assignment(session: Session, user_id: int, study_id: int) -> Assignment | None:
    """The clinician's open rating item in this study (named ones first), if any."""
    return session.scalar(_OPEN, {"user_id": user_id, "study_id": study_id})


def _claim_query(*, gold: bool, skip_locked: bool) -> Select[tuple[int, int, int]]:
    # gold is spelled into the SQL (``gold IS 1``, ``IS true``): PostgreSQL takes no
    # parameter after IS, so there is one statement per (gold, dialect).
    query = select(_W.id, _W.case_id, _W.sample_index).where(
        _W.study_id == bindparam("study_id"),
        _W.gold.is_(gold),
        _W.language.in_(bindparam("languages", expanding=True)),
        ~_MINE,
    )
    if not gold:
        query = query.where(_W.taken < bindparam("k"))
    query = query.order_by(_W.taken, _W.rand_key).limit(1)
    return query.with_for_update(skip_locked=True) if skip_locked else query


_CLAIM = {
    (gold, pg): _claim_query(gold=gold, skip_locked=pg)
    for gold in (False, True)
    for pg in (False, True)
}


def claim_candidate(
    session: Session,
    study_id: int,
    user_id: int,
    languages: Sequence[str],
    k: int,
    *,
    gold: bool,
) -> Row[int, int, int] | None:
    """The work item to hand this clinician next, as (id, case id, sample index): the
    least-taken one they have not had, random among equals (``rand_key``); gold items ignore
    k (everyone rates them). On PostgreSQL the row is locked ``FOR UPDATE SKIP LOCKED``."""
    params: dict[str, Any] = {
        "study_id": study_id,
        "user_id": user_id,
        "languages": list(languages),
    }
    if not gold:
        params["k"] = k
    return _run(session, _CLAIM[gold, _is_pg(session)], params).first()


_ADD_TO_TAKEN = (
    update(WorkItem.__table__)
    .where(_W.id == bindparam("work_item_id"))
    .values(taken=_W.taken + bindparam("add_taken"), done=_W.done + bindparam("add_done"))
)


def add_to_taken(session: Session, work_item_id: int, taken: int = 0, done: int = 0) -> None:
    key = WorkItem.__mapper__.identity_key_from_primary_key((work_item_id,))
    if key in session.identity_map:
        # The ORM statement also updates the loaded WorkItem ("evaluate" synchronization);
        # a caller may read its taken/done afterwards, so keep that where one is loaded.
        session.execute(
            update(WorkItem)
            .where(WorkItem.id == work_item_id)
            .values(taken=WorkItem.taken + taken, done=WorkItem.done + done)
        )
        return
    params = {"work_item_id": work_item_id, "add_taken": taken, "add_done": done}
    _run(session, _ADD_TO_TAKEN, params)


_WORK_ITEM = select(WorkItem).where(WorkItem.id == bindparam("work_item_id"))
_WORK_ITEM_LOCKED = _WORK_ITEM.with_for_update()


def work_item(session: Session, work_item_id: int, *, lock: bool = False) -> WorkItem | None:
    query = _WORK_ITEM_LOCKED if lock and _is_pg(session) else _WORK_ITEM
    return session.scalar(query, {"work_item_id": work_item_id})


def insert_assignment(session: Session, **values: Any) -> Assignment:
    row = Assignment(**values)
    session.add(row)
    session.flush()
    return row


_INSERT_ASSIGNMENT = insert(Assignment.__table__).returning(_A.id)


def add_assignment(session: Session, **values: Any) -> int:
    """``insert_assignment`` without the ORM object, for a caller that only needs the new
    id: one Core INSERT ... RETURNING, about 0.4 ms less than ``add`` and ``flush``
    (bench_next_item). The columns' Python defaults apply as in a flush."""
    return int(_run(session, _INSERT_ASSIGNMENT, values).scalar_one())


_ASSIGNMENT = select(Assignment).where(Assignment.id == bindparam("assignment_id"))
_ASSIGNMENT_LOCKED = _ASSIGNMENT.with_for_update()


def assignment(session: Session, assignment_id: int, *, lock: bool = False) -> Assignment | None:
    query = _ASSIGNMENT_LOCKED if lock and _is_pg(session) else _ASSIGNMENT
    return session.scalar(query, {"assignment_id": assignment_id})


_O = Output.__table__.c
_M = Model.__table__.c
_ITEM_OUTPUTS = (
    select(_O.id, _M.name, _M.version, _O.text)
    .join(Model.__table__, _M.id == _O.model_id)
    .where(_O.case_id == bindparam("case_id"), _O.sample_index == bindparam("sample_index"))
    .order_by(_O.id)
)


def item_outputs(
    session: Session, case_id: int, sample_index: int
) -> list[Row[int, str, str, str]]:
    """(output id, model name, model version, text) of a work item's outputs."""
    params = {"case_id": case_id, "sample_index": sample_index}
    return list(_run(session, _ITEM_OUTPUTS, params).all())


_CASE = select(Case.__table__).where(Case.__table__.c.id == bindparam("case_id"))
_IMAGES = (
    select(CaseImage.__table__)
    .where(CaseImage.__table__.c.case_id == bindparam("case_id"))
    .order_by(CaseImage.__table__.c.position)
)


def case_with_images(session: Session, case_id: int) -> tuple[Row[Any], list[Row[Any]]]:
    """(the case, its images in order) as plain rows, named like the tables' columns (the
    case's JSON column is ``metadata``, not the ORM's ``meta``). Rows, not ORM objects: they
    are memoized and shared between sessions and threads, and a row cannot be changed."""
    params = {"case_id": case_id}
    case = _run(session, _CASE, params).one()  # NoResultFound, as session.get_one
    return case, list(_run(session, _IMAGES, params).all())


_LATEST_RATINGS = (
    select(Rating)
    .where(
        Rating.user_id == bindparam("user_id"),
        Rating.output_id.in_(bindparam("output_ids", expanding=True)),
    )
    .order_by(Rating.id)
)


def latest_ratings(session: Session, user_id: int, output_ids: Sequence[int]) -> dict[int, Rating]:
    """This clinician's newest revision of their rating of each output."""
    rows = session.scalars(_LATEST_RATINGS, {"user_id": user_id, "output_ids": list(output_ids)})
    return {r.output_id: r for r in rows}  # later ids win


_R = Rating.__table__.c
_TOKENS_RECORDED = (
    select(func.count())
    .select_from(Rating.__table__)
    .where(_R.client_token.in_(bindparam("tokens", expanding=True)))
)


def tokens_recorded(session: Session, tokens: Sequence[str]) -> int:
    return _run(session, _TOKENS_RECORDED, {"tokens": list(tokens)}).scalar() or 0


_COUNT_SUBMISSIONS = select(func.count(func.distinct(_R.created_at))).where(
    _R.assignment_id == bindparam("assignment_id")
)


def count_submissions(session: Session, assignment_id: int) -> int:
    """How many times an assignment was submitted (its first rating and each revision):
    the ratings of one submission share their ``created_at``."""
    return _run(session, _COUNT_SUBMISSIONS, {"assignment_id": assignment_id}).scalar() or 0


_INSERT_RATINGS = insert(Rating.__table__)


def add_ratings(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Add one submission's ratings; they are written with the caller's commit.

    A Core insert: no caller reads them back as objects, and the ORM's unit of work cost
    about 1 ms a submission (bench_submit)."""
    if rows:
        _run(session, _INSERT_RATINGS, list(rows))


_COUNT_DONE = (
    select(func.count())
    .select_from(Assignment.__table__)
    .where(
        _A.user_id == bindparam("user_id"),
        _A.study_id == bindparam("study_id"),
        _A.kind == "rating",
        _A.status == "done",
    )
)


def count_done(session: Session, user_id: int, study_id: int) -> int:
    return _run(session, _COUNT_DONE, {"user_id": user_id, "study_id": study_id}).scalar() or 0


_DONE_AND_HAS_OPEN = select(
    _COUNT_DONE.scalar_subquery(),
    exists().where(
        _A.user_id == bindparam("user_id"),
        _A.study_id == bindparam("study_id"),
        _A.kind == "rating",
        _A.status == "open",
    ),
)


def done_and_has_open(session: Session, user_id: int, study_id: int) -> tuple[int, bool]:
    """(``count_done``, whether ``open_assignment`` would find one) in one statement: the
    caller that is about to claim (most calls) then needs no second one."""
    params = {"user_id": user_id, "study_id": study_id}
    row = _run(session, _DONE_AND_HAS_OPEN, params).one()
    return int(row[0] or 0), bool(row[1])


_COUNT_GOLD_SEEN = (
    select(func.count())
    .select_from(WorkItem.__table__)
    .where(_W.study_id == bindparam("study_id"), _W.gold.is_(True), _MINE)
)


def count_gold_seen(session: Session, user_id: int, study_id: int) -> int:
    """Gold items this clinician has been given in the study. Walks the study's few gold
    items and probes the (user, item) unique index for each, instead of joining every
    assignment of the clinician (0.9 ms at 250 items each, bench_next_item)."""
    params = {"user_id": user_id, "study_id": study_id}
    return _run(session, _COUNT_GOLD_SEEN, params).scalar() or 0


def gold_and_all_counts(session: Session, study_id: int) -> tuple[int, int]:
    """(gold work items, all work items) of a study."""
    row = session.execute(
        select(
            func.count(), func.coalesce(func.sum(when((WorkItem.gold.is_(True), 1), else_=0)), 0)
        ).where(WorkItem.study_id == study_id)
    ).one()
    return int(row[1]), int(row[0])


_IN_STUDY_LANGUAGES = (
    _W.study_id == bindparam("study_id"),
    _W.language.in_(bindparam("languages", expanding=True)),
)
_STILL_OPEN = (_W.taken < bindparam("k")) | (_W.gold == true())


def _count_items(*where: Any) -> Any:
    return (
        select(func.count())
        .select_from(WorkItem.__table__)
        .where(*_IN_STUDY_LANGUAGES, *where)
        .scalar_subquery()
    )


# Items open to anyone in these languages (regular ones short of k, and gold ones), less
# those of them this clinician already holds. The same number as a NOT EXISTS per item,
# but each of the first two counts is a range of ix_work_items_open (an OR of the two
# would read every entry of the study's languages) and the third reads only the
# clinician's own assignments. On 50k items the correlated form took several ms on every
# clinician's first call, the tail of next_item (bench/bench_next_item.py).
_COUNT_AVAILABLE = select(
    _count_items(_W.gold == false(), _W.taken < bindparam("k"))
    + _count_items(_W.gold == true())
    - select(func.count())
    .select_from(Assignment.__table__.join(WorkItem.__table__, _A.work_item_id == _W.id))
    .where(_A.user_id == bindparam("user_id"), *_IN_STUDY_LANGUAGES, _STILL_OPEN)
    .scalar_subquery()
)


def count_available(
    session: Session, study_id: int, user_id: int, languages: Sequence[str], k: int
) -> int:
    """Items this clinician could still be given: not theirs yet, in their languages, and
    (unless gold) still short of k."""
    params = {"study_id": study_id, "user_id": user_id, "languages": list(languages), "k": k}
    return _run(session, _COUNT_AVAILABLE, params).scalar() or 0


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
