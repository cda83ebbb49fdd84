"""The clinician page's handlers as plain functions, on a small study built through the
real services: home and progress, blinding of everything sent to the browser, right to
left, messages next to questions, submit then next, edit, skip and flag, ownership, and
the media route."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr
import pydicom
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from medeval_ui.config import Settings
from medeval_ui.services import users
from medeval_ui.services.import_cases import import_cases
from medeval_ui.services.import_outputs import import_outputs
from medeval_ui.services.studies import create_study
from medeval_ui.storage.engine import Database
from medeval_ui.web.pages import annotate_form as form
from medeval_ui.web.pages import clinician_handlers as clinician
from medeval_ui.web.pages import home
from medeval_ui.web.pages.clinician_handlers import Work
from tests.helpers import WebApp, write_jsonl

pytestmark = [  # one app for all such modules, reset per test (conftest)
    pytest.mark.shared_app,
    pytest.mark.usefixtures("cheap_hasher"),
]

PW = "correct horse battery"
MODELS = ("Zephyrion-Secret", "Quasarmed-Hidden")
HOME_VIEW, ANNOTATE_VIEW, ITEM_AREA, DONE_AREA, TITLE, PROGRESS = 1, 2, 3, 4, 5, 6
STATUS = 8
NEUTRAL_CASES = [
    {"external_id": "c1-ar", "group_id": "c1", "language": "ar", "prompt": "ألم في الصدر؟"},
    {"external_id": "c2-ar", "group_id": "c2", "language": "ar", "prompt": "صداع شديد؟"},
    {"external_id": "c1-en", "group_id": "c1", "language": "en", "prompt": "Chest pain?"},
]


@dataclass
class Req:
    """What a handler reads from gr.Request."""

    username: str | None


def make_study(
    db: Database, settings: Settings, folder: Path, slug: str = "s1", *, blind: bool = True
) -> str:
    create_study(
        db,
        slug,
        "Chest study",
        "xlingeval_correctness",
        blind=blind,
        ratings_per_output=2,
        guidelines="Read **each** answer.",
    )
    (folder / "img").mkdir(exist_ok=True)
    Image.new("RGB", (16, 12), (200, 10, 10)).save(folder / "img" / "Zephyrion_lesion.png")
    ct = pydicom.data.get_testdata_file("CT_small.dcm", download=False)
    shutil.copy(ct, folder / "img" / "slice.dcm")
    images = ["img/Zephyrion_lesion.png", "img/slice.dcm"]
    cases = [dict(c, images=images) if c["language"] == "ar" else c for c in NEUTRAL_CASES]
    import_cases(db, settings, slug, write_jsonl(folder / f"{slug}-cases.jsonl", cases))
    outputs = [
        {
            "case_id": c["external_id"],
            "model": m,
            "model_version": "1",
            "sample": 0,
            "text": f"Answer {i} to {c['external_id']}",
        }
        for c in NEUTRAL_CASES
        for i, m in enumerate(MODELS)
    ]
    import_outputs(db, slug, write_jsonl(folder / f"{slug}-outputs.jsonl", outputs))
    return slug


@pytest.fixture
def study(db: Database, settings: Settings, tmp_path: Path) -> str:
    slug = make_study(db, settings, tmp_path)
    users.add_user(db, "amal", "clinician", password=PW, languages=["ar"])
    users.add_user(db, "ben", "clinician", password=PW, languages=["ar", "en"])
    users.add_user(db, "nolang", "clinician", password=PW)
    users.add_user(db, "lea", "lead", password=PW, languages=["en"])
    return slug


def start(db: Database, username: str, slug: str = "s1") -> tuple[Any, ...]:
    work = clinician.load_home(db, None, Req(username))[0]
    return clinician.start_study(db, work, slug, Req(username))


def browser_values(screen: tuple[Any, ...]) -> str:
    """Everything a handler returns except the gr.State (which stays on the server)."""
    return repr([v for v in screen if not isinstance(v, Work)])


def rendered_configs(item: Any, loader: Any = None) -> tuple[gr.Blocks, str]:
    """Build the item's form as the page's render does and dump every component's config:
    that is what Gradio sends to the browser."""
    loader = loader or (lambda i, w: Image.new("L", (4, 4)))
    with gr.Blocks() as blocks:
        form.render_case(item, lambda *_: None, loader)
        form.render_responses(item)
    configs = [b.get_config() for b in blocks.blocks.values()]
    return blocks, repr(configs)


def answer_all(item: Any, choice: str = "similar_more") -> list[Any]:
    values: list[Any] = []
    for f in form.form_fields(item):
        values.append(choice if f.key == "correctness" else "4" if f.key == form.CONFIDENCE else "")
    return values


def test_home_lists_the_study_with_progress(db: Database, study: str) -> None:
    screen = clinician.load_home(db, None, Req("amal"))
    work, who, lead_link, langs, note, rows, dropdown, button = screen[:8]
    assert isinstance(work, Work) and work.owner == "amal" and work.item is None
    assert "amal" in who and "(clinician)" in who
    assert lead_link["visible"] is False
    assert langs == "ar" and "Arabic" in note
    assert rows == [["Chest study", "ar", "0 of 2", "Start"]]
    assert dropdown["choices"] == [("Chest study · 0 of 2", "s1")] and dropdown["value"] == "s1"
    assert button["value"] == "Start" and button["interactive"] is True
    assert screen[-2]["visible"] is True and screen[-1]["visible"] is False
    # A lead sees the link to /lead (the page itself checks the role again).
    assert clinician.load_home(db, None, Req("lea"))[2]["visible"] is True
    # With an item open, the study says Resume.
    start(db, "amal")
    rows = clinician.load_home(db, None, Req("amal"))[5]
    assert rows == [["Chest study", "ar", "0 of 2", "Resume"]]
    assert home.pick_study(db, "s1", Req("amal"))["value"] == "Resume"


def test_a_clinician_without_languages_is_told_to_declare_them(db: Database, study: str) -> None:
    screen = clinician.load_home(db, None, Req("nolang"))
    assert screen[4] == home.NO_LANGUAGES and screen[5] == []
    assert screen[7]["interactive"] is False
    with pytest.raises(gr.Error, match="languages"):
        clinician.start_study(db, screen[0], "s1", Req("nolang"))
    saved = clinician.save_languages(db, screen[0], "ar, en", None, Req("nolang"))
    assert saved[3] == "ar, en" and saved[5] == [["Chest study", "ar, en", "0 of 3", "Start"]]
    with pytest.raises(gr.Error, match="BCP-47"):
        clinician.save_languages(db, screen[0], "klingon!", None, Req("nolang"))


def test_the_item_is_neutral_in_a_blind_study(db: Database, settings: Settings, study: str) -> None:
    screen = start(db, "amal")
    work, item = screen[0], screen[0].item
    assert item is not None and len(item.responses) == 2 and len(item.images) == 2

    def loader(index: int, window: str | None) -> Image.Image:
        return clinician.item_image(db, settings, work, index, window, Req("amal"))

    _, configs = rendered_configs(item, loader)
    sent = browser_values(screen) + configs
    for name in (*MODELS, "Zephyrion", "Quasarmed", "lesion", "output_id", ".dcm"):
        assert name not in sent
    assert "Response 1" in configs and "Response 2" in configs
    assert "q-1-correctness" in configs and "q-2-confidence" in configs
    assert "comment-2" in configs and "submit-btn" in configs
    assert "Model:" not in configs


def test_the_model_is_named_in_an_unblinded_study(
    db: Database, settings: Settings, study: str, tmp_path: Path
) -> None:
    (tmp_path / "open").mkdir()
    make_study(db, settings, tmp_path / "open", "open-study", blind=False)
    item = start(db, "amal", "open-study")[0].item
    _, configs = rendered_configs(item)
    assert "Model: **Zephyrion\\\\-Secret 1**" in configs
    assert "Quasarmed" in configs


def test_arabic_is_right_to_left_with_a_badge(db: Database, study: str) -> None:
    item = start(db, "amal")[0].item
    assert item.rtl and item.language == "ar"
    blocks, _ = rendered_configs(item)
    by_id = {b.elem_id: b for b in blocks.blocks.values() if getattr(b, "elem_id", None)}
    assert by_id["case-prompt"].rtl is True
    assert "Language: **Arabic** · ar" in by_id["case-header"].value
    # The responses here are in Latin script: they stay left to right.
    texts = [b for b in blocks.blocks.values() if "response-text" in (b.elem_classes or [])]
    assert texts and not any(t.rtl for t in texts)
    assert form.mostly_rtl("ألم في الصدر") and not form.mostly_rtl("Chest pain (ألم)")


@pytest.mark.filterwarnings("ignore:Some answers are missing")
def test_required_answers_are_reported_next_to_their_question(db: Database, study: str) -> None:
    screen = start(db, "amal")
    work, item = screen[0], screen[0].item
    values = answer_all(item)
    fields = form.form_fields(item)
    values[fields.index(form.Field(2, "correctness"))] = None
    values[fields.index(form.Field(1, form.CONFIDENCE))] = "9"
    out = clinician.save(db, work, *values, request=Req("amal"))
    assert out[1] == ""  # nothing saved: the next item is not loaded, the form keeps its values
    assert all(
        u is gr.skip() or u == gr.skip() for u in clinician.after_save(db, work, "", Req("amal"))
    )
    errors = dict(zip(form.error_keys(item), out[2:], strict=True))
    assert errors[(2, "correctness")]["visible"] is True
    assert "Please answer" in errors[(2, "correctness")]["value"]
    assert errors[(1, "confidence")]["visible"] is True
    assert errors[(1, "correctness")]["visible"] is False
    assert "missing" in out[0]
    # In the page, each message slot sits right under its question.
    blocks, _ = rendered_configs(item)
    ids = [b.elem_id for b in blocks.blocks.values() if getattr(b, "elem_id", None)]
    assert ids.index("err-2-correctness") == ids.index("q-2-correctness") + 1


def submit(db: Database, work: Work, *values: object, request: Req) -> tuple[object, ...]:
    """What the page's Submit does: save, then (chained) the next item."""
    status, saved, *errors = clinician.save(db, work, *values, request=request)
    assert saved, status
    return (*clinician.after_save(db, work, saved, request), *errors)


