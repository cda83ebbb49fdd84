"""The lead page's handlers, called as plain functions (no browser, no Gradio server)."""

from __future__ import annotations

from pathlib import Path

import gradio as gr
import pytest

from medeval_ui.config import Settings
from medeval_ui.errors import MedevalError
from medeval_ui.services import studies, users
from medeval_ui.services.annotation import flag_item, next_item, submit_item
from medeval_ui.storage.engine import Database
from medeval_ui.web.pages import lead, lead_users
from medeval_ui.web.pages.lead import (
    NOTHING_IMPORTED,
    create_study,
    export_links,
    import_file,
    load_lead_page,
    load_progress,
    mapping_from_text,
)
from tests.helpers import db_snapshot, write_jsonl
from tests.study_builder import clinician, make_rating_study

PW = "correct horse battery"
LEA, ROOT, AMY = gr.Request(username="lea"), gr.Request(username="root"), gr.Request(username="amy")


pytestmark = pytest.mark.usefixtures("cheap_hasher")


@pytest.fixture
def people(db: Database) -> None:
    users.add_user(db, "lea", "lead", password=PW)
    users.add_user(db, "root", "admin", password=PW)
    clinician(db, "amy", ["en"])


def new_study(db: Database, request: gr.Request, **changes: object) -> tuple[str, list, list]:
    values: dict[str, object] = {
        "slug": "sepsis",
        "title": "Sepsis",
        "description": "",
        "guidelines": "Read **carefully**.",
        "rubric": "xlingeval_correctness",
        "modes": ["rating"],
        "ratings_per_output": 2,
        "blind": True,
        "show_reference": False,
        "pivot_language": "EN",
    }
    values.update(changes)
    return create_study(db, *values.values(), request)  # type: ignore[arg-type]


def test_mapping_from_text_reads_the_cli_options() -> None:
    mapping = mapping_from_text(
        "prompt = question_*\n\n reference_answer=answer_*\r\n", "specialty=cardiology", "", "x_*"
    )
    assert mapping.specs == {"prompt": "question_*", "reference_answer": "answer_*"}
    assert mapping.constants == {"specialty": "cardiology"} and mapping.ignore == ("x_*",)
    assert mapping.is_wide
    with pytest.raises(MedevalError, match="column mapping 'prompt': expected FIELD=VALUE"):
        mapping_from_text("prompt")


def test_everything_refuses_a_clinician_and_no_session(
    db: Database, settings: Settings, people: None
) -> None:
    calls = [
        lambda r: load_lead_page(db, r),
        lambda r: new_study(db, r),
        lambda r: import_file(db, settings, "s", "cases", "f.csv", "", "", "", "", "", r),
        lambda r: load_progress(db, "s", r),
        lambda r: export_links(db, "s", "ratings", "csv", "long", False, r),
        lambda r: lead_users.users_overview(db, r),
    ]
    before = db_snapshot(db)
    for call in calls:
        for request in (AMY, None, gr.Request(username="ghost")):
            with pytest.raises(gr.Error):
                call(request)
    assert db_snapshot(db) == before


def test_create_study_and_its_mistakes(db: Database, people: None) -> None:
    greeting, rows, slugs = load_lead_page(db, LEA)
    assert "lea" in greeting and "(lead)" in greeting and rows == [] and slugs == []
    message, rows, slugs = new_study(db, LEA)
    assert "sepsis" in message and slugs == ["sepsis"]
    assert rows == [
        ["sepsis", "Sepsis", "xlingeval_correctness v1.0", "rating", 2, "yes", "hidden", "en", 0, 0]
    ]
    info = studies.get_study(db, "sepsis")
    assert info.ratings_per_output == 2 and info.pivot_language == "en" and info.blind
    before = db_snapshot(db)
    for changes, message in [
        ({}, "a study with slug 'sepsis' already exists"),
        ({"slug": "Bad Slug"}, "study slug 'Bad Slug' must be"),
        ({"slug": "x2", "title": " "}, "a study needs a title"),
        ({"slug": "x2", "ratings_per_output": 1.5}, "ratings per output must be a whole number"),
        ({"slug": "x2", "ratings_per_output": None}, "ratings per output must be a whole number"),
        ({"slug": "x2", "ratings_per_output": 0}, "at least 1"),
        ({"slug": "x2", "pivot_language": "not a tag"}, "is not a BCP-47 tag"),
        ({"slug": "x2", "modes": []}, "unknown study mode"),
        ({"slug": "x2", "rubric": None}, "choose a rubric preset"),
        ({"slug": "x2", "rubric": "nope"}, "unknown rubric preset 'nope'"),
    ]:
        with pytest.raises(gr.Error, match=message):
            new_study(db, LEA, **changes)
    assert db_snapshot(db) == before


