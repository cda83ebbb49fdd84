"""Ending sessions: a signed cookie cannot be revoked, so the user's ``session_epoch`` is.

A copy of a session cookie (another browser, another person's device, a stolen cookie)
stops working when its user logs out anywhere, when an admin resets the password, and when
the account is deactivated; other users' sessions are untouched.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import itsdangerous
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from medeval_ui.config import Settings
from medeval_ui.services import users
from medeval_ui.storage.engine import Database
from medeval_ui.storage.tables import AuditEvent
from medeval_ui.web import auth
from tests.helpers import WebApp

pytestmark = [  # one app for all such modules, reset per test (conftest)
    pytest.mark.shared_app,
    pytest.mark.usefixtures("cheap_hasher"),
]

PW = "correct horse battery"
COOKIE = "medeval_session"


@pytest.fixture
def app_and_db(
    settings: Settings, db: Database, web_app: WebApp
) -> Iterator[tuple[TestClient, Database]]:
    for name, role in (("root", "admin"), ("lead1", "lead"), ("alice", "clinician")):
        users.add_user(db, name, role, password=PW)
    with TestClient(web_app(settings)) as client:
        yield client, db


def _login(client: TestClient, username: str) -> str:
    client.cookies.clear()
    response = client.post(
        "/login", data={"username": username, "password": PW}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return client.cookies[COOKIE]


def _works(client: TestClient, cookie: str) -> bool:
    """Whether a request carrying just this cookie is let in (Gradio's config route)."""
    client.cookies.clear()
    client.cookies.set(COOKIE, cookie)
    status = client.get("/app/config").status_code
    assert status in (200, 401), status
    return status == 200


def test_logout_ends_a_copied_cookie_too(app_and_db: tuple[TestClient, Database]) -> None:
    client, db = app_and_db
    copy = _login(client, "alice")  # e.g. the same login's cookie in a second browser
    other = _login(client, "alice")
    bob = _login(client, "lead1")
    assert _works(client, copy) and _works(client, other)

    client.cookies.set(COOKIE, other)
    assert client.get("/logout", follow_redirects=False).status_code == 303

    assert not _works(client, copy)
    assert not _works(client, other)
    assert _works(client, bob)  # another user's session is untouched
    assert _works(client, _login(client, "alice"))  # and a new login works at once
    with db.read() as session:
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions.count("logout") == 1


def test_a_copied_cookie_is_refused_on_every_route(
    app_and_db: tuple[TestClient, Database],
) -> None:
    client, _ = app_and_db
    copy = _login(client, "lead1")
    client.cookies.set(COOKIE, copy)
    assert client.get("/api/export/ratings.csv?study=nope").status_code == 404
    client.post("/logout", follow_redirects=False)

    client.cookies.set(COOKIE, copy)
    assert client.get("/api/export/ratings.csv?study=nope").status_code == 401
    client.cookies.set(COOKIE, copy)
    assert client.get("/media/item/1/0.png").status_code in (401, 403)
    client.cookies.set(COOKIE, copy)
    page = client.get("/lead/", headers={"accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login"
    client.cookies.set(COOKIE, copy)
    assert client.get("/login", follow_redirects=False).status_code == 200  # not "logged in"


def test_a_password_reset_ends_the_users_sessions(
    app_and_db: tuple[TestClient, Database],
) -> None:
    client, db = app_and_db
    alice = _login(client, "alice")
    root = _login(client, "root")
    users.reset_password(db, "alice", "a brand new passphrase", actor="root")
    assert not _works(client, alice)
    assert _works(client, root)
    client.cookies.clear()
    fresh = client.post(
        "/login",
        data={"username": "alice", "password": "a brand new passphrase"},
        follow_redirects=False,
    )
    assert fresh.status_code == 303
    assert _works(client, client.cookies[COOKIE])


def test_a_reactivated_user_must_log_in_again(app_and_db: tuple[TestClient, Database]) -> None:
    # Checked without a request in between: the deactivation itself ends the session,
    # not the web layer noticing it on the next request.
    client, db = app_and_db
    alice = _login(client, "alice")
    users.deactivate(db, "alice", actor="root")
    users.reactivate(db, "alice", actor="root")
    assert not _works(client, alice)


def test_a_cookie_from_before_the_epoch_was_added_is_refused(
    app_and_db: tuple[TestClient, Database], settings: Settings
) -> None:
    # What a cookie minted before migration 0005 holds: everything but "epoch".
    client, db = app_and_db
    alice = users.get_user(db, "alice")
    old = {"user": "alice", "role": alice.role, "uid": alice.id, "login_at": int(auth.now())}
    signer = itsdangerous.TimestampSigner(settings.secret_key())
    cookie = signer.sign(base64.b64encode(json.dumps(old).encode())).decode()
    assert not _works(client, cookie)
    # The same, signed with the epoch: accepted, so the refusal above is the epoch's doing.
    fresh = old | {"epoch": alice.session_epoch}
    cookie = signer.sign(base64.b64encode(json.dumps(fresh).encode())).decode()
    assert _works(client, cookie)
