"""Real Chromium against the real app served on a free port (slow; CI runs them).

The app runs in this process under uvicorn (one worker, as in production) on a fresh SQLite
file with the bundled demo study. Chromium is Debian's (/usr/bin/chromium), driven by
Playwright; nothing is downloaded. Every response the browser receives can be recorded,
so blinding can be checked on the bytes that actually reached it.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import uvicorn
from argon2 import PasswordHasher
from playwright.sync_api import Browser, Page, Request, Response, sync_playwright

from medeval_ui.config import Settings
from medeval_ui.services import users
from medeval_ui.services.setup import open_database, prepare
from medeval_ui.storage.engine import Database

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PW = "correct horse battery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveApp:
    url: str
    db: Database
    settings: Settings


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    """The whole app with the demo study, and accounts: amal (clinician, ar+en), lea (lead)."""
    users.hasher = PasswordHasher(time_cost=1, memory_cost=1024)
    tmp = tmp_path_factory.mktemp("live")
    port = _free_port()
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'medeval.sqlite3'}",
        media_dir=str(tmp / "media"),
        secret_key_file=str(tmp / "secret_key"),
        port=port,
        load_demo=True,
    )
    db = open_database(settings)
    prepare(settings, db)
    users.add_user(db, "amal", "clinician", password=PW, languages=["ar", "en"])
    users.add_user(db, "lea", "lead", password=PW)
    from medeval_ui.web.server import create_app

    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, db), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz").status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        pytest.fail("the app did not start within 30 s")
    yield LiveApp(url, db, settings)
    server.should_exit = True
    thread.join(timeout=10)
    db.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        if os.environ.get("CI", "").lower() in {"1", "true"}:
            pytest.fail(f"CI must have Chromium at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM}")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@dataclass
class Recorder:
    """Everything the browser received, and any request that left 127.0.0.1."""

    bodies: list[tuple[str, bytes]] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def text(self) -> str:
        return "\n".join(f"{u}\n{b.decode('utf-8', 'replace')}" for u, b in self.bodies)


def record(page: Page, base_url: str) -> Recorder:
    """Attach a recorder to a Playwright page: response bodies (HTML, config, JSON, event
    streams as far as they were delivered, files) and URLs of requests to other hosts."""
    rec = Recorder()

    def on_response(response: Response) -> None:
        try:
            rec.bodies.append((response.url, response.body()))
        except Exception:  # streams closed mid-way, redirects: their URL is still useful
            rec.bodies.append((response.url, b""))

    def on_request(request: Request) -> None:
        url = request.url
        if not (url.startswith(base_url) or url.startswith(("data:", "blob:", "about:"))):
            rec.foreign.append(url)

    page.on("response", on_response)
    page.on("request", on_request)
    return rec


def login(page: Page, base_url: str, username: str, password: str = PW) -> None:
    page.goto(f"{base_url}/login", wait_until="load")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/**/")
