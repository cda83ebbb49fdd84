"""The leaderboard table as a file: CSV (spreadsheet-safe) or JSON, by the file's suffix."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from medeval_ui.errors import MedevalError
from medeval_ui.exchange.export_writers import neutralize_cell
from medeval_ui.stats.bradley_terry import LeaderboardRow

COLUMNS = ("model", "rating", "lower", "upper", "rank", "votes", "provisional")


def leaderboard_records(rows: Sequence[LeaderboardRow]) -> list[dict[str, Any]]:
    """One dict per model with the table's columns; ratings rounded to 0.1 point, NaN
    (a model without votes) as None."""

    def num(x: float) -> float | None:
        return None if math.isnan(x) else round(x, 1)

    return [
        {
            "model": r.model,
            "rating": num(r.rating),
            "lower": num(r.lower),
            "upper": num(r.upper),
            "rank": r.rank,
            "votes": r.votes,
            "provisional": r.provisional,
        }
        for r in rows
    ]


def write_leaderboard(rows: Sequence[LeaderboardRow], path: Path) -> None:
    records = leaderboard_records(rows)
    suffix = path.suffix.lower()
    if suffix == ".json":
        path.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", "utf-8")
    elif suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=COLUMNS)
            writer.writeheader()
            for rec in records:
                writer.writerow(
                    {k: neutralize_cell(v) if isinstance(v, str) else v for k, v in rec.items()}
                )
    else:
        raise MedevalError(f"{path.name}: write the leaderboard to a .csv or .json file")
