"""Import model outputs and automatic scores: all or nothing, idempotent.

Both refer to things by the names a user has in their files: a case by its external id, an
output by (case, model, model version, sample). A wide file (``--map text=*_answer``) gives
one output per model column; the ``*`` suffix is the model name (``--suffix-map``
renames it).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from medeval_ui.exchange.mapping import ColumnMapping
from medeval_ui.exchange.reading import Table
from medeval_ui.exchange.records import (
    OUTPUT_FIELDS,
    SCORE_FIELDS,
    OutputRecord,
    OutputRef,
    ScoreRecord,
    parse_output,
    parse_score,
)
from medeval_ui.services.annotation_memo import forget_counts
from medeval_ui.services.import_common import ImportSummary, Parsed, read_records, record_import
from medeval_ui.services.new_outputs import add_outputs
from medeval_ui.services.studies import find_study, require_study
from medeval_ui.storage.engine import Database
from medeval_ui.storage.repos.cases import case_ids_by_external_id
from medeval_ui.storage.repos.outputs import (
    existing_outputs,
    existing_scores,
    insert_models,
    insert_scores,
    model_ids,
    output_ids_by_ref,
)


def _skip_empty(field: str, wide: bool) -> Any:
    """In a wide file an empty model cell means "no answer from that model here"."""

    def check(values: dict[str, Any]) -> bool:
        return wide and values.get(field) in (None, "")

    return check


def import_outputs(
    db: Database,
    study_slug: str,
    path: Path,
    mapping: ColumnMapping | None = None,
    *,
    name: str | None = None,
    sheet: str | None = None,
    actor: str = "cli",
) -> ImportSummary:
    require_study(db, study_slug)
    mapping = mapping or ColumnMapping()
    empty = _skip_empty("text", mapping.is_wide)

    def parse(values: dict[str, Any], _meta: dict[str, Any], suffix: str | None) -> Any:
        return None if empty(values) else parse_output(values, suffix)

    required = ("case_id", "text") if mapping.is_wide else ("case_id", "model", "text")
    table, resolver, parsed = read_records(
        path, mapping, OUTPUT_FIELDS, "text", parse, name=name, sheet=sheet, required=required
    )
    summary = ImportSummary("outputs", table.name)
    _note_ignored(summary, resolver.extra_columns)
    _check_unique(table, parsed)
    with db.write() as session:
        study = find_study(session, study_slug)
        cases = _case_ids(session, study.id, table, parsed)
        models = _model_ids(
            session, {(p.record.ref.model, p.record.ref.model_version) for p in parsed}
        )
        existing = existing_outputs(session, study.id)
        new: list[dict[str, Any]] = []
        per_model: Counter[tuple[str, str]] = Counter()
        for item in parsed:
            rec = item.record
            key = (cases[rec.ref.case_id], models[_model_key(rec.ref)], rec.ref.sample)
            if key in existing:
                if existing[key] != rec.text:
                    raise table.error(
                        item.index,
                        f"an output for case '{rec.ref.case_id}', "
                        f"model '{_model_label(rec.ref)}', sample "
                        f"{rec.ref.sample} already exists with different text; "
                        "use another sample number or model version",
                        "text",
                    )
                summary.unchanged += 1
                continue
            new.append(
                {
                    "case_id": key[0],
                    "model_id": key[1],
                    "sample_index": key[2],
                    "text": rec.text,
                    "params": rec.params,
                    "origin": "imported",
                }
            )
            per_model[rec.ref.model, rec.ref.model_version] += 1
        add_outputs(session, study, new)
        summary.created = len(new)
        _count_models(summary, per_model)
        record_import(session, summary, actor=actor, study_id=study.id, what="outputs")
    forget_counts()
    return summary


def import_scores(
    db: Database,
    study_slug: str,
    path: Path,
    mapping: ColumnMapping | None = None,
    *,
    name: str | None = None,
    sheet: str | None = None,
    actor: str = "cli",
) -> ImportSummary:
    require_study(db, study_slug)
    mapping = mapping or ColumnMapping()
    empty = _skip_empty("value", mapping.is_wide)

    def parse(values: dict[str, Any], _meta: dict[str, Any], suffix: str | None) -> Any:
        return None if empty(values) and not values.get("label") else parse_score(values, suffix)

    wide_field = "value" if "*" in mapping.specs.get("value", "") else "label"
    required = ("case_id", "scorer") if mapping.is_wide else ("case_id", "model", "scorer")
    table, resolver, parsed = read_records(
        path, mapping, SCORE_FIELDS, wide_field, parse, name=name, sheet=sheet, required=required
    )
    summary = ImportSummary("scores", table.name)
    _note_ignored(summary, resolver.extra_columns)
    with db.write() as session:
        study = find_study(session, study_slug)
        outputs = resolve_outputs(session, study.id, table, parsed)
        seen: dict[tuple[int, str, str], int] = {}
        for item in parsed:
            key = (outputs[item.index, item.suffix], item.record.scorer, item.record.metric)
            if key in seen:
                raise table.error(
                    item.index,
                    f"the same output, scorer and metric already "
                    f"appear on {table.unit} {table.numbers[seen[key]]}",
                )
            seen[key] = item.index
        existing = existing_scores(session, study.id)
        new: list[dict[str, Any]] = []
        per_model: Counter[tuple[str, str]] = Counter()
        for item in parsed:
            rec: ScoreRecord = item.record
            key = (outputs[item.index, item.suffix], rec.scorer, rec.metric)
            old = existing.get(key)
            if old is not None:
                if old != (rec.value, rec.label, rec.detail):
                    raise table.error(
                        item.index,
                        f"scorer '{rec.scorer}' already gave metric "
                        f"'{rec.metric}' for this output a different value; "
                        "import the new run under another scorer name",
                        "value",
                    )
                summary.unchanged += 1
                continue
            new.append(
                {
                    "output_id": key[0],
                    "scorer": rec.scorer,
                    "metric": rec.metric,
                    "value": rec.value,
                    "label": rec.label,
                    "detail": rec.detail,
                }
            )
            per_model[rec.ref.model, rec.ref.model_version] += 1
        insert_scores(session, new)
        summary.created = len(new)
        _count_models(summary, per_model)
        record_import(session, summary, actor=actor, study_id=study.id, what="scores")
    return summary


def resolve_outputs(
    session: Session, study_id: int, table: Table, parsed: list[Parsed[Any]]
) -> dict[tuple[int, str | None], int]:
    """Output id for each parsed record's ``ref``; the first unknown one is a row error."""
    _case_ids(session, study_id, table, parsed)  # unknown cases first: the clearer error
    known = output_ids_by_ref(session, study_id)
    out: dict[tuple[int, str | None], int] = {}
    for item in parsed:
        ref: OutputRef = item.record.ref
        oid = known.get((ref.case_id, ref.model, ref.model_version, ref.sample))
        if oid is None:
            raise table.error(
                item.index,
                f"no output of model '{_model_label(ref)}' sample "
                f"{ref.sample} for case '{ref.case_id}' in this study; import "
                "the outputs first",
                "model",
            )
        out[item.index, item.suffix] = oid
    return out


