"""Back up the whole database, check a backup, and restore one (`medeval backup|restore`).

A backup can be taken while the app runs (SQLite: online backup API; PostgreSQL: pg_dump,
which reads one snapshot). A restore checks the file before anything else (readable,
undamaged, a medeval database at a schema revision this medeval knows; an older one is
upgraded on a staging copy), keeps the current database as ``FILE.before-restore`` and
only then replaces it. A running app memoizes some rows for minutes: restart it after a
restore.
"""

from __future__ import annotations

import shlex
import tempfile
from dataclasses import dataclass
from pathlib import Path

from medeval_ui.errors import MedevalError
from medeval_ui.services import audit
from medeval_ui.services.annotation_memo import forget_counts
from medeval_ui.storage import backup as store
from medeval_ui.storage.backup import BackupFacts
from medeval_ui.storage.engine import Database
from medeval_ui.storage.migrate import head_revision, upgrade


@dataclass(frozen=True)
class BackupCheck:
    """A backup file that passed every check, and how it compares with this medeval."""

    facts: BackupFacts
    head: str  # the schema revision this medeval writes

    @property
    def needs_upgrade(self) -> bool:
        return self.facts.revision != self.head

    def lines(self) -> list[str]:
        f = self.facts
        state = "current" if not self.needs_upgrade else f"older; upgraded to {self.head}"
        counts = ", ".join(f"{name} {n:,}" for name, n in f.counts.items())
        return [
            f"{f.path}: medeval {f.engine} backup, {_size(f.size_bytes)}, "
            f"schema {f.revision} ({state}), checks passed",
            f"  {counts}",
        ]


@dataclass(frozen=True)
class RestoreReport:
    check: BackupCheck
    kept: Path | None  # the database as it was before, or None when there was none

    def lines(self) -> list[str]:
        out = [f"restored {self.check.facts.path}", *self.check.lines()[1:]]
        if self.check.needs_upgrade:
            out.append(f"  schema upgraded {self.check.facts.revision} -> {self.check.head}")
        if self.kept is not None:
            out.append(f"  the database as it was before is kept as {self.kept}")
        out.append("  restart the app if it is running (it caches some rows)")
        return out


def backup_database(
    db: Database, dest: Path, *, busy_timeout_ms: int = 5000, actor: str = "cli"
) -> BackupCheck:
    """Write a backup of ``db`` to ``dest`` (a new file) and check what was written."""
    if dest.exists():
        raise MedevalError(f"{dest} already exists; choose a new file name for the backup")
    if not dest.parent.is_dir():
        raise MedevalError(f"{dest}: folder {dest.parent} does not exist")
    if db.is_sqlite:
        facts = store.backup_sqlite(db, dest, busy_timeout_ms)
    else:
        pg_dump, pg_restore = _pg_tools(db, dest)
        facts = store.backup_postgres(db, dest, pg_dump, pg_restore)
    with db.write() as session:
        audit.record(
            session, "backup", actor=actor, file=str(dest), size=facts.size_bytes, **facts.counts
        )
    return BackupCheck(facts, head_revision())


def check_backup(db: Database, file: Path) -> BackupCheck:
    """Check ``file`` as a backup for ``db``'s engine, changing nothing."""
    _check_kind(db, file)
    if not db.is_sqlite:
        return _check_dump(file, _pg_tools(db, file, restoring=True)[1])
    with tempfile.TemporaryDirectory(prefix="medeval-check-") as tmp:
        return _check_staged(file, Path(tmp) / "staging.sqlite3")


def restore_database(
    db: Database, file: Path, *, busy_timeout_ms: int = 5000, actor: str = "cli"
) -> RestoreReport:
    """Replace ``db``'s content with the backup ``file``; the old content is kept beside it.

    Every check runs before the database is touched: a bad file changes nothing."""
    _check_kind(db, file)
    keep = _keep_path(file)
    if db.is_sqlite:
        check, kept = _restore_sqlite(db, file, keep, busy_timeout_ms)
    else:
        pg_dump, pg_restore = _pg_tools(db, file, restoring=True)
        check = _check_dump(file, pg_restore)
        store.restore_postgres(db, file, keep, pg_dump, pg_restore, check.facts.schema)
        if check.needs_upgrade:
            upgrade(db)
        kept = keep
    forget_counts()
    with db.write() as session:
        audit.record(
            session,
            "restore",
            actor=actor,
            file=str(file),
            kept=str(kept or ""),
            revision=check.facts.revision,
        )
    return RestoreReport(check, kept)


