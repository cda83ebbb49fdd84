"""Shared fixtures.

``db`` is a migrated, empty database: SQLite always, and PostgreSQL too when
MEDEVAL_TEST_DATABASE_URL is set (``.ci/run`` sets it for the local server), so storage
and service tests run against both real engines.

Building the web app (``create_app``: three Gradio pages and their FastAPI routes) takes
seconds, most of it FastAPI analysing Gradio's routes. Test modules marked
``pytest.mark.shared_app`` therefore get one database per engine and one ``settings`` for the
whole run, and ``web_app(settings)`` hands out the app built once for those settings.
Before each such test the database is put back to the freshly migrated state, the media
folder is emptied, and every shared app forgets its login throttle counts and Gradio's
per-page session state: each test still starts from nothing, against the real app.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
from tests.helpers import restore_sqlite

if TYPE_CHECKING:
    from fastapi import FastAPI

    from medeval_ui.web.auth import LoginThrottle

SHARED_APP = "shared_app"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{SHARED_APP}: the module's tests share one database file and the web app built "
        "once per settings (reset before each test; see tests/conftest.py)",
    )
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


def _emptied_pg(url: str) -> str:
    db = Database(url)
    names = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    db.dispose()
    return url


@dataclass
class SharedApp:
    app: FastAPI
    db: Database
    throttles: list[LoginThrottle] = field(default_factory=list)

    def reset(self) -> None:
        """Forget what earlier tests left in memory: login failures and locks, and the
        state Gradio keeps per page session."""
        from starlette.routing import Mount

        for throttle in self.throttles:
            type(throttle).__init__(throttle, throttle.rules)
        for route in self.app.routes:
            holder = getattr(getattr(route, "app", None), "state_holder", None)
            if isinstance(route, Mount) and holder is not None:
                with holder.lock:
                    holder.session_data.clear()
                    holder.time_last_used.clear()


@pytest.fixture(scope="session")
def shared_apps() -> Iterator[dict[Settings, SharedApp]]:
    apps: dict[Settings, SharedApp] = {}
    yield apps
    for shared in apps.values():
        shared.db.dispose()


@pytest.fixture(scope="session")
def shared_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the shared database file, media folder and secret key live."""
    return tmp_path_factory.mktemp("shared")


@pytest.fixture(params=ENGINES)
def db_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: Path,
    shared_home: Path,
    shared_apps: dict[Settings, SharedApp],
) -> str:
    shared = request.node.get_closest_marker(SHARED_APP) is not None
    if shared:
        shutil.rmtree(shared_home / "media", ignore_errors=True)
        for app in shared_apps.values():
            app.reset()
    if request.param == "sqlite":
        path = (shared_home if shared else tmp_path) / "medeval.sqlite3"
        if shared:
            restore_sqlite(sqlite_template, path)
        else:
            shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    return _emptied_pg(request.getfixturevalue("pg_migrated"))


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def settings(request: pytest.FixtureRequest, db_url: str, tmp_path: Path) -> Settings:
    home = tmp_path
    if request.node.get_closest_marker(SHARED_APP) is not None:
        home = request.getfixturevalue("shared_home")
    return Settings(
        database_url=db_url,
        media_dir=str(home / "media"),
        secret_key_file=str(home / "secret_key"),
        load_demo=False,
    )


@pytest.fixture
def web_app(
    request: pytest.FixtureRequest, shared_apps: dict[Settings, SharedApp]
) -> Callable[[Settings], FastAPI]:
    """``web_app(settings)``: the real app for these settings, built on first use and then
    shared (only in ``shared_app`` modules, whose ``db_url`` fixture resets it)."""
    from medeval_ui.web.auth import LoginThrottle
    from medeval_ui.web.server import create_app

    if request.node.get_closest_marker(SHARED_APP) is None:
        raise pytest.UsageError("web_app is for modules marked pytest.mark.shared_app")

    def get(settings: Settings) -> FastAPI:
        shared = shared_apps.get(settings)
        if shared is None:
            throttles: list[LoginThrottle] = []
            init = LoginThrottle.__init__

            def recording(self: LoginThrottle, *args: Any, **kwargs: Any) -> None:
                init(self, *args, **kwargs)
                throttles.append(self)

            db = Database(settings.database_url)
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(LoginThrottle, "__init__", recording)
                app = create_app(settings, db)
            # Each test must start with no failed logins counted: found, or fail loudly.
            assert throttles, "create_app made no LoginThrottle: update SharedApp.reset"
            shared = shared_apps[settings] = SharedApp(app, db, throttles)
        return shared.app

    return get


@pytest.fixture
def cheap_hasher(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at its smallest cost, for modules whose accounts are set-up, not the subject
    (``pytestmark = pytest.mark.usefixtures("cheap_hasher")``): the library's default cost
    takes a tenth of a second or more per hash. tests/test_users.py checks the defaults."""
    from argon2 import PasswordHasher

    from medeval_ui.services import users

    monkeypatch.setattr(users, "hasher", PasswordHasher(time_cost=1, memory_cost=1024))
    monkeypatch.setattr(users, "_dummy_hash", None)


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
