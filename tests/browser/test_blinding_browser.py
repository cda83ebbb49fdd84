"""Chromium: nothing that reaches a clinician's browser in a blind study names a model.

A small blind study is built through the real services: two cases, each answered by two
models with distinctive names and versions, one case carrying pydicom's CT_small.dcm under
a revealing file name. A fresh clinician completes it in Chromium while every response is
recorded (HTML with Gradio's inlined config, JSON, files, headers, and the server-sent
event stream chunk by chunk as the page read it). No model name, version, model id, output
id or original file name may appear in any of it (DESIGN.md invariant 1), and nothing may
leave 127.0.0.1 (invariant 6).

The search is proved able to fail: the same function finds the names in the database, and
in what the same recorder captures when the same models are shown in a study that is not
blind (where the names travel only in the event stream).
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request, expect
from pydicom.data import get_testdata_file
from sqlalchemy import insert, select

from medeval_ui.services import studies, users
from medeval_ui.services.import_cases import import_cases
from medeval_ui.services.import_outputs import import_outputs
from medeval_ui.storage.tables import Case, CaseImage, Model, Output, Study
from tests.browser.conftest import PW, LiveApp, login, record, settle
from tests.helpers import write_jsonl

pytestmark = pytest.mark.slow

WAIT_MS = 15_000
MODELS = (("ZebraMed-7B", "v9.1.4417"), ("OkapiCare-13B", "r31.4.2"))
IMAGE_NAME = "patient_doe_ZebraMed.dcm"
# Ids far from anything else in the page (component ids, sizes), so that finding one as a
# whole number means it leaked. The app's own tables are padded up to them once.
MODEL_ID_FLOOR = 7_340_001
OUTPUT_ID_FLOOR = 9_130_001
LANGUAGE = "de"  # the clinician reads only German: the demo study stays out of the way
CASES: list[dict[str, Any]] = [
    {
        "external_id": "k1-de",
        "group_id": "k1",
        "language": LANGUAGE,
        "prompt": "Beschreiben Sie diese axiale CT-Schicht. Welches Fenster wählen Sie?",
        "reference_answer": "Eine systematische Durchsicht; keine Diagnose aus einer Schicht.",
        "images": [IMAGE_NAME],
    },
    {
        "external_id": "k2-de",
        "group_id": "k2",
        "language": LANGUAGE,
        "prompt": "Was tun bei Brustschmerz seit einer Stunde?",
        "reference_answer": "Sofort den Notruf 112 wählen.",
    },
]
ANSWERS = {  # neutral texts: none of them names a model
    ("k1-de", 0): "Knochenfenster für die Wirbel, Weichteilfenster für das Mediastinum.",
    ("k1-de", 1): "Ich würde das Lungenfenster wählen und systematisch vorgehen.",
    ("k2-de", 0): "Notruf 112 wählen und nicht selbst fahren.",
    ("k2-de", 1): "Hinlegen und abwarten, ob es besser wird.",
}


@dataclass(frozen=True)
class Secrets:
    """What must never reach the browser in a blind study."""

    words: tuple[str, ...]  # model names and versions, the original image file name
    numbers: tuple[int, ...]  # model ids and output ids

    def found_in(self, text: str) -> list[str]:
        """The secrets in ``text``, also behind JSON, HTML or Markdown escapes (a backslash
        before a hyphen or dot, a \\u escape, an HTML entity)."""
        plain = html.unescape(_UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text))
        plain = plain.replace("\\", "")
        hits = [w for w in self.words if any(_word(w).search(t) for t in (text, plain))]
        hits += [str(n) for n in self.numbers if re.search(rf"(?<!\d){n}(?!\d)", plain)]
        return hits


_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _word(word: str) -> re.Pattern[str]:
    return re.compile(re.escape(word), re.IGNORECASE)


def pad_ids(live_app: LiveApp, folder: Path) -> None:
    """Make the next model and output ids large and unmistakable: one placeholder model
    and output (in a French case no test clinician reads) sit just below them."""
    studies.create_study(live_app.db, "padding", "Padding", "xlingeval_correctness")
    case = {"external_id": "p-fr", "group_id": "p", "language": "fr", "prompt": "Rien."}
    import_cases(live_app.db, live_app.settings, "padding", write_jsonl(folder / "p.jsonl", [case]))
    with live_app.db.write() as session:
        case_id = session.scalar(select(Case.id).where(Case.external_id == "p-fr"))
        session.execute(insert(Model).values(id=MODEL_ID_FLOOR, name="placeholder", version=""))
        session.execute(
            insert(Output).values(
                id=OUTPUT_ID_FLOOR, case_id=case_id, model_id=MODEL_ID_FLOOR, text="Rien."
            )
        )


def make_study(live_app: LiveApp, folder: Path, slug: str, *, blind: bool) -> None:
    studies.create_study(
        live_app.db,
        slug,
        "Kurze Studie" if blind else "Offene Studie",
        "xlingeval_correctness",
        ratings_per_output=1,
        blind=blind,
        show_reference=True,
        guidelines="Vergleichen Sie mit der Referenz.",
    )
    folder.mkdir(parents=True, exist_ok=True)
    src = get_testdata_file("CT_small.dcm", download=False)
    assert src is not None
    shutil.copy(src, folder / IMAGE_NAME)
    cases = [{**c, "external_id": f"{slug}-{c['external_id']}"} for c in CASES]
    import_cases(live_app.db, live_app.settings, slug, write_jsonl(folder / "cases.jsonl", cases))
    outputs = [
        {
            "case_id": f"{slug}-{case_id}",
            "model": MODELS[m][0],
            "model_version": MODELS[m][1],
            "sample": 0,
            "text": text,
        }
        for (case_id, m), text in ANSWERS.items()
    ]
    import_outputs(live_app.db, slug, write_jsonl(folder / "outputs.jsonl", outputs))


def secrets_of(live_app: LiveApp, slug: str) -> Secrets:
    """Straight from the database: the names, versions and ids behind the study."""
    with live_app.db.read() as session:
        study_id = session.scalar(select(Study.id).where(Study.slug == slug))
        outputs = session.execute(
            select(Output.id, Model.id, Model.name, Model.version)
            .join(Model, Model.id == Output.model_id)
            .join(Case, Case.id == Output.case_id)
            .where(Case.study_id == study_id)
        ).all()
        sources = session.scalars(
            select(CaseImage.source_name)
            .join(Case, Case.id == CaseImage.case_id)
            .where(Case.study_id == study_id)
        ).all()
    words = {w for o in outputs for w in (o[2], o[3])} | set(sources)
    words |= {Path(s).stem for s in sources} | {"patient_doe", "ZebraMed", "OkapiCare"}
    numbers = {o[0] for o in outputs} | {o[1] for o in outputs}
    return Secrets(tuple(sorted(words)), tuple(sorted(numbers)))


def page_state(page: Page) -> str:
    """What the page holds besides the network: its DOM, storage and cookies."""
    storage = page.evaluate(
        "() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])"
    )
    cookies = json.dumps(page.context.cookies())
    return f"{page.content()}\n{storage}\n{cookies}"


def answer_everything(page: Page) -> None:
    """Rate every response of the open item with mouse clicks."""
    n = page.locator('[id^="response-"]').count()
    assert n == 2
    for pos in range(1, n + 1):
        page.locator(f"#q-{pos}-correctness label").nth(pos).click()
        page.locator(f"#q-{pos}-confidence label").nth(2).click()
        page.locator(f"#comment-{pos} textarea").fill(f"Kommentar {pos}")


def image_urls(requests: Iterable[Request]) -> list[str]:
    return [r.url for r in requests if r.resource_type == "image" and "/assets/" not in r.url]


def test_nothing_the_browser_receives_names_a_model(
    live_app: LiveApp, browser: Browser, tmp_path: Path
) -> None:
    pad_ids(live_app, tmp_path)
    make_study(live_app, tmp_path / "blind", "kurz", blind=True)
    secrets = secrets_of(live_app, "kurz")
    # The secrets are real: the ids are the padded ones, the file name is the revealing one.
    assert all(n > MODEL_ID_FLOOR for n in secrets.numbers), secrets
    assert IMAGE_NAME in secrets.words and "ZebraMed-7B" in secrets.words
    # The search sees through the escapes a page uses.
    for disguised, term in (
        ("ZebraMed\\\\-7B", "ZebraMed-7B"),  # Markdown escape inside JSON
        ("v9\\.1\\.4417", "v9.1.4417"),
        ("r31\\u002e4.2", "r31.4.2"),  # JSON unicode escape
        ("OkapiCare&#45;13B", "OkapiCare-13B"),  # HTML entity
    ):
        assert term in secrets.found_in(f'"x": "Model: **{disguised}**"'), disguised
    users.add_user(live_app.db, "bianca", "clinician", password=PW, languages=[LANGUAGE])

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    rec = record(page, live_app.url)
    requests: list[Request] = []
    page.on("request", lambda r: requests.append(r))
    snapshots: list[str] = []

    login(page, live_app.url, "bianca")
    start = page.locator("#study-start")
    expect(start).to_have_text("Start", timeout=WAIT_MS)
    expect(page.locator("#studies-table")).to_contain_text("Kurze Studie")
    snapshots.append(page_state(page))
    start.click()

    seen_cases = []
    shown_srcs: list[str] = []
    for round_ in range(2):
        header = page.locator("#case-header")
        expect(header).to_contain_text("Case kurz-", timeout=WAIT_MS)
        case = re.search(r"Case (\S+)", header.inner_text())
        assert case
        seen_cases.append(case.group(1))
        if page.locator("#image-1").count():
            # The DICOM case: its pixels, then another window setting (a second render).
            expect(page.locator("#image-1 img").first).to_be_visible(timeout=WAIT_MS)
            page.locator("#window-1 label").nth(2).click()
            # The slider's right side shows the new window. The sources are taken in the
            # same check: read again afterwards, a re-render under load once gave one.
            both = page.wait_for_function(
                "() => { const s = [...new Set([...document.querySelectorAll('#image-1 img')]"
                ".map((i) => i.src).filter((u) => u.includes('/file=')))];"
                " return s.length > 1 ? s : null; }",
                timeout=WAIT_MS,
            )
            shown_srcs += both.json_value()
            flag = page.locator("#flag-note textarea, #flag-note input").first
            flag.fill("Das Bild ist klein.")
            page.locator("#flag-btn").click()
            expect(page.locator("#status")).to_contain_text("Flagged", timeout=WAIT_MS)
        answer_everything(page)
        snapshots.append(page_state(page))
        page.locator("#submit-btn").click()
        expect(page.locator("#status")).to_contain_text("Saved", timeout=WAIT_MS)
        if round_ == 0:
            expect(header).not_to_contain_text(f"Case {seen_cases[-1]} ", timeout=WAIT_MS)
    assert sorted(seen_cases) == ["kurz-k1-de", "kurz-k2-de"]
    expect(page.locator("#done-area")).to_contain_text("Nothing left", timeout=WAIT_MS)

    # The history lists both items; editing one brings its form (and image) back.
    page.locator("#history button.label-wrap").click()
    page.locator("#history-select input").click()
    page.get_by_role("option", name=re.compile("kurz-k1-de")).click()
    page.locator("#edit-btn").click()
    expect(page.locator("#status")).to_contain_text("editing", timeout=WAIT_MS)
    expect(page.locator("#image-1 img").first).to_be_visible(timeout=WAIT_MS)
    snapshots.append(page_state(page))
    page.locator("#home-btn").click()
    expect(page.locator("#studies-table")).to_contain_text("2 of 2", timeout=WAIT_MS)
    settle(page)  # every chunk the page read is with the recorder
    snapshots.append(page_state(page))

    # The recorder saw the event stream, with the item's content in it ...
    stream = rec.stream_text()
    assert len(stream.encode()) > 0
    assert '"msg":"process_completed"' in stream
    for text in ANSWERS.values():
        assert text in stream  # the responses themselves came through the stream
    # ... the images the page used, under neutral names ...
    images = image_urls(requests) + [u for u in shown_srcs if u]
    assert len(set(images)) >= 2, f"the DICOM case and its second window: {images}"
    for url in images:
        name = unquote(urlsplit(url).path).rsplit("/", 1)[-1]
        assert secrets.found_in(unquote(url)) == [], url
        assert re.fullmatch(r"[\w-]*\.(png|webp)", name) and not name.endswith(".dcm"), url
        assert not re.search(r"patient|doe|zebra|okapi|ct_small", name, re.IGNORECASE), url
    # ... and nothing that names a model, anywhere.
    leaks = {u: secrets.found_in(f"{u}\n{b.decode('utf-8', 'replace')}") for u, b in rec.bodies}
    leaks["(event stream)"] = secrets.found_in(stream)
    leaks["(page state)"] = secrets.found_in("\n".join(snapshots))
    assert {u: hits for u, hits in leaks.items() if hits} == {}
    assert secrets.found_in(rec.text()) == []
    assert rec.foreign == []
    page.close()

    # --- the same search finds them where they are meant to be --------------------------
    with live_app.db.read() as session:
        rows = [
            *session.execute(select(Model.id, Model.name, Model.version)).all(),
            *session.execute(select(Output.id)).all(),
            *session.execute(select(CaseImage.source_name)).all(),
        ]
    everything = set(secrets.words) | {str(n) for n in secrets.numbers}
    assert set(secrets.found_in(repr(rows))) == everything

    # In a study that is not blind, the page says "Model: ZebraMed-7B v9.1.4417", and it
    # says so only through the event stream: the same recorder must catch it there.
    make_study(live_app, tmp_path / "open", "offen", blind=False)
    shown = browser.new_page(viewport={"width": 1400, "height": 1000})
    rec_open = record(shown, live_app.url)
    login(shown, live_app.url, "bianca")
    shown.locator("#study-select input").click()
    shown.get_by_role("option", name=re.compile("Offene Studie")).click()
    expect(shown.locator("#study-start")).to_have_text("Start", timeout=WAIT_MS)
    shown.locator("#study-start").click()
    expect(
        shown.get_by_text(re.compile(r"Model: (ZebraMed-7B|OkapiCare-13B)")).first
    ).to_be_visible(timeout=WAIT_MS)
    settle(shown)
    in_stream = secrets.found_in(rec_open.stream_text())
    assert {"ZebraMed-7B", "v9.1.4417", "OkapiCare-13B", "r31.4.2"} <= set(in_stream)
    bodies_only = "\n".join(b.decode("utf-8", "replace") for _, b in rec_open.bodies)
    assert "ZebraMed-7B" not in bodies_only  # response.body() alone would have missed it
    assert rec_open.foreign == []
    shown.close()
