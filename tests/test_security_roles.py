"""Roles on every door, found by enumeration (DESIGN.md invariant 4), sessions and login
throttling under attack.

Nothing here names a page event or a route: the REST routes come from the FastAPI app,
the Gradio pages from its mounts, their events from each Blocks (and its /config), and
Gradio's own routes from each mounted sub-app. A tab, event or route added later is
covered without touching this file. Three layers are checked separately, so that each
would be caught alone if it were removed:

1. every page handler checks the user and role itself, called straight through
   ``Blocks.process_api`` with no HTTP gate in front (``test_every_handler_...``);
2. a lead page's mount refuses a clinician for everything Gradio serves under it: events
   by ``api_name`` (/call, /call/v2, /run, /api) and by index (/queue/join), uploads,
   config, files; and a clinician there gets nothing a stranger would not;
3. every REST route outside the login pages refuses strangers and clinicians.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr
import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from gradio.state_holder import SessionState
from itsdangerous import TimestampSigner
from sqlalchemy import select
from starlette.routing import Mount

from medeval_ui.config import Settings
from medeval_ui.services import users
from medeval_ui.services.annotation import next_item
from medeval_ui.storage.engine import Database
from medeval_ui.storage.tables import Case, Model, Output, Study, User
from medeval_ui.web import auth
from medeval_ui.web.auth import PER_USER
from medeval_ui.web.guard import SESSION_ENDED
from medeval_ui.web.server import LEAD_PATH
from tests.helpers import WebApp, db_snapshot
from tests.study_builder import make_rating_study

pytestmark = [  # one app for all such modules, reset per test (conftest)
    pytest.mark.shared_app,
    pytest.mark.usefixtures("cheap_hasher"),
]

PW = "correct horse battery"
WRONG = "wrong wrong wrong"
# The only routes a stranger may use: signing in and out, the health probe, the redirect.
PUBLIC_ROUTES = {"/", "/healthz", "/login", "/logout"}
# Real values for path parameters, so that a lead's request succeeds (proving the request
# is well formed and a refusal is about the role); an unknown parameter gets "1".
KNOWN_PARAMS = {"kind": "ratings", "fmt": "csv", "index": "0"}
# User management: what a lead must be refused as well (admins only).
ADMIN_ACTIONS = {"add_user", "set_role", "set_languages", "deactivate_user"}
ADMIN_ACTIONS |= {"reactivate_user", "reset_password", "list_users"}


@pytest.fixture(autouse=True)
def no_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    async def skip(_seconds: float) -> None:
        return None

    monkeypatch.setattr(auth, "pause", skip)


@dataclass
class World:
    app: FastAPI
    db: Database
    settings: Settings
    bob_assignment: int  # an item of another clinician, with an image


@pytest.fixture
def world(db: Database, settings: Settings, tmp_path: Path, web_app: WebApp) -> World:
    """alice and bob (clinicians), lea (lead), root (admin), gone (a deactivated lead);
    a rating study with a DICOM image, and an item of bob's."""
    for name, role in (("alice", "clinician"), ("bob", "clinician"), ("lea", "lead")):
        users.add_user(db, name, role, password=PW, languages=["en"])
    users.add_user(db, "root", "admin", password=PW)
    users.add_user(db, "gone", "lead", password=PW)
    users.deactivate(db, "gone", actor="root")
    make_rating_study(db, settings, tmp_path, languages=("en",), groups=1, dicom=True)
    item = next_item(db, "bob", "chest")
    assert item is not None and item.images
    return World(web_app(settings), db, settings, item.assignment_id)


def signed_in(app: FastAPI, username: str) -> TestClient:
    client = TestClient(app, raise_server_exceptions=False)
    response = client.post(
        "/login", data={"username": username, "password": PW}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return client


# --- enumeration ------------------------------------------------------------------------


def gradio_mounts(app: FastAPI) -> dict[str, gr.Blocks]:
    """Every Gradio page mounted on the app, by path."""
    return {
        r.path: r.app.get_blocks()
        for r in app.routes
        if isinstance(r, Mount) and hasattr(r.app, "get_blocks")
    }


def rest_routes(app: FastAPI) -> list[APIRoute]:
    """The app's own routes (not Gradio's)."""
    return [r for r in app.routes if isinstance(r, APIRoute)]


def sub_routes(routes: list[Any]) -> Iterator[APIRoute]:
    """Every route of a mounted Gradio app, through its included routers."""
    for r in routes:
        inner = getattr(r, "original_router", None)
        if inner is not None:
            yield from sub_routes(inner.routes)
        elif isinstance(r, APIRoute):
            yield r


def fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: values.get(m.group(1), "1"), path)