def test_submit_then_next_then_nothing_left_then_edit(db: Database, study: str) -> None:
    screen = start(db, "amal")
    first = screen[0].item
    assert screen[PROGRESS].startswith("**0 of 2**") and screen[ITEM_AREA]["visible"] is True
    out = submit(db, screen[0], *answer_all(first), request=Req("amal"))
    second = out[0].item
    assert "Saved" in out[STATUS] and second is not None
    assert second.assignment_id != first.assignment_id
    assert out[PROGRESS].startswith("**1 of 2**")
    assert all(u["visible"] is False for u in out[len(screen) :])
    assert out[len(screen) :]  # the error slots were cleared
    # A double click sends the same token twice: recorded once, no error.
    again = submit(db, Work("amal", "s1", first), *answer_all(first), request=Req("amal"))
    assert "Saved" in again[STATUS]
    out = submit(db, out[0], *answer_all(second), request=Req("amal"))
    assert out[0].item is None and out[DONE_AREA]["visible"] is True
    assert out[ITEM_AREA]["visible"] is False and out[PROGRESS].startswith("**2 of 2**")
    choices = clinician.load_history(db, out[0], Req("amal"))["choices"]
    assert len(choices) == 2 and all("ar" in label for label, _ in choices)
    # Edit an earlier item: its answers come back, and a submit saves a revision.
    edited = clinician.edit(db, out[0], first.assignment_id, Req("amal"))
    item = edited[0].item
    assert item.editing and item.responses[0].answers["correctness"] == "similar_more"
    _, configs = rendered_configs(item)
    assert "Save a new revision" in configs and "'similar_more'" in configs
    out = submit(db, edited[0], *answer_all(item, "neither"), request=Req("amal"))
    assert "new revision" in out[STATUS]
    assert clinician.load_home(db, None, Req("amal"))[5][0][2] == "2 of 2"


