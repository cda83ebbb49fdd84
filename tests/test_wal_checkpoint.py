"""A served SQLite database checkpoints its WAL in a thread of its own, not inside the
request that commits (storage/engine.py); everything else about it stays as it was."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from medeval_ui.config import Settings
from medeval_ui.services.setup import open_database
from medeval_ui.storage.engine import BACKSTOP_PAGES, Database


def autocheckpoint(db: Database) -> int:
    with db.read() as s:
        return int(s.execute(text("PRAGMA wal_autocheckpoint")).scalar_one())


def wait_for(condition, timeout_s: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def fill(db: Database, rows: int = 200) -> None:
    with db.write() as s:
        s.execute(text("CREATE TABLE IF NOT EXISTS t (x BLOB)"))
    for _ in range(rows // 20):
        with db.write() as s:
            for _ in range(20):
                s.execute(text("INSERT INTO t VALUES (randomblob(8000))"))


def test_commits_are_checkpointed_by_the_thread_not_by_the_commit(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'a.sqlite3'}", checkpoint_in_background=True)
    try:
        checkpointer = db.checkpointer
        assert checkpointer is not None and checkpointer.alive
        # commits would checkpoint only far past SQLite's default of 1000 pages
        assert autocheckpoint(db) == BACKSTOP_PAGES
        fill(db)
        # the thread copied every frame of the WAL into the database file
        assert wait_for(lambda: checkpointer.last is not None and checkpointer.last[1] > 0)
        assert wait_for(
            lambda: checkpointer.last is not None and checkpointer.last[1] == checkpointer.last[2]
        ), checkpointer.last
        time.sleep(0.6)  # a commit that came in during the last run gets one more run
        runs = checkpointer.runs
        time.sleep(1.2)  # idle: no commits, no checkpoints
        assert checkpointer.runs == runs
        with db.read() as s:
            assert s.execute(text("SELECT count(*) FROM t")).scalar_one() == 200
    finally:
        db.dispose()
    assert not checkpointer.alive  # dispose stops it


def test_the_wal_stays_bounded_while_writes_go_on(tmp_path: Path) -> None:
    """With SQLite's own checkpoints pushed to the backstop, the thread's are what keep the
    WAL from growing: 16 MB written, the WAL stays far below that."""
    path = tmp_path / "b.sqlite3"
    db = Database(f"sqlite:///{path}", checkpoint_in_background=True)
    try:
        for _ in range(10):
            fill(db, 200)
            time.sleep(0.3)  # a clinician's pace, compressed: the thread gets its turn
        wal = Path(f"{path}-wal").stat().st_size
        assert wal < 8 * 1024 * 1024, wal
    finally:
        db.dispose()


def test_a_failed_checkpoint_does_not_stop_the_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'c.sqlite3'}", checkpoint_in_background=True)
    try:
        checkpointer = db.checkpointer
        assert checkpointer is not None
        real = checkpointer.checkpoint
        calls = {"n": 0}

        def flaky() -> tuple[int, int, int]:
            calls["n"] += 1
            if calls["n"] == 1:
                raise sqlite3.OperationalError("disk I/O error")
            return real()

        monkeypatch.setattr(checkpointer, "checkpoint", flaky)
        fill(db, 20)
        assert wait_for(lambda: calls["n"] >= 1)
        fill(db, 20)
        assert wait_for(lambda: calls["n"] >= 2 and checkpointer.runs >= 1)
        assert checkpointer.alive
    finally:
        db.dispose()


def test_only_the_server_checkpoints_in_the_background(tmp_path: Path, settings: Settings) -> None:
    """The CLI and the tests keep SQLite's default; PostgreSQL has no WAL of ours to move."""
    plain = open_database(settings)
    served = open_database(settings, serving=True)
    try:
        assert plain.checkpointer is None
        if plain.is_sqlite:
            assert autocheckpoint(plain) == 1000
            assert served.checkpointer is not None and served.checkpointer.alive
        else:
            assert served.checkpointer is None
    finally:
        plain.dispose()
        served.dispose()
    memory = Database("sqlite://", checkpoint_in_background=True)
    assert memory.checkpointer is None
    memory.dispose()
