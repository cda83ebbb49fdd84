"""Benchmark: exporting 1M ratings (wide shape) from SQLite as Parquet, CSV and JSON Lines.

Run:  python bench/bench_export.py [--rows 1000000] [--repeat 3]

Builds a migrated SQLite database in a temporary folder (``--rows`` ratings on rows/10
outputs, 3 raters, a 2-question rubric), then for each format times
``export_ratings(..., shape="wide")`` (median of ``--repeat`` runs) beside a baseline
measured in the same run: pyarrow writing the very same table from memory (for JSON Lines,
the faster of two in-memory writers, named in the output). Peak memory is measured in a
fresh child process: peak RSS after the export minus peak RSS just before it (VmHWM, the
per-process ``ru_maxrss``; see ``peak_rss_kb``).
It also prints the database read floors: fetching the export's rows and doing nothing with
them, with Python's sqlite3 cursor (which no implementation on sqlite3 can beat) and with
ADBC into Arrow batches (what the export uses on SQLite; see medeval_ui/storage/streaming.py).

Budgets: export within 3x of the baseline, peak memory under 500 MB. Prints PASS/FAIL per
budget and exits 1 on any FAIL.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import adbc_driver_sqlite.dbapi as adbc_sqlite
import orjson
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import peak_rss_kb

from medeval_ui.exchange.export_writers import write_batches
from medeval_ui.services.exports import export_ratings
from medeval_ui.storage.engine import Database
from medeval_ui.storage.migrate import upgrade

FORMATS = ("parquet", "csv", "jsonl")
RATIO_BUDGET, MEMORY_BUDGET_MB = 3.0, 500.0
CORRECTNESS = {
    "id": "correctness",
    "text": "Correct?",
    "type": "single_choice",
    "scale": "nominal",
    "required": True,
    "options": [
        {"id": "correct", "label": "Correct", "score": 1.0},
        {"id": "wrong", "label": "Wrong", "score": 0.0},
    ],
}
NOTES_QUESTION = {"id": "notes", "text": "Notes", "type": "free_text", "required": False}
RUBRIC = {
    "id": "bench",
    "version": "1.0",
    "title": "Bench",
    "questions": [CORRECTNESS, NOTES_QUESTION],
}
LANGUAGES = ["en", "de", "ja", "he", "pt-BR"]
NOTES = ["", "fine", "missing the dose", 'line 1\nline 2 "quoted" שלום', "=SUM(A1)"]
NOW = "2025-01-02 03:04:05.123456"
# What export_ratings reads, for the read floors: the superseded ids, then the ratings.
FLOOR_SQL = (
    "SELECT supersedes_id FROM ratings WHERE supersedes_id IS NOT NULL ORDER BY supersedes_id",
    """SELECT r.output_id, r.user_id, CAST(r.answers AS TEXT), r.rubric_version, r.id,
  r.supersedes_id, r.confidence, r.comment, r.time_spent_ms, CAST(r.created_at AS TEXT),
  r.origin