def server_functions(blocks: gr.Blocks) -> list[Any]:
    """The event functions that run Python on the server (not a gr.render's own)."""
    return [fn for fn in blocks.fns.values() if fn.fn is not None and fn.renderable is None]


def call_handler(blocks: gr.Blocks, fn: Any, username: str | None) -> BaseException | None:
    """Run one event function as Gradio would for ``username``, with every input at the
    value its component starts with, and no HTTP gate in front; the error it raised."""
    inputs = [getattr(block, "value", None) for block in fn.inputs]
    request = gr.Request(username=username)
    try:
        asyncio.run(blocks.process_api(fn, inputs, state=SessionState(blocks), request=request))
    except BaseException as err:  # gr.Error, or a bug: the caller tells them apart
        return err
    return None


def refusal(err: BaseException | None) -> str:
    """The message of a gr.Error the handler raised, or '' if it did not refuse."""
    return str(err) if isinstance(err, gr.Error) else ""


def lead_mounts(app: FastAPI) -> dict[str, gr.Blocks]:
    """The mounts whose every event refuses a clinician: a lead page."""
    out = {}
    for path, blocks in gradio_mounts(app).items():
        fns = server_functions(blocks)
        if fns and all("role" in refusal(call_handler(blocks, fn, "alice")) for fn in fns):
            out[path] = blocks
    return out


# --- 1. every handler checks on the server ------------------------------------------------


def test_every_handler_checks_the_user_and_role_itself(world: World) -> None:
    mounts = gradio_mounts(world.app)
    assert LEAD_PATH in mounts and len(mounts) >= 3, mounts
    before = db_snapshot(world.db)
    not_refused: list[str] = []
    for path, blocks in mounts.items():
        fns = server_functions(blocks)
        assert fns, path
        renders = [fn for fn in blocks.fns.values() if fn.renderable is not None]
        if path == LEAD_PATH:
            # Events created inside a gr.render exist per session only and escape this
            # enumeration (the mount's gate still covers them): keep lead pages static.
            assert renders == [], "a gr.render on the lead page: extend this test"
        for fn in fns:
            label = f"{path} {fn.api_name or fn.name} (fn_index {fn._id})"
            # No session, an unknown name, a deactivated account: refused, everywhere.
            for who in (None, "ghost", "gone"):
                if SESSION_ENDED not in refusal(call_handler(blocks, fn, who)):
                    not_refused.append(f"{label} as {who}")
            if path == LEAD_PATH:
                message = refusal(call_handler(blocks, fn, "alice"))
                if "role" not in message or "you are clinician" not in message:
                    not_refused.append(f"{label} as clinician: {message!r}")
    assert not_refused == []
    assert db_snapshot(world.db) == before  # nothing was done before the refusal
    assert LEAD_PATH in lead_mounts(world.app)


def test_user_management_is_for_admins_only(world: World) -> None:
    blocks = gradio_mounts(world.app)[LEAD_PATH]
    before = db_snapshot(world.db)
    refused_lead = {
        fn.api_name
        for fn in server_functions(blocks)
        if "role admin" in refusal(call_handler(blocks, fn, "lea"))
    }
    assert refused_lead >= ADMIN_ACTIONS, ADMIN_ACTIONS - refused_lead
    assert db_snapshot(world.db) == before
    # An admin passes the same checks (the refusals above are about the role).
    for fn in server_functions(blocks):
        if fn.api_name in ADMIN_ACTIONS:
            assert "role" not in refusal(call_handler(blocks, fn, "root")), fn.api_name


# --- 2. the lead mount's gate -------------------------------------------------------------


def _join(fn_index: int, data: list[Any], trigger: int | None = None) -> dict[str, Any]:
    return {
        "data": data,
        "fn_index": fn_index,
        "session_hash": "sneaky01",
        "event_data": None,
        "trigger_id": trigger,
    }


def _owned_by_leads(db: Database) -> dict[str, Any]:
    """What only a lead or admin may change: studies, their content, accounts' roles."""
    snapshot = db_snapshot(db)
    tables = {t.__tablename__ for t in (Study, Case, Output, Model)}
    owned: dict[str, Any] = {name: rows for name, rows in snapshot.items() if name in tables}
    with db.read() as session:
        owned["users"] = session.execute(
            select(User.username, User.role, User.active, User.password_hash).order_by(User.id)
        ).all()
    return owned


