"""The reads behind exports: one streamed select per export, and the small lookups
(outputs, cases, users) that ratings and votes get their other columns from.

Every selected column is an integer or a text (JSON and times cast to text in SQL), the
shape ``streaming.chunks`` turns into Arrow columns in one call per chunk. Chunks are read
lazily, inside the caller's transaction, while the caller writes the previous one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pyarrow as pa
from sqlalchemy import Row, Text, case, cast, select
from sqlalchemy.orm import Session

from medeval_ui.storage import tables
from medeval_ui.storage.streaming import Lookup, chunks, query

# Core tables: exports read columns, never ORM objects.
R, V, C, OUT, M, U, S, IMG = (
    t.__table__
    for t in (
        tables.Rating,
        tables.Vote,
        tables.Case,
        tables.Output,
        tables.Model,
        tables.User,
        tables.Study,
        tables.CaseImage,
    )
)
TEXT, INT = pa.string(), pa.int64()
_OUTPUT_COLUMNS: dict[str, tuple[Any, pa.DataType]] = {
    "case_id": (C.c.external_id, TEXT),
    "language": (C.c.language, TEXT),
    "group_id": (C.c.group_id, TEXT),
    "model": (M.c.name, TEXT),
    "model_version": (M.c.version, TEXT),
    "sample": (OUT.c.sample_index, INT),
    "text": (OUT.c.text, TEXT),
    "params": (cast(OUT.c.params, Text), TEXT),
    "origin": (OUT.c.origin, TEXT),
    "created_at": (cast(OUT.c.created_at, Text), TEXT),
}
# The columns of an ``output_chunks`` chunk, in order.
OUTPUT_ROW_TYPE = pa.struct([(name, typ) for name, (_, typ) in _OUTPUT_COLUMNS.items()])


def find_study_for_export(session: Session, slug: str) -> Row[Any, Any, Any, Any] | None:
    """(id, slug, rubric_id, rubric_snapshot) of the study, or None."""
    return session.execute(
        select(S.c.id, S.c.slug, S.c.rubric_id, S.c.rubric_snapshot).where(S.c.slug == slug)
    ).one_or_none()


def export_lookups(
    session: Session, study_id: int, usernames: bool, case_names: Sequence[str]
) -> tuple[Lookup, Lookup, Lookup]:
    """The study's outputs and cases, and the users: small next to their ratings.

    ``case_names`` names the case lookup's columns: external id, group, language, specialty.
    """
    conn = session.connection()
    outputs = Lookup.load(
        conn,
        select(OUT.c.id, OUT.c.case_id, M.c.name, M.c.version, OUT.c.sample_index)
        .join(M, M.c.id == OUT.c.model_id)
        .join(C, C.c.id == OUT.c.case_id)
        .where(C.c.study_id == study_id),
        {"case": INT, "model": TEXT, "model_version": TEXT, "sample_index": INT},
    )
    case_columns = (C.c.external_id, C.c.group_id, C.c.language, C.c.specialty)
    cases = Lookup.load(
        conn,
        select(C.c.id, *case_columns).where(C.c.study_id == study_id),
        dict.fromkeys(case_names, TEXT),
    )
    who = [U.c.pseudonym, U.c.username] if usernames else [U.c.pseudonym]
    names = ["annotator", "username"][: len(who)]
    users = Lookup.load(conn, select(U.c.id, *who), dict.fromkeys(names, TEXT))
    return outputs, cases, users


def rating_chunks(session: Session, study_id: int, size: int) -> Iterator[dict[str, pa.Array]]:
    """The study's ratings, superseded ones included and flagged, by output then rating id
    (the order of the study/output index, which saves SQLite a sort)."""
    newer = R.alias("newer")
    superseded = R.c.id.in_(select(newer.c.supersedes_id).where(newer.c.supersedes_id.is_not(None)))
    stmt, row_type = query(
        output_id=(R.c.output_id, INT),
        user_id=(R.c.user_id, INT),
        answers=(cast(R.c.answers, Text), TEXT),
        rubric_version=(R.c.rubric_version, TEXT),
        rating_id=(R.c.id, INT),
        supersedes_id=(R.c.supersedes_id, INT),
        superseded=(case((superseded, 1), else_=0), pa.int8()),
        confidence=(R.c.confidence, INT),
        comment=(R.c.comment, TEXT),
        time_spent_ms=(R.c.time_spent_ms, INT),
        created_at=(cast(R.c.created_at, Text), TEXT),
        origin=(R.c.origin, TEXT),
    )
    stmt = stmt.where(R.c.study_id == study_id).order_by(R.c.output_id, R.c.id)
    return chunks(session.connection(), stmt, row_type, size)


def vote_chunks(session: Session, study_id: int, size: int) -> Iterator[dict[str, pa.Array]]:
    """The study's votes, by vote id; ``case`` is the case's id, for the case lookup."""
    stmt, row_type = query(
        case=(V.c.case_id, INT),
        vote_id=(V.c.id, INT),
        left_output_id=(V.c.left_output_id, INT),
        right_output_id=(V.c.right_output_id, INT),
        user_id=(V.c.user_id, INT),
        winner=(V.c.winner, TEXT),
        axes=(cast(V.c.axes, Text), TEXT),
        reason=(V.c.reason, TEXT),
        time_spent_ms=(V.c.time_spent_ms, INT),
        origin=(V.c.origin, TEXT),
        created_at=(cast(V.c.created_at, Text), TEXT),
    )
    stmt = stmt.where(V.c.study_id == study_id).order_by(V.c.id)
    return chunks(session.connection(), stmt, row_type, size)


def case_image_hashes(session: Session, study_id: int) -> dict[int, list[str]]:
    """Each case's image sha256 values in display order; cases without images are absent."""
    images: dict[int, list[str]] = {}
    for case_id, sha in session.connection().execute(
        select(IMG.c.case_id, IMG.c.sha256)
        .join(C, C.c.id == IMG.c.case_id)
        .where(C.c.study_id == study_id)
        .order_by(IMG.c.case_id, IMG.c.position)
    ):
        images.setdefault(case_id, []).append(sha)
    return images


def case_chunks(
    session: Session, study_id: int, texts: Sequence[str], size: int
) -> Iterator[dict[str, pa.Array]]:
    """The study's cases by id: ``id``, the ``texts`` columns, and ``metadata`` as JSON text."""
    stmt, row_type = query(
        id=(C.c.id, INT),
        **{name: (C.c[name], TEXT) for name in texts},
        metadata=(cast(C.c.metadata, Text), TEXT),
    )
    stmt = stmt.where(C.c.study_id == study_id).order_by(C.c.id)
    return chunks(session.connection(), stmt, row_type, size)


def output_chunks(session: Session, study_id: int, size: int) -> Iterator[dict[str, pa.Array]]:
    """The study's outputs by id, with their case's and model's names (``OUTPUT_ROW_TYPE``)."""
    stmt, row_type = query(**_OUTPUT_COLUMNS)
    stmt = (
        stmt.join_from(OUT, C, C.c.id == OUT.c.case_id)
        .join(M, M.c.id == OUT.c.model_id)
        .where(C.c.study_id == study_id)
        .order_by(OUT.c.id)
    )
    return chunks(session.connection(), stmt, row_type, size)
