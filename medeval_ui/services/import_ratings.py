"""Import ratings made outside the app (a spreadsheet filled offline, another tool).

One row is one clinician's rating of one output: the output reference (case external id,
model, model version, sample), the annotator's username, one column per rubric question
(option id or label), and optional confidence, comment, timestamp and time spent. Answers
are checked against the study's rubric snapshot. Annotators must already have an account
(ratings belong to people; a typo must not invent a clinician).

Re-importing a file records nothing twice: each row's content gives a stable client token.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import orjson

from medeval_ui.domain.rubric import Rubric, validate_confidence
from medeval_ui.errors import MedevalError
from medeval_ui.exchange.mapping import ColumnMapping
from medeval_ui.exchange.records import RATING_BASE_FIELDS, RatingRecord, parse_rating
from medeval_ui.services.import_common import ImportSummary, read_records, record_import
from medeval_ui.services.import_outputs import resolve_outputs
from medeval_ui.services.studies import find_study
from medeval_ui.storage.engine import Database
from medeval_ui.storage.repos.ratings import imported_rating_tokens, insert_ratings
from medeval_ui.storage.repos.users import user_ids_by_username


def import_ratings(
    db: Database,
    study_slug: str,
    path: Path,
    mapping: ColumnMapping | None = None,
    *,
    name: str | None = None,
    sheet: str | None = None,
    actor: str = "cli",
) -> ImportSummary:
    mapping = mapping or ColumnMapping()
    with db.read() as session:
        study = find_study(session, study_slug)
        rubric = Rubric.from_snapshot(study.rubric_snapshot)
    question_ids = [q.id for q in rubric.questions]
    clash = set(question_ids) & set(RATING_BASE_FIELDS)
    if clash:  # a rubric question called "comment" would shadow the comment column
        raise MedevalError(
            f"the study's rubric has question ids that clash with rating "
            f"columns: {', '.join(sorted(clash))}"
        )

    def parse(values: dict[str, Any], _meta: dict[str, Any], suffix: str | None) -> Any:
        record = parse_rating(values, question_ids, suffix)
        answers = rubric.validate_answers(record.answers)
        confidence = validate_confidence(record.confidence)
        return RatingRecord(
            record.ref,
            record.annotator,
            answers,
            confidence,
            record.comment,
            record.timestamp,
            record.time_spent_ms,
        )

    table, resolver, parsed = read_records(
        path,
        mapping,
        (*RATING_BASE_FIELDS, *question_ids),
        "annotator",
        parse,
        name=name,
        sheet=sheet,
        required=("case_id", "model", "annotator"),
    )
    summary = ImportSummary("ratings", table.name)
    if resolver.extra_columns:
        summary.notes.append("columns not used: " + ", ".join(resolver.extra_columns[:8]))
    with db.write() as session:
        study = find_study(session, study_slug)
        outputs = resolve_outputs(session, study.id, table, parsed)
        users = user_ids_by_username(session)
        present = imported_rating_tokens(session, study.id)
        tokens: dict[str, int] = {}
        new: list[dict[str, Any]] = []
        for item in parsed:
            rec: RatingRecord = item.record
            if rec.annotator not in users:
                raise table.error(
                    item.index,
                    f"no user '{rec.annotator}'; create the account "
                    f"first (medeval users add {rec.annotator} --role clinician)",
                    "annotator",
                )
            output_id = outputs[item.index, item.suffix]
            token = _token(study.slug, output_id, rec)
            if token in tokens:
                raise table.error(
                    item.index,
                    "the same rating already appears on "
                    f"{table.unit} {table.numbers[tokens[token]]}",
                )
            tokens[token] = item.index
            if token in present:
                summary.unchanged += 1
                continue
            summary.by_model[_label(rec)] += 1
            new.append(
                {
                    "study_id": study.id,
                    "output_id": output_id,
                    "user_id": users[rec.annotator],
                    "answers": rec.answers,
                    "rubric_version": study.rubric_version,
                    "confidence": rec.confidence,
                    "comment": rec.comment,
                    "time_spent_ms": rec.time_spent_ms,
                    "origin": "imported",
                    "client_token": token,
                    "created_at": rec.timestamp,  # None: dated at import (insert_ratings)
                }
            )
        insert_ratings(session, new)
        summary.created = len(new)
        record_import(session, summary, actor=actor, study_id=study.id, what="ratings")
    return summary


def _token(study: str, output_id: int, rec: RatingRecord) -> str:
    """Same study, output, annotator and content => same token => recorded once."""
    content = orjson.dumps(
        [
            study,
            output_id,
            rec.annotator,
            rec.answers,
            rec.confidence,
            rec.comment,
            rec.timestamp.isoformat() if rec.timestamp else None,
        ],
        option=orjson.OPT_SORT_KEYS,
    )
    return "import:" + hashlib.sha256(content).hexdigest()[:40]


def _label(rec: RatingRecord) -> str:
    return f"{rec.ref.model} {rec.ref.model_version}".strip()
