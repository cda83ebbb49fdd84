"""A migrated SQLite study holding a benchmark frame of ratings (bench_dashboard.py).

Filled with raw sqlite3 in one transaction (the fast bulk path); ``add_more(n)`` appends n
ratings the way the app would, so the dashboard's incremental top-up can be timed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from medeval_ui.domain.rubric import load_rubric
from medeval_ui.services.studies import create_study
from medeval_ui.storage.engine import Database
from medeval_ui.storage.migrate import upgrade

NOW = "2026-03-01 10:00:00"


def fill_database(path: Path, frame: pd.DataFrame) -> tuple[Database, Callable[[int], None]]:
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    rubric = load_rubric("xlingeval_correctness")
    create_study(db, "bench", "Bench", rubric.id, ratings_per_output=3)  # study id 1
    con = sqlite3.connect(path)
    outputs = frame.drop_duplicates("output_id")
    cases = outputs.drop_duplicates("case_id")
    models = sorted(frame["model"].unique())
    model_id = {m: i + 1 for i, m in enumerate(models)}
    with con:
        con.executemany(
            "INSERT INTO users (id, username, display_name, role, pseudonym, languages, "
            "specialty, active, session_epoch, created_at) "
            "VALUES (?, ?, '', 'clinician', ?, '[]', '', 1, 0, ?)",
            [(int(u), f"clinician-{u}", f"P{u:05d}", NOW) for u in frame["user_id"].unique()],
        )
        con.executemany(
            "INSERT INTO models (id, name, version, parameters) VALUES (?, ?, '', '{}')",
            [(i, m) for m, i in model_id.items()],
        )
        con.executemany(
            "INSERT INTO cases (id, study_id, external_id, group_id, language, specialty, "
            "modality, prompt, reference_answer, metadata, created_at) "
            "VALUES (?, 1, ?, ?, ?, '', 'text', 'prompt', '', '{}', ?)",
            (
                (int(c) + 1, f"case-{c}", str(g), str(lang), NOW)
                for c, g, lang in zip(cases.case_id, cases.group_id, cases.language, strict=True)
            ),
        )
        con.executemany(
            "INSERT INTO outputs (id, case_id, model_id, sample_index, text, params, origin, "
            "created_at) VALUES (?, ?, ?, 0, 'answer', '{}', 'imported', ?)",
            (
                (int(o) + 1, int(c) + 1, model_id[m], NOW)
                for o, c, m in zip(outputs.output_id, outputs.case_id, outputs.model, strict=True)
            ),
        )
        con.executemany(
            "INSERT INTO ratings (id, study_id, output_id, user_id, answers, rubric_version, "
            "time_spent_ms, origin, client_token, created_at, comment) "
            "VALUES (?, 1, ?, ?, ?, ?, ?, 'app', ?, ?, '')",
            (
                (
                    int(r),
                    int(o) + 1,
                    int(u),
                    json.dumps({"correctness": a, "rationale": None}),
                    rubric.version,
                    int(t),
                    f"t{r}",
                    NOW,
                )
                for r, o, u, a, t in zip(
                    frame.rating_id,
                    frame.output_id,
                    frame.user_id,
                    frame["q:correctness"],
                    frame.time_spent_ms,
                    strict=True,
                )
            ),
        )
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    next_id = int(frame["rating_id"].max()) + 1

    def add_more(n: int) -> None:
        nonlocal next_id
        with sqlite3.connect(path) as more:
            more.executemany(
                "INSERT INTO ratings (id, study_id, output_id, user_id, answers, rubric_version,"
                " origin, client_token, created_at, comment)"
                " VALUES (?, 1, ?, 1, ?, ?, 'app', ?, ?, '')",
                [
                    (
                        next_id + i,
                        i + 1,
                        json.dumps({"correctness": "neither"}),
                        rubric.version,
                        f"more{next_id + i}",
                        NOW,
                    )
                    for i in range(n)
                ],
            )
        next_id += n

    return db, add_more
