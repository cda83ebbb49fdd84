"""Bring a database to the schema this code expects, or refuse with a clear message."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from medeval_ui.config import DB_DIR
from medeval_ui.errors import ConfigError
from medeval_ui.storage.engine import Database

MIGRATIONS = DB_DIR / "migrations"
_UPGRADE_LOCK = 72_001_005  # any fixed number: the PostgreSQL advisory lock of upgrades


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(db: Database) -> tuple[str | None, str]:
    """Upgrade to the newest revision. Returns (revision before, revision after).

    Refuses a database written by a newer medeval (unknown revision) and a non-empty
    database that medeval did not create, instead of guessing.
    """
    script = ScriptDirectory.from_config(_config())
    before = current_revision(db)
    if before is None:
        existing = set(inspect(db.engine).get_table_names())
        if existing:
            raise ConfigError(
                f"the database at {db.engine.url.render_as_string(hide_password=True)} already "
                f"has tables ({', '.join(sorted(existing)[:5])}) but no medeval schema version; "
                "point MEDEVAL_DATABASE_URL at an empty database"
            )
    elif before not in {rev.revision for rev in script.walk_revisions()}:
        raise ConfigError(
            f"the database is at schema revision {before}, which this version of medeval "
            "does not know (it was written by a newer medeval); upgrade medeval or restore a "
            "backup"
        )
    cfg = _config()
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection if db.is_sqlite else None
        if raw is not None:
            # Batch migrations rebuild a table by copy, drop and rename; with foreign keys on,
            # dropping ``studies`` would cascade-delete every case and assignment. SQLite
            # only changes this setting outside a transaction, hence the driver connection.
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                if not db.is_sqlite:
                    # Two instances started at once on an empty database both tried to
                    # create it, and one died on alembic_version. Upgrades now take turns;
                    # the second finds the schema at head (DDL is transactional here).
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_UPGRADE_LOCK})")
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                if raw is not None:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise ConfigError(
                            f"the upgrade would leave {len(broken)} rows pointing at missing "
                            f"rows (first: {tuple(broken[0])}); nothing was changed"
                        )
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")
    return before, head_revision()
