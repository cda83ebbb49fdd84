"""Backups and restores (`medeval backup`, `medeval restore`).

What they must prove: a backup taken while clinicians keep rating is undamaged and holds
every rating acknowledged before it started; a restore gives back exactly what was backed
up; a bad file is refused with a message naming it and changes nothing. PostgreSQL runs
through pg_dump / pg_restore when they are on PATH.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from medeval_ui.config import Settings
from medeval_ui.errors import MedevalError
from medeval_ui.services import studies, users
from medeval_ui.services.annotation import next_item, submit_item
from medeval_ui.services.backup import backup_database, check_backup, restore_database
from medeval_ui.storage import backup as store
from medeval_ui.storage.engine import Database
from medeval_ui.storage.migrate import _config, head_revision, upgrade
from medeval_ui.storage.tables import Rating
from tests.helpers import db_snapshot
from tests.study_builder import clinician, make_rating_study

HAVE_PG_TOOLS = bool(shutil.which("pg_dump") and shutil.which("pg_restore"))


pytestmark = pytest.mark.usefixtures("cheap_hasher")


@pytest.fixture
def tools(db: Database) -> None:
    """PostgreSQL backups need pg_dump and pg_restore; SQLite needs nothing."""
    if not db.is_sqlite and not HAVE_PG_TOOLS:
        pytest.skip("pg_dump / pg_restore are not on PATH")


def rate_one(db: Database, who: str, slug: str = "chest") -> list[str] | None:
    """Take the next item and rate every response; the client tokens acknowledged."""
    item = next_item(db, who, slug)
    if item is None:
        return None
    positions = [r.position for r in item.responses]
    result = submit_item(
        db,
        who,
        item.assignment_id,
        {p: {"correctness": "contradictory"} for p in positions},
        {p: 3 for p in positions},
        {p: "" for p in positions},
        item.client_token,
    )
    assert result.ratings_saved == len(positions)
    return [f"{item.client_token}:{r.output_id}" for r in item.responses]


def tokens_in(db: Database) -> set[str]:
    with db.read() as session:
        return set(session.scalars(select(Rating.client_token)))


def study_with_ratings(db: Database, settings: Settings, folder: Path, n: int = 3) -> None:
    make_rating_study(db, settings, folder, languages=("en",), groups=n + 3, k=2)
    clinician(db, "amal", ["en"])
    for _ in range(n):
        assert rate_one(db, "amal") is not None


def without_audit(snapshot: dict[str, list[tuple[object, ...]]]) -> dict[str, object]:
    return {k: v for k, v in snapshot.items() if k != "audit_events"}


def test_backup_while_clinicians_rate_holds_every_acknowledged_rating(
    db: Database, settings: Settings, tmp_path: Path, tools: None
) -> None:
    make_rating_study(db, settings, tmp_path, languages=("en",), groups=150, k=3)
    names = [clinician(db, f"c{i}", ["en"]) for i in range(3)]
    acknowledged: list[tuple[float, str]] = []  # (time acknowledged, client token)
    errors: list[BaseException] = []
    stop = threading.Event()
    lock = threading.Lock()

    def keep_rating() -> None:
        try:
            while not stop.is_set():
                for name in names:
                    got = rate_one(db, name)
                    if got is None:
                        return
                    now = time.monotonic()
                    with lock:
                        acknowledged.extend((now, t) for t in got)
        except BaseException as err:  # surfaced below
            errors.append(err)

    writer = threading.Thread(target=keep_rating)
    writer.start()
    checks = []
    try:
        while len(acknowledged) < 20 and writer.is_alive():
            time.sleep(0.01)
        for n in range(3):
            with lock:
                before = {t for _, t in acknowledged}
            started = time.monotonic()
            check = backup_database(db, tmp_path / f"b{n}.bak")
            checks.append((before, started, time.monotonic(), check))
    finally:
        stop.set()
        writer.join()
    assert errors == []
    for before, _, _, check in checks:
        assert check.facts.counts["ratings"] >= len(before) > 0
        if db.is_sqlite:
            assert check.facts.path.read_bytes()[18] == 1  # one self-contained file, no WAL
            with sqlite3.connect(check.facts.path) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
                saved = {r[0] for r in conn.execute("SELECT client_token FROM ratings")}
            assert before <= saved
    # The writer kept committing while backups were taken (a backup does not block it) ...
    assert any(started <= t <= ended for _, started, ended, _ in checks for t, _ in acknowledged)
    # ... and, restored, the last backup gives back every rating acknowledged before it.
    restore_database(db, checks[-1][3].facts.path)
    assert checks[-1][0] <= tokens_in(db)


def test_restore_gives_back_exactly_what_was_backed_up(
    db: Database, settings: Settings, tmp_path: Path, tools: None
) -> None:
    study_with_ratings(db, settings, tmp_path)
    saved = db_snapshot(db)
    backup = tmp_path / "monday.bak"
    check = backup_database(db, backup)
    assert (check.facts.counts["ratings"], check.facts.revision) == (6, head_revision())
    assert not check.needs_upgrade
    # Life goes on: more ratings, another study, a new account.
    assert rate_one(db, "amal") is not None
    studies.create_study(db, "later", "Later", "xlingeval_correctness")
    clinician(db, "bruno", ["en"])
    changed = db_snapshot(db)

    report = restore_database(db, backup)
    restored = db_snapshot(db)
    assert without_audit(restored) == without_audit(saved)
    # The audit trail is the backed-up one plus the restore itself.
    assert restored["audit_events"][: len(saved["audit_events"])] == saved["audit_events"]
    assert report.kept == tmp_path / "monday.bak.before-restore"
    kept = check_backup(db, report.kept)
    assert kept.facts.counts["ratings"] == len(changed["ratings"]) == 8
    assert kept.facts.counts["studies"] == 2
    # Restoring twice never overwrites an earlier kept copy.
    assert restore_database(db, backup).kept == tmp_path / "monday.bak.before-restore.1"
    assert report.kept.exists()


@pytest.fixture
def sqlite_db(tmp_path: Path, sqlite_template: Path) -> Database:
    path = tmp_path / "live.sqlite3"
    shutil.copy(sqlite_template, path)
    return Database(f"sqlite:///{path}")


def _sqlite_backup(db: Database, settings: Settings, folder: Path) -> Path:
    study_with_ratings(db, settings, folder, n=3)
    return backup_database(db, folder / "good.bak").facts.path


def _foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE patients (id INTEGER PRIMARY KEY, name TEXT)")


def _newer_revision(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff9999'")


def _damaged(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    for n in range(2, len(data) // page - 1):  # keep the header page, scramble the rest
        data[n * page + 8 : n * page + 200] = bytes(range(192))
    path.write_bytes(bytes(data))


BAD_FILES = {
    "text": (lambda p: p.write_text("ratings,votes\n1,2\n"), "not a SQLite database"),
    "empty": (lambda p: p.write_bytes(b""), "the file is empty"),
    "random bytes": (lambda p: p.write_bytes(bytes(range(256)) * 40), "not a SQLite database"),
    "foreign SQLite": (_foreign_sqlite, "a SQLite database, but not a medeval one"),
    "newer medeval": (_newer_revision, "revision ffff9999.*newer medeval"),
    "truncated": (lambda p: p.write_bytes(p.read_bytes()[:10_000]), "the file is truncated"),
    "damaged": (_damaged, "damaged|not a readable SQLite database"),
    "pg dump": (lambda p: p.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(200)), "PostgreSQL dump"),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_a_bad_backup_is_refused_and_changes_nothing(
    sqlite_db: Database, settings: Settings, tmp_path: Path, kind: str
) -> None:
    good = _sqlite_backup(sqlite_db, settings, tmp_path)
    bad = tmp_path / "bad.bak"
    if kind in {"newer medeval", "truncated", "damaged"}:
        shutil.copy(good, bad)
    make, message = BAD_FILES[kind]
    make(bad)
    content = bad.read_bytes()
    assert rate_one(sqlite_db, "amal") is not None  # the live database differs from the backup
    before = db_snapshot(sqlite_db)
    for attempt in (check_backup, restore_database):
        with pytest.raises(MedevalError, match=message) as info:
            attempt(sqlite_db, bad)
        assert str(info.value).startswith(f"{bad}: ")
        assert "Traceback" not in str(info.value) and "\n" not in str(info.value)
    assert db_snapshot(sqlite_db) == before
    assert bad.read_bytes() == content  # checking a file never writes to it
    assert not list(tmp_path.glob("*.before-restore*"))
    assert not list(tmp_path.glob(".medeval-restore-*"))


def test_a_missing_file_and_an_existing_target_are_refused(
    sqlite_db: Database, settings: Settings, tmp_path: Path
) -> None:
    good = _sqlite_backup(sqlite_db, settings, tmp_path)
    with pytest.raises(MedevalError, match=r"nope\.bak: file not found"):
        restore_database(sqlite_db, tmp_path / "nope.bak")
    with pytest.raises(MedevalError, match="already exists; choose a new file name"):
        backup_database(sqlite_db, good)
    with pytest.raises(MedevalError, match=r"folder .*missing does not exist"):
        backup_database(sqlite_db, tmp_path / "missing" / "x.bak")


def test_an_older_backup_is_upgraded_on_restore(
    sqlite_db: Database, settings: Settings, tmp_path: Path
) -> None:
    from alembic import command

    old = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    cfg = _config()
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
    with old.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, username, display_name, role, pseudonym, languages, "
                "specialty, active, created_at) VALUES (7, 'olga', '', 'clinician', 'P7', "
                "'[\"en\"]', '', 1, '2026-01-01')"
            )
        )
    backup = backup_database(old, tmp_path / "old.bak")
    old.dispose()
    assert backup.facts.revision == "0002" and backup.needs_upgrade
    assert "older; upgraded to" in backup.lines()[0]
    report = restore_database(sqlite_db, backup.facts.path)
    assert f"schema upgraded 0002 -> {head_revision()}" in "\n".join(report.lines())
    assert upgrade(sqlite_db) == (head_revision(), head_revision())
    assert [u.username for u in users.list_users(sqlite_db)] == ["olga"]


def test_restore_into_a_database_that_does_not_exist_yet(
    sqlite_db: Database, settings: Settings, tmp_path: Path
) -> None:
    good = _sqlite_backup(sqlite_db, settings, tmp_path)
    fresh = Database(f"sqlite:///{tmp_path / 'new' / 'medeval.sqlite3'}")
    report = restore_database(fresh, good)
    assert report.kept is None
    assert without_audit(db_snapshot(fresh)) == without_audit(db_snapshot(sqlite_db))
    fresh.dispose()


def test_cli_refuses_without_yes_then_restores(
    sqlite_db: Database, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from medeval_ui.cli import cli

    study_with_ratings(sqlite_db, settings, tmp_path, n=3)
    monkeypatch.setenv("MEDEVAL_DATABASE_URL", sqlite_db.url)
    monkeypatch.setenv("MEDEVAL_MEDIA_DIR", str(tmp_path / "media"))
    monkeypatch.setenv("MEDEVAL_SECRET_KEY_FILE", str(tmp_path / "secret"))
    runner = CliRunner()
    done = runner.invoke(cli, ["backup", "-o", str(tmp_path / "b.bak")], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    assert done.output.startswith(f"backup written: {tmp_path / 'b.bak'}: medeval SQLite backup")
    assert "ratings 6, votes 0" in done.output and "copy " in done.output
    assert rate_one(sqlite_db, "amal") is not None
    before = db_snapshot(sqlite_db)

    from medeval_ui.cli import main

    assert main(["restore", str(tmp_path / "b.bak")]) == 1
    assert db_snapshot(sqlite_db) == before
    done = runner.invoke(cli, ["restore", str(tmp_path / "b.bak"), "--yes"])
    assert done.exit_code == 0, done.output
    assert "kept as" in done.output and "ratings 6" in done.output
    assert len(tokens_in(sqlite_db)) == 6


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_postgres_round_trip_through_pg_dump_and_pg_restore(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    if not HAVE_PG_TOOLS:
        pytest.skip("pg_dump / pg_restore are not on PATH")
    study_with_ratings(db, settings, tmp_path)
    saved = db_snapshot(db)
    check = backup_database(db, tmp_path / "pg.dump")
    assert check.facts.engine == "PostgreSQL" and check.facts.counts["ratings"] == 6
    assert check.facts.path.read_bytes()[:5] == b"PGDMP"
    assert rate_one(db, "amal") is not None
    restore_database(db, check.facts.path)
    assert without_audit(db_snapshot(db)) == without_audit(saved)
    # A truncated dump is refused and changes nothing.
    cut = tmp_path / "cut.dump"
    cut.write_bytes(check.facts.path.read_bytes()[:3000])
    before = db_snapshot(db)
    with pytest.raises(MedevalError, match=r"cut\.dump"):
        restore_database(db, cut)
    assert db_snapshot(db) == before


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_postgres_without_pg_dump_gives_the_command_to_run(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "pg_tool", lambda name: None)
    with pytest.raises(MedevalError, match=r"not on PATH.*pg_dump --format=custom") as info:
        backup_database(db, tmp_path / "x.dump")
    assert f"--file={tmp_path / 'x.dump'}" in str(info.value)
    assert "postgresql://" in str(info.value) and "+psycopg" not in str(info.value)
    dump = tmp_path / "y.dump"
    dump.write_bytes(b"PGDMP" + bytes(100))
    with pytest.raises(MedevalError, match=r"not on PATH.*pg_restore --clean --if-exists"):
        restore_database(db, dump)
