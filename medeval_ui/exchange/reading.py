"""Read an import file (JSON Lines, CSV, Parquet, XLSX) into rows of plain Python values.

Each row keeps the number a person would look for: the line in a JSONL file, the row in a
spreadsheet or CSV (header = row 1). Every failure is an InputFileError naming the file and,
where it applies, that number.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson

from medeval_ui.errors import InputFileError

FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".parquet": "parquet",
    ".xlsx": "xlsx",
}
_FORMULA_PREFIXES = frozenset("=+-@\t\r'")
_CSV_FIELD_LIMIT = 64 * 1024 * 1024


@dataclass
class Table:
    """The rows of one file. ``rows[i]`` was found at ``numbers[i]`` (a line or row)."""

    name: str
    columns: list[str]
    rows: list[dict[str, Any]]
    numbers: list[int]
    unit: str  # "line" or "row"
    from_csv: bool = False

    def error(self, index: int, message: str, field: str | None = None) -> InputFileError:
        return InputFileError(
            self.name, message, row=self.numbers[index], field=field, unit=self.unit
        )


def read_table(path: Path, *, name: str | None = None, sheet: str | None = None) -> Table:
    """Read the whole file. ``name`` is how errors refer to it (defaults to the file name)."""
    label = name or path.name
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputFileError(
            label,
            f"unsupported file type '{path.suffix or '(none)'}'; "
            "use .jsonl, .csv, .parquet or .xlsx",
        )
    if not path.is_file():
        raise InputFileError(label, "file not found")
    if path.stat().st_size == 0:
        raise InputFileError(label, "the file is empty")
    if fmt == "xlsx":
        table = _read_xlsx(path, label, sheet)
    else:
        readers = {"jsonl": _read_jsonl, "csv": _read_csv, "parquet": _read_parquet}
        table = readers[fmt](path, label)
    if not table.rows:
        raise InputFileError(
            label,
            "the file has a header but no data rows" if table.columns else "the file has no rows",
        )
    return table


def _utf8(path: Path, label: str) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputFileError(
            label,
            f"the file is not UTF-8 text (bad byte 0x{data[err.start]:02x} on line "
            f"{line}); save it as UTF-8 (in Excel: 'CSV UTF-8')",
        ) from None


def _read_jsonl(path: Path, label: str) -> Table:
    rows: list[dict[str, Any]] = []
    numbers: list[int] = []
    columns: dict[str, None] = {}
    shapes: set[tuple[str, ...]] = set()
    # split("\n"), not splitlines(): JSON strings may hold U+2028 and friends unescaped.
    for number, line in enumerate(_utf8(path, label).split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as err:
            raise InputFileError(
                label, f"not valid JSON ({err.args[0].split(':')[0]})", row=number, unit="line"
            ) from None
        if not isinstance(value, dict):
            raise InputFileError(
                label,
                f"expected a JSON object, got {type(value).__name__}",
                row=number,
                unit="line",
            )
        keys = tuple(value)
        if keys not in shapes:  # most files repeat one key order: check each shape once
            shapes.add(keys)
            columns.update(dict.fromkeys(keys))
        rows.append(value)
        numbers.append(number)
    return Table(label, list(columns), rows, numbers, "line")


def _read_csv(path: Path, label: str) -> Table:
    text = _utf8(path, label)
    first = text.split("\n", 1)[0]
    # Excel in many locales writes ';' and tab-separated exports are common: take the
    # separator the header uses most.
    delimiter = max([",", ";", "\t"], key=first.count) if path.suffix != ".tsv" else "\t"
    # The csv module refuses cells over 128 KiB; a long model answer is still a valid cell
    # (records.py sets the real limits, per field). Process-wide; only ever raised.
    csv.field_size_limit(max(csv.field_size_limit(), _CSV_FIELD_LIMIT))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputFileError(label, "the file is empty") from None
    except csv.Error as err:
        raise InputFileError(label, f"unreadable CSV header ({err})", row=1) from None
    columns = [c.strip() for c in header]
    _check_columns(columns, label)
    rows: list[dict[str, Any]] = []
    numbers: list[int] = []
    number = 1  # header is row 1, as a spreadsheet shows it
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(columns):
                raise InputFileError(
                    label,
                    f"has {len(cells)} cells but the header has {len(columns)} columns",
                    row=number,
                )
            rows.append({c: _uncell(v) for c, v in zip(columns, cells, strict=True)})
            numbers.append(number)
    except csv.Error as err:
        raise InputFileError(label, f"unreadable CSV ({err})", row=number + 1) from None
    return Table(label, columns, rows, numbers, "row", from_csv=True)


def _uncell(value: str) -> str | None:
    """Empty cells are missing values; undo the formula guard medeval's CSV export adds."""
    if value == "":
        return None
    if len(value) > 1 and value[0] == "'" and value[1] in _FORMULA_PREFIXES:
        return value[1:]
    return value


