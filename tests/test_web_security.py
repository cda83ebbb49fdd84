"""Login throttling, sessions and roles on every door: /app, /lead, the Gradio API, and
the streaming export route."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from medeval_ui.config import Settings
from medeval_ui.services import exports, users
from medeval_ui.services.annotation import next_item, submit_item
from medeval_ui.services.import_cases import import_cases
from medeval_ui.storage.engine import Database
from medeval_ui.storage.tables import AuditEvent, Study
from medeval_ui.web import auth
from medeval_ui.web.server import LOGIN_FAILED, TOO_MANY
from tests.helpers import WebApp, db_snapshot, write_jsonl
from tests.study_builder import make_rating_study

PW = "correct horse battery"
WRONG = "wrong wrong wrong"
HTML = {"accept": "text/html,application/xhtml+xml"}

pytestmark = [  # one app for all such modules, reset per test (conftest)
    pytest.mark.shared_app,
    pytest.mark.usefixtures("cheap_hasher"),
]


@pytest.fixture(autouse=True)
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every delay a slowed login asked for, without waiting for it."""
    asked: list[float] = []

    async def record(seconds: float) -> None:
        asked.append(seconds)

    monkeypatch.setattr(auth, "pause", record)
    return asked


@pytest.fixture
def app(settings: Settings, db: Database, web_app: WebApp) -> FastAPI:
    users.add_user(db, "alice", "clinician", password=PW, languages=["en"])
    users.add_user(db, "bob", "clinician", password=PW)
    users.add_user(db, "lea", "lead", password=PW)
    users.add_user(db, "root", "admin", password=PW)
    return web_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def login(client: TestClient, username: str, password: str = PW) -> Any:
    return client.post(
        "/login", data={"username": username, "password": password}, follow_redirects=False
    )


def logged_in(client: TestClient, username: str) -> TestClient:
    assert login(client, username).status_code == 303
    return client


def audit_rows(db: Database, action: str) -> list[AuditEvent]:
    with db.read() as session:
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        rows = list(session.scalars(query))
        session.expunge_all()
    return rows


# --- throttling ---------------------------------------------------------------------------


def test_failures_are_slowed_then_locked_and_audited(
    client: TestClient, db: Database, pauses: list[float]
) -> None:
    for _ in range(9):
        response = login(client, "alice", WRONG)
        assert response.status_code == 200 and LOGIN_FAILED in response.text
    # No delay for the first two failures, then 1, 2, 4 and at most 8 seconds.
    assert pauses == [1, 2, 4, 8, 8, 8, 8]
    tenth = login(client, "Alice", WRONG)  # the same name, however it is typed
    assert tenth.status_code == 429 and TOO_MANY in tenth.text
    assert 800 <= int(tenth.headers["retry-after"]) <= 900
    # Locked: even the right password is refused, without checking it.
    right = login(client, "alice")
    assert right.status_code == 429 and "medeval_session" not in client.cookies
    assert len(pauses) == 7

    failed = audit_rows(db, "login_failed")
    assert len(failed) == 10 and {r.actor for r in failed} == {"alice"}
    (locked,) = audit_rows(db, "login_locked")
    assert locked.actor == "alice" and locked.user_id is not None
    assert locked.detail == {"client": "testclient", "scope": "user", "failures": 10, "lock_s": 900}


