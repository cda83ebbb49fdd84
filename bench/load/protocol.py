"""Gradio 6's browser protocol, spoken by one tab over async HTTP (httpx).

What a tab does, and so what ``Page`` does (gradio 6.31; see shared/notes/GRADIO.md):
- ``GET <page>/`` with ``Accept: text/html``: the page, whose ``window.gradio_config`` holds
  the components and the event table (``dependencies``); the browser does not fetch
  ``/config`` when the page carries it. Scripts and styles are cached by a browser after
  the first visit and are not fetched here.
- ``GET <page>/gradio_api/heartbeat/<session_hash>``: a stream kept open while the tab is;
  when it closes the server marks the tab's ``gr.State`` for deletion.
- each event: ``POST <page>/gradio_api/queue/join`` (``fn_index``, ``data``, ``trigger_id``,
  ``session_hash``) answers an ``event_id``; then ``GET <page>/gradio_api/queue/data`` streams
  server-sent events (``estimation``, ``process_starts``, ``process_completed`` ...) until
  ``close_stream``. An event's output can carry ``changed_state_ids`` (the browser then runs
  the ``change`` events of those states, which is how a ``@gr.render`` re-runs) and a
  ``render_config`` (the components and events that render built, with new ids).
- ``.then``/``.success`` events (``trigger_after``) are started by the browser when the
  event they follow completes (``.success`` only when it succeeded).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

_CONFIG = re.compile(r"window\.gradio_config\s*=\s*(\{.*?\});</script>", re.S)


class EventFailed(Exception):
    """An event that did not complete successfully; ``message`` is what the page shows."""

    def __init__(self, fn: str, message: str) -> None:
        super().__init__(f"{fn}: {message}")
        self.fn = fn
        self.message = message


@dataclass
class Completed:
    """A completed event: its output values and the raw ``output`` of process_completed."""

    data: list[Any]
    raw: dict[str, Any]
    ms: float

    @property
    def changed_state_ids(self) -> list[int]:
        return list(self.raw.get("changed_state_ids") or [])

    @property
    def render_config(self) -> dict[str, Any] | None:
        return self.raw.get("render_config")


def page_config(html: str) -> dict[str, Any]:
    """The config a Gradio page carries inline (``window.gradio_config = {...};``)."""
    m = _CONFIG.search(html)
    if m is None:
        raise EventFailed("page", "the page carries no gradio_config")
    config: dict[str, Any] = json.loads(m.group(1))
    return config


def apply_render(page: Any, render_config: dict[str, Any]) -> None:
    """What a @gr.render produced replaces what its previous run produced, in a page's
    ``components``, ``deps`` and ``rendered`` (render id -> its component and dep ids).
    Shared by this async client and bench_submit's synchronous one."""
    old_components, old_deps = page.rendered.pop(render_config["render_id"], ([], []))
    for cid in old_components:
        page.components.pop(cid, None)
    for did in old_deps:
        page.deps.pop(did, None)
    page.components.update({c["id"]: c for c in render_config["components"]})
    page.deps.update({d["id"]: d for d in render_config["dependencies"]})
    page.rendered[render_config["render_id"]] = (
        [c["id"] for c in render_config["components"]],
        [d["id"] for d in render_config["dependencies"]],
    )