def test_resume_shows_the_same_item_in_the_same_order(db: Database, study: str) -> None:
    first = start(db, "amal")[0].item
    again = start(db, "amal")[0].item  # a reload, then Resume
    assert again.assignment_id == first.assignment_id
    assert [r.output_id for r in again.responses] == [r.output_id for r in first.responses]


def test_skip_needs_a_reason_and_flag_keeps_the_item(db: Database, study: str) -> None:
    screen = start(db, "amal")
    work = screen[0]
    with pytest.raises(gr.Error, match="why"):
        clinician.skip(db, work, "  ", Req("amal"))
    with pytest.raises(gr.Error, match="lead"):
        clinician.flag(db, work, "", Req("amal"))
    flagged = clinician.flag(db, work, "The reference is outdated", Req("amal"))
    assert flagged[0] is work and "Flagged" in flagged[STATUS]
    skipped = clinician.skip(db, work, "Outside my specialty", Req("amal"))
    assert "Skipped" in skipped[STATUS]
    assert skipped[0].item is not None and skipped[0].item.assignment_id != work.item.assignment_id


def test_a_clinician_cannot_use_another_clinicians_state_or_item(db: Database, study: str) -> None:
    amal = start(db, "amal")[0]
    values = answer_all(amal.item)
    with pytest.raises(gr.Error, match="another session"):
        clinician.save(db, amal, *values, request=Req("ben"))
    for call in (clinician.skip, clinician.flag):
        with pytest.raises(gr.Error, match="another session"):
            call(db, amal, "a reason", Req("ben"))
    with pytest.raises(gr.Error, match="another session"):
        clinician.item_image(db, Settings(load_demo=False), amal, 0, None, Req("ben"))
    ben = clinician.load_home(db, None, Req("ben"))[0]
    with pytest.raises(gr.Error, match="not one of yours"):
        clinician.edit(db, ben, amal.item.assignment_id, Req("ben"))
    # A forged Work naming ben but holding amal's item: the service refuses it.
    forged = Work("ben", "s1", amal.item)
    with pytest.raises(gr.Error, match="not one of yours"):
        clinician.save(db, forged, *values, request=Req("ben"))
    with pytest.raises(gr.Error, match="session has ended"):
        clinician.load_home(db, None, Req(None))


