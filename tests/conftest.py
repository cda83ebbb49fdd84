"""Shared fixtures.

``db`` is a migrated, empty database: SQLite always, and PostgreSQL too when
MEDEVAL_TEST_DATABASE_URL is set (``.ci/run`` sets it for the local server), so storage
and service tests run against both real engines.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

# Before anything imports gradio: no analytics, no hub.
os.environ.update(
    GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1", HF_HUB_DISABLE_TELEMETRY="1"
)

from medeval_ui.config import Settings
from medeval_ui.storage.engine import Database
from medeval_ui.storage.migrate import upgrade
from medeval_ui.storage.tables import Base


def pytest_configure(config: pytest.Config) -> None:
    # CI runs the README's plain `python -m pytest` and must include the slow suites.
    if os.environ.get("CI", "").lower() in {"1", "true"} and config.option.markexpr == "not slow":
        config.option.markexpr = ""


PG_URL = os.environ.get("MEDEVAL_TEST_DATABASE_URL", "")
ENGINES = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied per test: migrating each time would be slow."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture(scope="session")
def pg_migrated() -> Iterator[str]:
    """A private schema per test process, so parallel runs on one server do not collide."""
    if not PG_URL:
        pytest.skip("PostgreSQL tests need MEDEVAL_TEST_DATABASE_URL")
    schema = f"medeval_test_{os.getpid()}"
    admin = Database(PG_URL)
    with admin.engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    db = Database(url)
    upgrade(db)
    db.dispose()
    yield url
    with admin.engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "medeval.sqlite3"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("pg_migrated")
    db = Database(url)
    names = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    db.dispose()
    return url


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=db_url,
        media_dir=str(tmp_path / "media"),
        secret_key_file=str(tmp_path / "secret_key"),
        load_demo=False,
    )


@pytest.fixture(autouse=True)
def fresh_memoized_counts() -> Iterator[None]:
    """Counts memoized per database URL must not leak between tests (PostgreSQL tests
    share one URL)."""
    from medeval_ui.services.annotation_memo import forget_counts
    from medeval_ui.services.judgments import forget_judgments

    forget_counts()
    forget_judgments()
    yield
    forget_counts()
    forget_judgments()
