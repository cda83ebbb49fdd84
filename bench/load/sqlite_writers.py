"""SQLite writers of one process under contention: how long a write waits for the lock,
with ``Database.write()`` (writers queue on an in-process lock, then BEGIN IMMEDIATE)
against the baseline of BEGIN IMMEDIATE alone (SQLite's busy handler decides who goes).

Each of ``--threads`` threads loops for ``--seconds``: one write transaction that reads,
holds the GIL for ``--work-ms`` of Python work (as a handler building its answer does) and
inserts a row. The wait is from asking for the transaction to its first statement
answering; "errors" are writes that gave up ("database is locked", busy timeout 5 s).
This is the failure bench/load/run.py met with 50 clients on one instance before the lock.

    python bench/load/sqlite_writers.py [--threads 40] [--seconds 10] [--work-ms 4]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from medeval_ui.storage.engine import Database  # noqa: E402


def contend(db: Database, queued: bool, threads: int, seconds: float, work_ms: float) -> str:
    with db.write() as s:
        s.execute(text("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v INTEGER)"))
    waits: list[float] = []
    errors: list[str] = []
    stop = time.monotonic() + seconds

    @contextmanager
    def baseline() -> Iterator[Session]:
        with db._write.begin() as session:  # BEGIN IMMEDIATE without the in-process queue
            yield session

    def transaction() -> AbstractContextManager[Session]:
        return db.write() if queued else baseline()

    def writer() -> None:
        while time.monotonic() < stop:
            t0 = time.monotonic()
            try:
                with transaction() as s:
                    s.execute(text("SELECT COUNT(*) FROM t")).scalar()
                    waits.append(time.monotonic() - t0)
                    end = time.perf_counter() + work_ms / 1000
                    while time.perf_counter() < end:
                        pass
                    s.execute(text("INSERT INTO t (v) VALUES (1)"))
            except Exception as err:  # counted and shown below
                errors.append(type(err).__name__)

    pool = [threading.Thread(target=writer) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    waits.sort()
    q = [waits[min(len(waits) - 1, int(p * len(waits)))] * 1000 for p in (0.5, 0.99)]
    label = "Database.write() (queued)" if queued else "BEGIN IMMEDIATE alone (baseline)"
    return (
        f"{label:34} commits {len(waits):6}  errors {len(errors):3}  wait p50 {q[0]:7.0f} ms"
        f"  p99 {q[1]:7.0f} ms  max {waits[-1] * 1000:7.0f} ms"
    )


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=40)
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--work-ms", type=float, default=4.0)
    a = p.parse_args()
    print(f"{a.threads} threads, {a.seconds:g} s each way, {a.work_ms:g} ms of Python per write")
    for queued in (False, True):
        with tempfile.TemporaryDirectory() as tmp:
            db = Database(f"sqlite:///{tmp}/w.sqlite3", busy_timeout_ms=5000)
            print(contend(db, queued, a.threads, a.seconds, a.work_ms), flush=True)
            db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