def _restore_sqlite(
    db: Database, file: Path, keep: Path, busy_timeout_ms: int
) -> tuple[BackupCheck, Path | None]:
    target = store.sqlite_path(db)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".medeval-restore-") as tmp:
        staging = Path(tmp) / "staging.sqlite3"
        check = _check_staged(file, staging)
        if check.needs_upgrade:
            _upgrade_file(staging, str(file))
        had = target.is_file()
        store.restore_sqlite(db, staging, keep, busy_timeout_ms)
    return check, keep if had else None


def _check_staged(file: Path, staging: Path) -> BackupCheck:
    """Copy ``file`` to ``staging`` and check the copy (opening a file can change it)."""
    store.stage_sqlite(file, staging)
    facts = store.inspect_sqlite(staging, label=str(file))
    given = BackupFacts(file, facts.engine, file.stat().st_size, facts.revision, facts.counts)
    return BackupCheck(given, head_revision())


def _check_dump(file: Path, pg_restore: str) -> BackupCheck:
    return BackupCheck(store.inspect_pg_dump(file, pg_restore, label=str(file)), head_revision())


def _check_kind(db: Database, file: Path) -> None:
    """A SQLite backup for a PostgreSQL database (or the reverse) is a clear mistake."""
    if not file.is_file():
        raise MedevalError(f"{file}: file not found")
    with file.open("rb") as fh:
        head = fh.read(16)
    if db.is_sqlite and head.startswith(store.PGDUMP_HEADER):
        raise MedevalError(
            f"{file}: a PostgreSQL dump, but this database is SQLite; restore it with "
            "MEDEVAL_DATABASE_URL pointing at PostgreSQL"
        )
    if not db.is_sqlite and head.startswith(store.SQLITE_HEADER):
        raise MedevalError(
            f"{file}: a SQLite backup, but this database is PostgreSQL; restore it with "
            "MEDEVAL_DATABASE_URL pointing at a SQLite file"
        )


def _upgrade_file(staging: Path, label: str) -> None:
    copy = Database(f"sqlite:///{staging}")
    try:
        upgrade(copy)
    except MedevalError as err:
        raise MedevalError(f"{label}: the backup could not be upgraded ({err})") from None
    finally:
        copy.dispose()


def _pg_tools(db: Database, file: Path, *, restoring: bool = False) -> tuple[str, str]:
    pg_dump, pg_restore = store.pg_tool("pg_dump"), store.pg_tool("pg_restore")
    if pg_dump is not None and pg_restore is not None:
        return pg_dump, pg_restore
    url, _ = store.libpq_url(db)
    if restoring:
        by_hand = shlex.join(
            ["pg_restore", *store.PG_RESTORE_OPTIONS, f"--dbname={url}", str(file)]
        )
    else:
        by_hand = shlex.join(["pg_dump", *store.pg_dump_args(db, file)])
    raise MedevalError(
        "pg_dump and pg_restore are not on PATH: install the PostgreSQL client tools (the "
        f"server's major version or newer), or run it by hand: {by_hand}"
    )


def _keep_path(file: Path) -> Path:
    """``FILE.before-restore``, or ``.before-restore.N`` when that exists: never overwrite."""
    keep = file.with_name(file.name + ".before-restore")
    n = 1
    while keep.exists():
        keep = file.with_name(f"{file.name}.before-restore.{n}")
        n += 1
    return keep


def _size(n: int) -> str:
    if n < 1024:
        return f"{n:,} bytes"
    value = n / 1024
    for unit in ("KB", "MB", "GB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"
