"""Export a study's ratings, votes, cases and outputs as CSV, JSON Lines or Parquet.

Exports stream: a Core ``select`` is read in chunks (``yield_per``; a server-side cursor on
PostgreSQL), each chunk becomes one Arrow record batch, and a writer thread encodes it while
the next chunk is read, so memory stays flat however many ratings a study has. Ratings and
votes are read without joins: the study's outputs, cases and users are loaded once as small
lookups and attached to each chunk in Arrow, as dictionary columns. Reading rows out of
SQLite is what an export costs (bench/bench_export.py), so each row is fetched as a plain
tuple of integers and texts (JSON and times cast to text in SQL) and turned into columns
by Arrow in one call.

Annotators appear by pseudonym; usernames only with ``include_usernames=True``. Each export
is recorded in ``audit_events``. Ratings are ordered by output, then rating id (the order of
the study/output index, which saves SQLite a sort). Ratings answers: ``shape="long"`` gives
one row per rating and rubric question (``question_id``, ``answer`` as text with list
answers joined by ";", ``score`` from the rubric snapshot's option scores); ``shape="wide"``
one row per rating with a column per rubric question (``q_`` in front of a question id that
is also a fixed column's name). ``fmt="arena"`` for votes writes Chatbot Arena battle
records as JSON Lines. JSON-valued fields (case metadata, output params, vote axes) are JSON
text in CSV and Parquet and objects in JSON Lines.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, Text, case, cast, select

from medeval_ui.errors import MedevalError, NotFoundError
from medeval_ui.exchange.export_shapes import (
    ARENA_WINNER,
    CASE_INFO,
    answer_columns,
    arena_schema,
    const,
    iso_utc,
    long_answers,
    parse_answers,
    rating_schema,
    unix_seconds,
    vote_schema,
)
from medeval_ui.exchange.export_writers import FORMATS, Destination, write_batches
from medeval_ui.services.export_tables import Lookup, chunks, gc_paused, query
from medeval_ui.storage import tables
from medeval_ui.storage.engine import Database

VOTE_FORMATS = (*FORMATS, "arena")
SHAPES = ("long", "wide")
# Core tables: exports read columns, never ORM objects.
R, V, C, OUT, M, U = (
    t.__table__
    for t in (tables.Rating, tables.Vote, tables.Case, tables.Output, tables.Model, tables.User)
)
TEXT, INT = pa.string(), pa.int64()


def export_ratings(
    db: Database,
    study_slug: str,
    fmt: str,
    dest: Destination,
    *,
    shape: str = "long",
    include_usernames: bool = False,
    chunk_size: int = 50_000,
    actor: str = "cli",
) -> int:
    """Write the study's ratings, superseded ones included and flagged; return rows written."""
    _check_choice("export format", fmt, FORMATS)
    _check_choice("shape", shape, SHAPES)
    if chunk_size < 1:
        raise MedevalError(f"chunk_size must be at least 1, got {chunk_size}")
    newer = R.alias("newer")
    superseded = R.c.id.in_(select(newer.c.supersedes_id).where(newer.c.supersedes_id.is_not(None)))
    with db.read() as session, gc_paused():
        conn = session.connection()
        study = _study(conn, study_slug)
        questions: list[dict[str, Any]] = list(study.rubric_snapshot.get("questions", []))
        outputs, cases, users = _lookups(conn, study.id, include_usernames)
        schema = rating_schema(shape, questions, include_usernames)
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
        stmt = stmt.where(R.c.study_id == study.id).order_by(R.c.output_id, R.c.id)

        def batches() -> Iterator[pa.RecordBatch]:
            for col in chunks(conn, stmt, row_type, chunk_size):
                n = len(col["rating_id"])
                output = outputs.take(col["output_id"])
                base = {
                    **col,
                    **cases.take(output.pop("case"), CASE_INFO),
                    **output,
                    **users.take(col["user_id"]),
                    "study": const(study.slug, n),
                    "rubric_id": const(study.rubric_id, n),
                    "superseded": col["superseded"].cast(pa.bool_()),
                    "created_at": iso_utc(col["created_at"]),
                }
                if shape == "wide":
                    base.update(answer_columns(col["answers"], questions, schema))
                    yield pa.RecordBatch.from_pydict(base, schema=schema)
                    continue
                repeat, answers = long_answers(parse_answers(col["answers"]), questions)
                names = [f.name for f in schema if f.name not in answers]
                per_rating = pa.RecordBatch.from_pydict({k: base[k] for k in names})
                taken = per_rating.take(repeat).columns
                long = {**dict(zip(names, taken, strict=True)), **answers}
                yield pa.RecordBatch.from_pydict(long, schema=schema)

        rows = write_batches(batches(), schema, fmt, dest)
    _audit(db, actor, study.id, "ratings", fmt, rows, include_usernames)
    return rows


