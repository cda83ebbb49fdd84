"""Simulated clinicians: each one a browser with its own session cookie, speaking
``protocol`` to one app instance (sticky, as behind a load balancer with cookie affinity).

A rater logs in through the login form, opens /app, presses Start (the event the page
calls), reads the item the @gr.render drew, waits (think time), fills every question of
every response, presses Submit and, once the page says "Saved", runs the chained event
that fetches the next item and its render, as the page does. A voter does the same on
/compare with the four vote buttons. Whatever the server answered "saved" to is kept as an
``Ack``; ``check`` later finds each one in the database.

When the server goes away (``--crash``), a request fails; the clinician then does what a
person does: waits until the address answers again, reloads the page (a new tab: the
server's gr.State of the old one is gone) and carries on with the item the server resumes.
Failures are classed as caused by the crash when the server was down, or when they hit a
page opened before the restart; any other failure is an error.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.load.protocol import Completed, EventFailed, Page
from bench.load.servers import PASSWORD, SLUG, ServerProcess

ACTIONS = ("login", "open_page", "start", "submit", "next_item", "vote", "next_pair")
RATE, VOTE, BOTH = "rate", "vote", "both"
CHOICES = ("vote-a", "vote-b", "vote-tie", "vote-both-bad")


@dataclass(frozen=True)
class Ack:
    """A write the server acknowledged. Ratings: ``token`` is the form's client token
    (``a<assignment>-r<revision>``, the prefix of every rating's token). Votes: the case and
    the two texts shown, left then right (the vote's token never reaches the page)."""

    kind: str  # "rating" or "vote"
    username: str
    case_label: str
    token: str = ""
    text_a: str = ""
    text_b: str = ""
    choice: str = ""
    responses: int = 0
    at: float = 0.0


@dataclass
class Failure:
    at: float
    username: str
    action: str
    message: str
    crash: bool  # caused by a server crash (down, or a page from before the restart)


@dataclass
class Stats:
    """Everything the clients saw: per action (finished at, ms); failures; acks."""

    started: float = field(default_factory=time.monotonic)
    times: dict[str, list[tuple[float, float]]] = field(
        default_factory=lambda: {a: [] for a in ACTIONS}
    )
    failures: list[Failure] = field(default_factory=list)
    acks: list[Ack] = field(default_factory=list)
    exhausted: dict[str, set[str]] = field(default_factory=lambda: {RATE: set(), VOTE: set()})
    reloads: int = 0

    def timed(self, action: str, ms: float) -> None:
        self.times[action].append((time.monotonic(), ms))

    @property
    def errors(self) -> list[Failure]:
        return [f for f in self.failures if not f.crash]


@dataclass
class Clock:
    """When the clients stop: ``deadline`` (time.monotonic()) or, when None, once nothing
    is left; ``limit`` is a hard stop either way. While ``held`` (a crashed server is
    starting again) the deadline waits; the crash then moves it past the restart."""

    deadline: float | None
    limit: float
    held: bool = False

    def over(self) -> bool:
        now = time.monotonic()
        if now >= self.limit:
            return True
        return not self.held and self.deadline is not None and now >= self.deadline


class Clinician:
    def __init__(
        self,
        username: str,
        server: ServerProcess,
        stats: Stats,
        *,
        mode: str,
        think_s: float,
        clock: Clock,
        rng: random.Random,
    ) -> None:
        self.username, self.server, self.stats = username, server, stats
        self.mode, self.think_s, self.clock, self.rng = mode, think_s, clock, rng
        self.client = httpx.AsyncClient(
            base_url=server.url,
            timeout=httpx.Timeout(60.0, connect=5.0),
            headers={"User-Agent": "medeval-load/1 (httpx)"},
        )
        self.page: Page | None = None
        self.page_generation = 0
        self.doing = "login"  # the action under way, to which a failure is charged

    # --- the session -----------------------------------------------------------------

    def over(self) -> bool:
        return self.clock.over()

    async def think(self) -> None:
        """Read the item and answer: 0.5 to 1.5 times the mean think time (never past the
        deadline, so a run ends on time)."""
        if self.think_s <= 0:
            return
        pause = self.rng.uniform(0.5, 1.5) * self.think_s
        while pause > 0 and not self.over():
            step = min(pause, 0.5)
            await asyncio.sleep(step)
            pause -= step

    async def login(self) -> None:
        self.doing = "login"
        t0 = time.perf_counter()
        form = await self.client.get("/login", headers={"Accept": "text/html"})
        if form.status_code == 303:  # still signed in
            return
        if form.status_code != 200:
            raise EventFailed("login", f"GET /login answered {form.status_code}")
        r = await self.client.post(
            "/login",
            data={"username": self.username, "password": PASSWORD},
            headers={"Origin": self.server.url, "Sec-Fetch-Site": "same-origin"},
        )
        if r.status_code != 303 or "medeval_session" not in self.client.cookies:
            raise EventFailed("login", f"POST /login answered {r.status_code}")
        self.stats.timed("login", (time.perf_counter() - t0) * 1000)

    async def open(self, path: str) -> tuple[Page, list[tuple[dict[str, Any], Completed]]]:
        """A new tab on ``path`` (closing the previous one), and what its load events gave."""
        if self.page is not None:
            await self.page.close()
        self.doing = "open_page"
        t0 = time.perf_counter()
        page = Page(self.client, path)
        self.page = page
        self.page_generation = self.server.starts
        try:
            loaded = await page.open()
        except EventFailed as err:
            if "answered 303" not in err.message:
                raise
            await self.login()  # the session ended: sign in again, then reload
            loaded = await page.open()
        self.stats.timed("open_page", (time.perf_counter() - t0) * 1000)
        return page, loaded

    async def close(self) -> None:
        if self.page is not None:
            await self.page.close()
        await self.client.aclose()

    # --- running -----------------------------------------------------------------------

    async def run(self) -> None:
        """Work until the deadline, or until nothing is left in every mode this clinician
        works in. Failures are recorded; after one the tab is reloaded."""
        modes = [RATE, VOTE] if self.mode == BOTH else [self.mode]
        try:
            await self._step(self.login)
            for mode in modes:
                while not self.over():
                    finished = await self._step(self.rate if mode == RATE else self.vote)
                    if finished:
                        self.stats.exhausted[mode].add(self.username)
                        break
        finally:
            await self.close()

    async def _step(self, fn: Any) -> bool:
        """Run ``fn`` until it returns (True: nothing left); on a failure, record it, wait
        for the server and try again (a reload), unless the run is over."""
        while True:
            try:
                return bool(await fn())
            except (EventFailed, httpx.HTTPError, ValueError, KeyError) as err:
                crash = self._crash_caused()
                message = f"{self.doing}: {type(err).__name__}: {err}"
                self.stats.failures.append(
                    Failure(time.monotonic(), self.username, self.doing, message[:300], crash)
                )
                if self.over():
                    return False
                await self._wait_for_server()
                self.stats.reloads += 1

    def _crash_caused(self) -> bool:
        return not self.server.up or self.page_generation != self.server.starts

    async def _wait_for_server(self) -> None:
        while not self.over():
            if self.server.up:
                try:
                    r = await self.client.get("/healthz", timeout=2)
                    if r.status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
            await asyncio.sleep(0.5)

    # --- rating --------------------------------------------------------------------------

    async def rate(self) -> bool:
        """Rate on /app until the deadline; True when nothing is left to rate."""
        page, loaded = await self.open("/app")
        slug = page.loaded_value(loaded, "study-select") or SLUG
        button, start = page.click_dep("study-start")
        self.doing = "start"
        t0 = time.perf_counter()
        done = await page.call(start, [None, slug], button)
        await page.follow(done)
        self.stats.timed("start", (time.perf_counter() - t0) * 1000)
        screen = (start, done)
        while not self.over():
            if _visible(page, *screen, "done-area"):
                return True
            await self.think()
            if self.over():
                return False
            screen = await self._submit_one(page)
        return False

    async def _submit_one(self, page: Page) -> tuple[dict[str, Any], Completed]:
        button, submit = page.click_dep("submit-btn")
        token, case_label = rating_token(page), case_of(page)
        values = self.fill_form(page, submit)
        self.doing = "submit"
        done = await page.call(submit, values, button)
        self.stats.timed("submit", done.ms)
        status = str(page.output_of(submit, done, "status") or "")
        if not status.startswith("✓ Saved"):
            raise EventFailed("submit", f"the page did not say saved: {status[:200]}")
        responses = len(page.find(_is_response_text))
        self.stats.acks.append(
            Ack(
                "rating",
                self.username,
                case_label,
                token=token,
                responses=responses,
                at=time.time(),
            )
        )
        (then,) = page.chained(submit)
        self.doing = "next_item"
        t0 = time.perf_counter()
        following = await page.call(then, [None] * len(then["inputs"]), button)
        await page.follow(following)
        self.stats.timed("next_item", (time.perf_counter() - t0) * 1000)
        return then, following

    def fill_form(self, page: Page, dep: dict[str, Any]) -> list[Any]:
        """Values for the submit event's inputs, as a clinician fills them: the state
        (null: it lives on the server), then an answer for every widget."""
        values: list[Any] = []
        for cid in dep["inputs"]:
            comp = page.components[cid]
            kind, props = comp["type"], comp.get("props", {})
            choices = props.get("choices") or []
            if kind == "state":
                values.append(None)
            elif kind == "radio":
                values.append(self.rng.choice(choices)[1])
            elif kind == "checkboxgroup":
                values.append([self.rng.choice(choices)[1]])
            elif kind == "textbox":
                values.append(self.rng.choice(["", "", "Plausible; misses the dose."]))
            else:
                values.append(None)
        return values

    # --- voting --------------------------------------------------------------------------

    async def vote(self) -> bool:
        """Vote on /compare until the deadline; True when no pair is left."""
        page, loaded = await self.open("/compare")
        slug = page.loaded_value(loaded, "compare-study") or SLUG
        button, start = page.click_dep("compare-start")
        self.doing = "start"
        t0 = time.perf_counter()
        done = await page.call(start, [None, slug], button)
        await page.follow(done)
        self.stats.timed("start", (time.perf_counter() - t0) * 1000)
        screen = (start, done)
        while not self.over():
            if _visible(page, *screen, "compare-done"):
                return True
            await self.think()
            if self.over():
                return False
            screen = await self._vote_one(page)
        return False

    async def _vote_one(self, page: Page) -> tuple[dict[str, Any], Completed]:
        choice = self.rng.choice(CHOICES)
        button, vote = page.click_dep(choice)
        texts = [c["props"]["value"] for c in page.find(_is_response_text)]
        if len(texts) != 2:
            raise EventFailed("vote", f"the pair shows {len(texts)} responses")
        case_label = case_of(page)
        values: list[Any] = []
        for cid in vote["inputs"]:
            kind = page.components[cid]["type"]
            values.append(None if kind != "textbox" else self.rng.choice(["", "A is safer."]))
        self.doing = "vote"
        done = await page.call(vote, values, button)
        self.stats.timed("vote", done.ms)
        status = str(page.output_of(vote, done, "compare-status") or "")
        if not status.startswith("✓ "):
            raise EventFailed("vote", f"the page did not say saved: {status[:200]}")
        self.stats.acks.append(
            Ack(
                "vote",
                self.username,
                case_label,
                text_a=texts[0],
                text_b=texts[1],
                choice=choice,
                at=time.time(),
            )
        )
        (after,) = page.chained(vote, succeeded=True)
        self.doing = "next_pair"
        t0 = time.perf_counter()
        following = await page.call(after, [None] * len(after["inputs"]), button)
        await page.follow(following)
        self.stats.timed("next_pair", (time.perf_counter() - t0) * 1000)
        return after, following


# --- reading the page ------------------------------------------------------------------


def _is_response_text(c: dict[str, Any]) -> bool:
    return "response-text" in (c.get("props", {}).get("elem_classes") or [])


def case_of(page: Page) -> str:
    """The case label of the item on screen ("**Case c00012** · Language ...")."""
    (header,) = page.find(lambda c: c.get("props", {}).get("elem_id") == "case-header")
    text = str(header["props"]["value"])
    return text.split("**")[1].removeprefix("Case ").replace("\\", "")


def rating_token(page: Page) -> str:
    """The form's client token: every widget's ``key`` is ``<token>-<elem_id>`` (so a new
    item gets fresh widgets); the server stores ``<token>:<output id>`` per rating."""
    for c in page.find(lambda c: str(c.get("props", {}).get("elem_id", "")).startswith("q-1-")):
        key, elem_id = str(c["props"].get("key") or ""), c["props"]["elem_id"]
        if key.endswith("-" + elem_id):
            return key[: -len(elem_id) - 1]
    raise EventFailed("submit", "no form widget carries the item's token")


def _visible(page: Page, dep: dict[str, Any], done: Completed, elem_id: str) -> bool:
    update = page.output_of(dep, done, elem_id)
    return isinstance(update, dict) and bool(update.get("visible"))
