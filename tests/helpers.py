"""Small test helpers shared by several test files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from medeval_ui.storage.engine import Database
from medeval_ui.storage.tables import Base


def db_snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table: equal snapshots mean the content did not change."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with db.read() as session:
        for table in Base.metadata.sorted_tables:
            rows = session.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in rows]
    return out


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    return path
