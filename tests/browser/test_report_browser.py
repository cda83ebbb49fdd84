"""The study report opened in real Chromium from a file: every chart renders, and no
request leaves the file (no CDN, no font, no image from anywhere), with no script error.

The report is built the way a lead builds it, with `medeval report`, from the bundled
demo study after three clinicians rated it, on a study whose description carries an XSS
payload that must stay text."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from medeval_ui.cli import main
from medeval_ui.config import Settings
from medeval_ui.services import studies
from medeval_ui.services.setup import DEMO_SLUG, load_demo_study, open_database, prepare
from tests.test_dashboard_page import rate_demo

pytestmark = pytest.mark.slow


def _rated_demo(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The demo study rated by three clinicians, plus a study whose title and description
    carry XSS payloads, on a fresh SQLite file the CLI is pointed at."""
    settings = Settings(
        database_url=f"sqlite:///{folder / 'medeval.sqlite3'}",
        media_dir=str(folder / "media"),
        secret_key_file=str(folder / "secret_key"),
        load_demo=False,
    )
    db = open_database(settings)
    prepare(settings, db, load_demo=False)
    load_demo_study(db, settings)
    rate_demo(db, folder)
    studies.create_study(
        db,
        "xss",
        "<img src=x onerror=alert(1)>",
        "xlingeval_correctness",
        description="<script>alert('report')</script>",
    )
    db.dispose()
    monkeypatch.setenv("MEDEVAL_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MEDEVAL_MEDIA_DIR", settings.media_dir)
    monkeypatch.setenv("MEDEVAL_SECRET_KEY_FILE", settings.secret_key_file)
    return settings


def _open_offline(browser: Browser, path: Path, *, charts: int) -> None:
    """Open the file; it must render its charts and tables, make no request but for itself,
    and raise no script error or dialog."""
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    if charts:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=20_000)
        rendered = page.locator(".js-plotly-plot").count()
        assert rendered >= charts, f"{rendered} charts rendered"
        assert page.locator("table").count() == 3
    page.wait_for_timeout(500)  # anything the page would fetch late
    assert requests == [path.as_uri()], requests
    assert errors == [] and dialogs == []
    context.close()


def test_the_report_opens_offline(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _rated_demo(tmp_path, monkeypatch)
    report = tmp_path / "report.html"
    assert main(["report", "--study", DEMO_SLUG, "-o", str(report), "--rounds", "200"]) == 0
    xss = tmp_path / "xss.html"
    assert main(["report", "--study", "xss", "-o", str(xss)]) == 0

    _open_offline(browser, report, charts=5)
    _open_offline(browser, xss, charts=0)
    text = xss.read_text(encoding="utf-8")
    assert "<script>alert('report')</script>" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
