"""Reading rows fast: a select streamed as Arrow columns, and small lookup tables.

The row fetch is what an export costs (bench/bench_export.py), so every selected column is
an integer or a text (JSON and times cast in SQL) and ratings and votes are read without
joins, getting their output, case and user columns from ``Lookup`` tables attached in Arrow.

On a SQLite file the rows are read by ADBC (``adbc-driver-sqlite``): its C driver steps the
statement and fills Arrow record batches itself, with no Python object per value, and a
thread reads the next batch while the export shapes and writes this one. Python's sqlite3
makes a tuple per row and an object per cell, which Arrow then converts. Measured with
bench/bench_export.py (1M ratings, wide shape, this 2-core machine shared with other jobs:
timings vary 2x from run to run, ratios too): fetching the rows alone took 2.4-4.1 s with
sqlite3 and 1.1-1.4 s with ADBC. The exports went from parquet 4.1-7.5 s (8.8-11x its
in-memory baseline), csv 4.2-8.1 s (4.6-12x), jsonl 8.3-15 s (2.6-4.3x) to, median of 5
runs, parquet 2.9 s (5.1x; 2.7-7.8x), csv 2.4 s (4.1x; 2.4-4.5x), jsonl 4.2 s (1.9x);
CPU time per export, steadier here, from 4.3 to 2.1-2.4 s (parquet), 4.7 to 2.1-2.4 s
(csv), 6.4 to 3.5-4.0 s (jsonl); peak memory 170-270 MB before, 160-270 MB after. The
ADBC fetch alone is 1-4x (median 3x) the Parquet baseline: that budget (3x) is out of
reach while ratings are read in output order through the study/output index, a table
lookup per rating.
Elsewhere (PostgreSQL, an in-memory SQLite) the select runs on the SQLAlchemy connection,
``yield_per`` chunks (a server-side cursor on PostgreSQL) that Arrow converts in one call
each. Either way the SQL is the one SQLAlchemy compiles from the ``Select``.
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Generator, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from typing import Any

import adbc_driver_sqlite
import adbc_driver_sqlite.dbapi as adbc_sqlite
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, Select, select

_BATCH_ROWS = adbc_driver_sqlite.StatementOptions.BATCH_ROWS.value


def query(**columns: tuple[Any, pa.DataType]) -> tuple[Select[Any], pa.StructType]:
    """A select of named columns and the Arrow type of one of its rows."""
    stmt = select(*(expr.label(name) for name, (expr, _) in columns.items()))
    return stmt, pa.struct([(name, typ) for name, (_, typ) in columns.items()])


class Rows:
    """Where a read's selects run: ``chunks`` streams any of them as Arrow columns.

    Made by ``arrow_rows``; every select of one export goes through the same ``Rows`` so
    that they all read the same snapshot of the database.
    """

    def __init__(self, conn: Connection, adbc: adbc_sqlite.Connection | None = None) -> None:
        self.conn = conn
        self.adbc = adbc
        self._streams: list[Generator[dict[str, pa.Array], None, None]] = []

    def chunks(
        self, stmt: Select[Any], row_type: pa.StructType, size: int
    ) -> Iterator[dict[str, pa.Array]]:
        """Columns of ``size`` rows at a time; at most two chunks are held (ADBC reads the
        next one while the caller works on this one).

        Every selected column must be an integer or a text (JSON and times cast in SQL).
        On ADBC a text column must not be NULL all through the first chunk and then set:
        the driver takes a column's type from the first chunk, and takes a column with no
        value in it for an integer. The texts exports read are NOT NULL columns.
        """
        if self.adbc is None:
            return _sqlalchemy_chunks(self.conn, stmt, row_type, size)
        stream = _adbc_chunks(self.conn, self.adbc, stmt, row_type, size)
        self._streams.append(stream)
        return stream

    def close(self) -> None:
        """End the streams left unfinished (an export that failed): their cursors close."""
        for stream in self._streams:
            stream.close()
        self._streams.clear()


@contextmanager
def arrow_rows(conn: Connection) -> Iterator[Rows]:
    """``Rows`` for reads on ``conn``'s database: ADBC on a SQLite file, else ``conn``.

    The ADBC connection is a second, read-only connection to the same file (``mode=ro``:
    it cannot write, whatever it is asked), outside ``conn``'s transaction, with its own
    read transaction kept open until the block ends. That is as consistent as reading in
    one transaction on ``conn``: in WAL mode (the engine's) a read transaction reads one
    snapshot, the database as last committed when its first select ran, and keeps it
    while writers go on committing (readers and writers do not block each other; in a
    rollback journal its shared lock would hold writers off instead). So all the selects
    made through these ``Rows`` see one database, and none sees half of a write.
    """
    path = _sqlite_file(conn)
    if path is None:
        yield Rows(conn)
        return
    uri = f"file:{urllib.parse.quote(path)}?mode=ro"
    adbc = adbc_sqlite.connect(uri)  # autocommit off: one transaction until close
    try:
        cursor = adbc.cursor()
        try:  # as patient as the application's connections (PRAGMA reads nothing)
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.fetchall()
        finally:
            cursor.close()
        rows = Rows(conn, adbc)
        try:
            yield rows
        finally:
            rows.close()  # before the connection, which refuses to close under a cursor
    finally:
        adbc.close()  # rolls the read transaction back


def _sqlite_file(conn: Connection) -> str | None:
    """The absolute path of a SQLite database file, None for anything else."""
    url = conn.engine.url
    if url.get_backend_name() != "sqlite" or url.query.get("uri"):
        return None
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return os.path.abspath(database)


def _sqlalchemy_chunks(
    conn: Connection, stmt: Select[Any], row_type: pa.StructType, size: int
) -> Iterator[dict[str, pa.Array]]:
    # Arrow converts a chunk of row tuples in one call (a struct array, then its fields).
    result = conn.execution_options(yield_per=size, stream_results=True).execute(stmt)
    for part in result.partitions():
        arrays = pa.array(list(map(tuple, part)), row_type).flatten()
        yield {field.name: array for field, array in zip(row_type, arrays, strict=True)}


def _adbc_chunks(
    conn: Connection,
    adbc: adbc_sqlite.Connection,
    stmt: Select[Any],
    row_type: pa.StructType,
    size: int,
) -> Generator[dict[str, pa.Array], None, None]:
    compiled = stmt.compile(dialect=conn.dialect)  # SQLite's SQL, "?" parameters
    params = [compiled.params[name] for name in compiled.positiontup or ()]
    if not all(v is None or isinstance(v, int | float | str) for v in params):
        raise TypeError(f"unsupported parameter among {params!r}")
    cursor = adbc.cursor()
    try:
        cursor.adbc_statement.set_options(**{_BATCH_ROWS: str(size)})
        cursor.execute(str(compiled), params or None)
        with closing(_read_ahead(cursor.fetch_record_batch())) as batches:
            for batch in batches:
                # The driver types columns int64, double or string; cast to the asked
                # types (string for a text column that was all NULL in the first batch).
                yield {
                    field.name: column if column.type == field.type else column.cast(field.type)
                    for field, column in zip(row_type, batch.columns, strict=True)
                }
    finally:  # after the read-ahead has stopped
        cursor.close()


def _read_ahead(reader: pa.RecordBatchReader) -> Generator[pa.RecordBatch, None, None]:
    """The reader's batches, each next one read by a worker thread while this one is used.

    The driver fills a batch without the GIL, so reading overlaps the caller's work on the
    previous batch (and the export writer's on the one before). One read is in flight at a
    time, and none is left running when this generator ends, however it ends: the
    connection is never used by two threads at once, nor after its cursor is closed.
    """

    def next_batch() -> pa.RecordBatch | None:
        try:
            return reader.read_next_batch()
        except StopIteration:
            return None

    with ThreadPoolExecutor(1, thread_name_prefix="medeval-export-reader") as pool:
        pending = pool.submit(next_batch)
        while (batch := pending.result()) is not None:
            pending = pool.submit(next_batch)
            yield batch


class IdIndex:
    """Where each key sits in ``ids``, a sorted array of integer ids (row ids, say).

    Row ids are nearly dense, so when they span at most a few times their number, a
    table indexed by id answers with one array read per key; otherwise a binary search
    does. For 1M keys in random order among 700k ids: 7 ms with the table, 0.2 s by binary
    search.
    """

    def __init__(self, ids: np.ndarray) -> None:
        self.ids = ids
        self.table: np.ndarray | None = None
        self.low = int(ids[0]) if len(ids) else 0
        span = int(ids[-1]) - self.low + 1 if len(ids) else 0
        if 0 < span <= 4 * len(ids) + (1 << 20):  # at most 4 bytes per id, or 4 MB
            self.table = np.full(span, -1, dtype=np.int32)
            self.table[ids - self.low] = np.arange(len(ids), dtype=np.int32)

    def find(self, keys: np.ndarray) -> np.ndarray:
        """Position of each key in ``ids`` (int32), -1 where it is absent."""
        if self.table is not None:
            offset = keys - self.low
            inside = (offset >= 0) & (offset < len(self.table))
            return np.where(inside, self.table[np.where(inside, offset, 0)], np.int32(-1))
        if not len(self.ids):
            return np.full(len(keys), -1, dtype=np.int32)
        pos = np.minimum(np.searchsorted(self.ids, keys), len(self.ids) - 1).astype(np.int32)
        return np.where(self.ids[pos] == keys, pos, np.int32(-1))


class Lookup:
    """A small table (outputs, cases, users) keyed by integer id, joined to chunks in Arrow.

    Text columns are kept dictionary-encoded so that a chunk gets them as dictionary
    columns: no copy per row, a few distinct values for the writers to encode, and
    Parquet stores them as dictionaries anyway.
    """

    def __init__(self, ids: np.ndarray, columns: dict[str, pa.Array]) -> None:
        self.ids = ids
        self.index = IdIndex(ids)
        self.columns = columns

    @classmethod
    def load(cls, rows: Rows, stmt: Select[Any], types: dict[str, pa.DataType]) -> Lookup:
        """``stmt`` selects the integer id first, then the columns named in ``types``."""
        row_type = pa.struct([("id", pa.int64()), *types.items()])
        parts = list(rows.chunks(stmt.order_by(stmt.selected_columns[0]), row_type, 100_000))
        columns = {}
        for field in row_type:
            pieces = [part[field.name] for part in parts]
            array = pa.concat_arrays(pieces) if pieces else pa.array([], field.type)
            columns[field.name] = array.dictionary_encode() if field.type == pa.string() else array
        return cls(columns.pop("id").to_numpy(zero_copy_only=False), columns)

    def positions(self, ids: Iterable[Any]) -> pa.Array:
        """Row of each id in this lookup (int32), null where the id is unknown."""
        if isinstance(ids, pa.Array | pa.ChunkedArray):
            keys = pc.fill_null(ids, -1).to_numpy()
        else:
            keys = np.fromiter(ids, dtype=np.int64)
        pos = self.index.find(keys)
        return pa.array(pos, mask=pos < 0)

    def take(self, ids: Iterable[Any], names: Sequence[str] | None = None) -> dict[str, pa.Array]:
        pos = self.positions(ids)
        out = {}
        for name in names or list(self.columns):
            column = self.columns[name]
            if isinstance(column, pa.DictionaryArray):
                out[name] = pa.DictionaryArray.from_arrays(
                    column.indices.take(pos), column.dictionary
                )
            else:
                out[name] = column.take(pos)
        return out
