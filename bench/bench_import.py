"""Import 100k cases and 300k outputs into a fresh SQLite database.

Prints rows/s and peak memory for medeval's import beside two baselines measured in the
same run on the same data:
- storage floor: raw sqlite3 `executemany` of the already-parsed rows into the same tables;
- parse floor: pyarrow reading the same file into memory.
Budget (issue 2): at least 50k rows/s for each import.

    python bench/bench_import.py [--cases 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import peak_rss_kb  # noqa: E402

LANGS = ["en", "es", "ar", "zh", "hi"]
MODELS = ["alpha", "beta", "gamma"]


def make_files(folder: Path, n_cases: int) -> tuple[Path, Path]:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    groups = n_cases // len(LANGS)
    ext = [f"g{g}-{lang}" for g in range(groups) for lang in LANGS]
    table = pa.table(
        {
            "external_id": ext,
            "group_id": [f"g{g}" for g in range(groups) for _ in LANGS],
            "language": [lang for _ in range(groups) for lang in LANGS],
            "prompt": [
                f"Patient {i}: fever and cough for {i % 9 + 1} days. What next?"
                for i in range(len(ext))
            ],
            "reference_answer": ["Assess for pneumonia; check oxygen saturation."] * len(ext),
            "specialty": ["infectious disease"] * len(ext),
        }
    )
    cases = folder / "cases.csv"
    pacsv.write_csv(table, cases)
    outputs = folder / "outputs.jsonl"
    with outputs.open("w", encoding="utf-8") as fh:
        for e in ext:
            for m in MODELS:
                fh.write(
                    json.dumps(
                        {
                            "case_id": e,
                            "model": m,
                            "sample": 0,
                            "text": f"{m}: consider a chest X-ray for {e}.",
                            "params": {"temperature": 0.7},
                        }
                    )
                    + "\n"
                )
    return cases, outputs


def child(kind: str, db_url: str, path: str) -> None:
    """Run one import in this fresh process; print seconds and peak RSS growth in MB."""
    from medeval_ui.config import Settings
    from medeval_ui.services.import_cases import import_cases
    from medeval_ui.services.import_outputs import import_outputs
    from medeval_ui.storage.engine import Database

    db = Database(db_url)
    settings = Settings(
        database_url=db_url,
        media_dir=str(Path(path).parent / "media"),
        secret_key_file=str(Path(path).parent / "key"),
    )
    base = peak_rss_kb()
    start = time.perf_counter()
    if kind == "cases":
        summary = import_cases(db, settings, "bench", Path(path))
    else:
        summary = import_outputs(db, "bench", Path(path))
    seconds = time.perf_counter() - start
    peak = (peak_rss_kb() - base) / 1024
    print(json.dumps({"seconds": seconds, "rows": summary.created, "peak_mb": peak}))


def run_child(kind: str, db_url: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, db_url, str(path)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def fresh_db(folder: Path, name: str) -> str:
    from medeval_ui.services.studies import create_study
    from medeval_ui.storage.engine import Database
    from medeval_ui.storage.migrate import upgrade

    url = f"sqlite:///{folder / name}"
    db = Database(url)
    upgrade(db)
    create_study(db, "bench", "Bench", "xlingeval_correctness")
    db.dispose()
    return url


def sqlite_floor(url: str, cases: Path, outputs: Path) -> tuple[float, float]:
    """Seconds for raw executemany of pre-parsed rows (cases, then outputs)."""
    import pyarrow.csv as pacsv

    rows = pacsv.read_csv(cases).to_pylist()
    con = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    start = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    con.executemany(
        "INSERT INTO cases (study_id, external_id, group_id, language, specialty, modality,"
        " prompt, reference_answer, metadata, created_at) VALUES (1,?,?,?,?,'',?,?,'{}',"
        " '2026-01-01')",
        [
            (
                r["external_id"],
                r["group_id"],
                r["language"],
                r["specialty"],
                r["prompt"],
                r["reference_answer"],
            )
            for r in rows
        ],
    )
    con.execute("COMMIT")
    t_cases = time.perf_counter() - start
    ids = dict(con.execute("SELECT external_id, id FROM cases"))
    outs = [json.loads(line) for line in outputs.open(encoding="utf-8")]
    con.executemany(
        "INSERT INTO models (name, version, parameters) VALUES (?, '', '{}')",
        [(m,) for m in MODELS],
    )
    models = dict(con.execute("SELECT name, id FROM models"))
    start = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    con.executemany(
        "INSERT INTO outputs (case_id, model_id, sample_index, text, params, origin,"
        " created_at) VALUES (?,?,?,?,?,'imported','2026-01-01')",
        [
            (ids[o["case_id"]], models[o["model"]], o["sample"], o["text"], json.dumps(o["params"]))
            for o in outs
        ],
    )
    con.execute("COMMIT")
    return t_cases, time.perf_counter() - start


def parse_floor(cases: Path, outputs: Path) -> tuple[float, float]:
    import pyarrow.csv as pacsv
    import pyarrow.json as pajson

    start = time.perf_counter()
    pacsv.read_csv(cases).to_pylist()
    t_cases = time.perf_counter() - start
    start = time.perf_counter()
    pajson.read_json(outputs).to_pylist()
    return t_cases, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, list[dict[str, float]]] = {"cases": [], "outputs": []}
    floors: dict[str, list[float]] = {"cases": [], "outputs": []}
    parses: dict[str, list[float]] = {"cases": [], "outputs": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases, outputs = make_files(folder, args.cases)
        for r in range(args.repeat):
            url = fresh_db(folder, f"run{r}.sqlite3")
            results["cases"].append(run_child("cases", url, cases))
            results["outputs"].append(run_child("outputs", url, outputs))
            f_cases, f_outputs = sqlite_floor(fresh_db(folder, f"floor{r}.sqlite3"), cases, outputs)
            floors["cases"].append(f_cases)
            floors["outputs"].append(f_outputs)
            p_cases, p_outputs = parse_floor(cases, outputs)
            parses["cases"].append(p_cases)
            parses["outputs"].append(p_outputs)
    print(
        f"import benchmark: {args.cases} cases, {args.cases * 3} outputs, SQLite, "
        f"median of {args.repeat}; machine: {os.cpu_count()} cores"
    )
    print(
        f"{'what':8} {'rows':>8} {'seconds':>8} {'rows/s':>9} {'peak MB':>8} "
        f"{'sqlite floor s':>15} {'ratio':>6} {'parse floor s':>14}"
    )
    ok = True
    for kind in ("cases", "outputs"):
        secs = statistics.median(r["seconds"] for r in results[kind])
        rows = results[kind][0]["rows"]
        peak = max(r["peak_mb"] for r in results[kind])
        floor = statistics.median(floors[kind])
        rate = rows / secs
        print(
            f"{kind:8} {rows:8.0f} {secs:8.2f} {rate:9.0f} {peak:8.0f} {floor:15.2f} "
            f"{secs / floor:6.1f} {statistics.median(parses[kind]):14.2f}"
        )
        passed = rate >= 50_000
        ok &= passed
        print(f"  {kind}: budget >= 50,000 rows/s: {'PASS' if passed else 'FAIL'} ({rate:,.0f})")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
        sys.exit(0)
    sys.exit(main())
