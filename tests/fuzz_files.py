"""Hypothesis strategies for malformed import files: cases, outputs and scores, in every
format (CSV, JSONL, JSON, Parquet, XLSX), and the oracle every import must satisfy.

A drawn file starts as a valid table (references to what the fuzz study holds; new keys, or
stored ones with their stored values, so it imports), then gets mutations: columns dropped,
added, renamed, duplicated or left unnamed; cells set to wrong types, empty values,
NaN/inf, huge numbers, very long strings, control characters, lone surrogates (which become
non-UTF-8 bytes), formula-looking text; rows duplicated; references to cases that do not
exist. Last, the bytes may be damaged: truncated, spliced with random bytes, re-encoded as
UTF-16, given a BOM, or replaced by random bytes under a valid extension.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import random
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from medeval_ui.errors import InputFileError, MedevalError

FORMATS = ("csv", "jsonl", "json", "parquet", "xlsx")
KINDS = ("cases", "outputs", "scores")
# What the fuzz study holds before the first example (see tests/test_import_fuzz.py).
KNOWN_CASES = tuple(f"q{g}-{lang}" for g in range(4) for lang in ("en", "ar"))
KNOWN_MODELS = ("m1", "m2")
SAMPLES = (0, 1)
MODELS = (*KNOWN_MODELS, "m3")  # m3 is new to the study
REF_FIELDS = frozenset({"case_id", "model", "model_version", "sample"})
ABSENT = object()  # a key left out of a JSON object; an empty cell elsewhere
Table = tuple[list[str], list[list[Any]]]  # header, rows of cells


@dataclass
class FuzzFile:
    """One generated import file and what was done to it."""

    kind: str
    fmt: str
    name: str
    data: bytes
    rows: int  # data rows written
    cell: tuple[int, str] | None  # (row number as the file shows it, column) if the only change
    changes: list[str] = field(default_factory=list)
    base: bytes = b""  # with ``cell``: the same file before that cell was changed

    def __repr__(self) -> str:  # hypothesis prints the failing example: keep it readable
        head = self.data[:120]
        return (
            f"FuzzFile({self.fmt} {self.kind}, {len(self.data)} bytes starting {head!r}, "
            f"cell={self.cell}, changes={self.changes})"
        )


# --- values ---------------------------------------------------------------------------------

_plain_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda s: s.strip() == s and s.strip() != "")
_ident = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_.", min_size=1, max_size=12)


def _long(n: int) -> st.SearchStrategy[str]:
    return st.sampled_from("xé中").map(lambda c: c * n)


weird_values: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from([None, ABSENT, "", " ", "\t", "null", "NaN", "None", "0x1F", "1e999"]),
    st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -0.0, 0.5, 3.0]),
    st.sampled_from([2**63, 2**64, -(2**63) - 1, 10**30, -1, 0, 7]),
    st.booleans(),
    st.sampled_from([300, 131_073, 200_001]).flatmap(_long),  # id limit, csv limit, text limit
    st.sampled_from(
        ["a\x00b", "\x00", "\x1b[31mred", "line\nbreak", "\r", "a\tb", "\u2028", "\ufeffbom"]
    ),
    st.sampled_from(["\ud800", "ok\udcff"]),  # lone surrogates: not encodable as UTF-8
    st.sampled_from(["=1+1", "+SUM(A1:A9)", "-2+3", "@cmd", "'=x", '=HYPERLINK("x")']),
    st.lists(st.integers(-3, 3), max_size=3),
    st.dictionaries(st.sampled_from(["t", "k"]), st.integers(0, 3), max_size=2),
    st.binary(min_size=1, max_size=8),
    st.sampled_from([Decimal("1.10"), Decimal(10) ** 30, dt.date(2026, 3, 1)]),
    st.sampled_from([dt.time(14, 5), dt.timedelta(seconds=90), dt.datetime(2026, 3, 1, 9)]),
    st.text(max_size=20),
    st.integers(),
    st.floats(),
)


# --- valid rows -----------------------------------------------------------------------------


_fresh = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=10, max_size=14)


@st.composite
def valid_table(draw: st.DrawFn, kind: str) -> tuple[list[str], list[list[Any]]]:
    """A table that imports into the fuzz study, unless a stored value gets in the way:
    one file in six reuses stored keys (a conflict, or unchanged rows)."""
    n = draw(st.integers(1, 6))
    stored = draw(st.integers(0, 5)) == 0

    def _mostly(fresh: st.SearchStrategy[Any], known: st.SearchStrategy[Any]) -> Any:
        return st.one_of(known, fresh) if stored else fresh

    # Keys are unique within the file (the row number is part of them) and every other
    # value follows from the key, so a key drawn again later, or one already stored, is
    # "unchanged", not a conflict: a valid file is refused only when a mutation says so.
    if kind == "cases":
        header = ["external_id", "group_id", "language", "prompt", "reference_answer", "site"]
        rows = []
        for i in range(n):
            case = draw(_mostly(_fresh.map(f"c{i}-".__add__), st.sampled_from(KNOWN_CASES)))
            rows.append(case_row(case))
    elif kind == "outputs":
        header = ["case_id", "model", "sample", "text", "params"]
        rows = []
        for i in range(n):
            case, model = draw(st.sampled_from(KNOWN_CASES)), draw(st.sampled_from(MODELS))
            fresh = 2 + 8 * draw(st.integers(0, 10**8)) + i  # never 0 or 1, unique in the file
            sample = draw(_mostly(st.just(fresh), st.sampled_from(SAMPLES)))
            params = draw(st.sampled_from(["", '{"temperature": 0.7}']))
            rows.append([case, model, sample, output_text(case, model, sample), params])
    else:
        header = ["case_id", "model", "sample", "scorer", "metric", "value", "label"]
        rows = []
        for i in range(n):
            scorer = draw(_mostly(_fresh.map(f"s{i}-".__add__), st.sampled_from(["judge", "em"])))
            metric = draw(st.sampled_from(["correct", "score", ABSENT]))
            ref = [draw(st.sampled_from(KNOWN_CASES)), draw(st.sampled_from(KNOWN_MODELS))]
            hit = zlib.crc32(f"{ref}{scorer}{metric is ABSENT}".encode()) % 2
            label = ["wrong", "correct"][hit] if len(scorer) % 3 else ""
            rows.append([*ref, draw(st.sampled_from(SAMPLES)), scorer, metric, hit, label])
    return header, rows


def output_text(case: str, model: str, sample: int) -> str:
    return f"{model} on {case}, sample {sample}"


SNIPPETS = (
    "Chest pain for an hour?",
    "ألم في الصدر منذ ساعة؟",
    "नवजात में बुखार?",
    "胸痛一小时了？",
    "Dor no peito há uma hora?",
    "Fever 39.5 °C 👶",
    "Cafe\u0301 au lait, «citation»",
)


def case_row(case: str) -> list[Any]:
    """The row of a case, following from its id: a stored case as it was imported."""
    if case in KNOWN_CASES:
        return [case, case[:2], case[3:], f"Question {case}?", "", None]
    pick = random.Random(case)
    language = pick.choice(["en", "ar", "hi", "pt-BR", "zh-Hans", "sw", "fr"])
    prompt = f"{case}: {pick.choice(SNIPPETS)}"
    return [case, f"g{pick.randrange(40)}", language, prompt, pick.choice(SNIPPETS), "A"]


# --- mutations ------------------------------------------------------------------------------


@st.composite
def mutated(draw: st.DrawFn, kind: str) -> tuple[Table, list[str], Any, Table]:
    """A valid table with 0-3 mutations: (table, what was done, the one cell or None, the
    table before the mutations)."""
    header, rows = draw(valid_table(kind))
    base = (list(header), [list(r) for r in rows])
    changes: list[str] = []
    cells: list[tuple[int, str]] = []
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 1, 2, 3]))):
        op = draw(
            st.sampled_from(
                ["cell", "cell", "cell", "drop", "extra", "rename", "dup_row", "dup_col", "unknown"]
            )
        )
        col = draw(st.integers(0, len(header) - 1)) if header else 0
        if op == "cell" and rows and header:
            r = draw(st.integers(0, len(rows) - 1))
            value = draw(weird_values)
            rows[r][col] = value
            changes.append(f"row {r} {header[col]!r} = {_show(value)}")
            cells.append((r, header[col]))
        elif op == "drop" and len(header) > 1:
            changes.append(f"drop column {header[col]!r}")
            del header[col]
            for row in rows:
                del row[col]
        elif op == "extra":
            name = draw(st.one_of(_ident, st.sampled_from(["metadata", "images", "id"])))
            header.append(name)
            for row in rows:
                row.append(draw(st.one_of(_plain_text, weird_values)))
            changes.append(f"extra column {name!r}")
        elif op == "rename" and header:
            new = draw(st.one_of(_ident, st.sampled_from(["", " ", header[col].upper()])))
            changes.append(f"rename {header[col]!r} -> {new!r}")
            header[col] = new
        elif op == "dup_row" and rows:
            rows.append(list(draw(st.sampled_from(rows))))
            changes.append("duplicate a row")
        elif op == "dup_col" and header:
            header.append(header[col])
            for row in rows:
                row.append(row[col])
            changes.append(f"column {header[col]!r} twice")
        elif op == "unknown" and rows and "case_id" in header:
            r = draw(st.integers(0, len(rows) - 1))
            rows[r][header.index("case_id")] = "no-such-case"
            changes.append(f"row {r} unknown case")
            cells.append((r, "case_id"))
    only_cell = cells[0] if len(cells) == 1 and len(changes) == 1 else None
    return (header, rows), changes, only_cell, base


# --- writers --------------------------------------------------------------------------------


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:30]}... ({len(text)} chars)"


def _as_text(value: Any) -> str | None:
    if value is None or value is ABSENT:
        return None
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, list | dict):
        return json.dumps(value)
    return str(value)


def _scrub(text: str) -> str:
    """Text any library can write: lone surrogates and C0 controls become '?'."""
    return "".join(
        "?" if 0xD800 <= ord(c) <= 0xDFFF or (ord(c) < 32 and c not in "\t\n\r") else c
        for c in text
    )


def write_csv(header: list[str], rows: list[list[Any]], delimiter: str = ",") -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if (t := _as_text(v)) is None else t for v in row])
    return buf.getvalue().encode("utf-8", "surrogatepass")


def _json_value(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, Decimal | dt.date | dt.time | dt.timedelta):
        return str(value)
    return value


def _json_objects(header: list[str], rows: list[list[Any]]) -> list[dict[str, Any]]:
    return [
        {k: _json_value(v) for k, v in zip(header, row, strict=True) if v is not ABSENT}
        for row in rows
    ]


def write_jsonl(header: list[str], rows: list[list[Any]], ascii_only: bool = False) -> bytes:
    lines = [json.dumps(o, ensure_ascii=ascii_only) for o in _json_objects(header, rows)]
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")


def write_json(header: list[str], rows: list[list[Any]], ascii_only: bool = False) -> bytes:
    text = json.dumps(_json_objects(header, rows), ensure_ascii=ascii_only, indent=1)
    return text.encode("utf-8", "surrogatepass")


def _arrow_column(values: list[Any]) -> pa.Array:
    plain = [None if v is ABSENT else v for v in values]
    try:
        array = pa.array(plain)
        if not pa.types.is_struct(array.type) or array.type.num_fields:
            return array  # (Parquet cannot hold a struct without fields: those become text)
    except (pa.ArrowException, OverflowError, TypeError, ValueError):
        pass
    texts = [None if (t := _as_text(v)) is None else _scrub(t) for v in plain]
    return pa.array(texts, type=pa.string())


def write_parquet(header: list[str], rows: list[list[Any]]) -> bytes:
    columns = [_arrow_column([row[i] for row in rows]) for i in range(len(header))]
    table = pa.Table.from_arrays(columns, names=header)  # duplicate names are allowed here
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def _xlsx_cell(value: Any) -> Any:
    if value is ABSENT:
        return None
    if value is None or isinstance(value, bool | int | float | Decimal | dt.date | dt.time):
        return value
    if isinstance(value, dt.timedelta):
        return value  # openpyxl writes a duration
    text = _as_text(value)
    return None if text is None else _scrub(text)


def write_xlsx(header: list[str], rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        cells = [_xlsx_cell(v) for v in row]
        try:
            sheet.append(cells)
        except (IllegalCharacterError, ValueError):  # e.g. an int too large for Excel
            sheet.append([None if c is None else _scrub(str(c)) for c in cells])
    # Hypothesis replays a failing example and needs the same bytes: openpyxl stamps the
    # workbook and every zip entry with the clock, which changed the file's length in CI.
    book.properties.created = _XLSX_TIME
    buf = io.BytesIO()
    book.save(buf)
    return _zip_without_clock(buf.getvalue())


_XLSX_TIME = dt.datetime(2026, 1, 1)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*")  # set by openpyxl as it saves


def _zip_without_clock(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = _MODIFIED.sub(rb"\g<1>2026-01-01T00:00:00Z", body)
            dst.writestr(fixed, body)
    return out.getvalue()


WRITERS: dict[str, Callable[[list[str], list[list[Any]]], bytes]] = {
    "csv": write_csv,
    "jsonl": write_jsonl,
    "json": write_json,
    "parquet": write_parquet,
    "xlsx": write_xlsx,
}
FIRST_ROW = {"csv": 2, "xlsx": 2, "jsonl": 1, "json": 1, "parquet": 1}  # as the file shows it


# --- damage ---------------------------------------------------------------------------------


@st.composite
def damaged(draw: st.DrawFn, data: bytes, fmt: str) -> tuple[bytes, str]:
    text = fmt in {"csv", "jsonl", "json"}
    options = ["truncate", "splice", "random", "bad_utf8"]
    options += ["bom", "utf16", "broken_json", "semicolons"] if text else []
    options += ["none"] * 2 * len(options)  # two files in three are left whole
    how = draw(st.sampled_from(options))
    if how == "none" or not data:
        return data, ""
    at = draw(st.integers(0, max(len(data) - 1, 0)))
    if how == "truncate":
        return data[:at], f"truncated at byte {at}"
    if how == "splice":
        junk = draw(st.binary(min_size=1, max_size=64))
        return data[:at] + junk + data[at + len(junk) :], f"{len(junk)} random bytes at {at}"
    if how == "random":
        return draw(st.binary(min_size=1, max_size=2048)), "random bytes"
    if how == "bad_utf8":
        return data[:at] + b"\xff\xc3(" + data[at:], f"non-UTF-8 bytes at {at}"
    if how == "bom":
        return b"\xef\xbb\xbf" + data, ""  # a UTF-8 BOM is allowed: not damage
    if how == "utf16":
        decoded = data.decode("utf-8", "surrogatepass")
        return decoded.encode("utf-16", "surrogatepass"), "saved as UTF-16"
    if how == "semicolons":
        return data.replace(b",", b";"), "',' replaced by ';'"
    cut = data.replace(b"}", b"", 1) if b"}" in data else data[:-2]
    return cut, "broken JSON"


@st.composite
def fuzz_files(draw: st.DrawFn, kind: str, formats: tuple[str, ...] = FORMATS) -> FuzzFile:
    # .json is not an import format (yet): such files must be refused clearly; fewer of them.
    fmt = draw(st.sampled_from([f for f in formats for _ in range(1 if f == "json" else 2)]))
    (header, rows), changes, cell, base = draw(mutated(kind))
    data = WRITERS[fmt](header, rows)
    data, damage = draw(damaged(data, fmt))
    if damage:
        changes.append(damage)
        cell = None
    if cell is None:
        return FuzzFile(kind, fmt, f"fuzz-{kind}.{fmt}", data, len(rows), None, changes)
    number = (FIRST_ROW[fmt] + cell[0], cell[1])
    before = WRITERS[fmt](*base)
    return FuzzFile(kind, fmt, f"fuzz-{kind}.{fmt}", data, len(rows), number, changes, before)


# --- the oracle -----------------------------------------------------------------------------

# Fragments that mean Python internals reached the user instead of a message.
LEAKS = (
    *("Traceback", "Error:", "Exception", "<class", "object at 0x", 'File "', "b'\\x"),
    *("KeyError", "ValueError", "TypeError", "IndexError", "AttributeError"),
)
MAX_MESSAGE = 600


def message_problems(err: MedevalError, file: FuzzFile, label: str) -> list[str]:
    """Why ``err`` is not a clear message for ``file`` ([] when it is).

    Clear means: one line, at most MAX_MESSAGE characters, starting with the file's name, no
    Python internals (LEAKS), and a row it names exists in the file.
    """
    msg = str(err)
    out = []
    if not msg.startswith(f"{label}:") and not msg.startswith(f"{label},"):
        out.append("does not start with the file name")
    if "\n" in msg or "\r" in msg:
        out.append("is not one line")
    if len(msg) > MAX_MESSAGE:
        out.append(f"is {len(msg)} characters long")
    out += [f"shows {leak!r}" for leak in LEAKS if leak in msg]
    row = err.row if isinstance(err, InputFileError) else None
    if row is not None and not 1 <= row <= file.rows + 2 + file.data.count(b"\n"):
        out.append(f"names row {row}, which the file does not have")
    return out


def cell_problems(err: MedevalError, file: FuzzFile) -> list[str]:
    """When the only change to a valid file was one cell, the message must name that cell's
    row and, if it names a field, the cell's column (for a reference to an output: one of
    the reference's columns). Only meaningful when the file before the change imports."""
    if file.cell is None:
        return []
    msg = str(err)
    number, column = file.cell
    row = err.row if isinstance(err, InputFileError) else None
    out = []
    if row != number and not re.search(rf"\b(row|line) {number}\b", msg):
        out.append(f"does not name row {number}, the one changed")
    field = err.field if isinstance(err, InputFileError) else None
    fine = {column} | (REF_FIELDS if column in REF_FIELDS else set())
    if field is not None and field not in fine and column not in msg:
        out.append(f"names field {field!r}, not {column!r}, the one changed")
    return out
