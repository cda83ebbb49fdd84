"""Reading rows fast: a select streamed as Arrow columns, and small lookup tables.

The row fetch is what an export costs (bench/bench_export.py), so rows come as plain tuples
of integers and texts (JSON and times cast in SQL) and Arrow converts each chunk in one
call; ratings and votes are read without joins and get their output, case and user
columns from ``Lookup`` tables attached in Arrow.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, Select, select


def query(**columns: tuple[Any, pa.DataType]) -> tuple[Select[Any], pa.StructType]:
    """A select of named columns and the Arrow type of one of its rows."""
    stmt = select(*(expr.label(name) for name, (expr, _) in columns.items()))
    return stmt, pa.struct([(name, typ) for name, (_, typ) in columns.items()])


def chunks(
    conn: Connection, stmt: Select[Any], row_type: pa.StructType, size: int
) -> Iterator[dict[str, pa.Array]]:
    """Columns of ``size`` rows at a time; the driver never holds more than one chunk.

    Arrow converts a chunk of row tuples in one call (a struct array, then its fields):
    every selected column is an integer or a text, JSON and times being cast in SQL.
    """
    result = conn.execution_options(yield_per=size, stream_results=True).execute(stmt)
    for part in result.partitions():
        arrays = pa.array(list(map(tuple, part)), row_type).flatten()
        yield {field.name: array for field, array in zip(row_type, arrays, strict=True)}


class Lookup:
    """A small table (outputs, cases, users) keyed by integer id, joined to chunks in Arrow.

    Text columns are kept dictionary-encoded so that a chunk gets them as dictionary
    columns: no copy per row, a few distinct values for the writers to encode, and
    Parquet stores them as dictionaries anyway.
    """

    def __init__(self, ids: np.ndarray, columns: dict[str, pa.Array]) -> None:
        self.ids = ids
        self.columns = columns

    @classmethod
    def load(cls, conn: Connection, stmt: Select[Any], types: dict[str, pa.DataType]) -> Lookup:
        """``stmt`` selects the integer id first, then the columns named in ``types``."""
        row_type = pa.struct([("id", pa.int64()), *types.items()])
        parts = list(chunks(conn, stmt.order_by(stmt.selected_columns[0]), row_type, 100_000))
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
        if not len(self.ids):
            return pa.nulls(len(keys), pa.int32())
        pos = np.minimum(np.searchsorted(self.ids, keys), len(self.ids) - 1)
        return pa.array(pos.astype(np.int32), mask=self.ids[pos] != keys)

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
