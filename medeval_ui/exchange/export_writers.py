"""Streaming export writers: CSV, JSON Lines and Parquet from Arrow record batches.

Input is an iterable of ``pyarrow.RecordBatch`` sharing one schema, not dict rows: a batch is
encoded column by column in C++ (CSV, Parquet, and JSONL here too), while dict rows cost
a Python object per cell (8 s per million rows for ``json.dumps`` per row; see
shared/notes/STORAGE_AND_SPEED.md). Batches are written as they arrive, by a worker thread
while the caller produces the next (Arrow releases the GIL), so memory stays bounded by a
few batches whatever the export size. Dictionary-encoded text columns are welcome: CSV and
JSONL encode each distinct value once, Parquet stores them as dictionaries.

The destination is a path (created or truncated; removed again if writing fails, so
a failed export never leaves a file that looks complete) or a binary file object that
stays open (the web layer can stream a response through it).

CSV cells are neutralized against formula injection: a spreadsheet runs a cell that
starts with ``= + - @``, tab or CR as a formula, so such a text gets a leading ``'``. A
text that already starts with ``'`` gets one too, which makes the rule reversible:
``unneutralize_cell`` (used by importers) drops exactly one leading ``'`` when the next
character is one of ``= + - @ ' \\t \\r``. Numeric columns are never touched.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

FORMATS: tuple[str, ...] = ("csv", "jsonl", "parquet")

Destination = str | os.PathLike[str] | IO[bytes]

_TRIGGERS = "=+-@\t\r'"
_CSV_WRITE_ROWS = 1 << 16  # rows the CSV writer encodes per write: about 12 MB of ratings
# Characters JSON forbids raw inside a string; values holding one go through orjson.
_NEEDS_ESCAPE_RE = '[\\x00-\\x1f"\\\\]'


def neutralize_cell(value: str) -> str:
    """The text a CSV cell gets: ``'`` in front of a formula trigger or a leading ``'``."""
    return "'" + value if value[:1] and value[0] in _TRIGGERS else value


def unneutralize_cell(value: str) -> str:
    """Undo ``neutralize_cell`` exactly: drop one ``'`` that precedes a trigger or ``'``."""
    if len(value) >= 2 and value[0] == "'" and value[1] in _TRIGGERS:
        return value[1:]
    return value


def write_batches(
    batches: Iterable[pa.RecordBatch],
    schema: pa.Schema,
    fmt: str,
    dest: Destination,
    *,
    json_columns: Collection[str] = (),
) -> int:
    """Write every batch to ``dest`` in ``fmt``; return the number of rows written.

    ``batches`` is iterated in the calling thread (it may hold a database cursor); the
    encoding happens in a worker thread.

    ``schema`` is needed up front so that an empty export still gets its header (CSV)
    or a readable file (Parquet). ``json_columns`` name string columns that hold JSON
    text (metadata, params, axes): JSONL embeds them as values (an object, not a
    string); CSV and Parquet keep the text.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of: {', '.join(FORMATS)}")
    is_path = isinstance(dest, str | os.PathLike)

    def write(items: Iterable[pa.RecordBatch]) -> int:
        if fmt == "parquet":
            return _write_parquet(items, schema, dest)
        if is_path:
            # A native file: Arrow writes to it without taking the GIL, which the thread
            # producing the batches holds much of the time. Through a Python file the CSV
            # writer waited for the GIL on each of its writes: 3.9-5.1 s wall for 1M ratings
            # where the export takes 2.5 s of CPU; 1.3-1.4 s wall with a native file.
            with pa.OSFile(os.fspath(dest), "wb") as sink:  # type: ignore[arg-type]
                return _write_text(items, schema, fmt, sink, json_columns)
        return _write_text(items, schema, fmt, dest, json_columns)  # type: ignore[arg-type]

    try:
        return _in_background(batches, write)
    except BaseException:
        if is_path:
            Path(dest).unlink(missing_ok=True)  # type: ignore[arg-type]
        raise


class _Aborted(Exception):
    """The producer of the batches failed; the writer stops."""


_END = object()


