"""Export a study's ratings, votes, cases and outputs as CSV, JSON Lines or Parquet.

Exports stream: a Core ``select`` is read in chunks of bounded size, each chunk becomes one
Arrow record batch, and a writer thread encodes it while the next chunk is read, so memory
stays flat however many ratings a study has. On a SQLite file the chunks come from ADBC, whose
C driver fills Arrow batches directly, read ahead by a thread; elsewhere from ``yield_per``
(a server-side cursor on PostgreSQL), converted by Arrow in one call per chunk (see
storage/streaming.py for the measured reason). All the reads of one export share one
snapshot. Ratings and votes are read without joins: the study's outputs, cases and users are
loaded once as small lookups and attached to each chunk in Arrow, as dictionary columns.

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

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

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
from medeval_ui.services import audit
from medeval_ui.storage.engine import Database
from medeval_ui.storage.repos.exports import (
    OUTPUT_ROW_TYPE,
    ExportStudy,
    case_chunks,
    case_image_hashes,
    export_lookups,
    export_rows,
    find_study_for_export,
    output_chunks,
    rating_chunks,
    vote_chunks,
)
from medeval_ui.storage.streaming import Rows

VOTE_FORMATS = (*FORMATS, "arena")
SHAPES = ("long", "wide")
TEXT = pa.string()
# Case columns exported as text under the importer's field names, so that they import back.
CASE_TEXTS = (
    "external_id",
    "group_id",
    "language",
    "prompt",
    "reference_answer",
    "specialty",
    "modality",
)


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
    with db.snapshot() as session, export_rows(session) as source, gc_paused():
        study = _study(source, study_slug)
        questions: list[dict[str, Any]] = list(study.rubric_snapshot.get("questions", []))
        outputs, cases, users = export_lookups(source, study.id, include_usernames, CASE_INFO)
        schema = rating_schema(shape, questions, include_usernames)

        def batches() -> Iterator[pa.RecordBatch]:
            for col in rating_chunks(source, study.id, chunk_size):
                n = len(col["rating_id"])
                output = outputs.take(col["output_id"])
                base = {
                    **col,
                    **cases.take(output.pop("case"), CASE_INFO),
                    **output,
                    **users.take(col["user_id"]),
                    "study": const(study.slug, n),
                    "rubric_id": const(study.rubric_id, n),
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
    with db.snapshot() as session, export_rows(session) as source, gc_paused():
        study = _study(source, study_slug)
        outputs, cases, users = export_lookups(source, study.id, include_usernames, CASE_INFO)
        schema = arena_schema() if arena else vote_schema(include_usernames)

        def batches() -> Iterator[pa.RecordBatch]:
            for col in vote_chunks(source, study.id, chunk_size):
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
    with db.snapshot() as session, export_rows(session) as source, gc_paused():
        study = _study(source, study_slug)
        images = case_image_hashes(source, study.id)
        schema = pa.schema(
            [(n, TEXT) for n in CASE_TEXTS] + [("images", pa.list_(TEXT)), ("metadata", TEXT)]
        )

        def batches() -> Iterator[pa.RecordBatch]:
            for col in case_chunks(source, study.id, CASE_TEXTS, 10_000):
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
    with db.snapshot() as session, export_rows(session) as source, gc_paused():
        study = _study(source, study_slug)
        schema = pa.schema([(f.name, f.type) for f in OUTPUT_ROW_TYPE])

        def batches() -> Iterator[pa.RecordBatch]:
            for col in output_chunks(source, study.id, 10_000):
                col["created_at"] = iso_utc(col["created_at"])
                yield pa.RecordBatch.from_pydict(col, schema=schema)

        rows = write_batches(batches(), schema, fmt, dest, json_columns={"params"})
    _audit(db, actor, study.id, "outputs", fmt, rows, False)
    return rows


# --- helpers ----------------------------------------------------------------------------


def _check_choice(what: str, value: str, valid: Sequence[str]) -> None:
    if value not in valid:
        raise MedevalError(f"unknown {what} '{value}'; use one of: {', '.join(valid)}")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while an export makes millions of objects.

    They are acyclic and freed chunk by chunk, but their number triggers full collections
    that walk every live object: 12 s instead of 6 s for 1M ratings. The collector is
    process-wide; it is back on as soon as the export ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _study(source: Rows, slug: str) -> ExportStudy:
    row = find_study_for_export(source, slug)
    if row is None:
        raise NotFoundError(f"no study with slug '{slug}'; see `medeval studies list`")
    return row


def _audit(
    db: Database, actor: str, study_id: int, what: str, fmt: str, rows: int, usernames: bool
) -> None:
    with db.write() as session:
        audit.record(
            session,
            "export",
            actor=actor,
            study_id=study_id,
            what=what,
            format=fmt,
            rows=rows,
            usernames=usernames,
        )