def test_lead_events_by_name_and_index_are_refused_to_a_clinician(world: World) -> None:
    lead = signed_in(world.app, "lea")
    alice = signed_in(world.app, "alice")
    guarded = lead_mounts(world.app)
    assert LEAD_PATH in guarded
    before = db_snapshot(world.db)
    for path, blocks in guarded.items():
        config = lead.get(f"{path}/config").json()
        deps = config["dependencies"]
        # The page's config lists every function the server would run.
        assert {d["id"] for d in deps} == set(blocks.fns), path
        assert alice.get(f"{path}/config").status_code == 401
        assert alice.get(f"{path}/gradio_api/info").status_code == 401
        for dep in deps:
            data = [None] * len(dep["inputs"])
            trigger = dep["targets"][0][0] if dep["targets"] else None
            join = alice.post(f"{path}/gradio_api/queue/join", json=_join(dep["id"], data, trigger))
            assert join.status_code == 401, (path, dep["id"])
            name = dep.get("api_name")
            if not name:
                continue
            for route in (f"call/{name}", f"call/v2/{name}", f"run/{name}", f"api/{name}"):
                called = alice.post(f"{path}/gradio_api/{route}", json={"data": data})
                assert called.status_code == 401, (path, route)
    assert db_snapshot(world.db) == before


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """The app under uvicorn in a thread: Gradio's event streams need a real server."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the app did not start"
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _answer(client: httpx.Client, method: str, url: str) -> tuple[int, bytes]:
    """Status and (for anything but an event stream) the body."""
    with client.stream(method, url, json={}) as response:
        if "event-stream" in response.headers.get("content-type", ""):
            return response.status_code, b""
        return response.status_code, response.read()


def test_a_clinician_gets_nothing_under_a_lead_mount_a_stranger_would_not(
    world: World,
) -> None:
    guarded = lead_mounts(world.app)
    secrets: set[str] = set()
    with serving(world.app) as url:
        lead = httpx.Client(base_url=url, timeout=10)
        lead.post("/login", data={"username": "lea", "password": PW})
        alice = httpx.Client(base_url=url, timeout=10)
        alice.post("/login", data={"username": "alice", "password": PW})
        assert "medeval_session" in alice.cookies
        stranger = httpx.Client(base_url=url, timeout=10)
        checked = 0
        for path, blocks in guarded.items():
            config = lead.get(f"{path}/config")
            assert config.status_code == 200
            secrets |= {fn.api_name for fn in blocks.fns.values() if fn.api_name}
            secrets |= {d["label"] for d in _labels(config.json())}
            mount = next(r for r in world.app.routes if getattr(r, "path", None) == path)
            for route in sub_routes(mount.app.routes):
                target = path + fill(route.path, {"api_name": "create_study"})
                for method in sorted(route.methods - {"HEAD"}):
                    theirs = _answer(stranger, method, target)
                    hers = _answer(alice, method, target)
                    assert hers[0] == theirs[0], (method, target, hers[0], theirs[0])
                    if 200 <= hers[0] < 300:
                        text = hers[1].decode("utf-8", "replace")
                        leaked = sorted(s for s in secrets if len(s) > 6 and s in text)
                        assert leaked == [], (method, target, leaked)
                    checked += 1
        for client in (lead, alice, stranger):
            client.close()
    assert checked > 50  # Gradio serves many routes: the sweep did reach them


def _run_event(client: httpx.Client, mount: str, fn_index: int, data: list[Any]) -> str:
    """Join one event on ``mount`` by index and read its stream to the end (or 10 s)."""
    session_hash = f"sneaky{fn_index:04d}"
    body = _join(fn_index, data) | {"session_hash": session_hash}
    try:
        joined = client.post(f"{mount}/gradio_api/queue/join", json=body)
    except httpx.TransportError as err:  # Gradio failed on the foreign index
        return f"join failed: {err}"
    if joined.status_code != 200:
        return f"join {joined.status_code}"
    url = f"{mount}/gradio_api/queue/data?session_hash={session_hash}"
    seen = []
    deadline = time.monotonic() + 10
    with client.stream("GET", url) as stream:
        for line in stream.iter_lines():
            seen.append(line)
            if '"process_completed"' in line or '"close_stream"' in line:
                break
            if time.monotonic() > deadline:
                raise AssertionError(f"{mount} fn_index {fn_index}: no end of the event")
    return "\n".join(seen)


def _call_by_name(client: httpx.Client, mount: str, name: str, data: list[Any]) -> str | None:
    """The event id when ``mount`` accepted a call of ``name``, else None (refused, or
    Gradio failed on the unknown name: it drops the connection)."""
    try:
        called = client.post(f"{mount}/gradio_api/call/{name}", json={"data": data})
    except httpx.TransportError:
        return None
    if called.status_code != 200:
        return None
    return str(called.json().get("event_id")) or None


def test_lead_indexes_and_names_do_nothing_on_the_other_pages(world: World) -> None:
    """A lead event's index or name sent to another page (the clinician's) runs that
    page's own function of that index, or nothing: never the lead's action."""
    guarded = lead_mounts(world.app)
    others = {p: b for p, b in gradio_mounts(world.app).items() if p not in guarded}
    assert others
    owned = _owned_by_leads(world.db)
    ran = 0
    with serving(world.app) as url:
        lead = httpx.Client(base_url=url, timeout=10)
        lead.post("/login", data={"username": "lea", "password": PW})
        alice = httpx.Client(base_url=url, timeout=10)
        alice.post("/login", data={"username": "alice", "password": PW})
        for path in guarded:
            for dep in lead.get(f"{path}/config").json()["dependencies"]:
                data = [None] * len(dep["inputs"])
                for other, blocks in others.items():
                    if dep["id"] in blocks.fns:
                        ran += "process_completed" in _run_event(alice, other, dep["id"], data)
                    name = dep.get("api_name")
                    if name and name not in {fn.api_name for fn in blocks.fns.values()}:
                        assert _call_by_name(alice, other, name, data) is None, (other, name)
        lead.close()
        alice.close()
    assert ran > 0  # some of those indexes did run the other page's function
    assert _owned_by_leads(world.db) == owned


def _labels(config: dict[str, Any]) -> list[dict[str, str]]:
    """Component labels of a page (what would betray a lead page's content)."""
    return [
        {"label": str(c["props"]["label"])}
        for c in config.get("components", [])
        if isinstance(c.get("props", {}).get("label"), str)
    ]


# --- 3. REST routes ---------------------------------------------------------------------


def test_every_rest_route_refuses_strangers_and_clinicians(world: World) -> None:
    lead = signed_in(world.app, "lea")
    alice = signed_in(world.app, "alice")
    stranger = TestClient(world.app, raise_server_exceptions=False)
    values = KNOWN_PARAMS | {"assignment_id": str(world.bob_assignment)}
    private = [r for r in rest_routes(world.app) if r.path not in PUBLIC_ROUTES]
    assert {r.path for r in private} >= {"/api/export/{kind}.{fmt}"}, "routes were found"
    assert any(r.path.startswith("/media/") for r in private)
    for route in private:
        url = fill(route.path, values) + "?study=chest"
        known = set(re.findall(r"\{(\w+)", route.path)) <= set(values)
        for method in sorted(route.methods - {"HEAD"}):
            assert stranger.request(method, url).status_code == 401, (method, url)
            # alice is a clinician, and the item in the URL is bob's (404: it does not
            # even say that the item exists).
            refused = alice.request(method, url)
            assert refused.status_code in (403, 404), (method, url, refused.status_code)
            assert "application/json" in refused.headers["content-type"]
            if known:
                assert lead.request(method, url).status_code == 200, (method, url)


def test_a_clinician_sees_her_own_image_only(world: World) -> None:
    bob = signed_in(world.app, "bob")
    alice = signed_in(world.app, "alice")
    url = f"/media/item/{world.bob_assignment}/0.png"
    own = bob.get(url)
    assert own.status_code == 200 and own.content[:4] == b"\x89PNG"
    refused = alice.get(url)
    assert refused.status_code == 404 and b"PNG" not in refused.content


# --- sessions -----------------------------------------------------------------------------


def _every_door(app: FastAPI, bob_assignment: int) -> list[tuple[str, str]]:
    """(method, url) of each page's config, event queue, upload and file route, and of
    every non-public REST route."""
    doors = []
    for path in gradio_mounts(app):
        doors += [("GET", f"{path}/config"), ("POST", f"{path}/gradio_api/queue/join")]
        doors += [("POST", f"{path}/gradio_api/upload"), ("GET", f"{path}/gradio_api/info")]
    values = KNOWN_PARAMS | {"assignment_id": str(bob_assignment)}
    for route in rest_routes(app):
        if route.path not in PUBLIC_ROUTES:
            doors += [(m, fill(route.path, values) + "?study=chest") for m in route.methods]
    return doors


def test_an_expired_login_is_refused_at_every_door(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    lead = signed_in(world.app, "lea")
    doors = _every_door(world.app, world.bob_assignment)
    before = {(m, u): lead.request(m, u, json={}).status_code for m, u in doors}
    opened = {door for door, status in before.items() if status < 400}
    assert (("GET", f"{LEAD_PATH}/config")) in opened and len(opened) >= 5, before
    # The cookie stays validly signed (its own max-age is refreshed on every response):
    # only the server's check of the login's age stops it.
    later = time.time() + world.settings.session_max_age_s + 5
    monkeypatch.setattr(auth, "now", lambda: later)
    after = {(m, u): lead.request(m, u, json={}).status_code for m, u in doors}
    assert {door: after[door] for door in opened if after[door] != 401} == {}
    # The rest were refused before and still are (uploads to pages that take none: 403).
    assert {door: s for door, s in after.items() if s not in (401, 403)} == {}
    assert "medeval_session" not in lead.cookies  # and the stale cookie was deleted


def _cookie(secret: str, payload: dict[str, Any]) -> str:
    """A session cookie as Starlette's SessionMiddleware writes it."""
    data = base64.b64encode(json.dumps(payload).encode())
    return TimestampSigner(secret).sign(data).decode()


def test_a_forged_or_future_dated_cookie_is_refused(world: World) -> None:
    with world.db.read() as session:
        uid = session.scalar(select(User.id).where(User.username == "root"))
    now = int(time.time())
    key = world.settings.secret_key()
    good = {"user": "root", "role": "admin", "uid": uid, "login_at": now, "epoch": 0}
    cases = {
        "right key": (_cookie(key, good), 200),
        "an ended session's epoch": (_cookie(key, good | {"epoch": -1}), 401),
        "no epoch (from before 0005)": (
            _cookie(key, {k: good[k] for k in good if k != "epoch"}),
            401,
        ),
        "another key": (_cookie("x" * 48, good), 401),
        "login_at in the future": (_cookie(key, good | {"login_at": now + 3600}), 401),
        "login_at not a number": (_cookie(key, good | {"login_at": "now"}), 401),
        "another user's id": (_cookie(key, good | {"uid": uid + 1}), 401),
        "role claimed, user absent": (_cookie(key, {"role": "admin", "login_at": now}), 401),
    }
    seen = {}
    for name, (cookie, _) in cases.items():
        client = TestClient(world.app, cookies={"medeval_session": cookie})
        seen[name] = client.get(f"{LEAD_PATH}/config").status_code
    assert seen == {name: status for name, (_, status) in cases.items()}


# --- login throttling -------------------------------------------------------------------


def test_parallel_guesses_cannot_outrun_the_lock(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many guesses sent at once: each counts as a failure from the moment it arrives, so
    no more than the lock's quota are checked against the password, however fast they
    come; the rest are refused before any check."""
    checked: list[str] = []
    real = users.authenticate

    def slow_authenticate(db: Database, username: str, password: str) -> Any:
        checked.append(username)
        time.sleep(0.3)  # every guess is still being checked when the next ones arrive
        return real(db, username, password)

    monkeypatch.setattr(users, "authenticate", slow_authenticate)
    names = ["alice", "Alice", " alice ", "ALICE"]  # one name, however it is typed

    async def guess_all() -> list[int]:
        transport = httpx.ASGITransport(app=world.app, client=("10.7.7.7", 4000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            answers = await asyncio.gather(
                *(
                    c.post("/login", data={"username": names[i % 4], "password": WRONG})
                    for i in range(30)
                )
            )
        return [a.status_code for a in answers]

    statuses = asyncio.run(guess_all())
    assert len(checked) <= PER_USER.lock_after, len(checked)
    assert statuses.count(429) >= 30 - PER_USER.lock_after
    assert set(statuses) <= {200, 429}
    # The right password is refused too while the lock holds, without being checked.
    before = len(checked)
    transport_client = TestClient(world.app, client=("10.7.7.7", 4000))
    locked = transport_client.post("/login", data={"username": "alice", "password": PW})
    assert locked.status_code == 429 and len(checked) == before
    # Another address is not locked out by these guesses.
    other = TestClient(world.app, client=("10.8.8.8", 4000))
    ok = other.post("/login", data={"username": "alice", "password": PW}, follow_redirects=False)
    assert ok.status_code == 303