def _read_parquet(path: Path, label: str) -> Table:
    import pyarrow.parquet as pq

    try:
        columns = pq.read_schema(path).names
        _check_columns(columns, label)  # before reading: pyarrow trips over duplicate names
        # Damaged data can surface as late as the conversion to Python values.
        records = pq.read_table(path).to_pylist()
    except InputFileError:
        raise
    except Exception as err:  # pyarrow raises several types for a damaged file
        problem = _problem(err)
        raise InputFileError(label, f"not a readable Parquet file ({problem})") from None
    rows = [_parquet_row(r, number, label) for number, r in enumerate(records, start=1)]
    return Table(label, columns, rows, list(range(1, len(rows) + 1)), "row")


def _parquet_row(record: dict[str, Any], number: int, label: str) -> dict[str, Any]:
    row = {}
    for key, value in record.items():
        try:
            row[key] = _plain(value)
        except UnicodeDecodeError:
            raise InputFileError(
                label, "binary data that is not UTF-8 text", row=number, field=key
            ) from None
    return row


def _problem(err: Exception) -> str:
    """A library's reason for refusing a file, as one short line without paths or internals."""
    if isinstance(err, UnicodeDecodeError):
        return "a text column holds bytes that are not UTF-8; the file is damaged"
    first = str(err).strip().split("\n", 1)[0].strip('"')
    first = re.sub(r"^Could not open Parquet input source '.*?': ", "", first)
    if not first or "thrift" in first.lower() or re.search(r"Exception|b'|\\x", first):
        return "the file is damaged or truncated"
    return first[:160]


def _read_xlsx(path: Path, label: str, sheet: str | None) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # zipfile/openpyxl raise many types for a damaged file
        raise InputFileError(label, f"not a readable .xlsx workbook ({_problem(err)})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InputFileError(
                label, f"no sheet named '{sheet}' (sheets: {', '.join(book.sheetnames)})"
            )
        ws = book[sheet] if sheet else book.worksheets[0]
        it: Iterator[tuple[Any, ...]] = ws.iter_rows(values_only=True)
        header = next(it, None)
        if header is None:
            raise InputFileError(label, "the sheet is empty")
        columns = ["" if c is None else str(c).strip() for c in header]
        while columns and columns[-1] == "":
            columns.pop()
        _check_columns(columns, label)
        rows: list[dict[str, Any]] = []
        numbers: list[int] = []
        for number, cells in enumerate(it, start=2):
            values = [_plain(v) for v in cells[: len(columns)]]
            if all(v is None or v == "" for v in values):
                continue
            values += [None] * (len(columns) - len(values))
            rows.append(dict(zip(columns, values, strict=True)))
            numbers.append(number)
    except InputFileError:
        raise
    except Exception as err:  # a large sheet is read lazily: damage shows up here
        raise InputFileError(label, f"not a readable .xlsx workbook ({_problem(err)})") from None
    finally:
        book.close()
    return Table(label, columns, rows, numbers, "row")


def _check_columns(columns: list[str], label: str) -> None:
    seen: set[str] = set()
    for i, col in enumerate(columns, start=1):
        if col == "":
            raise InputFileError(label, f"column {i} of the header has no name", row=1)
        if col in seen:
            raise InputFileError(label, f"the header names column '{col}' twice", row=1)
        seen.add(col)


def _plain(value: Any) -> Any:
    """Spreadsheet and Arrow values as JSON-friendly Python values (NaN -> None; binary
    as UTF-8 text, else UnicodeDecodeError; decimals as numbers; durations in seconds)."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes):
        return _plain(value.decode("utf-8"))
    if isinstance(value, Decimal):  # Arrow decimals are finite
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, str) and value == "":
        return None
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
