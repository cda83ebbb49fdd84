"""Chromium: a clinician compares blind pairs with the keyboard only, and nothing that
reaches the browser before the reveal names a model (DESIGN.md invariant 1).

A blind study whose reveal policy is "after_vote" is built through the real services,
with distinctive model names and versions and a case image under a revealing file name
(``compare_fixtures``). The clinician votes on every pair with the keys A, B and X, goes
on with N, and asks for the reveal with R once. Every response the browser received is
recorded (``conftest.record``): before the reveal, none of it names a model; the reveal
event, called through Gradio's own protocol before the vote, is refused by the server;
after the vote the reveal shows the names, and the same recorder then finds them.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from medeval_ui.storage.tables import Study, User, Vote
from tests.browser.compare_fixtures import MODELS, compare_study, leaks
from tests.browser.conftest import LiveApp, login, record, settle

pytestmark = pytest.mark.slow
__all__ = ["compare_study"]  # the fixture, imported so that pytest finds it here

WAIT_MS = 15_000


def page_session_hash(page: Page, joins: list[dict[str, Any]]) -> str:
    hashes = {j.get("session_hash") for j in joins if j.get("session_hash")}
    assert len(hashes) == 1, hashes
    return str(hashes.pop())


def call_event(live_app: LiveApp, page: Page, api_name: str, session_hash: str) -> dict[str, Any]:
    """Call one event of /compare by its fn_index through Gradio's queue protocol, as a
    script in the clinician's session would (her cookie, her page's session hash, so her
    page's gr.State); the final message of the event stream."""
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    with httpx.Client(base_url=live_app.url, cookies=cookies, timeout=20) as client:
        config = client.get("/compare/config").json()
        [fn_index] = [d["id"] for d in config["dependencies"] if d.get("api_name") == api_name]
        joined = client.post(
            "/compare/gradio_api/queue/join",
            json={
                "data": [None],
                "fn_index": fn_index,
                "session_hash": session_hash,
                "event_data": None,
                "trigger_id": None,
            },
        )
        assert joined.status_code == 200, joined.text
        event_id = joined.json()["event_id"]
        url = f"/compare/gradio_api/queue/data?session_hash={session_hash}"
        with client.stream("GET", url) as stream:
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                if message.get("event_id") == event_id and message["msg"] == "process_completed":
                    return dict(message)
    raise AssertionError("the event stream ended without the event's result")


def test_keyboard_votes_blind_until_the_reveal(
    live_app: LiveApp, browser: Browser, compare_study: str
) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    rec = record(page, live_app.url)
    joins: list[dict[str, Any]] = []

    def on_request(request: Any) -> None:
        if "/compare/gradio_api/queue/join" in request.url and request.post_data:
            joins.append(json.loads(request.post_data))

    page.on("request", on_request)
    login(page, live_app.url, "sven")
    page.goto(f"{live_app.url}/compare/", wait_until="load")
    expect(page.locator("#compare-start")).to_be_enabled(timeout=WAIT_MS)
    page.locator("#compare-study input").click()
    page.get_by_role("option", name=re.compile(r"Blind duel \(sv\)")).click()
    page.locator("#compare-start").click()
    header = page.locator("#case-header")
    expect(header).to_contain_text("Case duell-", timeout=WAIT_MS)
    expect(page.locator("#vote-a")).to_be_visible()
    expect(page.locator("#reveal-btn")).to_be_hidden()
    settle(page)

    # Before any vote, the reveal event called through the protocol is refused.
    session_hash = page_session_hash(page, joins)
    refused = call_event(live_app, page, "reveal", session_hash)
    assert refused["success"] is False, refused
    assert "only after your vote" in json.dumps(refused), refused
    assert leaks(json.dumps(refused)) == []

    # Vote on every pair with the keyboard: A, then B (and reveal once), then both bad.
    page.locator("body").click(position={"x": 5, "y": 5})  # the focus out of any box
    winners = []
    for round_, key in enumerate(("a", "b", "x")):
        expect(page.locator("#vote-a")).to_be_visible(timeout=WAIT_MS)
        expect(page.locator("#compare-progress")).to_contain_text(f"{round_} of 3")
        page.keyboard.press(key)
        expect(page.locator("#voted-area")).to_be_visible(timeout=WAIT_MS)
        label = {"a": "A is better", "b": "B is better", "x": "Both bad"}[key]
        expect(page.locator("#voted-msg")).to_contain_text(label)
        winners.append({"a": "left", "b": "right", "x": "both_bad"}[key])
        expect(page.locator("#vote-a")).to_have_count(0)  # no second vote on this pair
        expect(page.locator("#reveal-btn")).to_be_visible()
        if round_ == 1:
            settle(page)
            before = rec.text() + page.content()
            assert leaks(before) == [], leaks(before)
            page.keyboard.press("r")
            reveal = page.locator("#reveal-text")
            expect(reveal).to_contain_text("Response A was written by", timeout=WAIT_MS)
            shown = reveal.inner_text()
            assert sum(name in shown for name, _ in MODELS) == 2, shown
            settle(page)
            assert len(leaks(rec.text())) >= 2  # the recorder does see names when sent
            seen = (len(rec.bodies), len(rec.streams))
        page.keyboard.press("n")
    expect(page.locator("#compare-done")).to_contain_text("No pair is left", timeout=WAIT_MS)
    settle(page)
    # Only the reveal's reply carried names: nothing after it did.
    later = [b.decode("utf-8", "replace") for _, b in rec.bodies[seen[0] :]]
    later += [t for _, t in rec.streams[seen[1] :]]
    assert leaks("".join(later)) == []
    assert rec.foreign == []

    with live_app.db.read() as session:
        rows = session.execute(
            select(Vote.winner)
            .join(User, User.id == Vote.user_id)
            .join(Study, Study.id == Vote.study_id)
            .where(User.username == "sven", Study.slug == compare_study)
            .order_by(Vote.id)
        ).all()
    assert [r[0] for r in rows] == winners
    page.close()