def _in_background(
    batches: Iterable[pa.RecordBatch], write: Callable[[Iterable[pa.RecordBatch]], int]
) -> int:
    """Run ``write`` in a worker thread while this thread produces the batches.

    Arrow encodes and compresses without the GIL, so writing one batch overlaps reading
    the next from the database. At most two batches wait in between (memory stays bounded);
    an error on either side stops both and reaches the caller.
    """
    pending: queue.Queue[Any] = queue.Queue(maxsize=2)
    outcome: dict[str, Any] = {}

    def items() -> Iterator[pa.RecordBatch]:
        while (item := pending.get()) is not _END:
            if item is _Aborted:
                raise _Aborted
            yield item

    def work() -> None:
        try:
            outcome["rows"] = write(items())
        except BaseException as err:
            outcome["error"] = err

    worker = threading.Thread(target=work, name="medeval-export-writer", daemon=True)
    worker.start()

    def put(item: Any) -> None:
        while worker.is_alive():
            try:
                pending.put(item, timeout=0.05)
                return
            except queue.Full:
                continue

    try:
        for batch in batches:
            put(batch)
            if "error" in outcome:
                break
    except BaseException:
        put(_Aborted)
        worker.join()
        raise
    put(_END)
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return int(outcome["rows"])


def _write_text(
    batches: Iterable[pa.RecordBatch],
    schema: pa.Schema,
    fmt: str,
    sink: IO[bytes],
    json_columns: Collection[str],
) -> int:
    rows = 0
    if fmt == "csv":
        csv_schema = pa.schema([_csv_field(field) for field in schema])
        # One write per batch, not one per 1,024 rows (the default): a file object
        # sink takes the GIL on each write.
        options = pacsv.WriteOptions(batch_size=_CSV_WRITE_ROWS)
        with pacsv.CSVWriter(sink, csv_schema, write_options=options) as writer:
            for batch in batches:
                writer.write_batch(_csv_batch(batch, csv_schema))
                rows += batch.num_rows
        return rows
    keys = [orjson.dumps(name).decode() for name in schema.names]
    for batch in batches:
        if batch.num_rows:
            sink.write(_jsonl_chunk(batch, keys, json_columns))
            rows += batch.num_rows
    return rows


def _write_parquet(batches: Iterable[pa.RecordBatch], schema: pa.Schema, dest: Any) -> int:
    rows = 0
    target = os.fspath(dest) if isinstance(dest, str | os.PathLike) else dest
    # zstd: about half the size of snappy at the same speed on our data (STORAGE_AND_SPEED.md).
    with pq.ParquetWriter(target, schema, compression="zstd") as writer:
        for batch in batches:
            writer.write_batch(batch)
            rows += batch.num_rows
    return rows


# --- CSV ------------------------------------------------------------------------------


def _is_text(typ: pa.DataType) -> bool:
    return bool(pa.types.is_string(typ) or pa.types.is_large_string(typ))


def _is_list(typ: pa.DataType) -> bool:
    return bool(pa.types.is_list(typ) or pa.types.is_large_list(typ))


def _csv_field(field: pa.Field) -> pa.Field:
    # A CSV cell holds no list: lists become "a;b" (the same rule as list answers).
    return field.with_type(pa.string()) if _is_list(field.type) else field


def _csv_batch(batch: pa.RecordBatch, csv_schema: pa.Schema) -> pa.RecordBatch:
    columns = []
    for column in batch.columns:
        if _is_list(column.type):
            column = pc.binary_join(column, ";")
        if pa.types.is_dictionary(column.type) and _is_text(column.type.value_type):
            # Neutralize the few distinct values, not every row.
            column = pa.DictionaryArray.from_arrays(column.indices, _neutralize(column.dictionary))
        elif _is_text(column.type):
            column = _neutralize(column)
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, schema=csv_schema)


def _neutralize(column: pa.Array) -> pa.Array:
    # A cheap first-character test decides; most columns never need the rewrite.
    first = pc.utf8_slice_codeunits(column, 0, 1)
    hit = pc.is_in(first, value_set=pa.array(list(_TRIGGERS), first.type))
    if not pc.any(hit).as_py():
        return column
    prefixed = pc.binary_join_element_wise(pa.scalar("'", column.type), column, "")
    return pc.if_else(hit, prefixed, column)


