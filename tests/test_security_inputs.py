"""Hostile input: path traversal in imports and file URLs, uploads too large or where no
page takes one, and requests sent by a foreign page (CSRF).

- Imports read images only from the folder of the import file: ``../../etc/passwd``, an
  absolute path, a symlink that points out, all refused with the row and field named, and
  nothing changes. Through the web, the file an import event receives must be one the
  person uploaded: Gradio checks that only for Blocks that "launched", which a mounted one
  never does, so ``create_app`` marks them (a path like ``/etc/passwd`` was accepted).
- Gradio's file URLs (``/file=``, ``/file/``) and the media route hand out nothing outside
  what the app itself put there: not the database, the secret key, the media store or
  system files, however the path is spelled.
- Uploads above ``MEDEVAL_MAX_UPLOAD_MB`` are refused (413) with a message in MB that
  names the setting; the clinician pages, which have no file input, take no upload at all.
- A request that changes something (any POST route of the app and of Gradio: login,
  queue/join, upload, logout) or reads study data (/api, /media) is refused when a
  foreign page sent it (Origin or Sec-Fetch-Site), before it runs.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select

from medeval_ui.config import Settings
from medeval_ui.errors import MedevalError
from medeval_ui.services import studies, users
from medeval_ui.services.annotation import next_item
from medeval_ui.services.import_cases import import_cases
from medeval_ui.storage.engine import Database
from medeval_ui.storage.tables import Case, Study
from medeval_ui.web.middleware import FOREIGN_PAGE
from medeval_ui.web.server import APP_PATH, COMPARE_PATH, LEAD_PATH
from tests.helpers import WebApp, db_snapshot, write_jsonl
from tests.study_builder import make_rating_study
from tests.test_security_roles import (
    fill,
    gradio_mounts,
    rest_routes,
    serving,
    sub_routes,
)

pytestmark = [  # one app for all such modules, reset per test (conftest)
    pytest.mark.shared_app,
    pytest.mark.usefixtures("cheap_hasher"),
]

PW = "correct horse battery"
EVIL = "http://evil.example"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def accounts(db: Database) -> None:
    users.add_user(db, "alice", "clinician", password=PW, languages=["en"])
    users.add_user(db, "lea", "lead", password=PW)


def content(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every table but the audit log (a login writes to it)."""
    return {k: v for k, v in db_snapshot(db).items() if k != "audit_events"}