def test_import_summary_and_refused_file(
    db: Database, settings: Settings, people: None, tmp_path: Path
) -> None:
    new_study(db, LEA)
    wide = tmp_path / "upload" / "my cases.csv"
    wide.parent.mkdir()
    wide.write_text("id,q_en,q_fr\n1,Fever?,Fièvre ?\n2,Cough?,\n", encoding="utf-8")
    maps = "group_id=id\nprompt=q_*"
    summary = import_file(db, settings, "sepsis", "cases", str(wide), maps, "", "", "", "", LEA)
    assert summary.splitlines()[0] == (
        "my cases.csv: 3 cases imported, 0 already present and unchanged"
    )
    assert "by language: en 2, fr 1" in summary

    bad = tmp_path / "upload" / "outputs.jsonl"
    write_jsonl(bad, [{"case_id": "1-en", "model": "m", "text": "ok"}, {"case_id": "nope"}])
    before = db_snapshot(db)
    shown = import_file(db, settings, "sepsis", "outputs", str(bad), "", "", "", "", "", LEA)
    assert shown.startswith("outputs.jsonl, line 2") and shown.endswith(NOTHING_IMPORTED)
    assert str(tmp_path) not in shown  # the person's file name, not the server's path
    bad_map = import_file(db, settings, "sepsis", "cases", str(wide), "oops", "", "", "", "", LEA)
    assert "expected FIELD=VALUE" in bad_map and NOTHING_IMPORTED in bad_map
    unknown = import_file(db, settings, "sepsis", "people", str(wide), "", "", "", "", "", LEA)
    assert "unknown import kind 'people'" in unknown
    elsewhere = import_file(db, settings, "nope", "cases", str(wide), "", "", "", "", "", LEA)
    assert "no study with slug 'nope'" in elsewhere
    assert import_file(db, settings, "", "cases", str(wide), "", "", "", "", "", LEA).startswith(
        "Choose a study"
    )
    assert import_file(db, settings, "sepsis", "cases", None, "", "", "", "", "", LEA).startswith(
        "Choose a file"
    )
    assert db_snapshot(db) == before


def test_assignments_gold_progress_and_flags(
    db: Database, settings: Settings, people: None, tmp_path: Path
) -> None:
    make_rating_study(db, settings, tmp_path, languages=("en",), groups=2, k=1)
    clinician(db, "ben", ["en"])
    named = tmp_path / "named.csv"
    named.write_text("who,case\nben,q1-en\n", encoding="utf-8")
    args = (str(named), "username=who\ncase_id=case", "", "", "", "")
    shown = import_file(db, settings, "chest", "assignments", *args, LEA)
    assert shown.startswith("named.csv: 1 assignments imported")
    gold = tmp_path / "gold.csv"
    gold.write_text("case_id,model,correctness\nq0-en,Asclepius-9,contradictory\n", "utf-8")
    shown = import_file(db, settings, "chest", "gold", str(gold), "", "", "", "", "", ROOT)
    assert shown.startswith("gold.csv: 1 gold answers imported")
    bad = tmp_path / "bad-gold.csv"
    bad.write_text("case_id,model,correctness\nq0-en,Asclepius-9,maybe\n", "utf-8")
    before = db_snapshot(db)
    shown = import_file(db, settings, "chest", "gold", str(bad), "", "", "", "", "", LEA)
    assert "bad-gold.csv, row 2, field 'correctness'" in shown and NOTHING_IMPORTED in shown
    assert db_snapshot(db) == before

    item = next_item(db, "ben", "chest")
    assert item is not None and item.case_label == "q1-en"  # named first
    answers = {r.position: {"correctness": "contradictory"} for r in item.responses}
    submit_item(db, "ben", item.assignment_id, answers, {}, {}, item.client_token)
    item = next_item(db, "ben", "chest")
    assert item is not None
    flag_item(db, "ben", item.assignment_id, "reference looks *wrong*")

    summary, rows, flags = load_progress(db, "chest", LEA)
    assert summary == ("**chest**: 1 clinicians · 1 items done · 0 skipped · 1 open · 1 flagged")
    assert rows == [["ben", "en", 1, 0, 1, 1, rows[0][6], 0, None]]
    note = "reference looks *wrong*"
    assert flags == [[item.assignment_id, "ben", item.case_label, "en", note, flags[0][5]]]
    assert flags[0][5].startswith("20")  # ISO date and time, to the minute
    assert load_progress(db, "", LEA) == ("Choose a study.", [], [])
    with pytest.raises(gr.Error, match="no study with slug 'nope'"):
        load_progress(db, "nope", LEA)


