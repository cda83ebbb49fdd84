"""Import pairwise votes made elsewhere, in the Chatbot Arena battle format.

One row (or JSON line) per vote: ``model_a``, ``model_b`` (model names; ``model_a_version``
and ``model_b_version`` when a name has several versions), ``winner`` (``model_a``,
``model_b``, ``tie``, ``tie (bothbad)``), ``judge`` (an existing username), ``case_id``
(the case's external id; both models need an output on it; their lowest sample is used),
optional ``tstamp`` (Unix seconds or ISO 8601) and ``language`` (checked against the
case). Model A is recorded as the left side; imported votes are left out of position bias.
All or nothing, like every import; re-importing the same file adds nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from medeval_ui.exchange.mapping import ColumnMapping
from medeval_ui.exchange.records import FieldError, identifier, number, timestamp
from medeval_ui.services.import_common import ImportSummary, read_records, record_import
from medeval_ui.services.studies import find_study
from medeval_ui.storage.engine import Database
from medeval_ui.storage.repos import pairs
from medeval_ui.storage.repos.cases import cases_by_external_id
from medeval_ui.storage.repos.outputs import output_ids_by_ref
from medeval_ui.storage.repos.users import user_ids_by_username

VOTE_FIELDS = (
    "case_id",
    "model_a",
    "model_a_version",
    "model_b",
    "model_b_version",
    "winner",
    "judge",
    "tstamp",
    "language",
)
WINNERS = {"model_a": "left", "model_b": "right", "tie": "tie", "tie (bothbad)": "both_bad"}


@dataclass(slots=True)
class _Vote:
    case_id: str
    model_a: tuple[str, str | None]
    model_b: tuple[str, str | None]
    winner: str
    judge: str
    at: datetime | None
    language: str


def _when(values: dict[str, Any]) -> datetime | None:
    raw = values.get("tstamp")
    if isinstance(raw, int | float) or (isinstance(raw, str) and raw.replace(".", "").isdigit()):
        seconds = number(values, "tstamp")
        assert seconds is not None
        return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)
    return timestamp(values, "tstamp")


def _parse(values: dict[str, Any], _meta: dict[str, Any], _suffix: str | None) -> _Vote:
    winner = str(values.get("winner") or "").strip()
    if winner not in WINNERS:
        raise FieldError("winner", f"expected one of {', '.join(WINNERS)}, got {winner!r}")
    vote = _Vote(
        case_id=identifier(values, "case_id"),
        model_a=(
            identifier(values, "model_a"),
            identifier(values, "model_a_version", required=False) or None,
        ),
        model_b=(
            identifier(values, "model_b"),
            identifier(values, "model_b_version", required=False) or None,
        ),
        winner=WINNERS[winner],
        judge=identifier(values, "judge").lower(),
        at=_when(values),
        language=identifier(values, "language", required=False),
    )
    if vote.model_a == vote.model_b:
        raise FieldError("model_b", "is the same model as model_a")
    return vote


def import_votes(
    db: Database,
    study_slug: str,
    path: Path,
    mapping: ColumnMapping | None = None,
    *,
    name: str | None = None,
    sheet: str | None = None,
    actor: str = "cli",
) -> ImportSummary:
    table, resolver, parsed = read_records(
        path,
        mapping or ColumnMapping(),
        VOTE_FIELDS,
        "winner",
        _parse,
        name=name,
        sheet=sheet,
        required=("case_id", "model_a", "model_b", "winner", "judge"),
    )
    summary = ImportSummary("votes", table.name)
    if resolver.extra_columns:
        summary.notes.append("columns not used: " + ", ".join(resolver.extra_columns[:8]))
    with db.write() as session:
        study = find_study(session, study_slug)
        cases = cases_by_external_id(session, study.id)
        outputs: dict[tuple[str, str], list[tuple[int, str, int]]] = {}
        for (c, m, v, smp), oid in output_ids_by_ref(session, study.id).items():
            outputs.setdefault((c, m), []).append((smp, v, oid))
        people = user_ids_by_username(session)
        present = pairs.vote_tokens(session, study.id)
        seen: dict[str, int] = {}
        new = []
        for item in parsed:
            rec: _Vote = item.record
            case = cases.get(rec.case_id)
            if case is None:
                raise table.error(item.index, f"no case '{rec.case_id}' in this study", "case_id")
            if rec.language and rec.language != case.language:
                raise table.error(
                    item.index,
                    f"case '{rec.case_id}' is in '{case.language}', not '{rec.language}'",
                    "language",
                )
            if rec.judge not in people:
                raise table.error(
                    item.index,
                    f"no user '{rec.judge}'; create the account first "
                    f"(medeval users add {rec.judge} --role clinician)",
                    "judge",
                )
            left = _output(table, item.index, outputs, rec.case_id, rec.model_a, "model_a")
            right = _output(table, item.index, outputs, rec.case_id, rec.model_b, "model_b")
            token = _token(study.slug, rec, left, right)
            if token in seen:
                raise table.error(
                    item.index,
                    f"the same vote already appears on {table.unit} {table.numbers[seen[token]]}",
                )
            seen[token] = item.index
            if token in present:
                summary.unchanged += 1
                continue
            new.append(
                {
                    "study_id": study.id,
                    "case_id": case.id,
                    "left_output_id": left,
                    "right_output_id": right,
                    "user_id": people[rec.judge],
                    "assignment_id": None,
                    "winner": rec.winner,
                    "axes": {},
                    "reason": "",
                    "time_spent_ms": None,
                    "origin": "imported",
                    "client_token": token,
                    "created_at": rec.at or datetime.now(UTC).replace(tzinfo=None),
                }
            )
            summary.by_language[case.language] += 1
        pairs.insert_votes(session, new)
        summary.created = len(new)
        record_import(session, summary, actor=actor, study_id=study.id, what="votes")
    return summary


def _output(
    table: Any,
    index: int,
    outputs: dict[tuple[str, str], list[tuple[int, str, int]]],
    case_id: str,
    model: tuple[str, str | None],
    field: str,
) -> int:
    """The output id of the model's lowest sample on the case (of the named version)."""
    name, version = model
    found = sorted(
        (s, v, oid) for s, v, oid in outputs.get((case_id, name), []) if version in (None, v)
    )
    versions = {v for _s, v, _o in found}
    if not found:
        raise table.error(index, f"model '{name}' has no output on case '{case_id}'", field)
    if len(versions) > 1:
        raise table.error(
            index,
            f"model '{name}' has several versions ({', '.join(sorted(versions))}); "
            f"name one in a {field}_version column",
            field,
        )
    return found[0][2]  # the lowest sample


def _token(study: str, rec: _Vote, left: int, right: int) -> str:
    content = orjson.dumps([study, rec.case_id, left, right, rec.winner, rec.judge, str(rec.at)])
    return "import:" + hashlib.sha256(content).hexdigest()[:40]
