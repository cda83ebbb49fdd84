"""Whole-database backups, checking a backup file, and putting one back.

SQLite: sqlite3's online backup API copies a consistent snapshot in one step while other
connections keep writing (WAL: a reader never blocks a writer), so a backup can be taken
while the app runs. The copy is made single-file (rollback journal) and checked with
``PRAGMA integrity_check`` before it gets its final name. A restore never touches the file
it is given: it works on a staging copy (checked, upgraded if older) and writes that into
the live database through the same backup API, which takes SQLite's locks, so the database
is replaced in one step and its WAL stays consistent.

PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists
--single-transaction``; a dump is checked with ``pg_restore --list`` and by reading its
``alembic_version``, ``ratings`` and ``votes`` data.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url

from medeval_ui.errors import MedevalError
from medeval_ui.storage.engine import Database
from medeval_ui.storage.migrate import MIGRATIONS

COUNTED = ("studies", "cases", "outputs", "ratings", "votes")
# Tables every medeval schema revision has; a file without them is someone else's database.
CORE_TABLES = frozenset({"alembic_version", "users", "studies", "cases", "outputs", "ratings"})
SQLITE_HEADER = b"SQLite format 3\x00"
PGDUMP_HEADER = b"PGDMP"


@dataclass(frozen=True)
class BackupFacts:
    """What a backup file holds, read from the file itself."""

    path: Path
    engine: str  # "SQLite" or "PostgreSQL"
    size_bytes: int
    revision: str
    counts: dict[str, int] = field(default_factory=dict)
    schema: str = ""  # PostgreSQL: the schema the dump was taken from


def known_revisions() -> list[str]:
    """Alembic revisions this medeval knows, newest first."""
    return [rev.revision for rev in ScriptDirectory(str(MIGRATIONS)).walk_revisions()]


def check_revision(label: str, revision: str | None) -> str:
    if revision is None:
        raise MedevalError(
            f"{label}: not a medeval database (it has no schema version); give a file "
            "written by `medeval backup`"
        )
    if revision not in known_revisions():
        raise MedevalError(
            f"{label}: the backup is at schema revision {revision}, which this version of "
            "medeval does not know (a newer medeval wrote it); restore it with that version"
        )
    return revision


# --- SQLite -------------------------------------------------------------------------------


def sqlite_path(db: Database) -> Path:
    database = make_url(db.url).database
    if not database or database == ":memory:":
        raise MedevalError("an in-memory SQLite database cannot be backed up or restored")
    return Path(database)


def backup_sqlite(db: Database, dest: Path, busy_timeout_ms: int = 5000) -> BackupFacts:
    """Copy the live database to ``dest`` (written under a temporary name, then renamed)."""
    source = sqlite_path(db)
    if not source.is_file():
        raise MedevalError(f"no database at {source}; nothing to back up")
    partial = dest.with_name(f".{dest.name}.partial")
    try:
        _copy_online(source, partial, busy_timeout_ms)
        facts = inspect_sqlite(partial, label=str(dest))
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)
    return BackupFacts(dest, facts.engine, dest.stat().st_size, facts.revision, facts.counts)


def _copy_online(source: Path, dest: Path, busy_timeout_ms: int) -> None:
    """One-step online backup of ``source`` into a fresh single-file database ``dest``."""
    dest.unlink(missing_ok=True)
    with (
        closing(sqlite3.connect(source, timeout=busy_timeout_ms / 1000)) as src,
        closing(sqlite3.connect(dest)) as dst,
    ):
        src.backup(dst)  # pages=-1: the whole database in one read transaction
        dst.execute("PRAGMA journal_mode=DELETE")


def inspect_sqlite(path: Path, *, label: str) -> BackupFacts:
    """Check a SQLite file in place: header, size, integrity, medeval schema; then count.

    Opening a database can change it (a hot journal is rolled back): give a copy."""
    _check_sqlite_header(path, label)
    try:
        with closing(sqlite3.connect(path)) as conn:
            problems = [r[0] for r in conn.execute("PRAGMA integrity_check(5)")]
            if problems != ["ok"]:
                raise MedevalError(
                    f"{label}: the database is damaged (integrity check: "
                    f"{'; '.join(problems)[:300]}); use another backup"
                )
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if missing := sorted(CORE_TABLES - tables):
                raise MedevalError(
                    f"{label}: a SQLite database, but not a medeval one (no "
                    f"{', '.join(missing)} tables); give a file written "
                    "by `medeval backup`"
                )
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = check_revision(label, row[0] if row else None)
            counts = {
                t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
                for t in COUNTED
                if t in tables
            }
    except sqlite3.DatabaseError as err:
        raise MedevalError(f"{label}: not a readable SQLite database ({err})") from None
    return BackupFacts(path, "SQLite", path.stat().st_size, revision, counts)


def _check_sqlite_header(path: Path, label: str) -> None:
    if not path.is_file():
        raise MedevalError(f"{label}: file not found")
    size = path.stat().st_size
    if size == 0:
        raise MedevalError(f"{label}: the file is empty")
    with path.open("rb") as fh:
        header = fh.read(100)
    if not header.startswith(SQLITE_HEADER):
        raise MedevalError(
            f"{label}: not a SQLite database (it does not start with the SQLite header); "
            "give a file written by `medeval backup`"
        )
    if len(header) < 100:
        raise MedevalError(f"{label}: the file is truncated ({size} bytes)")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count in the header is valid when its change counter matches (bytes 24, 92).
    if header[24:28] == header[92:96] and size < page_size * pages:
        raise MedevalError(
            f"{label}: the file is truncated: its header says {page_size * pages} bytes, "
            f"the file has {size}; copy the backup again"
        )


def stage_sqlite(source: Path, staging: Path) -> None:
    """Copy a backup file (and a -wal beside it, if any) to a private staging name."""
    shutil.copyfile(source, staging)
    wal = source.with_name(source.name + "-wal")
    if wal.is_file():
        shutil.copyfile(wal, staging.with_name(staging.name + "-wal"))


def restore_sqlite(db: Database, staging: Path, keep: Path, busy_timeout_ms: int = 5000) -> None:
    """Keep the live database as ``keep``, then write ``staging`` into it in one step."""
    target = sqlite_path(db)
    db.dispose()
    if target.is_file():
        _copy_online(target, keep, busy_timeout_ms)
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        closing(sqlite3.connect(staging)) as src,
        closing(sqlite3.connect(target, timeout=busy_timeout_ms / 1000)) as dst,
    ):
        src.execute("PRAGMA journal_mode=DELETE")
        want = dst.execute("PRAGMA page_size").fetchone()[0]
        if src.execute("PRAGMA page_size").fetchone()[0] != want:
            # A WAL database only accepts a backup with its own page size.
            src.execute(f"PRAGMA page_size={int(want)}")
            src.execute("VACUUM")
        src.backup(dst)
        ok = dst.execute("PRAGMA quick_check").fetchone()[0]
    if ok != "ok":  # pragma: no cover - the staging copy passed integrity_check
        raise MedevalError(f"{target}: the restored database failed its check ({ok})")


# --- PostgreSQL ---------------------------------------------------------------------------


def pg_tool(name: str) -> str | None:
    return shutil.which(name)


def libpq_url(db: Database) -> tuple[str, dict[str, str]]:
    """The database as a libpq URL without its password, and the environment with it."""
    url: URL = make_url(db.url).set(drivername="postgresql")
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
        url = url.set(password=None)
    return url.render_as_string(hide_password=False), env


def current_schema(db: Database) -> str:
    with db.engine.connect() as conn:
        return str(conn.execute(text("SELECT current_schema()")).scalar_one())


def pg_dump_args(db: Database, dest: Path) -> list[str]:
    """pg_dump's arguments (after the program name) for a custom-format dump to ``dest``."""
    url, _ = libpq_url(db)
    schema = current_schema(db)
    only = [] if schema == "public" else [f"--schema={schema}"]
    return ["--format=custom", *only, f"--file={dest}", url]


