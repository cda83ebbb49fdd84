"""Generation through an OpenAI-compatible chat-completions server (vLLM, TGI, llama.cpp,
``transformers serve`` ...), which is how generation scales beyond one machine.

``POST {base}/chat/completions`` with ``model``, ``messages``, ``max_tokens``,
``temperature``, ``top_p`` and a per-output ``seed``; the answer is
``choices[0].message.content``. Images go inside the user message as ``image_url`` parts
holding ``data:`` URLs, so the server needs no access to the media folder. At most
``concurrency`` requests are in flight; a 429, a 5xx, a timeout or a dropped connection
is retried with exponential backoff (honouring ``Retry-After``); other refusals stop the
run with the server's own message. The API key is read from an environment variable
named by the caller and is sent only in the ``Authorization`` header: it is never part
of a message, a stored parameter or a log line.
"""

from __future__ import annotations

import base64
import os
import random
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from medeval_ui.generation.errors import GenerationError
from medeval_ui.generation.types import Completion, GenerationTask, SamplingSettings

RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


def chat_url(url: str) -> str:
    """The chat-completions URL for what a user typed: a server (``http://host:8000``),
    a base URL (``.../v1``) or the full ``.../v1/chat/completions``."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise GenerationError(
            f"--endpoint must be an http:// or https:// URL such as http://127.0.0.1:8000/v1, "
            f"not '{url}'"
        )
    path = parts.path.rstrip("/")
    if not path:
        path = "/v1"
    if not path.endswith("/chat/completions"):
        path += "/chat/completions"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


class EndpointGenerator:
    engine = "openai"
    supports_images: bool | None = None

    def __init__(
        self,
        url: str,
        model: str,
        sampling: SamplingSettings,
        *,
        concurrency: int = 4,
        timeout_s: float = 120.0,
        retries: int = 5,
        api_key_env: str | None = None,
        backoff_s: float = 1.0,
        max_backoff_s: float = 30.0,
    ) -> None:
        if concurrency < 1:
            raise GenerationError("--concurrency must be at least 1")
        if timeout_s <= 0:
            raise GenerationError("--timeout must be more than 0 seconds")
        if retries < 0:
            raise GenerationError("--retries must not be negative")
        if not model.strip():
            raise GenerationError("--model must name the served model (see GET /v1/models)")
        self.url = chat_url(url)
        self.model = model
        self.sampling = sampling
        self.concurrency = concurrency
        self.commit_every = concurrency
        self.retries = retries
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self.default_name = model
        headers = {"Content-Type": "application/json"}
        if api_key_env:
            key = os.environ.get(api_key_env, "")
            if not key:
                raise GenerationError(
                    f"the environment variable {api_key_env} (--api-key-env) is not set or "
                    "empty; export the server's API key in it"
                )
            headers["Authorization"] = f"Bearer {key}"
        self._key = headers.get("Authorization", "")[len("Bearer ") :]
        self._client = httpx.Client(
            headers=headers,
            timeout=httpx.Timeout(timeout_s, connect=min(10.0, timeout_s)),
            limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
            follow_redirects=False,
        )

    def params(self) -> dict[str, Any]:
        parts = urlsplit(self.url)
        return {
            "engine": self.engine,
            "endpoint": urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")),
            "served_model": self.model,
            "concurrency": self.concurrency,
            **self.sampling.as_params(),
        }

    def run(self, tasks: Sequence[GenerationTask], stop: threading.Event) -> Iterator[Completion]:
        pending = iter(tasks)
        failed = threading.Event()
        pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="medeval-endpoint")
        running: set[Future[Completion]] = set()
        try:
            while True:
                while len(running) < self.concurrency and not stop.is_set():
                    task = next(pending, None)
                    if task is None:
                        break
                    running.add(pool.submit(self._complete, task, failed))
                if not running:
                    return
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    try:
                        yield future.result()
                    except GenerationError:
                        failed.set()
                        raise
        finally:
            failed.set()
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self._client.close()

    # --- one request -------------------------------------------------------------------

    def _body(self, task: GenerationTask) -> dict[str, Any]:
        messages: list[dict[str, Any]] = []
        if task.system:
            messages.append({"role": "system", "content": task.system})
        if task.images:
            content: list[dict[str, Any]] = []
            for path in task.images:
                try:
                    png = path.read_bytes()
                except OSError as err:
                    raise GenerationError(
                        f"case '{task.external_id}': its image {path.name} cannot be read "
                        f"from the media folder ({err.strerror}); re-import the case's images"
                    ) from None
                content.append({"type": "image_url", "image_url": {"url": data_url(png)}})
            content.append({"type": "text", "text": task.user})
            messages.append({"role": "user", "content": content})
        else:
            messages.append({"role": "user", "content": task.user})
        return {
            "model": self.model,
            "messages": messages,
            "max_tokens": self.sampling.max_new_tokens,
            "temperature": self.sampling.temperature,
            "top_p": self.sampling.top_p,
            "seed": task.seed,
            "stream": False,
        }

    def _complete(self, task: GenerationTask, failed: threading.Event) -> Completion:
        body = self._body(task)
        started = time.perf_counter()
        what = f"case '{task.external_id}' sample {task.sample}"
        last = ""
        for attempt in range(self.retries + 1):
            if failed.is_set():
                raise GenerationError(f"{what}: not sent, the run stopped")
            wait_s: float | None = None
            try:
                response = self._client.post(self.url, json=body)
            except httpx.TimeoutException:
                last = "the server did not answer in time (--timeout)"
            except httpx.TransportError as err:
                last = f"cannot reach {self.url}: {err}"
            else:
                if response.status_code == 200:
                    return self._parse(task, response, started, attempt)
                last = f"HTTP {response.status_code}: {self._message(response)}"
                if response.status_code not in RETRY_STATUS:
                    raise GenerationError(self._refusal(what, response))
                wait_s = _retry_after(response)
            if attempt < self.retries:
                if wait_s is None:
                    wait_s = self.backoff_s * 2**attempt * (0.5 + random.random() / 2)
                time.sleep(min(wait_s, self.max_backoff_s))
        raise GenerationError(
            f"{what}: gave up after {self.retries + 1} attempts ({last}); outputs already "
            "generated are stored, rerun to resume (or raise --retries / --timeout)"
        )

    def _parse(
        self, task: GenerationTask, response: httpx.Response, started: float, attempt: int
    ) -> Completion:
        try:
            data = response.json()
            choice = data["choices"][0]
            content = choice["message"].get("content") or ""
        except (ValueError, KeyError, IndexError, TypeError, AttributeError):
            raise GenerationError(
                f"{self.url} answered case '{task.external_id}' with something that is not "
                "an OpenAI chat completion (no choices[0].message.content); is --endpoint "
                "an OpenAI-compatible server?"
            ) from None
        if isinstance(content, list):  # some servers answer in content parts
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        usage = data.get("usage") or {}
        reason = choice.get("finish_reason") or "stop"
        return Completion(
            task,
            str(content).strip(),
            int(usage.get("completion_tokens") or 0),
            "length" if reason == "length" else "stop",
            round((time.perf_counter() - started) * 1000),
            {
                "attempts": attempt + 1,
                "served_model": str(data.get("model") or self.model),
                "prompt_tokens": int(usage.get("prompt_tokens") or 0),
            },
        )

    def _message(self, response: httpx.Response) -> str:
        """The server's reason, with the API key blanked should the server echo it."""
        text = _server_message(response)
        return text.replace(self._key, "***") if self._key else text

    def _refusal(self, what: str, response: httpx.Response) -> str:
        status, message = response.status_code, self._message(response)
        if status in (401, 403):
            return (
                f"the server refused the request ({status}: {message}); give its API key in "
                "an environment variable named by --api-key-env"
            )
        if status == 404:
            return (
                f"{self.url} answered 404 ({message}); check --endpoint (the base URL, such "
                "as http://127.0.0.1:8000/v1) and --model (the served model id, listed by "
                "GET /v1/models)"
            )
        return f"the server refused {what} ({status}: {message})"


def _server_message(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return response.text.strip()[:300] or response.reason_phrase
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict) and error.get("message"):
        return str(error["message"])[:300]
    if isinstance(data, dict) and data.get("detail"):
        return str(data["detail"])[:300]
    return str(data)[:300]


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None  # an HTTP date: fall back on our own backoff