def export_votes(
    db: Database,
    study_slug: str,
    fmt: str,
    dest: Destination,
    *,
    include_usernames: bool = False,
    chunk_size: int = 50_000,
    actor: str = "cli",
) -> int:
    """Write the study's pairwise votes; ``fmt="arena"`` writes Chatbot Arena JSON Lines.

    Arena records: ``model_a``/``model_b`` are the left/right model names, ``winner`` is
    model_a, model_b, tie or "tie (bothbad)", ``judge`` the pseudonym (username with
    ``include_usernames``), ``tstamp`` Unix seconds, ``case_id`` the case's external id.
    """
    _check_choice("export format", fmt, VOTE_FORMATS)
    arena = fmt == "arena"
    with db.read() as session, gc_paused():
        conn = session.connection()
        study = _study(conn, study_slug)
        outputs, cases, users = _lookups(conn, study.id, include_usernames)
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
        stmt = stmt.where(V.c.study_id == study.id).order_by(V.c.id)
        schema = arena_schema() if arena else vote_schema(include_usernames)

        def batches() -> Iterator[pa.RecordBatch]:
            for col in chunks(conn, stmt, row_type, chunk_size):
                info = cases.take(col["case"], CASE_INFO)
                who = users.take(col["user_id"])
                sides = {}
                for side in ("left", "right"):
                    output = outputs.take(col[f"{side}_output_id"])
                    output.pop("case")
                    sides.update({f"{side}_{k}": v for k, v in output.items()})
                if arena:
                    winner = pc.index_in(col["winner"], value_set=pa.array(list(ARENA_WINNER)))
                    arena_cols = {
                        "model_a": sides["left_model"],
                        "model_b": sides["right_model"],
                        "winner": pa.array(list(ARENA_WINNER.values())).take(winner),
                        "judge": who["username" if include_usernames else "annotator"],
                        "language": info["language"],
                        "tstamp": unix_seconds(col["created_at"]),
                        "case_id": info["case_id"],
                    }
                    arena_cols = {k: v.cast(schema.field(k).type) for k, v in arena_cols.items()}
                    yield pa.RecordBatch.from_pydict(arena_cols, schema=schema)
                    continue
                study_column = const(study.slug, len(col["vote_id"]))
                columns = {**col, **info, **sides, **who, "study": study_column}
                columns["created_at"] = iso_utc(col["created_at"])
                yield pa.RecordBatch.from_pydict(columns, schema=schema)

        out_fmt = "jsonl" if arena else fmt
        rows = write_batches(batches(), schema, out_fmt, dest, json_columns={"axes"})
    _audit(db, actor, study.id, "votes", fmt, rows, include_usernames)
    return rows