def test_images_come_as_clean_pixels_with_window_presets(
    db: Database, settings: Settings, study: str
) -> None:
    work = start(db, "amal")[0]
    item = work.item
    assert [i.is_dicom for i in item.images] == [False, True]
    dicom = item.images[1]
    assert "bone" in dicom.windows and "Bone (400/1800)" in form.image_label(dicom) + str(
        form.WINDOW_LABELS
    )
    plain = clinician.item_image(db, settings, work, 0, None, Req("amal"))
    assert plain.size == (16, 12) and plain.info == {}
    soft = clinician.item_image(db, settings, work, 1, "soft_tissue", Req("amal"))
    bone = clinician.item_image(db, settings, work, 1, "bone", Req("amal"))
    assert soft.size == bone.size and soft.tobytes() != bone.tobytes()


@pytest.fixture
def client(settings: Settings, db: Database, study: str, web_app: WebApp) -> Iterator[TestClient]:
    with TestClient(web_app(settings)) as test_client:
        yield test_client


def _login(client: TestClient, username: str) -> None:
    client.cookies.clear()
    response = client.post("/login", data={"username": username, "password": PW})
    assert response.status_code == 200


def test_media_route_checks_the_session_and_the_owner(
    client: TestClient, db: Database, study: str
) -> None:
    assignment = start(db, "amal")[0].item.assignment_id
    url = f"/media/item/{assignment}/1.png?window=bone"
    assert client.get(url).status_code == 401
    _login(client, "ben")
    assert client.get(url).status_code == 404
    _login(client, "amal")
    image = client.get(url)
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.headers["cache-control"] == "private, no-store"
    assert image.content.startswith(b"\x89PNG")
    assert client.get(f"/media/item/{assignment}/7.png").status_code == 404
    assert client.get(f"/media/item/{assignment}/1.png?window=nope").status_code == 400
    _login(client, "lea")  # a lead may look at any item's images
    assert client.get(url).status_code == 200


def test_the_page_carries_the_keyboard_script(client: TestClient) -> None:
    _login(client, "amal")
    page = client.get("/app/", headers={"accept": "text/html"})
    assert page.status_code == 200 and "__medevalShortcuts" in page.text
    assert "submit-btn" in page.text
