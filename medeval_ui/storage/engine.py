"""The engine, its per-connection settings, and the two kinds of transaction.

SQLite: every connection gets WAL, foreign keys, a busy timeout and a chosen ``synchronous``
level. Python's sqlite3 driver starts transactions lazily and *deferred*; a read-then-write
transaction started that way cannot upgrade its read lock under concurrency ("database is
locked", or worse, a check that was true when read and false when written). So we take
control of BEGIN: ``Database.write()`` issues ``BEGIN IMMEDIATE`` (the write lock first),
``Database.read()`` a plain deferred ``BEGIN``. See shared/notes/STORAGE_AND_SPEED.md.
On PostgreSQL both are ordinary transactions; row locks (FOR UPDATE) do the same job.

Within one process, SQLite writers also queue on a lock of their own before BEGIN
IMMEDIATE. SQLite's busy handler polls with growing sleeps, so under load a waiter keeps
losing the free lock to newcomers; with the server's threads sharing one GIL (each writer
holding the lock longer), some waited past the busy timeout and a clinician's save failed
with "database is locked" (bench/load, 50 clients on one instance). Threads blocked on a
lock wait without polling and take turns; the busy timeout still arbitrates between
processes (the CLI, a backup, a second instance).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from medeval_ui.errors import ConfigError

_BEGIN = "medeval_sqlite_begin"
_WRITERS: dict[str, threading.RLock] = {}  # one per SQLite URL in this process
_WRITERS_GUARD = threading.Lock()


def _writers_lock(url: str) -> threading.RLock:
    with _WRITERS_GUARD:
        return _WRITERS.setdefault(url, threading.RLock())


class Database:
    def __init__(
        self, url: str, *, synchronous: str = "NORMAL", busy_timeout_ms: int = 5000
    ) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.engine = _make_engine(url, synchronous=synchronous, busy_timeout_ms=busy_timeout_ms)
        writer = self.engine.execution_options(**{_BEGIN: "BEGIN IMMEDIATE"})
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(writer, expire_on_commit=False)
        self._writers = _writers_lock(url) if self.is_sqlite else None
        self._writers_wait_s = max(30.0, 6 * busy_timeout_ms / 1000)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A transaction for reading; rolled back at the end."""
        with self._read() as session:
            yield session

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        """A read transaction in which every select sees the same committed state (for
        exports): REPEATABLE READ on PostgreSQL, whose default READ COMMITTED lets each
        statement see newer commits; on SQLite (WAL) a read transaction already does."""
        if self.is_sqlite:
            with self.read() as session:
                yield session
            return
        bind = self.engine.execution_options(isolation_level="REPEATABLE READ")
        with Session(bind, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One read-then-write unit of work: committed on success, rolled back on error."""
        writers = self._writers
        if writers is not None and not writers.acquire(timeout=self._writers_wait_s):
            raise sqlite3.OperationalError(
                f"database is locked: this process's other writers held it for "
                f"{self._writers_wait_s:.0f} s"
            )
        try:
            with self._write.begin() as session:
                yield session
        finally:
            if writers is not None:
                writers.release()

    def dispose(self) -> None:
        self.engine.dispose()


def _json_dumps(value: Any) -> str:
    # orjson: several times faster than json.dumps on bulk imports; keeps non-ASCII as is.
    return orjson.dumps(value).decode()


def _make_engine(url: str, *, synchronous: str, busy_timeout_ms: int) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database, synchronous, busy_timeout_ms)
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":  # plain URL: use psycopg 3, which we ship
            url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        return create_engine(
            url, pool_pre_ping=True, pool_size=10, max_overflow=10, json_serializer=_json_dumps
        )
    raise ConfigError(
        f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL"
    )


def _sqlite_engine(url: str, database: str | None, synchronous: str, busy_ms: int) -> Engine:
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"timeout": busy_ms / 1000}, json_serializer=_json_dumps
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Autocommit at the driver level: we send BEGIN ourselves (see module docstring).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        # NORMAL in WAL mode survives a process crash; FULL also survives power loss.
        cur.execute(f"PRAGMA synchronous={synchronous.upper()}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(conn.get_execution_options().get(_BEGIN, "BEGIN"))

    return engine
