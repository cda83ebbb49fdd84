"""Migrations: an empty database upgraded to head has exactly the ORM schema; start-up
refuses databases it cannot safely use."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from medeval_ui.errors import ConfigError
from medeval_ui.storage.engine import Database
from medeval_ui.storage.migrate import head_revision, upgrade
from medeval_ui.storage.tables import Base


def test_upgraded_database_matches_the_orm_exactly(db: Database) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_upgrade_is_repeatable_and_reports_revisions(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert upgrade(db) == (None, head_revision())
    assert upgrade(db) == (head_revision(), head_revision())


def test_refuses_a_database_from_a_newer_medeval(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    upgrade(db)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff9999'"))
    with pytest.raises(ConfigError, match=r"revision ffff9999.*newer medeval"):
        upgrade(db)


def test_refuses_a_foreign_non_empty_database(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE patients (id INTEGER)"))
    with pytest.raises(ConfigError, match="already has tables \\(patients\\)"):
        upgrade(db)


def test_sqlite_connections_get_the_chosen_pragmas(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'x.sqlite3'}", synchronous="FULL", busy_timeout_ms=1234)
    with db.read() as session:
        values = [
            session.execute(text(f"PRAGMA {p}")).scalar()
            for p in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
        ]
    assert values == ["wal", 1, 1234, 2]  # synchronous FULL = 2


def test_upgrade_from_0001_keeps_rows_and_fills_the_new_columns(tmp_path: Path) -> None:
    from alembic import command

    from medeval_ui.storage.migrate import _config

    db = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    cfg = _config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, username, display_name, role, pseudonym, languages, "
                "specialty, active, created_at) VALUES (1, 'amy', '', 'clinician', 'P1', '[]', "
                "'', 1, '2026-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO studies (id, slug, title, description, guidelines, rubric_id, "
                "rubric_version, rubric_snapshot, modes, ratings_per_output, votes_per_pair, "
                "pivot_language, blind, show_reference, reveal_policy, created_at) VALUES "
                "(1, 's', 'S', '', '', 'r', '1', '{}', '[]', 3, 3, 'en', 1, 0, 'never', "
                "'2026-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO cases (id, study_id, external_id, group_id, language, specialty, "
                "modality, prompt, reference_answer, metadata, created_at) VALUES "
                "(1, 1, 'c', 'c', 'en', '', '', 'p', '', '{}', '2026-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO assignments (id, study_id, user_id, case_id, kind, output_order, "
                "status, skip_reason, created_at) VALUES "
                "(1, 1, 1, 1, 'rating', '[]', 'open', '', '2026-01-01')"
            )
        )
    assert upgrade(db) == ("0001", head_revision())
    with db.engine.connect() as conn:
        row = conn.execute(text("SELECT named, flagged, flag_note FROM assignments")).one()
    assert tuple(row) == (0, 0, "")


@pytest.mark.postgres
def test_two_upgrades_at_once_on_an_empty_postgres_database() -> None:
    """Two instances starting together on a new database: both come up at head."""
    import threading
    import uuid

    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    url = os.environ.get("MEDEVAL_TEST_DATABASE_URL")
    if not url:
        pytest.skip("PostgreSQL tests need MEDEVAL_TEST_DATABASE_URL")
    name = f"medeval_race_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    target = make_url(url).set(database=name).render_as_string(hide_password=False)
    results: list[object] = []

    def start() -> None:
        db = Database(target)
        try:
            results.append(upgrade(db)[1])
        except Exception as exc:  # the failure this test is about
            results.append(exc)
        finally:
            db.dispose()

    try:
        threads = [threading.Thread(target=start) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert results == [head_revision(), head_revision()], results
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
