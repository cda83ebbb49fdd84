"""Regenerate docs/screenshot.png: log in to a running medeval and capture the studies page.

    python docs/screenshot.py http://127.0.0.1:7860 admin PASSWORD
Uses Debian's Chromium (/usr/bin/chromium) through Playwright; nothing is downloaded.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main(url: str, username: str, password: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 300})
        page.goto(f"{url}/login", wait_until="load")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{url}/app/**")
        # The table's cells exist (hidden) before it is drawn: wait for it to settle.
        page.get_by_text("Demo: 22 clinical questions").first.wait_for(state="attached")
        page.wait_for_timeout(2500)
        page.screenshot(path=str(Path(__file__).with_name("screenshot.png")))
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
