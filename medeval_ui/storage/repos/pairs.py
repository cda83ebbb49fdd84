"""Pairwise work: pair items, their assignments and votes (``pair_items``, ``votes``).

The same concurrency rules as ``repos.work``: callers run inside ``Database.write()``
(BEGIN IMMEDIATE on SQLite); on PostgreSQL the candidate row is locked with
``FOR UPDATE SKIP LOCKED``.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from itertools import combinations
from typing import Any, TypeAlias

from sqlalchemy import Row, exists, func, select, update
from sqlalchemy.orm import Session, aliased

from medeval_ui.storage.bulk import insert_rows
from medeval_ui.storage.tables import Assignment, Case, Model, Output, PairItem, User, Vote

PairItemRow: TypeAlias = PairItem
VoteRow: TypeAlias = Vote
_RAND = 2**31 - 1


def _is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def add_pair_items(session: Session, study_id: int) -> int:
    """Create the missing pair items of a study: on each case, every two models, using each
    model's lowest sample (pairwise compares models, not samples). Returns how many."""
    rows = session.execute(
        select(Output.case_id, Output.model_id, func.min(Output.sample_index))
        .join(Case, Case.id == Output.case_id)
        .where(Case.study_id == study_id)
        .group_by(Output.case_id, Output.model_id)
    ).all()
    first_sample = {(c, m): s for c, m, s in rows}
    outputs = {
        (c, m, s): oid
        for c, m, s, oid in session.execute(
            select(Output.case_id, Output.model_id, Output.sample_index, Output.id)
            .join(Case, Case.id == Output.case_id)
            .where(Case.study_id == study_id)
        )
    }
    languages = dict(
        session.execute(select(Case.id, Case.language).where(Case.study_id == study_id)).all()
    )
    have = {
        (lo, hi)
        for lo, hi in session.execute(
            select(PairItem.output_lo_id, PairItem.output_hi_id).where(
                PairItem.study_id == study_id
            )
        )
    }
    by_case: dict[int, list[int]] = {}
    for (case_id, model_id), sample in sorted(first_sample.items()):
        by_case.setdefault(case_id, []).append(outputs[case_id, model_id, sample])
    rng = random.SystemRandom()
    new = [
        {
            "study_id": study_id,
            "case_id": case_id,
            "language": languages[case_id].split("-")[0].lower(),
            "output_lo_id": lo,
            "output_hi_id": hi,
            "taken": 0,
            "done": 0,
            "rand_key": rng.randrange(_RAND),
        }
        for case_id, oids in by_case.items()
        for lo, hi in combinations(sorted(oids), 2)
        if (lo, hi) not in have
    ]
    insert_rows(session, PairItem.__table__, new)
    return len(new)


def release_expired_pairs(session: Session, study_id: int, now: datetime) -> int:
    """Free the places held by open pairwise assignments whose lease ran out."""
    freed = session.execute(
        update(Assignment)
        .where(
            Assignment.study_id == study_id,
            Assignment.kind == "pairwise",
            Assignment.status == "open",
            Assignment.lease_expires_at < now,
        )
        .values(status="released")
        .returning(Assignment.pair_item_id)
        .execution_options(synchronize_session=False)
    ).scalars()
    counts = Counter(p for p in freed if p is not None)
    for pair_id, n in counts.items():
        session.execute(
            update(PairItem).where(PairItem.id == pair_id).values(taken=PairItem.taken - n)
        )
    return sum(counts.values())


def open_pair_assignment(session: Session, user_id: int, study_id: int) -> Assignment | None:
    return session.scalar(
        select(Assignment)
        .where(
            Assignment.user_id == user_id,
            Assignment.study_id == study_id,
            Assignment.kind == "pairwise",
            Assignment.status == "open",
        )
        .order_by(Assignment.id)
        .limit(1)
    )


def claim_pair(
    session: Session, study_id: int, user_id: int, languages: Sequence[str], k: int
) -> PairItem | None:
    """The least-voted pair this clinician has not seen, random among equals."""
    seen = exists().where(Assignment.user_id == user_id, Assignment.pair_item_id == PairItem.id)
    query = (
        select(PairItem)
        .where(
            PairItem.study_id == study_id,
            PairItem.taken < k,
            PairItem.language.in_(list(languages)),
            ~seen,
        )
        .order_by(PairItem.taken, PairItem.rand_key)
        .limit(1)
    )
    if _is_pg(session):
        query = query.with_for_update(skip_locked=True)
    return session.scalar(query)


