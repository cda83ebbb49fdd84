"""Bulk inserts for imports.

SQLAlchemy's executemany path costs about 10 us per row in parameter processing, which was
most of an import's time (bench/bench_import.py: 300k outputs took 4.4 s in the database
step against 1.3 s for raw sqlite3). On SQLite we therefore hand the driver plain tuples,
converting the two types that need it (JSON and datetimes) the same way SQLAlchemy does;
PostgreSQL keeps the Core path, whose psycopg executemany is already pipelined.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
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
    given = [c for c in table.c if c.key in rows[0]]
    defaulted = [c for c in table.c if c.key not in rows[0] and c.default is not None]
    sql = (
        f"INSERT INTO {table.name} ({', '.join(c.name for c in given + defaulted)}) "
        f"VALUES ({', '.join('?' * (len(given) + len(defaulted)))})"
    )
    # itemgetter pulls a row's values at C speed; only JSON and datetime values need work.
    get = itemgetter(*[c.key for c in given])
    special = [(i, conv) for i, c in enumerate(given) if (conv := _converter(c)) is not None]
    conn = session.connection()
    for start in range(0, len(rows), BATCH):
        # Column defaults (created_at, empty JSON) are evaluated once per batch.
        fill = tuple(
            _convert(c, c.default.arg({}) if c.default.is_callable else c.default.arg)  # type: ignore[union-attr]
            for c in defaulted
        )
        params = []
        for row in rows[start : start + BATCH]:
            values = get(row)
            values = list(values) if len(given) > 1 else [values]
            for i, conv in special:
                values[i] = conv(values[i])
            params.append((*values, *fill))
        conn.exec_driver_sql(sql, params)


def _convert(column: Any, value: Any) -> Any:
    conv = _converter(column)
    return value if conv is None else conv(value)


def _converter(column: Any) -> Callable[[Any], Any] | None:
    if isinstance(column.type, JSON):
        return lambda v: None if v is None else orjson.dumps(v).decode()
    if isinstance(column.type, DateTime):
        # SQLAlchemy's SQLite storage format, so reads through the ORM parse it back.
        return lambda v: None if v is None else v.strftime("%Y-%m-%d %H:%M:%S.%f")
    return None