def test_export_links(db: Database, people: None) -> None:
    new_study(db, LEA)
    link = export_links(db, "sepsis", "ratings", "csv", "wide", False, LEA)
    assert link == (
        r"[Download sepsis\-ratings\-wide\.csv](/api/export/ratings.csv?study=sepsis&shape=wide)"
    )
    arena = export_links(db, "sepsis", "votes", "arena", "long", True, ROOT)
    assert arena.endswith("(/api/export/votes.arena?study=sepsis&usernames=1)")
    for args, request, message in [
        (("sepsis", "ratings", "csv", "long", True), LEA, "for admins only"),
        (("sepsis", "cases", "arena", "long", False), LEA, "arena format is for votes only"),
        (("sepsis", "cases", "csv", "long", True), ROOT, "ratings and votes only"),
        (("nope", "cases", "csv", "long", False), LEA, "no study with slug 'nope'"),
        (("sepsis", "people", "csv", "long", False), LEA, "choose what to export"),
        ((None, "cases", "csv", "long", False), LEA, "choose a study"),
    ]:
        with pytest.raises(gr.Error, match=message):
            export_links(db, *args, request)


def test_users_management_is_for_admins(db: Database, people: None) -> None:
    note, rows = lead_users.users_overview(db, LEA)
    assert note == lead_users.LEADS_NOTE and rows == []
    before = db_snapshot(db)
    refused = [
        lambda r: lead_users.list_user_rows(db, r),
        lambda r: lead_users.add_user(db, "eve", "admin", "", "", "", r),
        lambda r: lead_users.set_role(db, "lea", "admin", r),
        lambda r: lead_users.set_languages(db, "amy", "fr", r),
        lambda r: lead_users.set_active(db, "amy", False, r),
        lambda r: lead_users.reset_password(db, "amy", r),
    ]
    for call in refused:
        for request in (LEA, AMY):
            with pytest.raises(gr.Error, match="needs the role admin"):
                call(request)
    assert db_snapshot(db) == before

    _note, rows = lead_users.users_overview(db, ROOT)
    assert sorted(r[0] for r in rows) == ["amy", "lea", "root"]
    message, rows = lead_users.add_user(db, "Eve", "clinician", "Eve E.", "en, pt-br", "", ROOT)
    password = message.split("`")[1]
    assert users.authenticate(db, "eve", password) is not None
    assert ["eve", "Eve E.", "clinician", "en, pt-BR", "", "yes"] in [r[:6] for r in rows]
    lead_users.set_role(db, "eve", "lead", ROOT)
    lead_users.set_languages(db, "eve", "fr ar", ROOT)
    info = users.get_user(db, "eve")
    assert info.role == "lead" and info.languages == ["fr", "ar"]
    message, _rows = lead_users.set_active(db, "eve", False, ROOT)
    assert "deactivated" in message and users.authenticate(db, "eve", password) is None
    lead_users.set_active(db, "eve", True, ROOT)
    message, _rows = lead_users.reset_password(db, "eve", ROOT)
    assert users.authenticate(db, "eve", message.split("`")[1]) is not None
    for call, message in [
        (lambda: lead_users.add_user(db, "eve", "clinician", "", "", "", ROOT), "already exists"),
        (lambda: lead_users.set_role(db, "root", "lead", ROOT), "last active admin"),
        (lambda: lead_users.set_languages(db, "eve", "xx-!!", ROOT), "not a valid BCP-47"),
        (lambda: lead_users.reset_password(db, "ghost", ROOT), "no user named 'ghost'"),
    ]:
        with pytest.raises(gr.Error, match=message):
            call()


def test_the_page_builds_with_named_events(db: Database, settings: Settings) -> None:
    blocks = lead.build_lead_blocks(db, settings)
    names = {d["api_name"] for d in blocks.config["dependencies"]}
    assert {"create_study", "import_file", "progress", "export_link", "add_user"} <= names
    assert None not in names
