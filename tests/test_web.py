"""The web shell in-process: login, sessions, headers, CORS, and the Studies handler."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import gradio as gr
import pytest
from fastapi.testclient import TestClient

from medeval_ui.config import Settings
from medeval_ui.services import users
from medeval_ui.storage.engine import Database
from medeval_ui.storage.tables import Case, Model, Output, Study
from medeval_ui.web import auth
from medeval_ui.web.offline import OFFLINE_ENV
from medeval_ui.web.pages.lead import load_lead_page
from medeval_ui.web.server import LOGIN_FAILED
from tests.helpers import WebApp

pytestmark = [  # one app for all such modules, reset per test (conftest)
    pytest.mark.shared_app,
    pytest.mark.usefixtures("cheap_hasher"),
]

PW = "correct horse battery"
HTML = {"accept": "text/html,application/xhtml+xml"}
FOREIGN = "http://evil.example"


@pytest.fixture
def client(settings: Settings, db: Database, web_app: WebApp) -> Iterator[TestClient]:
    users.add_user(db, "alice", "clinician", password=PW)
    with TestClient(web_app(settings)) as test_client:
        yield test_client


def _login(client: TestClient, username: str = "alice", password: str = PW) -> None:
    response = client.post(
        "/login", data={"username": username, "password": password}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/app/"


def _app_refused(client: TestClient) -> None:
    page = client.get("/app/", headers=HTML, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login"
    assert client.get("/app/config").status_code == 401


def test_importing_the_web_layer_turns_gradio_offline() -> None:
    env = {k: v for k, v in os.environ.items() if k not in OFFLINE_ENV}
    code = (
        "import medeval_ui.web.server, os, gradio.analytics as a; "
        "print(a.analytics_enabled(), os.environ['HF_HUB_OFFLINE'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "1"]


def test_healthz_needs_no_login(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"ok": True}
    root = client.get("/", follow_redirects=False)
    assert root.status_code == 303 and root.headers["location"] == "/app/"


def test_app_without_session(client: TestClient) -> None:
    _app_refused(client)
    api = client.get("/app/", headers={"accept": "application/json"}, follow_redirects=False)
    assert api.status_code == 401 and api.json()["detail"]["error"] == "Not authenticated"
    assert client.post("/app/gradio_api/queue/join", json={}).status_code == 401
    # No route lists (FastAPI's and Gradio's sub-app's); docs would also load a CDN.
    for path in ("/docs", "/openapi.json", "/app/openapi.json", "/app/docs"):
        assert client.get(path).status_code == 404


def test_wrong_password_gives_generic_error_and_no_session(client: TestClient) -> None:
    wrong = client.post("/login", data={"username": "alice", "password": "nope nope nope"})
    unknown = client.post("/login", data={"username": "zed", "password": "nope nope nope"})
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert LOGIN_FAILED in response.text
        assert "medeval_session" not in response.headers.get("set-cookie", "")
    # Same page for a wrong password and an unknown user, save the echoed name.
    assert wrong.text.replace("alice", "zed") == unknown.text
    assert "medeval_session" not in client.cookies
    _app_refused(client)


def test_login_page_escapes_what_it_echoes(client: TestClient) -> None:
    page = client.post("/login", data={"username": '"><script>x()</script>', "password": "p"})
    assert "<script>x()" not in page.text and "&lt;script&gt;" in page.text
    assert "medeval" in client.get("/login").text


def test_login_session_and_logout(client: TestClient) -> None:
    response = client.post(
        "/login", data={"username": "Alice", "password": PW}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/app/"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    page = client.get("/app/", headers=HTML)
    assert page.status_code == 200 and "gradio_config" in page.text
    config = client.get("/app/config")
    assert config.status_code == 200 and config.json()["username"] == "alice"
    # The login page sends a logged-in person on to the app.
    assert client.get("/login", follow_redirects=False).headers["location"] == "/app/"
    out = client.get("/logout", follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    _app_refused(client)
    _login(client)
    assert client.post("/logout", follow_redirects=False).status_code == 303
    _app_refused(client)


def test_security_headers(client: TestClient) -> None:
    _login(client)
    for path in ("/login", "/app/", "/app/config", "/healthz"):
        headers = client.get(path, headers=HTML).headers
        csp = headers["content-security-policy"]
        img_src = next(p for p in csp.split(";") if p.strip().startswith("img-src"))
        assert "http" not in img_src and "*" not in img_src
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "connect-src 'self'" in csp and "unsafe-eval" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


def test_cors_refuses_foreign_origins(client: TestClient, settings: Settings) -> None:
    _login(client)
    preflight = {"origin": FOREIGN, "access-control-request-method": "POST"}
    for path in ("/app/gradio_api/queue/join", "/login"):
        response = client.options(path, headers=preflight)
        assert "access-control-allow-origin" not in response.headers
    simple = client.get("/app/config", headers={"origin": FOREIGN})
    assert "access-control-allow-origin" not in simple.headers
    ours = client.options("/app/config", headers=preflight | {"origin": settings.public_origin})
    assert ours.headers["access-control-allow-origin"] == settings.public_origin


def test_login_from_a_foreign_page_is_refused(client: TestClient) -> None:
    for headers in ({"sec-fetch-site": "cross-site"}, {"origin": FOREIGN}):
        response = client.post(
            "/login", data={"username": "alice", "password": PW}, headers=headers
        )
        assert response.status_code == 403
        assert "medeval_session" not in client.cookies


def test_expired_session_is_refused(
    client: TestClient, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _login(client)
    assert client.get("/app/config").status_code == 200
    # The cookie's signature is still valid; only the server-side age check stops it.
    later = time.time() + settings.session_max_age_s + 5
    monkeypatch.setattr(auth, "now", lambda: later)
    _app_refused(client)


def test_deactivated_users_session_is_refused(client: TestClient, db: Database) -> None:
    users.add_user(db, "root", "admin", password=PW)
    _login(client)
    assert client.get("/app/config").status_code == 200
    users.deactivate(db, "alice", actor="root")
    _app_refused(client)
    users.reactivate(db, "alice", actor="root")
    _app_refused(client)  # the refused session was cleared: log in again


def test_repeated_failures_are_throttled(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def no_wait(_seconds: float) -> None:  # the delays are tested in test_web_security
        return None

    monkeypatch.setattr(auth, "pause", no_wait)
    for _ in range(10):
        client.post("/login", data={"username": "alice", "password": "wrong wrong wrong"})
    blocked = client.post("/login", data={"username": "alice", "password": PW})
    assert blocked.status_code == 429 and "medeval_session" not in client.cookies


def _study_with_outputs(db: Database) -> None:
    with db.write() as session:
        study = Study(
            slug="s1",
            title="Chest pain",
            rubric_id="xling",
            rubric_version="1.0",
            rubric_snapshot={},
        )
        session.add_all(
            [
                study,
                Study(
                    slug="s0", title="Empty", rubric_id="r", rubric_version="2", rubric_snapshot={}
                ),
            ]
        )
        model = Model(name="secret-model-x", version="7b")
        session.add(model)
        session.flush()
        for i, lang in enumerate(["fr", "en", "fr"]):
            case = Case(
                study_id=study.id, external_id=f"c{i}", group_id="g", language=lang, prompt="?"
            )
            session.add(case)
            session.flush()
            for sample in range(2):
                session.add(
                    Output(case_id=case.id, model_id=model.id, sample_index=sample, text="answer")
                )


def test_lead_study_list_shows_sizes_and_no_model(db: Database) -> None:
    users.add_user(db, "alice", "lead", password=PW)
    users.add_user(db, "carl", "clinician", password=PW)
    _study_with_outputs(db)
    greeting, rows, slugs = load_lead_page(db, gr.Request(username="alice"))
    assert "alice" in greeting and "(lead)" in greeting
    assert sorted(slugs) == ["s0", "s1"]
    sizes = {row[0]: (row[-2], row[-1]) for row in rows}
    assert sizes == {"s0": (0, 0), "s1": (3, 6)}
    assert "secret-model" not in str(rows)
    for request in (None, gr.Request(), gr.Request(username="ghost")):
        with pytest.raises(gr.Error):
            load_lead_page(db, request)
    with pytest.raises(gr.Error, match="role"):
        load_lead_page(db, gr.Request(username="carl"))
    users.add_user(db, "root", "admin", password=PW)
    users.deactivate(db, "alice", actor="root")
    with pytest.raises(gr.Error):
        load_lead_page(db, gr.Request(username="alice"))