FROM ratings r WHERE r.study_id = 1 ORDER BY r.output_id, r.id""",
)


def build(path: Path, n_ratings: int) -> None:
    """A migrated database filled with raw sqlite3 in one transaction (fast bulk insert)."""
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    db.dispose()
    n_outputs = max(2, n_ratings // 10)
    con = sqlite3.connect(path)
    with con:
        con.execute(
            "INSERT INTO studies (id, slug, title, description, guidelines, rubric_id, "
            "rubric_version, rubric_snapshot, modes, ratings_per_output, votes_per_pair, "
            "pivot_language, blind, show_reference, reveal_policy, vote_reason_required, "
            "min_votes, prompt_template, system_prompt, created_at) VALUES "
            "(1, 'bench', 'Bench', '', '', 'bench', '1.0', ?, '[\"rating\"]', 3, 3, 'en', "
            "1, 0, 'never', 0, 50, '', '', ?)",
            (json.dumps(RUBRIC), NOW),
        )
        con.executemany(
            "INSERT INTO users (id, username, display_name, role, pseudonym, languages, "
            "specialty, active, session_epoch, created_at) "
            "VALUES (?, ?, '', 'clinician', ?, '[]', '', 1, 0, ?)",
            [(i + 1, f"rater{i}", f"R{i:05d}", NOW) for i in range(3)],
        )
        con.executemany(
            "INSERT INTO models (id, name, version, parameters) VALUES (?, ?, ?, '{}')",
            [(1, "model-a", "1.0"), (2, "model-b", "2.1")],
        )
        con.executemany(
            "INSERT INTO cases (id, study_id, external_id, group_id, language, specialty, "
            "modality, prompt, reference_answer, metadata, created_at) "
            "VALUES (?, 1, ?, ?, ?, 'cardiology', 'text', ?, '', '{}', ?)",
            (
                (i + 1, f"case-{i}", f"g{i // 5}", LANGUAGES[i % 5], f"prompt {i}", NOW)
                for i in range(n_outputs // 2)
            ),
        )
        con.executemany(
            "INSERT INTO outputs (id, case_id, model_id, sample_index, text, params, origin, "
            "created_at) VALUES (?, ?, ?, 0, ?, '{}', 'imported', ?)",
            ((i + 1, i // 2 + 1, i % 2 + 1, f"answer {i}", NOW) for i in range(n_outputs)),
        )
        con.executemany(
            "INSERT INTO ratings (id, study_id, output_id, user_id, answers, rubric_version, "
            "confidence, comment, time_spent_ms, supersedes_id, origin, client_token, "
            "created_at) VALUES (?, 1, ?, ?, ?, '1.0', ?, '', ?, ?, 'app', ?, ?)",
            (_rating(i, n_outputs) for i in range(n_ratings)),
        )
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def _rating(i: int, n_outputs: int) -> tuple[object, ...]:
    # Rounds 0-2: three raters; later rounds are edits superseding the same rater's rating.
    output, round_ = i % n_outputs, i // n_outputs
    supersedes = i - 3 * n_outputs + 1 if round_ >= 3 else None
    answers = {"correctness": "correct" if i % 3 else "wrong", "notes": NOTES[i % 5]}
    return (
        i + 1,
        output + 1,
        round_ % 3 + 1,
        json.dumps(answers),
        i % 5 + 1,
        1000 + i % 9000,
        supersedes,
        f"t{i}",
        NOW,
    )


def timed(fn: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def read_floor(path: Path, repeat: int) -> float:
    def fetch() -> None:
        con = sqlite3.connect(path)
        for sql in FLOOR_SQL:
            cursor = con.execute(sql)
            while cursor.fetchmany(50_000):
                pass
        con.close()

    return timed(fetch, repeat)


def adbc_read_floor(path: Path, repeat: int) -> float:
    def fetch() -> None:
        with adbc_sqlite.connect(f"file:{path}?mode=ro") as con:
            for sql in FLOOR_SQL:
                with con.cursor() as cursor:
                    cursor.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": "50000"})
                    cursor.execute(sql)
                    for _ in cursor.fetch_record_batch():
                        pass

    return timed(fetch, repeat)


def jsonl_orjson_rows(table: pa.Table, sink: io.BufferedWriter) -> None:
    names = table.column_names
    for batch in table.to_batches(50_000):
        columns = [column.to_pylist() for column in batch.columns]
        sink.write(
            b"".join(
                orjson.dumps(dict(zip(names, row, strict=True))) + b"\n"
                for row in zip(*columns, strict=True)
            )
        )


def baselines(table: pa.Table, out: Path, repeat: int) -> dict[str, tuple[float, str]]:
    """In-memory writers of the same table: {format: (seconds, what)}."""

    def to_file(write: Callable[[io.BufferedWriter], object]) -> Callable[[], object]:
        def run() -> None:
            with open(out, "wb") as sink:
                write(sink)

        return run

    result = {
        "parquet": (
            timed(lambda: pq.write_table(table, out, compression="zstd"), repeat),
            "pyarrow.parquet.write_table (zstd)",
        ),
        "csv": (timed(lambda: pacsv.write_csv(table, out), repeat), "pyarrow.csv.write_csv"),
    }
    gc.disable()  # as generous to the baselines as the export is to itself
    try:
        arrow_jsonl = timed(
            lambda: write_batches(table.to_batches(50_000), table.schema, "jsonl", out), repeat
        )
        orjson_rows = timed(to_file(lambda sink: jsonl_orjson_rows(table, sink)), repeat)
    finally:
        gc.enable()
    result["jsonl"] = min(
        (arrow_jsonl, "export_writers JSONL (Arrow kernels) from memory"),
        (orjson_rows, "orjson per row from table.to_pylist()"),
    )
    return result


def child(fmt: str, db_path: str, out: str) -> None:
    """Run one export in this fresh process and print its memory and time as JSON."""
    db = Database(f"sqlite:///{db_path}")
    before = peak_rss_kb()
    start = time.perf_counter()
    rows = export_ratings(db, "bench", fmt, out, shape="wide")
    seconds = time.perf_counter() - start
    after = peak_rss_kb()
    print(json.dumps({"rows": rows, "seconds": seconds, "before_kb": before, "after_kb": after}))


def peak_mb(fmt: str, db_path: Path, out: Path) -> float:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", fmt, str(db_path), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["rows"] > 0, report
    return float(report["after_kb"] - report["before_kb"]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0

    with tempfile.TemporaryDirectory(prefix="medeval-bench-") as tmp:
        folder = Path(tmp)
        db_path = folder / "bench.sqlite3"
        start = time.perf_counter()
        build(db_path, args.rows)
        print(
            f"built {args.rows:,} ratings on {max(2, args.rows // 10):,} outputs in "
            f"{time.perf_counter() - start:.1f} s (sqlite {sqlite3.sqlite_version}, "
            f"pyarrow {pa.__version__}, python {sys.version.split()[0]})"
        )
        db = Database(f"sqlite:///{db_path}")
        floor = read_floor(db_path, args.repeat)
        adbc_floor = adbc_read_floor(db_path, args.repeat)
        # The baseline writes the very table the export produces, held in memory.
        export_ratings(db, "bench", "parquet", folder / "table.parquet", shape="wide")
        table = pq.read_table(folder / "table.parquet")
        base = baselines(table, folder / "baseline.out", args.repeat)
        del table
        results = []
        for fmt in FORMATS:
            out = folder / f"ratings.{fmt}"
            rows = export_ratings(db, "bench", fmt, out, shape="wide")  # warm-up, row check
            assert rows == args.rows, (rows, args.rows)
            seconds = timed(
                lambda f=fmt, o=out: export_ratings(db, "bench", f, o, shape="wide"), args.repeat
            )
            size_mb = out.stat().st_size / 1e6
            peak = peak_mb(fmt, db_path, folder / f"child.{fmt}")
            results.append((fmt, seconds, *base[fmt], peak, size_mb))
        db.dispose()

    print(f"\nread floor: raw sqlite3 fetch of the export's rows, no processing: {floor:.2f} s")
    print(f"read floor: ADBC fetch of the same rows into Arrow batches: {adbc_floor:.2f} s")
    print(
        f"\n{'format':8} {'rows/s':>10} {'seconds':>8} {'baseline s':>11} {'ratio':>6} "
        f"{'peak MB':>8} {'file MB':>8}  baseline"
    )
    for fmt, seconds, base, what, peak, size in results:
        print(
            f"{fmt:8} {args.rows / seconds:>10,.0f} {seconds:>8.2f} {base:>11.2f} "
            f"{seconds / base:>6.1f} {peak:>8.0f} {size:>8.1f}  {what}"
        )
    print(
        f"(median of {args.repeat} runs; ratio = export / baseline; read floor / parquet "
        f"baseline: sqlite3 {floor / results[0][2]:.1f}x, ADBC {adbc_floor / results[0][2]:.1f}x)\n"
    )
    failed = False
    for fmt, seconds, base, _, peak, _ in results:
        checks = [
            (f"export within {RATIO_BUDGET:g}x of baseline", seconds / base <= RATIO_BUDGET),
            (f"peak memory < {MEMORY_BUDGET_MB:g} MB", peak < MEMORY_BUDGET_MB),
        ]
        for label, ok in checks:
            print(f"{'PASS' if ok else 'FAIL'}  {fmt:8} {label}")
            failed |= not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
