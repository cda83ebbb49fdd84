"""The compare page's handlers as plain functions, on both engines: the picker, a vote and
the next pair, nothing left, the reason and per-axis questions, skip, the reveal (refused
before the vote and in a study that never reveals), ownership of the page state, and
blinding of everything sent to the browser before the reveal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr
import pytest
from fastapi.testclient import TestClient

from medeval_ui.config import Settings
from medeval_ui.services import studies, users
from medeval_ui.storage.engine import Database
from medeval_ui.storage.repos import pairs
from medeval_ui.web.pages import compare
from medeval_ui.web.pages import compare_handlers as ch
from medeval_ui.web.pages.compare_handlers import Duel
from tests.browser.compare_fixtures import MODELS, PW, leaks, make_pair_study
from tests.helpers import WebApp
from tests.study_builder import make_rating_study

pytestmark = [  # one app for all such modules, reset per test (conftest)
    pytest.mark.shared_app,
    pytest.mark.usefixtures("cheap_hasher"),
]

AMY, EVE, NOLANG = (
    gr.Request(username="amy"),
    gr.Request(username="eve"),
    gr.Request(username="nolang"),
)
# PAIR outputs (see compare_handlers.pair_screen)
PAIR_AREA, SKIP_ROW, VOTED_AREA, DONE_AREA, PROGRESS, STATUS = 3, 4, 5, 6, 8, 10
VOTED_MSG, REVEAL_BTN, REVEAL_TEXT = 12, 13, 14


@pytest.fixture
def study(db: Database, settings: Settings, tmp_path: Path) -> str:
    slug = make_pair_study(db, settings, tmp_path / "duel")  # 2 cases x 3 model pairs
    users.add_user(db, "amy", "clinician", password=PW, languages=["en"])
    users.add_user(db, "eve", "clinician", password=PW, languages=["en"])
    users.add_user(db, "nolang", "clinician", password=PW)
    users.add_user(db, "lea", "lead", password=PW)
    return slug


def start(db: Database, request: gr.Request, slug: str = "duel") -> tuple[Any, ...]:
    duel = ch.load_picker(db, None, request)[0]
    return ch.start_comparing(db, duel, slug, request)


def browser_part(values: Any) -> str:
    """Everything a handler returns except the gr.State (which stays on the server)."""
    items = values if isinstance(values, tuple) else (values,)
    return repr([v for v in items if not isinstance(v, Duel)])


def rendered(db: Database, settings: Settings, duel: Duel) -> tuple[compare.RenderedPair, str]:
    """Build the pair as the page's render does; dump every component's config (what
    Gradio sends to the browser)."""
    with gr.Blocks() as blocks:
        view = compare.render_pair_view(db, settings, duel, lambda *_: None)
    return view, repr([b.get_config() for b in blocks.blocks.values()])


def vote_and_continue(
    db: Database, duel: Duel, choice: str, request: gr.Request, reason: str = ""
) -> tuple[Any, ...]:
    """What a vote button does: the vote, then (chained) what follows it."""
    status, saved, *_slots = ch.vote(db, duel, choice, reason, request=request)
    assert saved, status
    return ch.after_vote(db, duel, saved, request)


def test_the_picker_lists_pairwise_studies_only(
    db: Database, settings: Settings, study: str, tmp_path: Path
) -> None:
    make_rating_study(db, settings, tmp_path / "r", slug="ratings-only")
    duel, who, note, dropdown, button, picker, view = ch.load_picker(db, None, AMY)
    assert isinstance(duel, Duel) and duel.owner == "amy" and duel.pair is None
    assert "amy" in who and "Which model wrote which is hidden" in note
    assert dropdown["choices"] == [("Blind duel", "duel")] and dropdown["value"] == "duel"
    assert button["interactive"] is True
    assert picker["visible"] is True and view["visible"] is False
    # Without languages: told where to declare them, and Start stays off.
    screen = ch.load_picker(db, None, NOLANG)
    assert screen[2] == ch.NO_LANGUAGES and screen[4]["interactive"] is False
    with pytest.raises(gr.Error, match="languages"):
        ch.start_comparing(db, screen[0], "duel", NOLANG)
    with pytest.raises(gr.Error, match="Choose a study"):
        ch.start_comparing(db, duel, None, AMY)
    with pytest.raises(gr.Error, match="does not collect pairwise"):
        ch.start_comparing(db, duel, "ratings-only", AMY)
    with pytest.raises(gr.Error, match="session has ended"):
        ch.load_picker(db, None, gr.Request(username=None))


def test_vote_reveal_next_until_nothing_is_left(
    db: Database, settings: Settings, study: str
) -> None:
    screen = start(db, AMY)
    duel = screen[0]
    assert duel.pair is not None and duel.pair.reveal_allowed
    assert screen[PAIR_AREA]["visible"] and screen[SKIP_ROW]["visible"]
    assert screen[VOTED_AREA]["visible"] is False and screen[REVEAL_BTN]["visible"] is False
    assert screen[REVEAL_TEXT] == {"value": "", "visible": False, "__type__": "update"}
    assert screen[PROGRESS].startswith("**0 of 6** compared")
    seen, revealed = set(), []
    for _ in range(6):
        seen.add(duel.pair.assignment_id)
        after = vote_and_continue(db, duel, "b", AMY)
        voted = after[0]
        assert voted.voted == "B is better" and voted.pair == duel.pair
        assert after[VOTED_AREA]["visible"] and after[REVEAL_BTN]["visible"]
        assert after[SKIP_ROW]["visible"] is False and "B is better" in after[VOTED_MSG]
        # After the vote the rendered pair has no vote buttons left.
        view, _ = rendered(db, settings, voted)
        assert view.buttons == [] and view.inputs == []
        revealed.append(ch.reveal(db, voted, AMY)["value"])
        screen = ch.next_after_vote(db, voted, AMY)
        duel = screen[0]
        if duel.pair is None:
            break
    assert len(seen) == 6 and duel.pair is None
    assert screen[DONE_AREA]["visible"] is True and screen[PAIR_AREA]["visible"] is False
    names = {f"{m} {v}".replace("-", "\\-").replace(".", "\\.") for m, v in MODELS}
    for text in revealed:
        assert sum(name in text for name in names) == 2, text
    with pytest.raises(gr.Error, match="No pair is open"):
        ch.vote(db, duel, "a", "", request=AMY)
    with db.read() as session:
        votes = pairs.study_votes(session, studies.get_study(db, "duel").id)
    assert len(votes) == 6 and {v.winner for v in votes} == {"right"}


def test_double_click_records_once(db: Database, study: str) -> None:
    duel = start(db, AMY)[0]
    first = ch.vote(db, duel, "a", "", request=AMY)
    again = ch.vote(db, duel, "a", "", request=AMY)  # the same page state, the same token
    assert first[0] == "✓ Saved." and again[0] == "✓ Already saved."
    with db.read() as session:
        assert len(pairs.study_votes(session, studies.get_study(db, "duel").id)) == 1
    voted = ch.after_vote(db, duel, first[1], AMY)[0]
    with pytest.raises(gr.Error, match="already voted"):
        ch.vote(db, voted, "b", "", request=AMY)
    with pytest.raises(gr.Error, match="cannot be skipped"):
        ch.skip(db, voted, "changed my mind", AMY)
    # after_vote with nothing saved changes nothing.
    assert all(u == gr.skip() for u in ch.after_vote(db, duel, "", AMY))


def test_the_reveal_is_refused_before_the_vote(db: Database, study: str) -> None:
    screen = start(db, AMY)
    with pytest.raises(gr.Error, match="only after your vote"):
        ch.reveal(db, screen[0], AMY)
    with pytest.raises(gr.Error, match="Vote on this pair first"):
        ch.next_after_vote(db, screen[0], AMY)


def test_a_study_that_never_reveals_goes_straight_on(
    db: Database, settings: Settings, study: str, tmp_path: Path
) -> None:
    make_pair_study(db, settings, tmp_path / "never", slug="never", reveal_policy="never")
    duel = start(db, AMY, "never")[0]
    assert not duel.pair.reveal_allowed
    after = vote_and_continue(db, duel, "tie", AMY)
    assert after[0].pair is not None and after[0].pair.assignment_id != duel.pair.assignment_id
    assert after[0].voted is None and after[VOTED_AREA]["visible"] is False
    assert after[REVEAL_BTN]["visible"] is False and "Saved" in after[STATUS]
    # Even after the vote, the reveal is refused on the server (called directly).
    with pytest.raises(gr.Error, match="does not reveal"):
        ch.reveal(db, Duel("amy", "never", duel.pair, voted="Tie"), AMY)


@pytest.mark.filterwarnings("ignore:Something is missing")
def test_a_missing_reason_is_reported_next_to_the_box(
    db: Database, settings: Settings, study: str, tmp_path: Path
) -> None:
    make_pair_study(db, settings, tmp_path / "why", slug="why", vote_reason_required=True)
    duel = start(db, AMY, "why")[0]
    _view, configs = rendered(db, settings, duel)
    assert "Reason (required)" in configs and ch.REASON_NEEDED in configs
    status, saved, reason_slot, *buttons = ch.vote(db, duel, "a", "   ", request=AMY)
    assert [b["interactive"] for b in buttons] == [True] * 4
    assert saved == "" and "reason" in status
    assert reason_slot["visible"] is True and "reason" in reason_slot["value"]
    assert all(u == gr.skip() for u in ch.after_vote(db, duel, saved, AMY))
    status, saved, reason_slot, *buttons = ch.vote(db, duel, "a", "A is safer", request=AMY)
    assert [b["interactive"] for b in buttons] == [False] * 4  # off until the next render
    assert saved == "A is better" and reason_slot["visible"] is False
    with db.read() as session:
        [vote] = pairs.study_votes(session, studies.get_study(db, "why").id)
    assert vote.winner == "left"
    with pytest.raises(gr.Error, match="Choose A is better"):
        ch.vote(db, duel, "left", "x", request=AMY)


def test_per_axis_questions_use_the_rubrics_labels(
    db: Database, settings: Settings, study: str, tmp_path: Path
) -> None:
    make_pair_study(
        db, settings, tmp_path / "axes", slug="axes", rubric="medpalm2_pairwise", image=False
    )
    duel = start(db, AMY, "axes")[0]
    questions = ch.axis_questions(duel.pair)
    rubric = studies.get_rubric(db, "axes")
    assert [q.id for q in questions] == [q.id for q in rubric.questions if q.type == "pairwise"]
    view, _configs = rendered(db, settings, duel)
    assert len(view.inputs) == 1 + len(questions) and len(view.errors) == 1 + len(questions)
    first = view.inputs[1]
    assert first.elem_id == f"axis-{questions[0].id}"
    assert first.choices == [(o.label, o.id) for o in questions[0].options]
    assert "(optional)" in first.label
    values = [None] * len(questions)
    values[0] = "bogus"
    with pytest.raises(gr.Error, match=f"Axis '{questions[0].id}'"):
        ch.vote(db, duel, "a", "", *values, request=AMY)
    with pytest.raises(gr.Error, match="out of date"):
        ch.vote(db, duel, "a", "", "b", request=AMY)
    values[0] = "b"
    out = ch.vote(db, duel, "a", "", *values, request=AMY)
    assert out[1] == "A is better" and len(out) == 3 + len(questions) + 4
    with db.read() as session:
        [vote] = pairs.study_votes(session, studies.get_study(db, "axes").id)
    assert vote.axes == {questions[0].id: "right"} and vote.winner == "left"


def test_skip_needs_a_reason_then_brings_the_next_pair(db: Database, study: str) -> None:
    duel = start(db, AMY)[0]
    with pytest.raises(gr.Error, match="why"):
        ch.skip(db, duel, "  ", AMY)
    screen = ch.skip(db, duel, "Outside my specialty", AMY)
    assert "Skipped" in screen[STATUS]
    assert screen[0].pair is not None
    assert screen[0].pair.assignment_id != duel.pair.assignment_id


def test_a_clinician_cannot_use_another_clinicians_state(
    db: Database, settings: Settings, study: str
) -> None:
    amy = start(db, AMY)[0]
    for call in (
        lambda: ch.vote(db, amy, "a", "", request=EVE),
        lambda: ch.after_vote(db, amy, "A is better", EVE),
        lambda: ch.next_after_vote(db, amy, EVE),
        lambda: ch.skip(db, amy, "a reason", EVE),
        lambda: ch.reveal(db, amy, EVE),
        lambda: ch.pair_image(db, settings, amy, 0, None, EVE),
        lambda: ch.start_comparing(db, amy, "duel", EVE),
    ):
        with pytest.raises(gr.Error, match="another session"):
            call()
    # A forged state naming eve but holding amy's pair: the services refuse it.
    forged = Duel("eve", "duel", amy.pair)
    with pytest.raises(gr.Error, match="not one of yours"):
        ch.vote(db, forged, "a", "", request=EVE)
    ch.vote(db, amy, "a", "", request=AMY)
    with pytest.raises(gr.Error, match="not one of yours"):
        ch.reveal(db, Duel("eve", "duel", amy.pair, voted="A is better"), EVE)
    with pytest.raises(gr.Error, match="not part of one of your items"):
        ch.pair_image(db, settings, forged, 0, None, EVE)


def test_nothing_sent_before_the_reveal_names_a_model(
    db: Database, settings: Settings, study: str
) -> None:
    sent: list[str] = []
    sent.append(browser_part(ch.load_picker(db, None, AMY)))
    screen = start(db, AMY)
    duel = screen[0]
    sent.append(browser_part(screen))
    # The case with its image, rendered as the page does (file name and model hidden).
    while not duel.pair.images:
        sent.append(browser_part(ch.skip(db, duel, "looking for the image", AMY)))
        duel = ch.start_comparing(db, duel, "duel", AMY)[0]
        sent.append(browser_part(duel))
    image = ch.pair_image(db, settings, duel, 0, None, AMY)
    assert image.size == (24, 16) and image.info == {}
    for _ in range(3):
        _view, configs = rendered(db, settings, duel)
        sent.append(configs)
        assert "Response A" in configs and "Response B" in configs and "vote-both-bad" in configs
        out = ch.vote(db, duel, "both_bad", "", request=AMY)
        sent.append(browser_part(out))
        after = ch.after_vote(db, duel, out[1], AMY)
        sent.append(browser_part(after))
        sent.append(rendered(db, settings, after[0])[1])
        next_screen = ch.next_after_vote(db, after[0], AMY)
        sent.append(browser_part(next_screen))
        duel = next_screen[0]
    # The whole page's static config (hidden components included) is neutral too.
    page = compare.build_compare_page(db, settings)
    sent.append(repr(page.get_config_file()))
    everything = "\n".join(sent)
    assert leaks(everything) == []
    assert "reveal-btn" in everything and "Show which models these were" in everything
    # The search can fail: the reveal's reply names both models.
    revealed = ch.reveal(db, after[0], AMY)
    assert len(leaks(browser_part(revealed))) >= 2


def test_the_compare_page_is_mounted_with_its_keyboard_script(
    settings: Settings, db: Database, study: str, web_app: WebApp
) -> None:
    with TestClient(web_app(settings)) as client:
        page = client.get("/compare/", headers={"accept": "text/html"}, follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"] == "/login"
        assert client.get("/compare/config").status_code == 401
        login = client.post("/login", data={"username": "amy", "password": PW})
        assert login.status_code == 200
        page = client.get("/compare/", headers={"accept": "text/html"})
        assert page.status_code == 200 and "__medevalCompareShortcuts" in page.text
        assert "vote-both-bad" in page.text and "next-pair-btn" in page.text
        assert leaks(page.text) == []
