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

A served database (``checkpoint_in_background=True``) moves its WAL into the database file
from a thread of its own. By default SQLite does that inside whichever commit pushes the
WAL past 1000 pages, and that request then waits for the copy and its fsync: at 50k work
items it was next_item's whole p99 (34 ms against 10 ms with the copy elsewhere,
bench/bench_next_item.py). Commits still checkpoint as a backstop at 10000 pages, should
the thread ever fall behind.
"""

from __future__ import annotations

import logging
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

log = logging.getLogger(__name__)

_BEGIN = "medeval_sqlite_begin"
BACKSTOP_PAGES = 10_000  # wal_autocheckpoint of a served database (SQLite's default: 1000)
_WRITERS: dict[str, threading.RLock] = {}  # one per SQLite URL in this process
_WRITERS_GUARD = threading.Lock()


def _writers_lock(url: str) -> threading.RLock:
    with _WRITERS_GUARD:
        return _WRITERS.setdefault(url, threading.RLock())


class Database:
    def __init__(
        self,
        url: str,
        *,
        synchronous: str = "NORMAL",
        busy_timeout_ms: int = 5000,
        checkpoint_in_background: bool = False,
    ) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        in_memory = make_url(url).database in (None, "", ":memory:")
        background = checkpoint_in_background and self.is_sqlite and not in_memory
        self.engine = _make_engine(
            url,
            synchronous=synchronous,
            busy_timeout_ms=busy_timeout_ms,
            autocheckpoint=BACKSTOP_PAGES if background else None,
        )
        self.checkpointer = Checkpointer(self.engine) if background else None
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
        if self.checkpointer is not None:
            self.checkpointer.stop()
        self.engine.dispose()


class Checkpointer:
    """A daemon thread that runs ``PRAGMA wal_checkpoint(PASSIVE)`` at most every
    ``interval_s`` while commits keep coming. PASSIVE never waits for readers or writers;
    sqlite3 releases the GIL while it copies, so requests carry on meanwhile."""

    def __init__(self, engine: Engine, interval_s: float = 0.25) -> None:
        self._engine = engine
        self._interval_s = interval_s
        self._dirty = threading.Event()
        self._stopped = threading.Event()
        self.runs = 0
        self.last: tuple[int, int, int] | None = None  # (busy, WAL frames, frames copied)
        event.listen(engine, "commit", lambda _conn: self._dirty.set())
        self._thread = threading.Thread(target=self._loop, name="medeval-wal", daemon=True)
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def _loop(self) -> None:
        while not self._stopped.is_set():
            if not self._dirty.wait(timeout=1.0):
                continue
            self._dirty.clear()
            try:
                self.checkpoint()
            except Exception:  # never let the thread die: commits' backstop takes over
                log.exception("background WAL checkpoint failed; will retry")
            self._stopped.wait(self._interval_s)

    def checkpoint(self) -> tuple[int, int, int]:
        raw = self._engine.raw_connection()
        try:
            # a raw driver connection is in autocommit (see _on_connect): no BEGIN around it
            row = raw.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            raw.close()
        self.last = (int(row[0]), int(row[1]), int(row[2]))
        self.runs += 1
        return self.last

    def stop(self) -> None:
        self._stopped.set()
        self._dirty.set()
        self._thread.join(timeout=10)


def _json_dumps(value: Any) -> str:
    # orjson: several times faster than json.dumps on bulk imports; keeps non-ASCII as is.
    return orjson.dumps(value).decode()


def _make_engine(
    url: str, *, synchronous: str, busy_timeout_ms: int, autocheckpoint: int | None
) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database, synchronous, busy_timeout_ms, autocheckpoint)
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":  # plain URL: use psycopg 3, which we ship
            url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        return create_engine(
            url, pool_pre_ping=True, pool_size=10, max_overflow=10, json_serializer=_json_dumps
        )
    raise ConfigError(
        f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL"
    )


def _sqlite_engine(
    url: str, database: str | None, synchronous: str, busy_ms: int, autocheckpoint: int | None
) -> Engine:
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
        if autocheckpoint is not None:
            cur.execute(f"PRAGMA wal_autocheckpoint={int(autocheckpoint)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(conn.get_execution_options().get(_BEGIN, "BEGIN"))

    return engine
