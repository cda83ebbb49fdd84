"""Chromium: the login page works, a wrong password is refused, nothing leaves the machine."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import LiveApp, login, record

pytestmark = pytest.mark.slow


def test_login_and_logout_in_chromium(live_app: LiveApp, browser: Browser) -> None:
    page = browser.new_page()
    rec = record(page, live_app.url)
    page.goto(f"{live_app.url}/app/", wait_until="load")
    assert page.url.endswith("/login")
    page.fill("input[name=username]", "amal")
    page.fill("input[name=password]", "wrong password!")
    page.click("button[type=submit]")
    assert page.get_by_text("Wrong username or password").is_visible()
    login(page, live_app.url, "amal")
    page.get_by_text("Signed in as").first.wait_for()
    page.goto(f"{live_app.url}/logout", wait_until="load")
    assert page.url.endswith("/login")
    assert rec.foreign == []
    page.close()
