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
from contextlib import contextmanager
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


@contextmanager
def serve_app(folder: Path) -> Iterator[LiveApp]:
    """The whole app with the demo study on a fresh SQLite file in ``folder``, served by
    uvicorn (one worker) in a thread on a free port, with the accounts amal (clinician,
    ar+en) and lea (lead). Also used by docs/screenshot.py."""
    users.hasher = PasswordHasher(time_cost=1, memory_cost=1024)
    port = _free_port()
    settings = Settings(
        database_url=f"sqlite:///{folder / 'medeval.sqlite3'}",
        media_dir=str(folder / "media"),
        secret_key_file=str(folder / "secret_key"),
        port=port,
        load_demo=True,
    )
    db = open_database(settings, serving=True)  # as app.py opens it
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
        server.should_exit = True
        raise RuntimeError("the app did not start within 30 s")
    try:
        yield LiveApp(url, db, settings)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        db.dispose()


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    """The whole app with the demo study, and accounts: amal (clinician, ar+en), lea (lead)."""
    with serve_app(tmp_path_factory.mktemp("live")) as app:
        yield app


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


# Gradio's event stream (/gradio_api/queue/data) is a fetch() the page aborts once it has
# read "close_stream", so Playwright's response.body() is empty for it. This script, put in
# every page before Gradio's own code, wraps the body of every streamed fetch: each chunk is
# handed to Python *before* the page's code gets it, so nothing the page read is missed (a
# tee would lose the chunks still queued when the page aborts). __medevalPending counts the
# chunks Python has not acknowledged yet (see ``settle``).
_STREAM_HOOK = r"""
(() => {
  if (window.__medevalStreamHook) return;
  window.__medevalStreamHook = true;
  window.__medevalPending = 0;
  const original = window.fetch;
  window.fetch = async function (input, init) {
    const response = await original.call(this, input, init);
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const type = response.headers.get("content-type") || "";
    if (!response.body || !(url.includes("/queue/data") || type.includes("event-stream"))) {
      return response;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const body = new ReadableStream({
      async pull(controller) {
        let step;
        try {
          step = await reader.read();
        } catch (e) {
          controller.error(e);
          return;
        }
        if (step.done) {
          controller.close();
          return;
        }
        window.__medevalPending += 1;
        window.__medevalStreamChunk(url, decoder.decode(step.value, { stream: true }))
          .finally(() => { window.__medevalPending -= 1; });
        controller.enqueue(step.value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    });
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
})();
"""


def settle(page: Page, timeout_ms: int = 10_000) -> None:
    """Wait until Python has every stream chunk the page has read so far."""
    page.wait_for_function("() => !window.__medevalPending", timeout=timeout_ms)


@dataclass
class Recorder:
    """Everything the browser received, and any request that left 127.0.0.1.

    ``bodies``: (url, headers and body) of every response; ``streams``: (url, text) of
    every chunk of a streamed fetch as the page read it (the SSE event stream).
    """

    bodies: list[tuple[str, bytes]] = field(default_factory=list)
    streams: list[tuple[str, str]] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def text(self) -> str:
        parts = [f"{u}\n{b.decode('utf-8', 'replace')}" for u, b in self.bodies]
        joined: dict[str, str] = {}  # a word split across two chunks is whole again
        for u, t in self.streams:
            joined[u] = joined.get(u, "") + t
        parts += [f"{u}\n{t}" for u, t in joined.items()]
        return "\n".join(parts)

    def stream_text(self) -> str:
        return "".join(t for _, t in self.streams)

    def urls(self) -> list[str]:
        return [u for u, _ in self.bodies]


def record(page: Page, base_url: str) -> Recorder:
    """Attach a recorder to a Playwright page: response headers and bodies (HTML, config,
    JSON, files), the event streams chunk by chunk, and URLs of requests to other hosts.
    Attach it before the page's first navigation."""
    rec = Recorder()

    def on_response(response: Response) -> None:
        head = "".join(f"{k}: {v}\n" for k, v in response.headers.items()).encode()
        try:
            body = response.body()
        except Exception:  # streams closed mid-way, redirects: their URL is still useful
            body = b""
        rec.bodies.append((response.url, head + b"\n" + body))

    def on_request(request: Request) -> None:
        url = request.url
        if not (url.startswith(base_url) or url.startswith(("data:", "blob:", "about:"))):
            rec.foreign.append(url)

    def on_chunk(url: str, text: str) -> None:
        rec.streams.append((url, text))

    page.expose_function("__medevalStreamChunk", on_chunk)
    page.add_init_script(_STREAM_HOOK)
    page.on("response", on_response)
    page.on("request", on_request)
    return rec


def login(page: Page, base_url: str, username: str, password: str = PW) -> None:
    page.goto(f"{base_url}/login", wait_until="load")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/**/")