# --- JSON Lines -----------------------------------------------------------------------
# Every column is turned into an array of JSON texts by Arrow kernels, the texts of a row
# are joined element-wise into '{"k":v,...}\n', and the chunk's string buffer is written in
# one call. Only values that need escaping (quotes, backslashes, control characters such as
# newlines) and unusual types go through orjson one by one.


def _jsonl_chunk(
    batch: pa.RecordBatch, keys: list[str], json_columns: Collection[str]
) -> memoryview:
    parts: list[Any] = []
    for i, (name, column) in enumerate(zip(batch.schema.names, batch.columns, strict=True)):
        parts.append(_large(("{" if i == 0 else ",") + keys[i] + ":"))
        encoded = _json_raw(column) if name in json_columns else _json_values(column)
        parts.append(pc.cast(encoded, pa.large_string()))
    parts.append(_large("}\n"))
    lines = pc.binary_join_element_wise(*parts, _large(""))
    # The lines lie back to back in the array's data buffer: hand that over, uncopied.
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)
    start, end = int(offsets[lines.offset]), int(offsets[lines.offset + len(lines)])
    return memoryview(lines.buffers()[2].slice(start, end - start))


def _large(text: str) -> pa.Scalar:
    # large_string throughout: a chunk of long texts may pass the 2 GiB of 32-bit offsets.
    return pa.scalar(text, pa.large_string())


def _json_values(column: pa.Array) -> pa.Array:
    typ = column.type
    if pa.types.is_dictionary(typ):  # encode the distinct values once, then spread them
        return pc.fill_null(_json_values(column.dictionary).take(column.indices), _large("null"))
    if pa.types.is_boolean(typ):
        encoded = pc.if_else(column, "true", "false")
    elif pa.types.is_integer(typ):
        encoded = pc.cast(column, pa.string())
    elif pa.types.is_floating(typ):
        encoded = _json_floats(column)
    elif _is_text(typ):
        encoded = _json_strings(column)
    else:  # lists, timestamps, structs: rare and small here
        encoded = pa.array(
            [None if v is None else orjson.dumps(v).decode() for v in column.to_pylist()],
            pa.string(),
        )
    return pc.fill_null(encoded.cast(pa.large_string()), _large("null"))


def _json_floats(column: pa.Array) -> pa.Array:
    # JSON has no NaN or infinity (orjson writes null); keep "1.0" a float for readers.
    finite = pc.is_finite(column)
    text = pc.cast(column, pa.string())
    plain = pc.match_substring_regex(text, "^-?[0-9]+$")
    text = pc.if_else(plain, pc.binary_join_element_wise(text, ".0", ""), text)
    return pc.if_else(finite, text, pa.scalar(None, pa.string()))


def _json_strings(column: pa.Array) -> pa.Array:
    column = column.cast(pa.large_string())
    quoted = pc.binary_join_element_wise(_large('"'), column, _large('"'), _large(""))
    special = pc.fill_null(pc.match_substring_regex(column, _NEEDS_ESCAPE_RE), False)
    if not pc.any(special).as_py():
        return quoted
    escaped = [orjson.dumps(v).decode() for v in column.filter(special).to_pylist()]
    return pc.replace_with_mask(quoted, special, pa.array(escaped, quoted.type))


def _json_raw(column: pa.Array) -> pa.Array:
    # Stored JSON text may span lines (PostgreSQL keeps json input verbatim): re-encode
    # those values so that one record stays one line.
    text = pc.cast(column, pa.string())
    multiline = pc.fill_null(pc.match_substring_regex(text, "[\\n\\r]"), False)
    if pc.any(multiline).as_py():
        fixed = [orjson.dumps(orjson.loads(v)).decode() for v in text.filter(multiline).to_pylist()]
        text = pc.replace_with_mask(text, multiline, pa.array(fixed, pa.string()))
    return pc.fill_null(text, "null")