def export_cases(
    db: Database, study_slug: str, fmt: str, dest: Destination, *, actor: str = "cli"
) -> int:
    """Write the study's cases under the importer's field names, so that they import back.

    ``images`` lists the images' sha256 in display order (joined by ";" in CSV).
    """
    _check_choice("export format", fmt, FORMATS)
    with db.read() as session, gc_paused():
        conn = session.connection()
        study = _study(conn, study_slug)
        images: dict[int, list[str]] = {}
        img = tables.CaseImage.__table__
        for case_id, sha in conn.execute(
            select(img.c.case_id, img.c.sha256)
            .join(C, C.c.id == img.c.case_id)
            .where(C.c.study_id == study.id)
            .order_by(img.c.case_id, img.c.position)
        ):
            images.setdefault(case_id, []).append(sha)
        texts = ["external_id", "group_id", "language", "prompt", "reference_answer"]
        texts += ["specialty", "modality"]
        stmt, row_type = query(
            id=(C.c.id, INT),
            **{name: (C.c[name], TEXT) for name in texts},
            metadata=(cast(C.c.metadata, Text), TEXT),
        )
        stmt = stmt.where(C.c.study_id == study.id).order_by(C.c.id)
        schema = pa.schema(
            [(n, TEXT) for n in texts] + [("images", pa.list_(TEXT)), ("metadata", TEXT)]
        )

        def batches() -> Iterator[pa.RecordBatch]:
            for col in chunks(conn, stmt, row_type, 10_000):
                col["images"] = pa.array([images.get(i, []) for i in col["id"].to_pylist()])
                yield pa.RecordBatch.from_pydict(col, schema=schema)

        rows = write_batches(batches(), schema, fmt, dest, json_columns={"metadata"})
    _audit(db, actor, study.id, "cases", fmt, rows, False)
    return rows


def export_outputs(
    db: Database, study_slug: str, fmt: str, dest: Destination, *, actor: str = "cli"
) -> int:
    """Write the study's model outputs under the importer's field names."""
    _check_choice("export format", fmt, FORMATS)
    with db.read() as session, gc_paused():
        conn = session.connection()
        study = _study(conn, study_slug)
        stmt, row_type = query(
            case_id=(C.c.external_id, TEXT),
            language=(C.c.language, TEXT),
            group_id=(C.c.group_id, TEXT),
            model=(M.c.name, TEXT),
            model_version=(M.c.version, TEXT),
            sample=(OUT.c.sample_index, INT),
            text=(OUT.c.text, TEXT),
            params=(cast(OUT.c.params, Text), TEXT),
            origin=(OUT.c.origin, TEXT),
            created_at=(cast(OUT.c.created_at, Text), TEXT),
        )
        stmt = (
            stmt.join_from(OUT, C, C.c.id == OUT.c.case_id)
            .join(M, M.c.id == OUT.c.model_id)
            .where(C.c.study_id == study.id)
            .order_by(OUT.c.id)
        )
        schema = pa.schema([(f.name, f.type) for f in row_type])

        def batches() -> Iterator[pa.RecordBatch]:
            for col in chunks(conn, stmt, row_type, 10_000):
                col["created_at"] = iso_utc(col["created_at"])
                yield pa.RecordBatch.from_pydict(col, schema=schema)

        rows = write_batches(batches(), schema, fmt, dest, json_columns={"params"})
    _audit(db, actor, study.id, "outputs", fmt, rows, False)
    return rows


# --- helpers ----------------------------------------------------------------------------


def _check_choice(what: str, value: str, valid: Sequence[str]) -> None:
    if value not in valid:
        raise MedevalError(f"unknown {what} '{value}'; use one of: {', '.join(valid)}")


def _study(conn: Connection, slug: str) -> Any:
    s = tables.Study.__table__
    row = conn.execute(
        select(s.c.id, s.c.slug, s.c.rubric_id, s.c.rubric_snapshot).where(s.c.slug == slug)
    ).one_or_none()
    if row is None:
        raise NotFoundError(f"no study with slug '{slug}'; see `medeval studies list`")
    return row


def _lookups(conn: Connection, study_id: int, usernames: bool) -> tuple[Lookup, Lookup, Lookup]:
    """The study's outputs and cases, and the users: small next to their ratings."""
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
        dict.fromkeys(CASE_INFO, TEXT),
    )
    who = [U.c.pseudonym, U.c.username] if usernames else [U.c.pseudonym]
    names = ["annotator", "username"][: len(who)]
    users = Lookup.load(conn, select(U.c.id, *who), dict.fromkeys(names, TEXT))
    return outputs, cases, users


def _audit(
    db: Database, actor: str, study_id: int, what: str, fmt: str, rows: int, usernames: bool
) -> None:
    detail = {"what": what, "format": fmt, "rows": rows, "usernames": usernames}
    with db.write() as session:
        session.add(
            tables.AuditEvent(action="export", actor=actor, study_id=study_id, detail=detail)
        )