def signed_in(app: FastAPI, username: str, **headers: str) -> TestClient:
    client = TestClient(app, raise_server_exceptions=False, headers=headers)
    response = client.post(
        "/login", data={"username": username, "password": PW}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return client


# --- traversal in imports -----------------------------------------------------------------


def _png(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (8, 8), (200, 10, 10)).save(path)
    return path


@pytest.fixture
def import_folder(tmp_path: Path) -> Path:
    """``tmp/import/`` holds the case files; ``tmp/outside.png`` is a real image outside
    it (so a refusal is about the path, not a missing file); ``import/link.png`` is a
    symlink to it."""
    folder = tmp_path / "import"
    folder.mkdir()
    outside = _png(tmp_path / "outside.png")
    _png(folder / "inside.png")
    (folder / "link.png").symlink_to(outside)
    return folder


@pytest.mark.parametrize(
    "image",
    [
        "../../../../../../etc/passwd",
        "/etc/passwd",
        "../outside.png",
        "sub/../../outside.png",
        "link.png",  # inside by name, outside once resolved
        None,  # the absolute path of the real outside image (filled in below)
    ],
)
def test_import_refuses_images_outside_the_import_folder(
    db: Database, settings: Settings, import_folder: Path, image: str | None
) -> None:
    studies.create_study(db, "trav", "Traversal", "xlingeval_correctness")
    image = image or str(import_folder.parent / "outside.png")
    cases = [
        {
            "external_id": "ok",
            "group_id": "g",
            "language": "en",
            "prompt": "?",
            "images": ["inside.png"],
        },
        {"external_id": "bad", "group_id": "g", "language": "en", "prompt": "?", "images": [image]},
    ]
    path = write_jsonl(import_folder / "cases.jsonl", cases)
    before = db_snapshot(db)
    with pytest.raises(MedevalError) as err:
        import_cases(db, settings, "trav", path)
    message = str(err.value)
    assert "leaves the folder of the import file" in message and "images" in message
    assert "row 2" in message or "line 2" in message, message
    assert db_snapshot(db) == before  # all or nothing: not even the good row
    media = Path(settings.media_dir)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_import_keeps_images_inside_the_folder(
    db: Database, settings: Settings, import_folder: Path
) -> None:
    """The control: the same file with only the inside image imports (the refusals above
    are about where the image lies)."""
    studies.create_study(db, "trav", "Traversal", "xlingeval_correctness")
    cases = [
        {
            "external_id": "ok",
            "group_id": "g",
            "language": "en",
            "prompt": "?",
            "images": ["./inside.png"],
        }
    ]
    import_cases(db, settings, "trav", write_jsonl(import_folder / "cases.jsonl", cases))
    with db.read() as session:
        assert session.scalar(select(Case.external_id)) == "ok"


# --- the import event gets only uploaded files ------------------------------------------


def _join(client: httpx.Client, mount: str, api_name: str, data: list[Any], sh: str) -> str:
    """Run one event by index in the page session ``sh``; the text of its result."""
    config = client.get(f"{mount}/config").json()
    fn_index = next(d["id"] for d in config["dependencies"] if d["api_name"] == api_name)
    body = {"data": data, "fn_index": fn_index, "session_hash": sh, "event_data": None}
    joined = client.post(f"{mount}/gradio_api/queue/join", json=body)
    assert joined.status_code == 200, joined.text
    deadline = time.monotonic() + 20
    with client.stream("GET", f"{mount}/gradio_api/queue/data?session_hash={sh}") as stream:
        for line in stream.iter_lines():
            if '"process_completed"' in line:
                return line
            assert time.monotonic() < deadline, "the event did not complete"
    raise AssertionError("the event stream ended without a result")


def _file_data(path: str, name: str) -> dict[str, Any]:
    return {"path": path, "orig_name": name, "meta": {"_type": "gradio.FileData"}}


def _import_args(file: dict[str, Any]) -> list[Any]:
    # study, kind, file, column mappings x4, worksheet (see the lead page's Import tab)
    return ["trav", "cases", file, "", "", "", "", ""]


def test_the_import_event_takes_only_files_the_person_uploaded(
    db: Database, settings: Settings, tmp_path: Path, web_app: WebApp
) -> None:
    accounts(db)
    studies.create_study(db, "trav", "Traversal", "xlingeval_correctness")
    case = {"external_id": "c-1", "group_id": "g", "language": "en", "prompt": "Pain?"}
    (tmp_path / "elsewhere").mkdir()
    outside = write_jsonl(tmp_path / "elsewhere" / "cases.jsonl", [case])  # a valid file
    before = content(db)
    with serving(web_app(settings)) as url, httpx.Client(base_url=url, timeout=20) as c:
        c.post("/login", data={"username": "lea", "password": PW})
        _join(c, LEAD_PATH, "lead_page", [], "page0001")  # fills the study choices
        for path in (
            str(outside),
            "/etc/passwd",
            settings.secret_key_file,
            f"/tmp/gradio/../..{outside}",
        ):
            result = _join(
                c, LEAD_PATH, "import_file", _import_args(_file_data(path, "x.jsonl")), "page0001"
            )
            assert '"success":false' in result and "not uploaded by a user" in result, result
        assert content(db) == before
        # The control: the same file, uploaded, imports.
        up = c.post(
            f"{LEAD_PATH}/gradio_api/upload",
            files={"files": ("cases.jsonl", outside.read_bytes(), "application/jsonl")},
        )
        assert up.status_code == 200, up.text
        [uploaded] = up.json()
        result = _join(
            c,
            LEAD_PATH,
            "import_file",
            _import_args(_file_data(uploaded, "cases.jsonl")),
            "page0001",
        )
        assert '"success":true' in result and "Nothing was imported" not in result, result
    with db.read() as session:
        assert session.scalars(select(Case.external_id)).all() == ["c-1"]


def test_a_case_file_uploaded_through_the_page_cannot_reach_out(
    db: Database, settings: Settings, web_app: WebApp
) -> None:
    """An uploaded case file's image paths are relative to the upload's private folder:
    ``../`` and absolute paths are refused there too, with the row named in the page."""
    accounts(db)
    studies.create_study(db, "trav", "Traversal", "xlingeval_correctness")
    rows = [
        {
            "external_id": "c-1",
            "group_id": "g",
            "language": "en",
            "prompt": "?",
            "images": ["../../../../../../etc/passwd"],
        },
    ]
    body = "".join(json.dumps(r) + "\n" for r in rows).encode()
    before = content(db)
    with serving(web_app(settings)) as url, httpx.Client(base_url=url, timeout=20) as c:
        c.post("/login", data={"username": "lea", "password": PW})
        _join(c, LEAD_PATH, "lead_page", [], "page0002")
        up = c.post(f"{LEAD_PATH}/gradio_api/upload", files={"files": ("c.jsonl", body)})
        [uploaded] = up.json()
        result = _join(
            c, LEAD_PATH, "import_file", _import_args(_file_data(uploaded, "c.jsonl")), "page0002"
        )
    assert "leaves the folder of the import file" in result and "Nothing was imported" in result
    assert content(db) == before


# --- file URLs --------------------------------------------------------------------------


def _spellings(path: str) -> list[str]:
    """One target path, written the ways a traversal tries."""
    rel = "../" * 12 + path.lstrip("/")
    return [
        path,
        quote(path, safe=""),
        rel,
        rel.replace("../", "%2e%2e/"),
        rel.replace("../", "..%2f"),
        rel.replace("/", "%2f"),
        "/tmp/../" + path.lstrip("/"),
        "//" + path.lstrip("/"),
    ]


def test_file_urls_hand_out_nothing_outside_what_the_app_made(
    db: Database, settings: Settings, tmp_path: Path, web_app: WebApp
) -> None:
    accounts(db)
    make_rating_study(db, settings, tmp_path, languages=("en",), groups=1, dicom=True)
    stored = [p for p in Path(settings.media_dir).rglob("*") if p.is_file()]
    assert stored, "the import stored its image"
    db_file = settings.database_url.split("///", 1)[1] if settings.is_sqlite else "/etc/hosts"
    targets = ["/etc/passwd", settings.secret_key_file, db_file, str(stored[0])]
    targets += [str(tmp_path / "chest-cases.jsonl")]
    app = web_app(settings)
    lead = signed_in(app, "lea")  # the most a page user can be: refusals are not about roles
    served = []
    for mount in gradio_mounts(app):
        for route in ("gradio_api/file=", "gradio_api/file/"):
            for target in targets:
                for spelled in _spellings(target):
                    response = lead.get(f"{mount}/{route}{spelled}")
                    if response.status_code < 400 or b"root:" in response.content:
                        served.append(f"{mount}/{route}{spelled}: {response.status_code}")
    assert served == []
    # The control: a file the app did put in Gradio's folder (an upload) is served, so
    # the URLs above were well formed.
    up = lead.post(f"{LEAD_PATH}/gradio_api/upload", files={"files": ("ok.csv", b"a,b\n")})
    [uploaded] = up.json()
    assert lead.get(f"{LEAD_PATH}/gradio_api/file={uploaded}").content == b"a,b\n"


def test_the_media_route_takes_only_an_item_and_a_position(
    db: Database, settings: Settings, tmp_path: Path, web_app: WebApp
) -> None:
    accounts(db)
    make_rating_study(db, settings, tmp_path, languages=("en",), groups=1, dicom=True)
    item = next_item(db, "alice", "chest")
    assert item is not None and item.images
    app = web_app(settings)
    alice = signed_in(app, "alice")
    a = item.assignment_id
    ok = alice.get(f"/media/item/{a}/0.png")
    assert ok.status_code == 200 and ok.content[:4] == b"\x89PNG"
    hostile = [
        f"/media/item/{a}/-1.png",
        f"/media/item/{a}/99.png",
        f"/media/item/{a}/{10**30}.png",
        f"/media/item/{a}/0.png?window=../../etc/passwd",
        f"/media/item/{a}/0.png?window=%00",
        f"/media/item/{a}/..%2f..%2f..%2fetc%2fpasswd.png",
        f"/media/item/{a}/%2e%2e.png",
        "/media/item/-1/0.png",
        "/media/item/0/0.png",
        "/media/item/..%2f..%2fetc/0.png",
        "/media/item/1e3/0.png",
        "/media/../etc/passwd",
        "/media/item/%2e%2e/%2e%2e/etc/passwd",
    ]
    answers = {url: alice.get(url) for url in hostile}
    assert {u: r.status_code for u, r in answers.items() if not 400 <= r.status_code < 500} == {}
    for response in answers.values():
        assert b"root:" not in response.content and b"Traceback" not in response.content
        assert b"\x89PNG" not in response.content


# --- uploads ------------------------------------------------------------------------------


@pytest.fixture
def small_uploads(db: Database, settings: Settings, web_app: WebApp) -> Iterator[FastAPI]:
    accounts(db)
    yield web_app(replace(settings, max_upload_mb=1))


def test_a_too_large_upload_is_refused_with_the_limit_in_mb(small_uploads: FastAPI) -> None:
    lead = signed_in(small_uploads, "lea")
    mb = 1024 * 1024
    big = lead.post(
        f"{LEAD_PATH}/gradio_api/upload", files={"files": ("big.csv", b"a" * (mb + 1024))}
    )
    assert big.status_code == 413
    detail = big.json()["detail"]
    assert "upload limit of 1 MB" in detail and "MEDEVAL_MAX_UPLOAD_MB" in detail, detail
    fits = lead.post(
        f"{LEAD_PATH}/gradio_api/upload", files={"files": ("fits.csv", b"a" * (mb - 4096))}
    )
    assert fits.status_code == 200 and fits.json()[0].endswith("fits.csv")
    # The refused file left nothing behind in Gradio's upload folder.
    folder = Path(os.environ.get("GRADIO_TEMP_DIR", "/tmp/gradio"))
    assert not list(folder.rglob("big.csv"))


def test_pages_without_a_file_input_take_no_upload(small_uploads: FastAPI) -> None:
    mounts = gradio_mounts(small_uploads)
    assert {APP_PATH, COMPARE_PATH} <= set(mounts)
    for who in ("alice", "lea"):
        client = signed_in(small_uploads, who)
        for mount in (APP_PATH, COMPARE_PATH):
            refused = client.post(f"{mount}/gradio_api/upload", files={"files": ("x.csv", b"1")})
            assert refused.status_code == 403, (who, mount)
            assert "takes no file uploads" in refused.json()["detail"]
    # Only a lead reaches the lead page's upload at all.
    alice = signed_in(small_uploads, "alice")
    assert (
        alice.post(f"{LEAD_PATH}/gradio_api/upload", files={"files": ("x", b"1")}).status_code
        == 401
    )


# --- requests from foreign pages ----------------------------------------------------------

FOREIGN_HEADERS = [
    {"origin": EVIL},
    {"origin": "http://127.0.0.1:9"},  # another port of the same host: same site
    {"sec-fetch-site": "cross-site"},
    {"sec-fetch-site": "same-site"},  # a sibling subdomain: gets the SameSite cookie
    {"sec-fetch-site": "cross-site", "origin": "null"},
]


def _unsafe_routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, url) of every route of the app and of each Gradio page that changes
    something (POST and friends), found by enumeration."""
    found = [(m, fill(r.path, {})) for r in rest_routes(app) for m in r.methods & UNSAFE]
    for path in gradio_mounts(app):
        mount = next(r for r in app.routes if getattr(r, "path", None) == path)
        for route in sub_routes(mount.app.routes):
            found += [(m, path + fill(route.path, {})) for m in route.methods & UNSAFE]
    return found


def test_every_changing_request_from_a_foreign_page_is_refused(
    db: Database, settings: Settings, web_app: WebApp
) -> None:
    accounts(db)
    app = web_app(settings)
    lead = signed_in(app, "lea")
    routes = _unsafe_routes(app)
    paths = {u for _, u in routes}
    assert {
        "/login",
        f"{LEAD_PATH}/gradio_api/queue/join",
        f"{LEAD_PATH}/gradio_api/upload",
    } <= paths
    let_through = []
    for headers in FOREIGN_HEADERS:
        for method, url in routes:
            response = lead.request(method, url, headers=headers, json={})
            if response.status_code != 403 or FOREIGN_PAGE not in response.text:
                let_through.append((headers, method, url, response.status_code))
    assert let_through == []
    # Our own pages (and scripts, which send no Origin) are not refused by it.
    for headers in ({"sec-fetch-site": "same-origin"}, {"origin": settings.public_origin}, {}):
        response = lead.post(f"{LEAD_PATH}/gradio_api/queue/join", json={}, headers=headers)
        assert FOREIGN_PAGE not in response.text, headers


def test_a_foreign_page_cannot_act_through_the_lead_session(
    db: Database, settings: Settings, web_app: WebApp
) -> None:
    accounts(db)
    app = web_app(settings)
    lead = signed_in(app, "lea")
    config = lead.get(f"{LEAD_PATH}/config").json()
    fn_index = next(d["id"] for d in config["dependencies"] if d["api_name"] == "create_study")
    args = ["forged", "Forged", "", "", "xlingeval_correctness", ["rating"], 2, True, False, "en"]
    body = {"data": args, "fn_index": fn_index, "session_hash": "csrf0001", "event_data": None}
    for headers in FOREIGN_HEADERS:
        joined = lead.post(f"{LEAD_PATH}/gradio_api/queue/join", json=body, headers=headers)
        assert joined.status_code == 403, headers
    export = "/api/export/cases.csv?study=forged"
    assert lead.get(export, headers={"sec-fetch-site": "cross-site"}).status_code == 403
    assert lead.post(export, headers={"origin": EVIL}).status_code == 403
    assert lead.post("/logout", headers={"origin": EVIL}).status_code == 403
    assert lead.get(f"{LEAD_PATH}/config").status_code == 200  # still signed in
    with db.read() as session:
        assert session.scalars(select(Study.slug)).all() == []
    # The control: the same request from the lead's own page does create the study.
    with TestClient(app, headers={"sec-fetch-site": "same-origin"}) as own:
        own.cookies = lead.cookies
        assert own.post(f"{LEAD_PATH}/gradio_api/queue/join", json=body).status_code == 200
        own.get(f"{LEAD_PATH}/gradio_api/queue/data", params={"session_hash": "csrf0001"})
        assert own.get(export).status_code == 200
    with db.read() as session:
        assert session.scalars(select(Study.slug)).all() == ["forged"]


def test_a_login_form_on_a_foreign_page_is_refused(
    db: Database, settings: Settings, web_app: WebApp
) -> None:
    accounts(db)
    app = web_app(settings)
    for headers in FOREIGN_HEADERS:
        client = TestClient(app)
        response = client.post(
            "/login",
            data={"username": "lea", "password": PW},
            headers=headers,
            follow_redirects=False,
        )
        assert response.status_code == 403 and FOREIGN_PAGE in response.text, headers
        assert "<form" in response.text  # the login page again, with the reason
        assert "medeval_session" not in client.cookies
    ours = TestClient(app).post(
        "/login",
        data={"username": "lea", "password": PW},
        headers={"sec-fetch-site": "same-origin", "origin": "null"},
        follow_redirects=False,
    )
    assert ours.status_code == 303
