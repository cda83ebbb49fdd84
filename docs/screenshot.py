"""Regenerate docs/screenshot.png: the annotate page of the demo study, as a clinician sees it.

    python docs/screenshot.py

Starts the app the way the browser tests do (tests/browser/conftest.py: a fresh SQLite
file with the demo study, uvicorn on a free port, the clinician amal who reads Arabic and
English), gives amal the Arabic CT case as a named assignment, logs in with Debian's
Chromium (/usr/bin/chromium) through Playwright and captures the whole page: the case
right to left, the DICOM slice in two windows, the reference, three blinded responses
and their questions. Nothing is downloaded and nothing leaves the machine.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# isort: off
import medeval_ui.web.offline  # noqa: E402, F401  (the offline variables, before gradio)
# isort: on

from playwright.sync_api import ViewportSize, expect, sync_playwright  # noqa: E402

from medeval_ui.services.annotation_admin import import_assignments  # noqa: E402
from medeval_ui.services.setup import DEMO_SLUG  # noqa: E402
from tests.browser.conftest import CHROMIUM, FLAGS, login, serve_app  # noqa: E402
from tests.helpers import write_jsonl  # noqa: E402

CASE = "g19-ct-slice-ar"  # Arabic, right to left, one CT slice, three responses
OUT = Path(__file__).with_name("screenshot.png")
VIEWPORT: ViewportSize = {"width": 1400, "height": 1000}


def main(out: Path = OUT) -> Path:
    with tempfile.TemporaryDirectory() as tmp, serve_app(Path(tmp)) as app:
        named = write_jsonl(
            Path(tmp) / "named.jsonl", [{"username": "amal", "case_id": CASE, "sample": 0}]
        )
        import_assignments(app.db, DEMO_SLUG, named)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
            login(page, app.url, "amal")
            start = page.locator("#study-start")
            expect(start).to_be_enabled(timeout=15_000)
            start.click()
            expect(page.locator("#case-header")).to_contain_text(CASE, timeout=15_000)
            expect(page.locator("#response-3")).to_be_visible()
            expect(page.locator("#image-1 img").first).to_be_visible(timeout=15_000)
            # A clinician half-way through the first response: one answer, a confidence.
            page.locator("#q-1-correctness label").nth(3).click()
            page.locator("#q-1-confidence label").nth(3).click()
            page.mouse.move(0, 0)
            page.evaluate("window.scrollTo(0, 0)")
            page.wait_for_timeout(800)  # fonts, images and the progress spinners settle
            page.screenshot(path=str(out), full_page=True)
            browser.close()
    return out


if __name__ == "__main__":
    print(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
