"""Offline (DESIGN.md invariant 6): a whole session makes no connection off the machine,
neither from Chromium nor from the server.

The server is the real entry point (``python app.py``) in a subprocess, started without
the offline environment variables (the app must set them itself), on a fresh SQLite file
with the demo study. Its Python is given a ``sitecustomize`` that wraps
``socket.socket.connect``/``connect_ex``/``sendto`` and ``socket.getaddrinfo``: any
connection to, or name lookup of, anything but the loopback is written to a log and
refused. That catches every attempt made from Python (httpx, urllib, requests, asyncio,
Gradio's analytics and version checks, the Hugging Face hub), including ones that fail
or are gone in a millisecond, which sampling ``/proc/<pid>/net/tcp`` would miss. A
connection made from C (a library bypassing Python's socket module) would not pass
through it, so the server's own sockets are also listed from ``/proc/<pid>/fd`` against
``/proc/net/tcp{,6}`` at several points of the session: every remote end must be the
loopback. The guard is first shown to work in a process started the same way.

In Chromium, every request of the session (a clinician logs in, rates an item, votes on a
pair; a lead opens every tab of the lead page, found in the page, picks the study and
computes, and tries an upload above the limit, which the page refuses with a message
naming the limit) is routed: each must go to the app's own
host and port; one that would not is recorded and aborted.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from argon2 import PasswordHasher
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from medeval_ui.config import Settings
from medeval_ui.services import users
from medeval_ui.services.setup import open_database, prepare
from medeval_ui.web.offline import OFFLINE_ENV
from tests.browser.conftest import PW, login

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
WAIT_MS = 20_000

# Loaded by the server's Python at start (it is on PYTHONPATH as sitecustomize.py).
SITECUSTOMIZE = r"""
import ipaddress, json, os, socket, traceback

_LOG = os.environ.get("MEDEVAL_TEST_NETLOG")


def _loopback(host):
    host = str(host).strip("[]")
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _note(kind, target):
    with open(_LOG, "a", encoding="utf-8") as log:
        stack = "".join(traceback.format_stack(limit=12)[:-2])
        log.write(json.dumps({"kind": kind, "target": repr(target), "stack": stack}) + "\n")


def _guarded(original, kind):
    def method(self, address, *rest):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
            _note(kind, address)
            raise OSError(f"test guard: no {kind} to {address} (offline)")
        return original(self, address, *rest)
    return method


def _guarded_sendto(original):
    def sendto(self, data, *args):
        address = args[-1]
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
            _note("sendto", address)
            raise OSError(f"test guard: no datagram to {address} (offline)")
        return original(self, data, *args)
    return sendto


_getaddrinfo = socket.getaddrinfo


def _numeric(host):
    try:
        ipaddress.ip_address(str(host).strip("[]").split("%")[0])
    except ValueError:
        return False
    return True


