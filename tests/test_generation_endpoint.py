"""`medeval generate --endpoint`: OpenAI-compatible chat-completions servers.

Fast tests run against ``ChatServer``, a small local HTTP server that implements the
documented request and response contract (``POST /v1/chat/completions``: model,
messages with text and ``image_url`` parts, max_tokens, temperature, top_p, seed ->
``choices[0].message.content``, ``finish_reason``, ``usage``) and can be told to fail
(429, 5xx, slow answers). The slow test runs the real ``transformers serve`` on a tiny
local model, where its serving extras are installed.
"""

from __future__ import annotations

import base64
import contextlib
import importlib.util
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from medeval_ui.config import Settings
from medeval_ui.exchange.images import display_path
from medeval_ui.generation.endpoint import chat_url
from medeval_ui.generation.errors import GenerationError
from medeval_ui.generation.spec import GeneratorSpec
from medeval_ui.generation.types import SamplingSettings
from medeval_ui.services.generate import generate_outputs, set_prompt_template
from medeval_ui.storage.engine import Database
from tests.gen_models import (
    build_text_model,
    build_vision_model,
    make_generation_study,
    stored_outputs,
)
from tests.helpers import db_snapshot


class ChatServer:
    """An in-process OpenAI-compatible server. ``failures[case_id]`` lists what the next
    attempts for that case get: an HTTP status, ``(status, headers)``, or ``"sleep:S"``
    (answer after S seconds); then it answers normally. The answer names the case and
    the seed it was asked with."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.failures: dict[str, list[Any]] = {}
        self.delay_s = 0.0
        self.in_flight = 0
        self.max_in_flight = 0
        self.reply: tuple[int, bytes] | None = None  # a fixed raw answer for every request
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                server.handle(self)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        body = json.loads(h.rfile.read(int(h.headers["Content-Length"])))
        with self._lock:
            self.requests.append((dict(h.headers), body))
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            case = _case_of(body)
            action = self.failures.get(case, [None]).pop(0) if self.failures.get(case) else None
        try:
            status, data, headers = self._reply(body, case, action)
        finally:
            # Counted out before the answer is written: once the client reads it, it may send
            # its next request, which must not find this one still counted (a CI flake).
            with self._lock:
                self.in_flight -= 1
        with contextlib.suppress(OSError):  # the client gave up (a timeout test)
            _send(h, status, data, headers)

    def _reply(
        self, body: dict[str, Any], case: str, action: Any
    ) -> tuple[int, bytes, dict[str, str]]:
        time.sleep(self.delay_s)
        if self.reply is not None:
            return self.reply[0], self.reply[1], {}
        if isinstance(action, str) and action.startswith("sleep:"):
            time.sleep(float(action.split(":")[1]))
        elif action is not None:
            status, headers = action if isinstance(action, tuple) else (action, {})
            error = {"error": {"message": f"scripted {status}", "type": "test"}}
            return status, json.dumps(error).encode(), headers
        answer = {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 0,
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "message": {
                        "role": "assistant",
                        "content": f"answer to {case} (seed {body['seed']})",
                    },
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 11, "completion_tokens": 5, "total_tokens": 16},
        }
        return 200, json.dumps(answer).encode(), {}

    def bodies(self, case: str | None = None) -> list[dict[str, Any]]:
        return [b for _h, b in self.requests if case is None or _case_of(b) == case]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _case_of(body: dict[str, Any]) -> str:
    content = body["messages"][-1]["content"]
    text = content if isinstance(content, str) else content[-1]["text"]
    return str(text.split(":", 1)[0])  # the study's template starts with "{case_id}:"


def _send(
    h: BaseHTTPRequestHandler, status: int, data: bytes, headers: dict[str, str] | None = None
) -> None:
    h.send_response(status)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", str(len(data)))
    for k, v in (headers or {}).items():
        h.send_header(k, v)
    h.end_headers()
    h.wfile.write(data)


@pytest.fixture
def server() -> Iterator[ChatServer]:
    s = ChatServer()
    yield s
    s.close()


@pytest.fixture
def study(db: Database, settings: Settings, tmp_path: Path) -> list[str]:
    ids = make_generation_study(db, settings, tmp_path, images=True)
    set_prompt_template(db, "gen", "{case_id}: {prompt} (in {language})", "Be brief.")
    return ids


def spec(url: str, **changes: Any) -> GeneratorSpec:
    values: dict[str, Any] = {
        "model": "tiny-served",
        "endpoint": url,
        "concurrency": 2,
        "timeout_s": 5.0,
        "retries": 3,
        "backoff_s": 0.01,
        "sampling": SamplingSettings(temperature=0.5, top_p=0.9, max_new_tokens=64, seed=3),
    }
    values.update(changes)
    return GeneratorSpec(**values)


def test_outputs_are_stored_under_the_served_model_name(
    db: Database, settings: Settings, server: ChatServer, study: list[str]
) -> None:
    summary = generate_outputs(db, settings, "gen", spec(server.url, samples=2))
    assert summary.progress.stored == 10 and summary.progress.new_tokens == 50
    out = stored_outputs(db, "gen")
    assert set(out) == {(i, "tiny-served", s) for i in study for s in (0, 1)}
    ar = out["q1-ar", "tiny-served", 1]
    assert ar["origin"] == "generated" and ar["ms"] >= 0
    assert ar["text"] == f"answer to q1-ar (seed {ar['params']['sample_seed']})"
    assert ar["params"]["engine"] == "openai" and ar["params"]["served_model"] == "tiny-served"
    assert ar["params"]["endpoint"] == f"{server.url}/chat/completions"
    assert ar["params"]["attempts"] == 1 and ar["params"]["system"] == "Be brief."
    body = server.bodies("q1-ar")[0]
    assert body["model"] == "tiny-served" and body["stream"] is False
    assert (body["max_tokens"], body["temperature"], body["top_p"]) == (64, 0.5, 0.9)
    assert body["messages"][0] == {"role": "system", "content": "Be brief."}
    assert body["messages"][1]["content"].endswith("(in Arabic)")
    # each sample its own seed; a rerun asks for nothing
    assert out["q1-ar", "tiny-served", 0]["text"] != ar["text"]
    again = generate_outputs(db, settings, "gen", spec(server.url, samples=2))
    assert (again.progress.stored, again.present, len(server.requests)) == (0, 10, 10)


def test_429_and_5xx_are_retried_with_backoff_honouring_retry_after(
    db: Database, settings: Settings, server: ChatServer, study: list[str]
) -> None:
    server.failures["q1-ar"] = [(429, {"Retry-After": "0.2"}), 503, 502]
    started = time.perf_counter()
    generate_outputs(db, settings, "gen", spec(server.url))
    assert time.perf_counter() - started >= 0.2
    assert len(server.bodies("q1-ar")) == 4
    assert stored_outputs(db, "gen")["q1-ar", "tiny-served", 0]["params"]["attempts"] == 4


def test_giving_up_is_a_clear_error_keeps_the_rest_and_a_rerun_resumes(
    db: Database, settings: Settings, server: ChatServer, study: list[str]
) -> None:
    server.failures["q1-ar"] = [500] * 3
    with pytest.raises(GenerationError) as err:
        generate_outputs(db, settings, "gen", spec(server.url, retries=2, concurrency=1))
    assert str(err.value).startswith(
        "case 'q1-ar' sample 0: gave up after 3 attempts (HTTP 500: scripted 500)"
    )
    assert "rerun to resume" in str(err.value)
    assert {k[0] for k in stored_outputs(db, "gen")} == {"q1-en"}
    resumed = generate_outputs(db, settings, "gen", spec(server.url, concurrency=1))
    assert (resumed.present, resumed.progress.stored) == (1, 4)


def test_a_slow_answer_times_out_and_is_retried(
    db: Database, settings: Settings, server: ChatServer, study: list[str]
) -> None:
    server.failures["q1-en"] = ["sleep:1.5"]
    generate_outputs(db, settings, "gen", spec(server.url, timeout_s=0.3))
    assert stored_outputs(db, "gen")["q1-en", "tiny-served", 0]["params"]["attempts"] == 2


def test_no_more_requests_in_flight_than_the_concurrency(
    db: Database, settings: Settings, server: ChatServer, study: list[str]
) -> None:
    server.delay_s = 0.05
    summary = generate_outputs(db, settings, "gen", spec(server.url, samples=3, concurrency=3))
    assert summary.progress.stored == 15 and server.max_in_flight == 3


def test_images_are_sent_as_data_urls(
    db: Database, settings: Settings, server: ChatServer, study: list[str]
) -> None:
    generate_outputs(db, settings, "gen", spec(server.url))
    text_body, image_body = server.bodies("q1-en")[0], server.bodies("img-red")[0]
    assert isinstance(text_body["messages"][1]["content"], str)
    image_part, text_part = image_body["messages"][1]["content"]
    assert text_part["type"] == "text" and text_part["text"].startswith("img-red: ")
    url = image_part["image_url"]["url"]
    assert image_part["type"] == "image_url" and url.startswith("data:image/png;base64,")
    media = Path(settings.media_dir)
    shown = [p.read_bytes() for p in (media / "display").rglob("*.png")]
    assert base64.b64decode(url.split(",", 1)[1]) in shown and len(shown) == 2
    assert display_path(media, "0" * 64).name.endswith(".png")


def test_the_api_key_comes_from_the_environment_and_is_never_stored(
    db: Database,
    settings: Settings,
    server: ChatServer,
    study: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-not-for-this-server")
    generate_outputs(db, settings, "gen", spec(server.url, name="no-key"))
    assert all("Authorization" not in h for h, _b in server.requests)
    monkeypatch.setenv("MEDEVAL_TEST_KEY", "sk-secret-4242")
    summary = generate_outputs(
        db, settings, "gen", spec(server.url, name="keyed", api_key_env="MEDEVAL_TEST_KEY")
    )
    keyed = server.requests[5:]
    assert keyed and all(h["Authorization"] == "Bearer sk-secret-4242" for h, _b in keyed)
    assert "sk-secret-4242" not in repr(db_snapshot(db)) + "\n".join(summary.lines())
    monkeypatch.delenv("MEDEVAL_TEST_KEY")
    with pytest.raises(GenerationError, match=r"environment variable MEDEVAL_TEST_KEY .* not set"):
        generate_outputs(db, settings, "gen", spec(server.url, api_key_env="MEDEVAL_TEST_KEY"))


REFUSALS = {
    "401": (401, b'{"error": {"message": "bad key"}}', r"\(401: bad key\).*--api-key-env"),
    "404": (404, b"no route", r"answered 404 \(no route\); check --endpoint .* --model"),
    "400": (400, b'{"error": {"message": "too long"}}', r"case 'q1-en' sample 0 \(400: too long"),
    "not-json": (200, b"<html>hello</html>", r"not an OpenAI chat completion"),
}


@pytest.mark.parametrize(("status", "body", "message"), REFUSALS.values(), ids=REFUSALS.keys())
def test_refusals_stop_the_run_with_the_servers_reason(
    db: Database,
    settings: Settings,
    server: ChatServer,
    study: list[str],
    status: int,
    body: bytes,
    message: str,
) -> None:
    server.reply = (status, body)
    with pytest.raises(GenerationError, match=message):
        generate_outputs(db, settings, "gen", spec(server.url, concurrency=1))
    assert len(server.requests) == 1 and stored_outputs(db, "gen") == {}


def test_an_unreachable_server_is_retried_then_named(
    db: Database, settings: Settings, study: list[str]
) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    with pytest.raises(GenerationError, match=rf"gave up after 2 attempts \(cannot reach {url}"):
        generate_outputs(db, settings, "gen", spec(url, retries=1))


@pytest.mark.parametrize(
    ("typed", "url"),
    [
        ("http://gpu1:8000", "http://gpu1:8000/v1/chat/completions"),
        ("http://gpu1:8000/v1/", "http://gpu1:8000/v1/chat/completions"),
        ("https://h/openai/v1/chat/completions", "https://h/openai/v1/chat/completions"),
    ],
)
def test_endpoint_urls_as_people_type_them(typed: str, url: str) -> None:
    assert chat_url(typed) == url


def test_an_endpoint_that_is_not_a_url_is_refused() -> None:
    with pytest.raises(GenerationError, match="--endpoint must be an http:// or https:// URL"):
        chat_url("gpu1:8000")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- the real thing: `transformers serve` --------------------------------------------------

SERVE_EXTRAS = ("openai", "accelerate")


@pytest.mark.slow
@pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in SERVE_EXTRAS),
    reason="`transformers serve` needs openai and accelerate (pip install openai==3.57.0 "
    "accelerate==1.15.0)",
)
def test_against_transformers_serve_text_and_vision(
    db: Database, settings: Settings, tmp_path: Path, study: list[str]
) -> None:
    text = build_text_model(tmp_path / "models" / "tiny-llama")
    vision = build_vision_model(tmp_path / "models" / "tiny-llava")
    port = _free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "transformers.cli.transformers", "serve"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--device", "cpu"]
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        _wait_healthy(f"http://127.0.0.1:{port}/health", proc)
        url = f"http://127.0.0.1:{port}/v1"
        generate_outputs(
            db, settings, "gen", spec(url, model=str(text), name="served-llama"),
            text_cases_only=True,
        )  # fmt: skip
        generate_outputs(db, settings, "gen", spec(url, model=str(vision), name="served-llava"))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    out = stored_outputs(db, "gen")
    assert {k for k in out if k[1] == "served-llama"} == {
        (i, "served-llama", 0) for i in ("q1-en", "q1-ar", "q1-zh-Hans")
    }
    assert {k[0] for k in out if k[1] == "served-llava"} == set(study)
    red = out["img-red", "served-llava", 0]["params"]
    plain = out["q1-en", "served-llava", 0]["params"]
    assert red["served_model"] == str(vision) and red["new_tokens"] > 0
    assert red["prompt_tokens"] > plain["prompt_tokens"]  # the image's tokens


def _wait_healthy(url: str, proc: subprocess.Popen[str], timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"transformers serve exited: {proc.stderr.read()[-2000:]}")  # type: ignore[union-attr]
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise AssertionError("transformers serve did not become healthy in time")