class Page:
    """One open tab on a mounted Gradio page (``path`` such as ``/app``), on ``client``
    (an ``httpx.AsyncClient`` that holds the session cookie)."""

    def __init__(self, client: httpx.AsyncClient, path: str) -> None:
        self.client, self.path = client, path.rstrip("/")
        self.session_hash = uuid.uuid4().hex[:11]
        self.config: dict[str, Any] = {}
        self.components: dict[int, dict[str, Any]] = {}
        self.deps: dict[int, dict[str, Any]] = {}
        self.rendered: dict[int, tuple[list[int], list[int]]] = {}
        self._heartbeat: asyncio.Task[None] | None = None

    # --- opening and closing -------------------------------------------------------------

    async def open(self) -> list[tuple[dict[str, Any], Completed]]:
        """Load the page as a browser does: the HTML (and its config), the heartbeat
        stream, the page's load events and the renders their state changes trigger.
        Returns (event, what it completed with) for the load events."""
        r = await self.client.get(self.path + "/", headers={"Accept": "text/html"})
        if r.status_code != 200:
            raise EventFailed("page", f"GET {self.path}/ answered {r.status_code}")
        self.config = page_config(r.text)
        self.components = {c["id"]: c for c in self.config["components"]}
        self.deps = {d["id"]: d for d in self.config["dependencies"]}
        if self.config.get("connect_heartbeat"):
            self._heartbeat = asyncio.create_task(self._keep_heartbeat())
        done = []
        for dep in self.triggered_by(None, "load"):
            done.append((dep, await self.call(dep, [None] * len(dep["inputs"]))))
        for _dep, completed in list(done):
            await self.follow(completed)
        return done

    async def _keep_heartbeat(self) -> None:
        url = f"{self.path}/gradio_api/heartbeat/{self.session_hash}"
        with contextlib.suppress(httpx.HTTPError, asyncio.CancelledError):
            async with self.client.stream("GET", url, timeout=httpx.Timeout(10, read=None)) as r:
                async for _ in r.aiter_bytes():
                    pass

    async def close(self) -> None:
        """Close the tab: the heartbeat stream ends."""
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._heartbeat
            self._heartbeat = None

    # --- the config ----------------------------------------------------------------------

    def add_render(self, render_config: dict[str, Any]) -> None:
        apply_render(self, render_config)

    def elem(self, elem_id: str) -> int | None:
        for cid, c in self.components.items():
            if c.get("props", {}).get("elem_id") == elem_id:
                return cid
        return None

    def find(self, match: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
        """Components (in id order, which is build order) for which ``match`` is true."""
        return [c for _, c in sorted(self.components.items()) if match(c)]

    def triggered_by(self, target: int | None, event: str) -> list[dict[str, Any]]:
        return [
            d
            for _, d in sorted(self.deps.items())
            if any(t[1] == event and (target is None or t[0] == target) for t in d["targets"])
        ]

    def click_dep(self, elem_id: str) -> tuple[int, dict[str, Any]]:
        """(button id, its click event) of the button with this elem_id."""
        cid = self.elem(elem_id)
        if cid is None:
            raise EventFailed("page", f"no component #{elem_id} on {self.path}")
        deps = self.triggered_by(cid, "click")
        if len(deps) != 1:
            raise EventFailed("page", f"#{elem_id} has {len(deps)} click events")
        return cid, deps[0]

    def chained(self, dep: dict[str, Any], *, succeeded: bool = True) -> list[dict[str, Any]]:
        """Events the browser starts when ``dep`` completes (``.then``; ``.success`` only
        when it succeeded)."""
        out = []
        for d in self.deps.values():
            if d.get("trigger_after") != dep["id"]:
                continue
            if d.get("trigger_only_on_success") and not succeeded:
                continue
            out.append(d)
        return out

    def loaded_value(self, loaded: list[tuple[dict[str, Any], Completed]], elem_id: str) -> Any:
        """The value the page's load events gave the component with ``elem_id``."""
        for dep, done in loaded:
            update = self.output_of(dep, done, elem_id)
            if isinstance(update, dict) and "value" in update:
                return update["value"]
            if update is not None and not isinstance(update, dict):
                return update
        return None

    def output_of(self, dep: dict[str, Any], done: Completed, elem_id: str) -> Any:
        """The value an event returned for the component with ``elem_id`` (an update dict
        or a plain value), or None when the event does not write it."""
        cid = self.elem(elem_id)
        for out_id, value in zip(dep["outputs"], done.data, strict=False):
            if out_id == cid:
                return value
        return None

    # --- events --------------------------------------------------------------------------

    async def call(
        self, dep: dict[str, Any], data: list[Any], trigger: int | None = None
    ) -> Completed:
        """Run one event: join the queue, read the event stream until it completes."""
        fn = str(dep.get("api_name") or dep["id"])
        body = {
            "data": data,
            "event_data": None,
            "fn_index": dep["id"],
            "trigger_id": trigger,
            "session_hash": self.session_hash,
        }
        start = time.perf_counter()
        joined = await self.client.post(f"{self.path}/gradio_api/queue/join", json=body)
        if joined.status_code != 200:
            raise EventFailed(fn, f"queue/join answered {joined.status_code}: {joined.text[:200]}")
        event_id = joined.json()["event_id"]
        completed: dict[str, Any] | None = None
        url = f"{self.path}/gradio_api/queue/data"
        async with self.client.stream(
            "GET", url, params={"session_hash": self.session_hash}
        ) as stream:
            if stream.status_code != 200:
                raise EventFailed(fn, f"queue/data answered {stream.status_code}")
            async for line in stream.aiter_lines():
                if not line.startswith("data:"):
                    continue
                msg = json.loads(line[5:])
                kind = msg.get("msg")
                if kind == "process_completed" and msg.get("event_id") == event_id:
                    completed = msg
                    break
                if kind in ("close_stream", "unexpected_error"):
                    break
        ms = (time.perf_counter() - start) * 1000
        if completed is None:
            raise EventFailed(fn, "the event stream ended before the event completed")
        output = completed.get("output") or {}
        if not completed.get("success"):
            raise EventFailed(fn, str(output.get("error") or output or "failed"))
        done = Completed(list(output.get("data") or []), output, ms)
        if done.render_config:
            self.add_render(done.render_config)
        return done

    async def follow(self, done: Completed) -> list[Completed]:
        """Run the ``change`` events of the states an event changed, as the browser does
        (this re-runs a @gr.render whose input changed)."""
        out = []
        for state_id in done.changed_state_ids:
            for dep in self.triggered_by(state_id, "change"):
                out.append(await self.call(dep, [None] * len(dep["inputs"]), state_id))
        return out
