"""What every import shares: read + map the file, turn field errors into row errors, and
report what happened per language and model."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from medeval_ui.domain.rubric import AnswerError
from medeval_ui.exchange.mapping import ColumnMapping, Resolver
from medeval_ui.exchange.reading import Table, read_table
from medeval_ui.exchange.records import FieldError
from medeval_ui.services import audit

R = TypeVar("R")


@dataclass
class ImportSummary:
    kind: str
    file: str
    created: int = 0
    unchanged: int = 0
    by_language: Counter[str] = field(default_factory=Counter)
    by_model: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"{self.file}: {self.created} {self.kind} imported, "
            f"{self.unchanged} already present and unchanged"
        ]
        if self.by_language:
            out.append(
                "  by language: "
                + ", ".join(f"{k} {v}" for k, v in sorted(self.by_language.items()))
            )
        if self.by_model:
            out.append(
                "  by model: " + ", ".join(f"{k} {v}" for k, v in sorted(self.by_model.items()))
            )
        out.extend(f"  note: {n}" for n in self.notes)
        return out


def record_import(
    session: Session, summary: ImportSummary, *, actor: str, study_id: int, what: str
) -> None:
    """The audit event every import writes, in the import's own transaction."""
    audit.record(
        session,
        "import",
        actor=actor,
        study_id=study_id,
        what=what,
        file=summary.file,
        created=summary.created,
        unchanged=summary.unchanged,
    )


@dataclass(slots=True)
class Parsed(Generic[R]):
    """A record and where it came from, so later checks can still name the row."""

    record: R
    index: int
    suffix: str | None


def read_records(
    path: Path,
    mapping: ColumnMapping,
    fields: Sequence[str],
    wide_field: str,
    parse: Callable[[dict[str, Any], dict[str, Any], str | None], R | None],
    *,
    name: str | None = None,
    sheet: str | None = None,
    required: Sequence[str] = (),
) -> tuple[Table, Resolver, list[Parsed[R]]]:
    """Read the file and parse every record; the first bad field stops everything.

    ``required`` fields must have a column or a --set value.
    """
    table = read_table(path, name=name, sheet=sheet)
    resolver = Resolver(
        mapping, fields, table.columns, wide_field=wide_field, file=table.name, required=required
    )
    parsed: list[Parsed[R]] = []
    for index, row in enumerate(table.rows):
        meta = resolver.metadata(row)
        for suffix, values in resolver.records(row):
            try:
                record = parse(values, meta, resolver.suffix_name(suffix))
            except FieldError as err:
                raise table.error(index, err.message, _column(mapping, err.field, suffix)) from None
            except AnswerError as err:
                raise table.error(index, err.detail, err.question_id) from None
            if record is not None:
                parsed.append(Parsed(record, index, suffix))
    return table, resolver, parsed


def _column(mapping: ColumnMapping, field_name: str, suffix: str | None) -> str:
    """Name the field as the user knows it: the column they mapped, if they mapped one."""
    spec = mapping.specs.get(field_name)
    if spec is None or "{" in spec:
        return field_name
    return spec.replace("*", suffix) if suffix is not None else spec
