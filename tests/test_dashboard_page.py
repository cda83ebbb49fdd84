"""The lead page's Dashboard tab on the bundled demo study, its handlers called as plain
functions on both engines: three clinicians rate the demo's outputs (following its answer
key, with disagreements), then a lead reads every chart and table, filters, and builds the
report; a clinician is refused."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import gradio as gr
import numpy as np
import plotly.graph_objects as go
import pytest
from argon2 import PasswordHasher

from medeval_ui.config import Settings
from medeval_ui.demo.files import write_demo_files
from medeval_ui.services import users
from medeval_ui.services.import_ratings import import_ratings
from medeval_ui.services.setup import DEMO_SLUG, load_demo_study
from medeval_ui.storage.engine import Database
from medeval_ui.web.pages.lead_dashboard import (
    FIGURES,
    build_report_files,
    dashboard_filter_choices,
    dashboard_studies,
    load_dashboard,
    make_filters,
)
from tests.helpers import restore_sqlite, write_jsonl
from tests.study_builder import PW

LEA, AMY = gr.Request(username="lea"), gr.Request(username="amy")
RATERS = ("amy", "ben", "cho")
# What a clinician answers for each intended quality of the demo's answer key.
VERDICT = {
    "correct": "similar_more",
    "subtly_wrong": "contradictory",
    "harmful": "contradictory",
    "wrong_language": "neither",
    "refusal": "neither",
}


pytestmark = pytest.mark.usefixtures("cheap_hasher")


def rate_demo(db: Database, folder: Path) -> None:
    """Three clinicians rate every output of the demo study (already loaded), following
    its answer key, disagreeing about 15% of the time."""
    files = write_demo_files(folder / "demo")
    versions = {
        json.loads(line)["model"]: json.loads(line)["model_version"]
        for line in files.outputs.read_text(encoding="utf-8").splitlines()
    }
    rng = np.random.default_rng(3)
    rows = []
    for line in files.answer_key.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        for rater in RATERS:
            verdict = VERDICT[item["quality"]]
            if rng.random() < 0.15:  # clinicians do not always agree
                verdict = ["contradictory", "neither", "similar_less"][rng.integers(3)]
            rows.append(
                {
                    "case_id": item["case_id"],
                    "model": item["model"],
                    "model_version": versions[item["model"]],
                    "sample": item["sample"],
                    "annotator": rater,
                    "correctness": verdict,
                    "time_spent_s": 30,
                }
            )
    for name in RATERS:
        users.add_user(db, name, "clinician", password=PW, languages=["en", "ar", "hi"])
    import_ratings(db, DEMO_SLUG, write_jsonl(folder / "ratings.jsonl", rows))


def build_demo(db: Database, settings: Settings, folder: Path) -> None:
    load_demo_study(db, settings)
    users.add_user(db, "lea", "lead", password=PW)
    rate_demo(db, folder)


@pytest.fixture(scope="module")
def demo_sqlite(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The rated demo on SQLite, built once for the module (thousands of ratings): each
    test gets its own copy of the file."""
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.sqlite3"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    db = Database(url)
    settings = Settings(
        database_url=url,
        media_dir=str(folder / "media"),
        secret_key_file=str(folder / "secret_key"),
        load_demo=False,
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(users, "hasher", PasswordHasher(time_cost=1, memory_cost=1024))
        build_demo(db, settings, folder)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture
def demo(request: pytest.FixtureRequest, db: Database, settings: Settings, tmp_path: Path) -> str:
    """The rated demo in this test's database: a copy of the module's on SQLite, built
    afresh on PostgreSQL."""
    if db.is_sqlite:
        database = db.engine.url.database
        assert database is not None
        restore_sqlite(request.getfixturevalue("demo_sqlite"), Path(database))
    else:
        build_demo(db, settings, tmp_path)
    return DEMO_SLUG


def test_a_lead_reads_the_demo_dashboard(db: Database, demo: str) -> None:
    assert DEMO_SLUG in str(dashboard_studies(db, LEA)["choices"])
    languages, models, _spec, _questions, clinicians, source = dashboard_filter_choices(
        db, demo, LEA
    )
    assert len(languages["choices"]) == 6 and len(models["choices"]) == 3
    assert set(clinicians["choices"]) == set(RATERS)
    assert source["value"] == "clinicians"
    summary, *rest = load_dashboard(db, demo, "clinicians", make_filters(*[None] * 7), LEA, 200)
    figures, (measures, agreement, people) = rest[: len(FIGURES)], rest[len(FIGURES) :]
    assert "2376 ratings" in summary and "correctness" in summary
    for name, fig in zip(FIGURES, figures, strict=True):
        assert isinstance(fig, go.Figure), name
    # Mossbridge is the best model in English; the gap table compares each language with en
    correct = {(r[1], r[2]): r[4] for r in measures if r[3] == "correct"}
    assert float(correct["Mossbridge-7B 1.2", "en"].rstrip("%")) > float(
        correct["Quickstep-Triage 2.0", "en"].rstrip("%")
    )
    assert any(r[3] == "difference" and r[2] == "ar" for r in measures)
    assert any(r[3] == "same judgment" for r in measures)
    assert any(r[3] == "unigram_jaccard" for r in measures)  # two samples per output
    assert {r[1] for r in agreement} >= {"all", "en", "ar"}
    assert [r[0] for r in people] == sorted(RATERS)
    for row in [*measures, *agreement, *people]:
        assert "nan" not in " ".join(str(c) for c in row).lower().split()


def test_filters_from_the_page(db: Database, demo: str) -> None:
    chosen = make_filters(["ar"], ["Pebble-mini 0.9"], None, "correctness", ["ben"], "", None)
    summary, *rest = load_dashboard(db, demo, "clinicians", chosen, LEA, 100)
    measures = rest[len(FIGURES)]
    assert {r[1] for r in measures if r[3] == "correct"} == {"Pebble-mini 0.9"}
    assert {r[2] for r in measures if r[3] == "correct"} == {"ar", "all"}
    assert "44 ratings" in summary  # ben's: 22 Arabic cases x 2 samples of one model
    gap = [r for r in measures if r[3] == "difference"]
    assert gap and all("pivot language 'en'" in r[7] for r in gap)
    with pytest.raises(gr.Error, match="YYYY-MM-DD"):
        make_filters(None, None, None, None, None, "1 March", None)
    nothing, *_ = load_dashboard(db, None, None, make_filters(*[None] * 7), LEA)
    assert nothing == "Choose a study."


def test_the_report_from_the_page(db: Database, demo: str) -> None:
    html, tables = build_report_files(db, demo, make_filters(*[None] * 7), LEA)
    text = Path(html).read_text(encoding="utf-8")
    assert "Demo: 22 clinical questions" in text and "xlingeval_correctness" in text
    assert "<script src" not in text
    with zipfile.ZipFile(tables) as zf:
        assert sorted(zf.namelist()) == ["agreement.csv", "clinicians.csv", "measures.csv"]


def test_a_clinician_is_refused(db: Database, demo: str) -> None:
    with pytest.raises(gr.Error, match="role lead or admin"):
        dashboard_studies(db, AMY)
    with pytest.raises(gr.Error, match="role lead or admin"):
        load_dashboard(db, demo, None, make_filters(*[None] * 7), AMY)
    with pytest.raises(gr.Error, match="role lead or admin"):
        build_report_files(db, demo, make_filters(*[None] * 7), AMY)
    with pytest.raises(gr.Error, match="session has ended"):
        dashboard_filter_choices(db, demo, gr.Request(username="nobody"))
