"""What a study lead does around annotation: named assignments, gold items, progress.

Imports here follow the core import rules (all or nothing, errors name file, row and
field, re-importing the same file adds nothing).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

from medeval_ui.domain.assignment import clinician_languages, gold_agreement, shuffled_order
from medeval_ui.domain.rubric import Rubric
from medeval_ui.exchange.mapping import ColumnMapping
from medeval_ui.exchange.records import (
    OUTPUT_REF_FIELDS,
    FieldError,
    identifier,
    integer,
    parse_output_ref,
)
from medeval_ui.services.annotation_memo import forget_counts
from medeval_ui.services.annotation_views import ClinicianProgress, FlagView
from medeval_ui.services.import_common import ImportSummary, read_records, record_import
from medeval_ui.services.import_outputs import resolve_outputs
from medeval_ui.services.studies import find_study
from medeval_ui.storage.engine import Database
from medeval_ui.storage.repos import work, work_admin
from medeval_ui.storage.repos.cases import case_ids_by_external_id
from medeval_ui.storage.repos.users import all_users

ASSIGNMENT_FIELDS = ("username", "case_id", "sample")


@dataclass(slots=True)
class _Named:
    username: str
    case_id: str
    sample: int | None


def _parse_named(values: dict[str, Any], _meta: dict[str, Any], _suffix: str | None) -> _Named:
    has_sample = values.get("sample") not in (None, "")
    return _Named(
        username=identifier(values, "username").lower(),
        case_id=identifier(values, "case_id"),
        sample=integer(values, "sample", default=0) if has_sample else None,
    )


def import_assignments(
    db: Database,
    study_slug: str,
    path: Path,
    mapping: ColumnMapping | None = None,
    *,
    name: str | None = None,
    sheet: str | None = None,
    actor: str = "cli",
) -> ImportSummary:
    """Named assignments: columns ``username``, ``case_id`` and optional ``sample`` (all
    samples of the case when absent). Each one reserves a place on the item for that
    clinician, without expiry; it counts towards k like any other."""
    table, resolver, parsed = read_records(
        path,
        mapping or ColumnMapping(),
        ASSIGNMENT_FIELDS,
        "case_id",
        _parse_named,
        name=name,
        sheet=sheet,
        required=("username", "case_id"),
    )
    summary = ImportSummary("assignments", table.name)
    if resolver.extra_columns:
        summary.notes.append("columns not used: " + ", ".join(resolver.extra_columns[:8]))
    with db.write() as session:
        study = find_study(session, study_slug)
        cases = case_ids_by_external_id(session, study.id)
        people = {u.username: u for u in all_users(session)}
        taken = work_admin.assigned_pairs(session, study.id)
        k = study.ratings_per_output
        for item in parsed:
            rec: _Named = item.record
            user = people.get(rec.username)
            if user is None or not user.active:
                raise table.error(item.index, f"no active user '{rec.username}'", "username")
            case_id = cases.get(rec.case_id)
            if case_id is None:
                raise table.error(item.index, f"no case '{rec.case_id}' in this study", "case_id")
            items = work_admin.work_items_of_cases(session, [case_id])
            if rec.sample is not None:
                items = [w for w in items if w.sample_index == rec.sample]
            if not items:
                raise table.error(
                    item.index,
                    f"case '{rec.case_id}' has no outputs"
                    + ("" if rec.sample is None else f" with sample {rec.sample}")
                    + " to rate; import the outputs first",
                    "case_id" if rec.sample is None else "sample",
                )
            for w in items:
                if w.language not in clinician_languages(user.languages):
                    raise table.error(
                        item.index,
                        f"'{rec.username}' has not declared the language of case "
                        f"'{rec.case_id}' ({w.language}); set their languages first",
                        "username",
                    )
                if (user.id, w.id) in taken:
                    summary.unchanged += 1
                    continue
                if not w.gold and w.taken >= k:
                    raise table.error(
                        item.index,
                        f"case '{rec.case_id}' sample {w.sample_index} already has the {k} "
                        "clinicians the study wants; raise k or choose another case",
                        "case_id",
                    )
                outputs = work.item_outputs(session, w.case_id, w.sample_index)
                work.insert_assignment(
                    session,
                    study_id=study.id,
                    user_id=user.id,
                    case_id=w.case_id,
                    work_item_id=w.id,
                    kind="rating",
                    output_order=shuffled_order([o.id for o in outputs]),
                    status="open",
                    named=True,
                )
                # The ORM update also raises the loaded w.taken, which later rows of this
                # file read: adding 1 here as well took two places per assignment.
                work.add_to_taken(session, w.id, taken=1)
                taken.add((user.id, w.id))
                summary.created += 1
                summary.by_language[w.language] += 1
        forget_counts()
        record_import(session, summary, actor=actor, study_id=study.id, what="assignments")
    return summary


def import_gold(
    db: Database,
    study_slug: str,
    path: Path,
    mapping: ColumnMapping | None = None,
    *,
    name: str | None = None,
    sheet: str | None = None,
    actor: str = "cli",
) -> ImportSummary:
    """Gold items: the output reference (``case_id``, ``model``, ``model_version``,
    ``sample``) and the expected answer in one column per rubric question (only those the
    lead states are compared). Every clinician is given gold items, mixed in evenly, and
    cannot tell them from other items; their accuracy is on the progress page."""
    with db.read() as session:
        rubric = Rubric.from_snapshot(find_study(session, study_slug).rubric_snapshot)
    question_ids = [q.id for q in rubric.questions]

    def parse(values: dict[str, Any], _meta: dict[str, Any], suffix: str | None) -> Any:
        answers = {}
        for qid in question_ids:
            value = rubric.question(qid).normalize_answer(values.get(qid))
            if value is not None:
                answers[qid] = value
        if not answers:
            raise _no_answer(question_ids)
        return _Gold(parse_output_ref(values, suffix), answers)

    table, resolver, parsed = read_records(
        path,
        mapping or ColumnMapping(),
        (*OUTPUT_REF_FIELDS, *question_ids),
        "model",
        parse,
        name=name,
        sheet=sheet,
        required=("case_id", "model"),
    )
    summary = ImportSummary("gold answers", table.name)
    if resolver.extra_columns:
        summary.notes.append("columns not used: " + ", ".join(resolver.extra_columns[:8]))
    with db.write() as session:
        study = find_study(session, study_slug)
        outputs = resolve_outputs(session, study.id, table, parsed)
        existing = work_admin.gold_answers_of_study(session, study.id)
        seen: dict[int, int] = {}
        new = []
        for item in parsed:
            oid = outputs[item.index, item.suffix]
            if oid in seen:
                raise table.error(
                    item.index,
                    f"the same output already has gold answers on {table.unit} "
                    f"{table.numbers[seen[oid]]}",
                )
            seen[oid] = item.index
            if oid in existing:
                if existing[oid] != item.record.answers:
                    raise table.error(
                        item.index,
                        "this output already has different gold answers; gold answers are "
                        "not changed by a re-import",
                    )
                summary.unchanged += 1
                continue
            new.append({"study_id": study.id, "output_id": oid, "answers": item.record.answers})
            ref = item.record.ref
            summary.by_model[f"{ref.model} {ref.model_version}".strip()] += 1
        work_admin.insert_gold_answers(session, new)
        work.refresh_gold(session, study.id)
        forget_counts()
        summary.created = len(new)
        record_import(session, summary, actor=actor, study_id=study.id, what="gold")
    return summary


@dataclass(slots=True)
class _Gold:
    ref: Any
    answers: dict[str, Any]


def _no_answer(question_ids: list[str]) -> FieldError:
    return FieldError(question_ids[0], "is empty; a gold row needs at least one expected answer")


def study_progress(db: Database, study_slug: str) -> list[ClinicianProgress]:
    """Per clinician: items done, skipped, open, flagged; median time on task; gold
    accuracy (share of expected answers matched, on their latest revision per output)."""
    with db.read() as session:
        study = find_study(session, study_slug)
        counts = work_admin.status_counts(session, study.id)
        times = work_admin.rating_times(session, study.id)
        gold = work_admin.gold_ratings(session, study.id)
    people: dict[int, dict[str, Any]] = {}
    for uid, username, languages, status, flagged, n in counts:
        p = people.setdefault(
            uid,
            {"username": username, "languages": list(languages or []), "flagged": 0}
            | dict.fromkeys(("done", "skipped", "open", "released"), 0),
        )
        p[status] += n
        p["flagged"] += n if flagged else 0
    spent: dict[int, list[float]] = defaultdict(list)
    for uid, ms in times:
        if ms is not None:
            spent[uid].append(ms / 1000)
    latest: dict[tuple[int, int], tuple[dict[str, Any], dict[str, Any]]] = {}
    for uid, _rid, oid, answers, expected in gold:  # ordered by id: later revisions win
        latest[uid, oid] = (expected, answers)
    matched: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for (uid, _oid), (expected, answers) in latest.items():
        m, n = gold_agreement(expected, answers)
        matched[uid][0] += m
        matched[uid][1] += n
        matched[uid][2] += 1
    out = []
    for uid, p in sorted(people.items(), key=lambda kv: kv[1]["username"]):
        m, n, rated = matched.get(uid, [0, 0, 0])
        out.append(
            ClinicianProgress(
                username=p["username"],
                languages=p["languages"],
                done=p["done"],
                skipped=p["skipped"],
                open=p["open"],
                flagged=p["flagged"],
                median_seconds=median(spent[uid]) if spent.get(uid) else None,
                gold_rated=rated,
                gold_accuracy=m / n if n else None,
            )
        )
    return out


def study_flags(db: Database, study_slug: str) -> list[FlagView]:
    with db.read() as session:
        study = find_study(session, study_slug)
        return [FlagView(*row) for row in work_admin.flags(session, study.id)]