def getaddrinfo(host, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else host
    # A numeric address needs no lookup (connect() judges it); a name would ask a DNS server.
    if name is not None and not _loopback(name) and not _numeric(name):
        _note("resolve", host)
        raise socket.gaierror(socket.EAI_NONAME, f"test guard: no lookup of {host} (offline)")
    return _getaddrinfo(host, *args, **kwargs)


if _LOG:
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(json.dumps({"kind": "loaded", "target": os.getpid()}) + "\n")
    socket.socket.connect = _guarded(socket.socket.connect, "connect")
    socket.socket.connect_ex = _guarded(socket.socket.connect_ex, "connect")
    socket.socket.sendto = _guarded_sendto(socket.socket.sendto)
    socket.getaddrinfo = getaddrinfo
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def guarded_env(folder: Path, log: Path) -> dict[str, str]:
    """The environment of a guarded Python: without the offline variables (the app must
    set them itself), with the socket guard on its path."""
    guard = folder / "guard"
    guard.mkdir(exist_ok=True)
    (guard / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in OFFLINE_ENV}
    env["PYTHONPATH"] = os.pathsep.join([str(guard), str(ROOT), env.get("PYTHONPATH", "")])
    env["MEDEVAL_TEST_NETLOG"] = str(log)
    return env


def netlog(log: Path) -> list[dict[str, str]]:
    """What the guard refused (its "loaded" lines left out)."""
    return [e for e in _entries(log) if e["kind"] != "loaded"]


def guarded_pids(log: Path) -> set[int]:
    """The processes in which the guard was active."""
    return {int(e["target"]) for e in _entries(log) if e["kind"] == "loaded"}


def _entries(log: Path) -> list[dict[str, str]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def remote_ends(pid: int) -> set[str]:
    """The remote addresses of the TCP sockets process ``pid`` holds open right now."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ends = set()
    for table, width in (("tcp", 8), ("tcp6", 32)):
        path = Path(f"/proc/{pid}/net/{table}")
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            cols = line.split()
            if cols[9] not in inodes:
                continue
            host_hex = cols[2].split(":")[0]
            ends.add(_address(host_hex, width))
    return ends


def _address(host_hex: str, width: int) -> str:
    raw = bytes.fromhex(host_hex)
    if width == 8:
        return str(ipaddress.IPv4Address(raw[::-1]))
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
    address = ipaddress.IPv6Address(words)
    return str(address.ipv4_mapped or address)


def _off_machine(ends: set[str]) -> set[str]:
    return {e for e in ends if not (ipaddress.ip_address(e).is_loopback or e in ("0.0.0.0", "::"))}


@dataclass
class Server:
    url: str
    pid: int
    log: Path
    env: dict[str, str]
    sockets_seen: set[str] = field(default_factory=set)

    def sample_sockets(self) -> None:
        self.sockets_seen |= remote_ends(self.pid)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("offline")
    port = _free_port()
    settings = Settings(
        database_url=f"sqlite:///{folder / 'medeval.sqlite3'}",
        media_dir=str(folder / "media"),
        secret_key_file=str(folder / "secret_key"),
        port=port,
        load_demo=True,
        max_upload_mb=1,
    )
    users.hasher = PasswordHasher(time_cost=1, memory_cost=1024)
    db = open_database(settings)
    prepare(settings, db)  # the demo study, as the server would load it
    users.add_user(db, "amal", "clinician", password=PW, languages=["ar", "en"])
    users.add_user(db, "lea", "lead", password=PW)
    db.dispose()
    log = folder / "net.log"
    env = guarded_env(folder, log) | {
        "MEDEVAL_DATABASE_URL": settings.database_url,
        "MEDEVAL_MEDIA_DIR": settings.media_dir,
        "MEDEVAL_SECRET_KEY_FILE": settings.secret_key_file,
        "MEDEVAL_HOST": "127.0.0.1",
        "MEDEVAL_PORT": str(port),
        "MEDEVAL_MAX_UPLOAD_MB": "1",
    }
    out = (folder / "server.out").open("w")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py")],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((folder / "server.out").read_text()[-3000:])
            time.sleep(0.2)
        yield Server(url, proc.pid, log, env)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
        out.close()


def test_the_guards_catch_what_they_must(server: Server, browser: Browser, tmp_path: Path) -> None:
    """In a Python started the same way, an outbound connection and a name lookup are
    both logged and refused (and the loopback is let through); in the browser, a request
    to another host is recorded and aborted."""
    context, traffic = watched_context(browser, server)
    page = context.new_page()
    page.goto(f"{server.url}/login", wait_until="load")
    page.evaluate("() => { location.href = 'http://evil.example/away'; }")
    page.wait_for_timeout(1000)
    assert traffic.foreign == ["http://evil.example/away"]
    context.close()

    log = tmp_path / "probe.log"
    code = (
        "import socket\n"
        "for target in (('192.0.2.1', 80), ('huggingface.co', 443)):\n"
        "    try:\n"
        "        socket.create_connection(target, timeout=1)\n"
        "    except OSError as e:\n"
        "        print('refused', e)\n"
        f"socket.create_connection(('127.0.0.1', {urlsplit(server.url).port}), timeout=2).close()\n"
    )
    env = server.env | {"MEDEVAL_TEST_NETLOG": str(log)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("refused") == 2 and "test guard" in done.stdout
    assert [(e["kind"], e["target"]) for e in netlog(log)] == [
        ("connect", "('192.0.2.1', 80)"),
        ("resolve", "'huggingface.co'"),
    ]
    assert _address("0100007F", 8) == "127.0.0.1" and _off_machine({"10.0.0.1"}) == {"10.0.0.1"}


@dataclass
class Traffic:
    """Every request a browser context made, and those that would have left the app."""

    app: str
    seen: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def route(self, route: Route) -> None:
        url = route.request.url
        self.seen.append(url)
        if url.startswith(("data:", "blob:")) or urlsplit(url).netloc == self.app:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()


def watched_context(browser: Browser, server: Server) -> tuple[BrowserContext, Traffic]:
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    traffic = Traffic(urlsplit(server.url).netloc)
    context.route("**/*", traffic.route)
    context.on("request", lambda r: None if r.url in traffic.seen else traffic.seen.append(r.url))
    context.on("websocket", lambda ws: traffic.seen.append(ws.url))
    return context, traffic


def rate_and_vote(page: Page, url: str) -> None:
    login(page, url, "amal")
    start = page.locator("#study-start")
    expect(start).to_be_enabled(timeout=WAIT_MS)
    start.click()
    expect(page.locator("#case-header")).to_contain_text("Case", timeout=WAIT_MS)
    n = page.locator('[id^="response-"]').count()
    assert n >= 2
    for pos in range(1, n + 1):
        page.locator(f"#q-{pos}-correctness label").nth(0).click()
        page.locator(f"#q-{pos}-confidence label").nth(3).click()
    page.locator("#submit-btn").click()
    expect(page.locator("#status")).to_contain_text("Saved", timeout=WAIT_MS)
    page.goto(f"{url}/compare/", wait_until="load")
    expect(page.locator("#compare-start")).to_be_enabled(timeout=WAIT_MS)
    page.locator("#compare-start").click()
    expect(page.locator("#vote-a")).to_be_visible(timeout=WAIT_MS)
    page.locator("#vote-a").click()
    expect(page.locator("#compare-status")).to_contain_text("Saved", timeout=WAIT_MS)
    page.goto(f"{url}/logout", wait_until="load")


def open_every_lead_tab(page: Page, url: str, big_file: Path) -> list[str]:
    login(page, url, "lea")
    page.goto(f"{url}/lead/", wait_until="load")
    tabs = page.get_by_role("tab")
    expect(tabs.first).to_be_visible(timeout=WAIT_MS)
    names = [tabs.nth(i).inner_text().strip() for i in range(tabs.count())]
    tried_upload: list[str] = []
    for name in names:
        page.get_by_role("tab", name=name, exact=True).click()
        panel = page.locator('[role="tabpanel"]:visible').first
        expect(panel).to_be_visible(timeout=WAIT_MS)
        pickers = panel.locator('input[role="combobox"][aria-label^="Study"]')
        for i in range(pickers.count()):
            if pickers.nth(i).is_visible():
                pickers.nth(i).click()
                page.get_by_role("option", name=re.compile("^demo$|Demo")).first.click()
        for button in ("Compute", "Prepare download link"):
            target = panel.get_by_role("button", name=button, exact=True)
            if target.count() and target.first.is_visible():
                target.first.click()
        # A gr.File drop zone on this tab (its input is hidden): try a large file.
        uploads = panel.locator('button[aria-label*="upload"] input[type="file"]')
        for i in range(uploads.count()):
            if uploads.nth(i).locator("xpath=..").is_visible():
                uploads.nth(i).set_input_files(str(big_file))
                # Gradio's page checks the size itself and says so (the server would
                # answer 413 "larger than the upload limit of 1 MB" to a script).
                limit = re.compile(r"exceed the maximum allowed size of 1(\.0)? Mb|limit of 1 MB")
                refused = page.get_by_text(limit).first
                expect(refused).to_be_visible(timeout=WAIT_MS)
                tried_upload.append(name)
        page.wait_for_timeout(1500)  # what the tab loads and draws
    assert tried_upload, "the Import tab's file input was found"
    return names


def test_a_whole_session_stays_on_the_machine(
    server: Server, browser: Browser, tmp_path: Path
) -> None:
    big = tmp_path / "too-big.csv"
    big.write_bytes(b"external_id,prompt\n" + b"x,y\n" * 300_000)  # 1.2 MB
    context, traffic = watched_context(browser, server)
    server.sample_sockets()
    page = context.new_page()
    rate_and_vote(page, server.url)
    server.sample_sockets()
    names = open_every_lead_tab(page, server.url, big)
    server.sample_sockets()
    context.close()

    assert len(names) >= 5, names
    assert len(traffic.seen) > 50  # the session did go through the app
    assert traffic.foreign == []
    hosts = {urlsplit(u).netloc for u in traffic.seen if not u.startswith(("data:", "blob:"))}
    assert hosts == {urlsplit(server.url).netloc}
    time.sleep(1)  # anything the server started in the background has had its chance
    server.sample_sockets()
    assert server.pid in guarded_pids(server.log)  # the guard ran in the server itself
    assert netlog(server.log) == []
    assert _off_machine(server.sockets_seen) == set()
    assert "127.0.0.1" in server.sockets_seen  # the sampling saw the browser's connections
