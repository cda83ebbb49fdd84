"""Bulk inserts for imports.

SQLAlchemy's executemany path costs about 10 us per row in parameter processing, which was
most of an import's time (bench/bench_import.py: 300k outputs took 4.4 s in the database
step against 1.3 s for raw sqlite3). On SQLite we therefore hand the driver plain tuples,
converting the two types that need it (JSON and datetimes) the same way SQLAlchemy does;
PostgreSQL keeps the Core path, whose psycopg executemany is already pipelined.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import JSON, DateTime, Table, insert
from sqlalchemy.orm import Session

BATCH = 10_000


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert dict rows (keys = column names; defaults filled for missing keys)."""
    if not rows:
        return
    unknown = set(rows[0]) - set(table.c.keys())
    if unknown:  # Core would silently drop them
        raise KeyError(f"no column(s) {sorted(unknown)} in table {table.name}")
    if session.get_bind().dialect.name != "sqlite":
        for start in range(0, len(rows), BATCH):
            session.execute(insert(table), list(rows[start : start + BATCH]))
        return
    columns = [c for c in table.c if c.key in rows[0] or c.default is not None]
    converters = [_converter(c) for c in columns]
    sql = (
        f"INSERT INTO {table.name} ({', '.join(c.name for c in columns)}) "
        f"VALUES ({', '.join('?' * len(columns))})"
    )
    defaults = {c.key: c.default.arg for c in columns if c.key not in rows[0]}  # type: ignore[union-attr]
    conn = session.connection()
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        fill = {k: (v({}) if callable(v) else v) for k, v in defaults.items()}
        params = [
            tuple(
                conv(row[c.key] if c.key in row else fill[c.key])
                for c, conv in zip(columns, converters, strict=True)
            )
            for row in chunk
        ]
        conn.exec_driver_sql(sql, params)


def _converter(column: Any) -> Any:
    if isinstance(column.type, JSON):
        return lambda v: None if v is None else orjson.dumps(v).decode()
    if isinstance(column.type, DateTime):
        # SQLAlchemy's SQLite storage format, so reads through the ORM parse it back.
        return lambda v: None if v is None else v.strftime("%Y-%m-%d %H:%M:%S.%f")
    return _same


def _same(value: Any) -> Any:
    return value
