"""A crash under load loses nothing acknowledged (DESIGN.md section 3, invariant 2).

Clinicians rate and vote through the real browser protocol against `medeval serve`
processes; a few seconds in, instance 1 is killed with SIGKILL (no shutdown code runs)
and started again; the clinicians wait, reload their page and carry on. Then: every
rating and vote the server had answered "saved" to is in the database exactly once (by
its client token), nothing is duplicated, k is not overshot, the queue counters agree with
the assignments, and the database passes its integrity check (PRAGMA integrity_check on
SQLite; amcheck on PostgreSQL). SQLite always; PostgreSQL (two instances, one killed)
when MEDEVAL_TEST_DATABASE_URL is set. The long version: `python bench/load/run.py --crash`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.load.run import Options, run

PG_URL = os.environ.get("MEDEVAL_TEST_DATABASE_URL", "")
ENGINES = [
    pytest.param("sqlite"),
    pytest.param(
        "postgres",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not PG_URL, reason="needs MEDEVAL_TEST_DATABASE_URL"),
        ],
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_sigkill_under_load_loses_nothing_acknowledged(engine: str, tmp_path: Path) -> None:
    opts = Options(
        engine=engine,
        clients=8,
        instances=1 if engine == "sqlite" else 2,
        seconds=8.0,
        think_s=0.3,
        crash=True,
        crash_at=0.75,  # SIGKILL 6 s in
        after_crash_s=6.0,  # and at least 6 s of work after the restart
        pg_url=PG_URL or "postgresql+psycopg://root@127.0.0.1/test",
        cheap_hash=True,
        quiet=True,
        limit_s=300,
    )
    result = run(opts, folder=tmp_path)
    crash, stats, verdict = result.crash, result.stats, result.verdict
    assert crash is not None and crash.up_again_at > crash.killed_at > 0
    assert crash.acks_before > 0, "nothing was acknowledged before the kill"
    assert crash.acks_after > 0, "the clinicians did not carry on after the restart"
    assert any(f.crash for f in stats.failures), "no request noticed the crash"
    assert [f.message for f in stats.errors] == []  # every failure was the crash's
    assert verdict.ok, verdict.problems
    assert verdict.ratings_found == verdict.ratings_acked > 0
    assert verdict.votes_found == verdict.votes_acked > 0
    if engine == "sqlite":
        assert verdict.integrity.startswith("PRAGMA integrity_check: ok;")
    else:
        assert "0 problems" in verdict.integrity and verdict.integrity.endswith("ok")
