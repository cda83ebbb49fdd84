"""The verdict of a run, read from the database in SQL after the servers stopped.

- every acknowledged rating submission is stored exactly once: the ratings whose client
  token starts with the form's token ``a<assignment>-r<revision>:`` are one per response,
  by that clinician, on that case; every acknowledged vote is one row by that clinician on
  that case with the two texts on the sides they were shown and the winner clicked;
- no output has more than k ratings, no pair more than k votes; no (clinician, output)
  rating, (clinician, pair) vote or (clinician, item) assignment twice;
- the queue counters agree with the assignments (``taken`` = open + done, ``done`` = done);
- the database passes its own check: ``PRAGMA integrity_check`` and
  ``PRAGMA foreign_key_check`` on SQLite; on PostgreSQL amcheck's ``verify_heapam`` on every
  table and ``bt_index_check(index, heapallindexed)`` on every index, where the extension
  can be created (else said so).
Writes stored but never acknowledged (the reply was lost when the server died) are
counted, not failed: the clinician did not see "saved", and nothing is duplicated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection

from bench.load.clients import Ack

WINNER = {"vote-a": "left", "vote-b": "right", "vote-tie": "tie", "vote-both-bad": "both_bad"}


@dataclass
class Verdict:
    ratings_acked: int = 0  # acknowledged submissions (one per item)
    ratings_found: int = 0  # of those, stored exactly once
    rating_rows: int = 0  # rating rows in the database
    rating_submissions: int = 0  # distinct submissions in the database
    votes_acked: int = 0
    votes_found: int = 0
    vote_rows: int = 0
    stored_not_acked: int = 0  # submissions or votes stored whose reply never arrived
    max_ratings_per_output: int = 0
    max_votes_per_pair: int = 0
    k_ratings: int = 0
    k_votes: int = 0
    problems: list[str] = field(default_factory=list)
    integrity: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        return [
            f"ratings: {self.ratings_acked} submissions acknowledged, {self.ratings_found} "
            f"stored exactly once ({self.rating_rows} rating rows in "
            f"{self.rating_submissions} submissions)",
            f"votes: {self.votes_acked} acknowledged, {self.votes_found} stored exactly once "
            f"({self.vote_rows} vote rows)",
            f"stored but not acknowledged (reply lost): {self.stored_not_acked}",
            f"most ratings on one output: {self.max_ratings_per_output} (k = {self.k_ratings});"
            f" most votes on one pair: {self.max_votes_per_pair} (k = {self.k_votes})",
            f"integrity: {self.integrity}",
            "verdict: " + ("PASS" if self.ok else "FAIL: " + "; ".join(self.problems[:10])),
        ]


def verify(url: str, acks: Iterable[Ack], slug: str) -> Verdict:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return _verify(conn, list(acks), slug)
    finally:
        engine.dispose()


def _rows(conn: Connection, sql: str, **params: Any) -> list[Any]:
    return list(conn.execute(text(sql), params).all())


def _verify(conn: Connection, acks: list[Ack], slug: str) -> Verdict:
    v = Verdict()
    ((study_id, v.k_ratings, v.k_votes),) = _rows(
        conn,
        "SELECT id, ratings_per_output, votes_per_pair FROM studies WHERE slug = :s",
        s=slug,
    )
    _check_ratings(conn, v, study_id, [a for a in acks if a.kind == "rating"])
    _check_votes(conn, v, study_id, [a for a in acks if a.kind == "vote"])
    _check_counters(conn, v, study_id)
    v.integrity = _integrity(conn, v)
    return v


def _check_ratings(conn: Connection, v: Verdict, study_id: int, acks: list[Ack]) -> None:
    rows = _rows(
        conn,
        "SELECT r.client_token, u.username, c.external_id, r.output_id, r.supersedes_id "
        "FROM ratings r JOIN users u ON u.id = r.user_id "
        "JOIN outputs o ON o.id = r.output_id JOIN cases c ON c.id = o.case_id "
        "WHERE r.study_id = :s AND r.origin = 'app'",
        s=study_id,
    )
    v.rating_rows = len(rows)
    by_form: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        by_form[row[0].rsplit(":", 1)[0]].append(row)
    v.rating_submissions = len(by_form)
    v.ratings_acked = len(acks)
    acked = set()
    for ack in acks:
        if ack.token in acked:
            v.problems.append(f"rating form {ack.token} acknowledged twice")
            continue
        acked.add(ack.token)
        got = by_form.get(ack.token, [])
        outputs = {r[3] for r in got}
        if not got:
            v.problems.append(f"acknowledged rating {ack.token} ({ack.username}) is missing")
        elif len(got) != ack.responses or len(outputs) != ack.responses:
            v.problems.append(
                f"rating {ack.token}: {len(got)} rows on {len(outputs)} outputs, "
                f"{ack.responses} responses were shown"
            )
        elif {(r[1], r[2]) for r in got} != {(ack.username, ack.case_label)}:
            v.problems.append(f"rating {ack.token} is stored for another clinician or case")
        else:
            v.ratings_found += 1
    v.stored_not_acked += len(set(by_form) - acked)
    per_output: dict[int, int] = defaultdict(int)
    per_user_output: dict[tuple[str, int], int] = defaultdict(int)
    for _tok, user, _case, output_id, supersedes in rows:
        if supersedes is None:  # first revisions count towards k (edits add revisions)
            per_output[output_id] += 1
            per_user_output[(user, output_id)] += 1
    v.max_ratings_per_output = max(per_output.values(), default=0)
    over = [o for o, n in per_output.items() if n > v.k_ratings]
    if over:
        v.problems.append(f"{len(over)} outputs have more than k = {v.k_ratings} ratings")
    dup = [key for key, n in per_user_output.items() if n > 1]
    if dup:
        v.problems.append(f"{len(dup)} (clinician, output) ratings recorded twice: {dup[:3]}")


def _check_votes(conn: Connection, v: Verdict, study_id: int, acks: list[Ack]) -> None:
    rows = _rows(
        conn,
        "SELECT v.client_token, u.username, c.external_id, lo.text, ro.text, v.winner, "
        "v.left_output_id, v.right_output_id "
        "FROM votes v JOIN users u ON u.id = v.user_id JOIN cases c ON c.id = v.case_id "
        "JOIN outputs lo ON lo.id = v.left_output_id "
        "JOIN outputs ro ON ro.id = v.right_output_id "
        "WHERE v.study_id = :s AND v.origin = 'app'",
        s=study_id,
    )
    v.vote_rows = len(rows)
    v.votes_acked = len(acks)
    shown: dict[tuple[str, str, str, str], list[Any]] = defaultdict(list)
    for row in rows:
        shown[(row[1], row[2], row[3], row[4])].append(row)
    acked = set()
    for ack in acks:
        key = (ack.username, ack.case_label, ack.text_a, ack.text_b)
        if key in acked:
            v.problems.append(f"vote {key[:2]} acknowledged twice")
            continue
        acked.add(key)
        got = shown.get(key, [])
        if len(got) != 1:
            v.problems.append(f"acknowledged vote {key[:2]} is stored {len(got)} times")
        elif got[0][5] != WINNER[ack.choice]:
            v.problems.append(f"vote {key[:2]} stored as {got[0][5]}, clicked {ack.choice}")
        else:
            v.votes_found += 1
    v.stored_not_acked += len(set(shown) - acked)
    tokens = [r[0] for r in rows]
    if len(tokens) != len(set(tokens)):
        v.problems.append("a vote client token is stored twice")
    per_pair: dict[tuple[int, int], int] = defaultdict(int)
    per_user_pair: dict[tuple[str, int, int], int] = defaultdict(int)
    for row in rows:
        pair = (min(row[6], row[7]), max(row[6], row[7]))
        per_pair[pair] += 1
        per_user_pair[(row[1], *pair)] += 1
    v.max_votes_per_pair = max(per_pair.values(), default=0)
    over = [p for p, n in per_pair.items() if n > v.k_votes]
    if over:
        v.problems.append(f"{len(over)} pairs have more than k = {v.k_votes} votes")
    dup = [key for key, n in per_user_pair.items() if n > 1]
    if dup:
        v.problems.append(f"{len(dup)} (clinician, pair) votes recorded twice: {dup[:3]}")


def _check_counters(conn: Connection, v: Verdict, study_id: int) -> None:
    for table, column, kind in (
        ("work_items", "work_item_id", "rating"),
        ("pair_items", "pair_item_id", "pairwise"),
    ):
        dup = _rows(
            conn,
            f"SELECT user_id, {column}, COUNT(*) FROM assignments "
            f"WHERE study_id = :s AND {column} IS NOT NULL "
            f"GROUP BY user_id, {column} HAVING COUNT(*) > 1",
            s=study_id,
        )
        if dup:
            v.problems.append(f"{len(dup)} clinicians hold one {kind} item twice")
        wrong = _rows(
            conn,
            f"SELECT i.id, i.taken, i.done, "
            f"(SELECT COUNT(*) FROM assignments a WHERE a.{column} = i.id "
            f" AND a.status IN ('open', 'done')), "
            f"(SELECT COUNT(*) FROM assignments a WHERE a.{column} = i.id "
            f" AND a.status = 'done') "
            f"FROM {table} i WHERE i.study_id = :s",
            s=study_id,
        )
        bad = [r for r in wrong if (r[1], r[2]) != (r[3], r[4])]
        if bad:
            v.problems.append(
                f"{len(bad)} {table} counters disagree with their assignments "
                f"(id, taken, done, held, done): {[tuple(r) for r in bad[:3]]}"
            )
        ratings_over = _rows(
            conn,
            f"SELECT COUNT(*) FROM {table} WHERE study_id = :s AND done > :k",
            s=study_id,
            k=v.k_ratings if kind == "rating" else v.k_votes,
        )
        if ratings_over[0][0]:
            v.problems.append(f"{ratings_over[0][0]} {table} are done more than k times")


def _integrity(conn: Connection, v: Verdict) -> str:
    if conn.dialect.name == "sqlite":
        result = [r[0] for r in _rows(conn, "PRAGMA integrity_check")]
        fks = _rows(conn, "PRAGMA foreign_key_check")
        if result != ["ok"]:
            v.problems.append(f"integrity_check: {result[:5]}")
        if fks:
            v.problems.append(f"foreign_key_check: {len(fks)} rows point at nothing")
        return f"PRAGMA integrity_check: {', '.join(result[:3])}; foreign_key_check: {len(fks)}"
    try:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
        conn.commit()
    except Exception as err:  # not a superuser, or contrib not installed: say so
        conn.rollback()
        return f"amcheck not available ({type(err).__name__}); PostgreSQL enforced the keys"
    tables = [
        r[0] for r in _rows(conn, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    ]
    heap_errors = 0
    for table in tables:
        heap_errors += len(
            _rows(conn, "SELECT * FROM verify_heapam(CAST(:t AS regclass))", t=table)
        )
    indexes = _rows(
        conn,
        "SELECT c.oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE am.amname = 'btree' AND n.nspname = 'public'",
    )
    index_errors = []
    for (oid,) in indexes:
        try:
            conn.execute(text("SELECT bt_index_check(CAST(:o AS oid)::regclass, true)"), {"o": oid})
        except Exception as err:  # amcheck raises on a corrupt index
            conn.rollback()
            index_errors.append(str(err).splitlines()[0])
    if index_errors:
        v.problems.append(f"bt_index_check: {index_errors[:3]}")
    if heap_errors:
        v.problems.append(f"verify_heapam reported {heap_errors} corrupt tuples")
    return (
        f"amcheck: verify_heapam on {len(tables)} tables: {heap_errors} problems; "
        f"bt_index_check(heapallindexed) on {len(indexes)} indexes: "
        + (f"{len(index_errors)} failed" if index_errors else "ok")
    )
