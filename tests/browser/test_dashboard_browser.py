"""The lead's Dashboard tab in real Chromium on the demo study, rated by three clinicians:
choose the study, compute, see the charts and tables, build the report; nothing is
requested from another host."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import LiveApp, login, record, settle
from tests.test_dashboard_page import rate_demo

pytestmark = pytest.mark.slow
WAIT_MS = 60_000


def test_the_dashboard_tab(browser: Browser, live_app: LiveApp, tmp_path: Path) -> None:
    rate_demo(live_app.db, tmp_path)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    rec = record(page, live_app.url)
    login(page, live_app.url, "lea")
    page.goto(f"{live_app.url}/lead/", wait_until="load")
    page.get_by_role("tab", name="Dashboard").click()
    settle(page)  # the tab fills its study list when it is opened
    page.locator("#db-study input").click()
    page.get_by_role("option", name=re.compile(r"\(demo\)$")).click()
    settle(page)
    page.locator("#db-run").click()
    expect(page.locator("#db-summary")).to_contain_text("2376 ratings", timeout=WAIT_MS)
    expect(page.locator("#db-correctness .js-plotly-plot")).to_be_visible(timeout=WAIT_MS)
    expect(page.locator("#db-agreement .js-plotly-plot")).to_be_visible()
    expect(page.locator("#db-measures-table")).to_contain_text("Mossbridge-7B 1.2")
    expect(page.locator("#db-agreement-table")).to_contain_text("krippendorff_alpha")
    expect(page.locator("#db-clinicians-table")).to_contain_text("amy")
    page.locator("#db-report").click()
    settle(page, timeout_ms=WAIT_MS)
    expect(page.locator("#db-files")).to_contain_text("demo-report", timeout=WAIT_MS)
    assert rec.foreign == []
    page.close()
