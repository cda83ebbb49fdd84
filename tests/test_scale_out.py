"""Scale-out: two app instances (separate `medeval serve` processes on their own ports)
share one fresh PostgreSQL database; ten clinicians, split between them, rate and vote
through the real browser protocol over HTTP, with no think time, until nothing is left.

Then, in SQL: no output has more than k ratings and no pair more than k votes (and, since
the queue ran dry, every one has exactly k), nobody rated an output or voted on a pair
twice or holds an item twice, and every write the server acknowledged is stored once.
The claims that make this hold on PostgreSQL are `SELECT ... FOR UPDATE SKIP LOCKED` in
storage/repos/work.py and pairs.py (SQLite serializes them with BEGIN IMMEDIATE).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.load.clients import RATE, VOTE
from bench.load.run import Options, run
from bench.load.servers import pg_admin

PG_URL = os.environ.get("MEDEVAL_TEST_DATABASE_URL", "")
CASES, K, CLINICIANS = 8, 2, 10
MODELS = 3  # servers.MODELS: 3 outputs per case, so 3 pairs per case

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.skipif(
        not PG_URL, reason="needs MEDEVAL_TEST_DATABASE_URL pointing at a PostgreSQL server"
    ),
]


def test_two_instances_on_one_postgres_never_overshoot_k(tmp_path: Path) -> None:
    opts = Options(
        engine="postgres",
        clients=CLINICIANS,
        instances=2,
        mode="both",  # every clinician rates until nothing is left, then votes likewise
        until_exhausted=True,
        think_s=0.0,
        cases=CASES,
        k=K,
        pg_url=PG_URL,
        cheap_hash=True,
        keep=True,  # dropped below, after the SQL checks
        quiet=True,
        limit_s=300,
    )
    result = run(opts, folder=tmp_path)
    try:
        stats, verdict = result.stats, result.verdict
        assert [f.message for f in stats.failures] == []
        everyone = {f"load{i:03d}" for i in range(CLINICIANS)}
        assert stats.exhausted[RATE] == everyone and stats.exhausted[VOTE] == everyone
        # Both instances did work: clients alternate between them (sticky).
        on_first = {f"load{i:03d}" for i in range(0, CLINICIANS, 2)}
        writers = {a.username for a in stats.acks}
        assert writers & on_first and writers - on_first
        assert verdict.ok, verdict.problems
        assert verdict.ratings_found == verdict.ratings_acked == CASES * K
        assert verdict.votes_found == verdict.votes_acked == CASES * MODELS * K
        assert verdict.stored_not_acked == 0
        _check_in_sql(result.db_url)
    finally:
        name = make_url(result.db_url).database
        pg_admin(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _check_in_sql(url: str) -> None:
    """The invariants once more, as plain SQL on the shared database."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:

            def one(sql: str) -> list[tuple[object, ...]]:
                return [tuple(r) for r in conn.execute(text(sql)).all()]

            # k ratings per output: never more, and (queue exhausted) exactly k on each.
            assert (
                one(
                    "SELECT o.id, COUNT(r.id) FROM outputs o "
                    "LEFT JOIN ratings r ON r.output_id = o.id AND r.supersedes_id IS NULL "
                    f"GROUP BY o.id HAVING COUNT(r.id) <> {K}"
                )
                == []
            )
            # k votes per pair, counted on the pair items' outputs, whichever side.
            assert (
                one(
                    "SELECT p.id, COUNT(v.id) FROM pair_items p LEFT JOIN votes v ON "
                    "(v.left_output_id = p.output_lo_id AND v.right_output_id = p.output_hi_id) OR "
                    "(v.left_output_id = p.output_hi_id AND v.right_output_id = p.output_lo_id) "
                    f"GROUP BY p.id HAVING COUNT(v.id) <> {K}"
                )
                == []
            )
            # No duplicate (user, item): ratings, votes, assignments.
            assert (
                one(
                    "SELECT user_id, output_id FROM ratings GROUP BY user_id, output_id "
                    "HAVING COUNT(*) > 1"
                )
                == []
            )
            assert (
                one(
                    "SELECT v.user_id, a.pair_item_id FROM votes v "
                    "JOIN assignments a ON a.id = v.assignment_id "
                    "GROUP BY v.user_id, a.pair_item_id HAVING COUNT(*) > 1"
                )
                == []
            )
            assert (
                one(
                    "SELECT user_id, work_item_id, pair_item_id FROM assignments "
                    "GROUP BY user_id, work_item_id, pair_item_id HAVING COUNT(*) > 1"
                )
                == []
            )
            (pairs,) = one("SELECT COUNT(*) FROM pair_items")
            assert pairs == (CASES * MODELS,)
    finally:
        engine.dispose()