def backup_postgres(db: Database, dest: Path, pg_dump: str, pg_restore: str) -> BackupFacts:
    _, env = libpq_url(db)
    partial = dest.with_name(f".{dest.name}.partial")
    try:
        _run([pg_dump, *pg_dump_args(db, partial)], env, failed=f"{dest}: pg_dump failed")
        facts = inspect_pg_dump(partial, pg_restore, label=str(dest))
        os.replace(partial, dest)
    finally:
        partial.unlink(missing_ok=True)
    return BackupFacts(dest, facts.engine, dest.stat().st_size, facts.revision, facts.counts)


def inspect_pg_dump(path: Path, pg_restore: str, *, label: str) -> BackupFacts:
    """Check a pg_dump custom-format archive: its table of contents, then read the schema
    version and count ratings and votes from its data."""
    if not path.is_file():
        raise MedevalError(f"{label}: file not found")
    with path.open("rb") as fh:
        if fh.read(5) != PGDUMP_HEADER:
            raise MedevalError(
                f"{label}: not a pg_dump archive in custom format (pg_dump --format=custom); "
                "give a file written by `medeval backup`"
            )
    unreadable = f"{label}: not a readable pg_dump archive"
    toc = _run([pg_restore, "--list", str(path)], dict(os.environ), failed=unreadable)
    tables: dict[str, str] = {}  # table -> schema, from "ID; OID OID TABLE schema name owner"
    for line in toc.splitlines():
        parts = line.split()
        if len(parts) >= 6 and not line.startswith(";") and parts[3] == "TABLE":
            tables[parts[5]] = parts[4]
    if missing := sorted(CORE_TABLES - set(tables)):
        raise MedevalError(
            f"{label}: a PostgreSQL dump, but not of a medeval database (no "
            f"{', '.join(missing)} tables)"
        )
    wanted = ["alembic_version", *(t for t in COUNTED if t in tables)]
    rows = _count_dump_rows(path, pg_restore, wanted, unreadable)
    versions = rows.get("alembic_version", ["0"])[1:]
    revision = check_revision(label, versions[0] if len(versions) == 1 else None)
    counts = {t: int(rows.get(t, ["0"])[0]) for t in wanted[1:]}
    return BackupFacts(
        path, "PostgreSQL", path.stat().st_size, revision, counts, tables["alembic_version"]
    )


