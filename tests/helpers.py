"""Small test helpers shared by several test files."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select

from medeval_ui.config import Settings
from medeval_ui.storage.engine import Database
from medeval_ui.storage.tables import Base

# The ``web_app`` fixture (tests/conftest.py): the shared app for these settings.
WebApp = Callable[[Settings], FastAPI]


def db_snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: equal snapshots mean the content did not change."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with db.read() as session:
        for table in Base.metadata.sorted_tables:
            rows = session.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in rows]
    return out


def restore_sqlite(template: Path, path: Path) -> None:
    """``path`` becomes a page-for-page copy of the SQLite file ``template``. Through
    SQLite's backup API: unlike copying the file over it, this is safe while engines hold
    connections to ``path`` (its -wal and -shm files stay consistent)."""
    if not path.exists():
        shutil.copy(template, path)
        return
    source = sqlite3.connect(template)
    target = sqlite3.connect(path, timeout=30)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    return path