def pair_item(session: Session, pair_item_id: int, *, lock: bool = False) -> PairItem | None:
    query = select(PairItem).where(PairItem.id == pair_item_id)
    if lock and _is_pg(session):
        query = query.with_for_update()
    return session.scalar(query)


def add_to_pair(session: Session, pair_item_id: int, taken: int = 0, done: int = 0) -> None:
    session.execute(
        update(PairItem)
        .where(PairItem.id == pair_item_id)
        .values(taken=PairItem.taken + taken, done=PairItem.done + done)
    )


def output_texts_and_models(session: Session, output_ids: Sequence[int]) -> dict[int, Any]:
    """output id -> (text, model name, model version)."""
    rows = session.execute(
        select(Output.id, Output.text, Model.name, Model.version)
        .join(Model, Model.id == Output.model_id)
        .where(Output.id.in_(list(output_ids)))
    )
    return {oid: (text, name, version) for oid, text, name, version in rows}


def vote_of_assignment(session: Session, assignment_id: int) -> Vote | None:
    return session.scalar(
        select(Vote).where(Vote.assignment_id == assignment_id).order_by(Vote.id).limit(1)
    )


def vote_with_token(session: Session, token: str) -> Vote | None:
    return session.scalar(select(Vote).where(Vote.client_token == token))


def add_vote(session: Session, **values: Any) -> Vote:
    row = Vote(**values)
    session.add(row)
    session.flush()
    return row


def count_votes_by(session: Session, user_id: int, study_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Vote)
            .where(Vote.user_id == user_id, Vote.study_id == study_id)
        )
        or 0
    )


def count_open_pairs(
    session: Session, study_id: int, user_id: int, languages: Sequence[str], k: int
) -> int:
    seen = exists().where(Assignment.user_id == user_id, Assignment.pair_item_id == PairItem.id)
    return (
        session.scalar(
            select(func.count())
            .select_from(PairItem)
            .where(
                PairItem.study_id == study_id,
                PairItem.taken < k,
                PairItem.language.in_(list(languages)),
                ~seen,
            )
        )
        or 0
    )


def study_votes(session: Session, study_id: int) -> list[Row[Any, ...]]:
    """Every vote of a study with its models: (left model, left version, right model,
    right version, winner, axes, language, origin, created at, username)."""
    left, right = aliased(Output), aliased(Output)
    left_model, right_model = aliased(Model), aliased(Model)
    return list(
        session.execute(
            select(
                left_model.name,
                left_model.version,
                right_model.name,
                right_model.version,
                Vote.winner,
                Vote.axes,
                Case.language,
                Vote.origin,
                Vote.created_at,
                User.username,
            )
            .join(left, left.id == Vote.left_output_id)
            .join(right, right.id == Vote.right_output_id)
            .join(left_model, left_model.id == left.model_id)
            .join(right_model, right_model.id == right.model_id)
            .join(Case, Case.id == Vote.case_id)
            .join(User, User.id == Vote.user_id)
            .where(Vote.study_id == study_id)
            .order_by(Vote.id)
        ).all()
    )


def first_outputs_by_model(session: Session, study_id: int) -> dict[tuple[str, str], int]:
    """(case external id, model name) -> the output id of that model's lowest sample."""
    rows = session.execute(
        select(Case.external_id, Model.name, Output.sample_index, Output.id)
        .join(Output, Output.case_id == Case.id)
        .join(Model, Model.id == Output.model_id)
        .where(Case.study_id == study_id)
        .order_by(Output.sample_index.desc())
    )
    return {(case, model): oid for case, model, _s, oid in rows}  # lowest sample wins


def vote_tokens(session: Session, study_id: int) -> set[str]:
    return set(session.scalars(select(Vote.client_token).where(Vote.study_id == study_id)))


def insert_votes(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    insert_rows(session, Vote.__table__, rows)