def _count_dump_rows(
    path: Path, pg_restore: str, tables: list[str], failed: str
) -> dict[str, list[str]]:
    """Up to two first-column values and the row count of each of ``tables``, streamed out
    of the dump (it may hold millions of ratings): {table: [count, first, second]}."""
    args = [pg_restore, "--data-only", *(f"--table={t}" for t in tables), "--file=-", str(path)]
    out: dict[str, list[str]] = {}
    with (
        tempfile.TemporaryFile("w+", errors="replace") as err,
        subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=err, text=True, errors="replace"
        ) as proc,
    ):
        assert proc.stdout is not None
        current: list[str] | None = None
        for line in proc.stdout:
            line = line.rstrip("\n")
            if current is None:
                if line.startswith("COPY ") and line.endswith("FROM stdin;"):
                    current = out.setdefault(line.split()[1].split(".")[-1].strip('"'), ["0"])
            elif line == "\\.":
                current = None
            else:
                current[0] = str(int(current[0]) + 1)
                if len(current) < 3:
                    current.append(line.split("\t", 1)[0])
        proc.wait()
        err.seek(0)
        _check_exit(proc.returncode, err.read(), failed)
    return out


def restore_postgres(
    db: Database, dump: Path, keep: Path, pg_dump: str, pg_restore: str, schema: str
) -> None:
    """Keep the live database as ``keep`` (a dump), then pg_restore ``dump`` into it."""
    here = current_schema(db)
    if schema != here:
        raise MedevalError(
            f"{dump}: the dump holds schema '{schema}' but this database uses '{here}'; "
            "restore it where it was taken, or by hand with pg_restore"
        )
    url, env = libpq_url(db)
    db.dispose()
    _run([pg_dump, *pg_dump_args(db, keep)], env, failed=f"{keep}: pg_dump failed")
    restore = [pg_restore, *PG_RESTORE_OPTIONS, f"--dbname={url}", str(dump)]
    _run(restore, env, failed=f"{dump}: pg_restore failed, nothing was changed")


PG_RESTORE_OPTIONS = ("--clean", "--if-exists", "--single-transaction", "--no-owner")


def _run(args: list[str], env: dict[str, str], *, failed: str) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, errors="replace")
    _check_exit(done.returncode, done.stderr, failed)
    return done.stdout


def _check_exit(code: int, stderr: str, failed: str) -> None:
    """``failed`` plus the tool's last error line, as one line."""
    if code != 0:
        lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
        detail = lines[-1] if lines else f"exit status {code}"
        for prefix in ("pg_dump: ", "pg_restore: ", "error: "):
            detail = detail.removeprefix(prefix)
        raise MedevalError(f"{failed} ({detail[:300]})")