def test_a_lock_holds_one_address_and_name_and_expires(
    app: FastAPI, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(10):
        login(client, "alice", WRONG)
    assert login(client, "alice").status_code == 429
    # Another address is not locked by the first one's failures, nor another name.
    elsewhere = TestClient(app, client=("10.1.2.3", 40000))
    assert login(elsewhere, "alice").status_code == 303
    assert login(client, "bob").status_code == 303
    # After the lock (15 minutes) the address and name may try again, from zero.
    later = time.time() + 901
    monkeypatch.setattr(auth, "now", lambda: later)
    assert login(client, "alice").status_code == 303


def test_success_forgets_the_names_failures(client: TestClient, pauses: list[float]) -> None:
    for _ in range(4):
        login(client, "alice", WRONG)
    assert login(client, "alice").status_code == 303
    client.get("/logout")
    pauses.clear()
    for _ in range(3):
        login(client, "alice", WRONG)
    assert pauses == [1]


def test_one_address_trying_many_names_is_locked(
    app: FastAPI, client: TestClient, db: Database, pauses: list[float]
) -> None:
    for i in range(49):
        assert login(client, f"user{i // 2}", WRONG).status_code == 200
    # The address rule slows from its 20th failure on; no name failed more than twice.
    assert pauses[:3] == [1, 2, 4] and len(pauses) == 30 and max(pauses) == 8
    assert login(client, "someone", WRONG).status_code == 429
    assert login(client, "alice").status_code == 429  # the address, whatever the name
    (locked,) = audit_rows(db, "login_locked")
    assert locked.detail["scope"] == "address" and locked.detail["failures"] == 50
    assert login(TestClient(app, client=("10.9.9.9", 1)), "alice").status_code == 303


# --- sessions ---------------------------------------------------------------------------

DOORS = ("/app/config", "/lead/config", "/api/export/ratings.csv?study=chest")


def test_no_session_gets_401_everywhere(client: TestClient) -> None:
    for path in DOORS:
        assert client.get(path).status_code == 401, path
    for page in ("/app/", "/lead/"):
        response = client.get(page, headers=HTML, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/login"
    for path in ("/lead/gradio_api/queue/join", "/lead/gradio_api/call/create_study"):
        assert client.post(path, json={"data": []}).status_code == 401


def test_expired_session_is_refused_everywhere(
    client: TestClient,
    db: Database,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_rating_study(db, settings, tmp_path)
    logged_in(client, "lea")
    assert [client.get(p).status_code for p in DOORS] == [200, 200, 200]
    later = time.time() + settings.session_max_age_s + 5
    monkeypatch.setattr(auth, "now", lambda: later)
    assert [client.get(p).status_code for p in DOORS] == [401, 401, 401]


def test_clinician_is_kept_out_of_lead_doors(client: TestClient) -> None:
    logged_in(client, "alice")
    assert client.get("/app/config").status_code == 200
    assert client.get("/lead/config").status_code == 401
    page = client.get("/lead/", headers=HTML, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/app/"
    export = client.get("/api/export/ratings.csv?study=chest")
    assert export.status_code == 403 and "lead or admin" in export.json()["detail"]


def test_a_demoted_lead_loses_lead_at_once(client: TestClient, db: Database) -> None:
    logged_in(client, "lea")
    assert client.get("/lead/config").status_code == 200
    users.set_role(db, "lea", "clinician", actor="root")
    assert client.get("/lead/config").status_code == 401
    assert client.get("/app/config").status_code == 200


# --- the Gradio API -----------------------------------------------------------------------


def _fn_index(client: TestClient, api_name: str) -> int:
    config = client.get("/lead/config").json()
    return next(d["id"] for d in config["dependencies"] if d["api_name"] == api_name)


STUDY_ARGS = ["viaapi", "Via API", "", "", "xlingeval_correctness", ["rating"], 2, True]
STUDY_ARGS += [False, "en"]


def _call(client: TestClient, prefix: str, api_name: str, data: list[Any]) -> tuple[int, str]:
    """POST the call, then read its event stream; (status of the POST, stream text)."""
    started = client.post(f"{prefix}/gradio_api/call/{api_name}", json={"data": data})
    if started.status_code != 200:
        return started.status_code, started.text
    event_id = started.json()["event_id"]
    return 200, client.get(f"{prefix}/gradio_api/call/{api_name}/{event_id}").text


def _studies(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(Study.slug)))


def test_lead_events_through_gradio_api(client: TestClient, db: Database) -> None:
    logged_in(client, "lea")
    create_index = _fn_index(client, "create_study")
    add_user_index = _fn_index(client, "add_user")

    # A lead may create a study through the API ...
    status, stream = _call(client, "/lead", "create_study", STUDY_ARGS)
    assert status == 200 and "event: complete" in stream and _studies(db) == ["viaapi"]
    # ... but the admin-only events refuse a lead on the server.
    before = db_snapshot(db)
    status, stream = _call(client, "/lead", "add_user", ["mallory", "admin", "", "", ""])
    assert status == 200 and "event: error" in stream and "role admin" in stream
    assert db_snapshot(db) == before

    client.get("/logout")
    logged_in(client, "alice")
    before = db_snapshot(db)
    sneaky = ["sneaky", *STUDY_ARGS[1:]]
    # By api_name and by fn_index on /lead: not authenticated there at all.
    assert _call(client, "/lead", "create_study", sneaky)[0] == 401
    joins = [
        {"data": data, "fn_index": index, "session_hash": "abc12345", "event_data": None}
        for index, data in ((create_index, sneaky), (add_user_index, ["mallory", "admin"]))
    ]
    for join in joins:
        assert client.post("/lead/gradio_api/queue/join", json=join).status_code == 401
    assert db_snapshot(db) == before
    # The same indexes on the clinician page are other events (or none), never a lead's.
    for join in joins:
        # an index the clinician page does not have fails inside Gradio: refused too
        with contextlib.suppress(KeyError):
            client.post("/app/gradio_api/queue/join", json=join)
            client.get("/app/gradio_api/queue/data", params={"session_hash": "abc12345"})
    assert _studies(db) == ["viaapi"]
    assert "mallory" not in {u.username for u in users.list_users(db)}


# --- the export route ---------------------------------------------------------------------


def _rated_study(db: Database, settings: Settings, folder: Path) -> None:
    make_rating_study(db, settings, folder, groups=1, languages=("en",))
    formula = {
        "external_id": "=cmd|'/c calc'!A1",
        "group_id": "g9",
        "language": "en",
        "prompt": "+SUM(1,2)",
        "reference_answer": "@here",
    }
    import_cases(db, settings, "chest", write_jsonl(folder / "formula.jsonl", [formula]))
    item = next_item(db, "alice", "chest")
    assert item is not None
    answers = {r.position: {"correctness": "contradictory"} for r in item.responses}
    submit_item(db, "alice", item.assignment_id, answers, {}, {}, item.client_token)


def _service_csv(db: Database, kind: str, **kw: Any) -> str:
    sink = io.BytesIO()
    fn = {"ratings": exports.export_ratings, "cases": exports.export_cases}[kind]
    fn(db, "chest", "csv", sink, **kw)
    return sink.getvalue().decode()


def test_export_streams_the_services_csv(
    client: TestClient,
    db: Database,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _rated_study(db, settings, tmp_path)
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    logged_in(client, "lea")
    response = client.get("/api/export/cases.csv?study=chest")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="chest-cases.csv"'
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["cache-control"] == "no-store"
    assert response.text == _service_csv(db, "cases")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    formula = next(r for r in rows if r["group_id"] == "g9")
    assert formula["external_id"] == "'=cmd|'/c calc'!A1"
    assert formula["prompt"] == "'+SUM(1,2)" and formula["reference_answer"] == "'@here"

    ratings = client.get("/api/export/ratings.csv?study=chest&shape=wide")
    assert ratings.headers["content-disposition"].endswith('"chest-ratings-wide.csv"')
    wide = list(csv.DictReader(io.StringIO(ratings.text)))
    assert wide == list(csv.DictReader(io.StringIO(_service_csv(db, "ratings", shape="wide"))))
    assert len(wide) == 2 and {r["annotator"] for r in wide} != {"alice"}
    assert "alice" not in ratings.text

    # Each export is audited under the person who asked.
    exported = [r for r in audit_rows(db, "export") if r.actor == "lea"]
    assert [(r.detail["what"], r.detail["usernames"]) for r in exported] == [
        ("cases", False),
        ("ratings", False),
    ]
    assert not list(spool.iterdir())  # the temporary files are gone


def test_export_formats_and_usernames(
    client: TestClient, db: Database, settings: Settings, tmp_path: Path
) -> None:
    _rated_study(db, settings, tmp_path)
    logged_in(client, "lea")
    jsonl = client.get("/api/export/ratings.jsonl?study=chest")
    assert jsonl.status_code == 200 and len(jsonl.text.splitlines()) == 4  # 2 x 2 questions
    assert json.loads(jsonl.text.splitlines()[0])["study"] == "chest"
    parquet = client.get("/api/export/outputs.parquet?study=chest")
    assert parquet.status_code == 200 and parquet.content[:4] == b"PAR1"
    arena = client.get("/api/export/votes.arena?study=chest")
    assert arena.status_code == 200
    assert arena.headers["content-disposition"].endswith('"chest-votes-arena.jsonl"')
    refused = client.get("/api/export/ratings.csv?study=chest&usernames=1")
    assert refused.status_code == 403 and "admins only" in refused.json()["detail"]

    client.get("/logout")
    logged_in(client, "root")
    named = client.get("/api/export/ratings.csv?study=chest&usernames=1")
    assert named.status_code == 200 and "alice" in named.text
    (audited,) = [r for r in audit_rows(db, "export") if r.actor == "root"]
    assert audited.detail["usernames"] is True


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/api/export/ratings.csv?study=nope", 404, "no study with slug 'nope'"),
        ("/api/export/people.csv?study=chest", 400, "unknown export 'people'"),
        ("/api/export/ratings.xls?study=chest", 400, "unknown export format 'xls'"),
        ("/api/export/cases.arena?study=chest", 400, "arena format is for votes only"),
        ("/api/export/ratings.csv?study=chest&shape=tall", 400, "unknown shape 'tall'"),
        ("/api/export/ratings.csv", 400, "?study=SLUG"),
        ("/api/export/ratings.csv?study=chest&usernames=maybe", 400, "usernames must be"),
    ],
)
def test_export_mistakes_are_json_messages(
    client: TestClient,
    db: Database,
    settings: Settings,
    tmp_path: Path,
    path: str,
    status: int,
    message: str,
) -> None:
    make_rating_study(db, settings, tmp_path)
    logged_in(client, "root")
    response = client.get(path)
    assert response.status_code == status
    assert message in response.json()["detail"] and "Traceback" not in response.text