def _case_ids(
    session: Session, study_id: int, table: Table, parsed: list[Parsed[Any]]
) -> dict[str, int]:
    found = case_ids_by_external_id(session, study_id)
    for item in parsed:
        if item.record.ref.case_id not in found:
            raise table.error(
                item.index,
                f"no case with external_id "
                f"'{item.record.ref.case_id}' in this study; import the cases "
                "first",
                "case_id",
            )
    return found


def _model_ids(session: Session, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    found = model_ids(session)
    missing = sorted(wanted - set(found))
    if missing:
        insert_models(session, missing)
        found = model_ids(session)
    return found


def _check_unique(table: Table, parsed: list[Parsed[OutputRecord]]) -> None:
    seen: dict[OutputRef, int] = {}
    for item in parsed:
        ref = item.record.ref
        if ref in seen:
            raise table.error(
                item.index,
                f"case '{ref.case_id}', model '{_model_label(ref)}', "
                f"sample {ref.sample} already appears on {table.unit} "
                f"{table.numbers[seen[ref]]}",
                "sample",
            )
        seen[ref] = item.index


def _model_key(ref: OutputRef) -> tuple[str, str]:
    return (ref.model, ref.model_version)


def _model_label(ref: OutputRef) -> str:
    return f"{ref.model} {ref.model_version}".strip()


def _count_models(summary: ImportSummary, per_model: Counter[tuple[str, str]]) -> None:
    for (model, version), n in per_model.items():
        summary.by_model[f"{model} {version}".strip()] += n


def _note_ignored(summary: ImportSummary, columns: list[str]) -> None:
    if columns:
        shown = ", ".join(columns[:8]) + (" ..." if len(columns) > 8 else "")
        summary.notes.append(f"columns not used: {shown}")
