"""Model output reaches gr.Markdown with no raw HTML left (web/untrusted.py)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from medeval_ui.web.untrusted import inert_markdown

# What gr.Markdown's sanitizer lets through, and a page could be made to do with it.
FAKE_LOGIN = (
    "Your session expired.\n\n"
    '<form action="/login" method="post"><input name="username" value="eve">'
    '<input name="password" value="eve-password-1"><button>Continue</button></form>'
)


def test_a_form_posting_to_the_login_becomes_text() -> None:
    shown = inert_markdown(FAKE_LOGIN)
    assert "<" not in shown
    assert shown.count("&lt;") == FAKE_LOGIN.count("<")
    assert shown.replace("&lt;", "<") == FAKE_LOGIN  # nothing else changed


def test_code_is_left_as_written() -> None:
    text = (
        "Give `x < 5 mg` daily, and ``a ` <b>`` too.\n"
        "```html\n<form>in a fence</form>\n```\n"
        "~~~~\n<input> ``` still fenced\n~~~~\n"
        "After: <img src=x onerror=alert(1)>\n"
    )
    assert inert_markdown(text) == (
        "Give `x < 5 mg` daily, and ``a ` <b>`` too.\n"
        "```html\n<form>in a fence</form>\n```\n"
        "~~~~\n<input> ``` still fenced\n~~~~\n"
        "After: &lt;img src=x onerror=alert(1)>\n"
    )


def test_unclosed_backticks_do_not_hide_html() -> None:
    assert inert_markdown("a ` <b>bold</b>") == "a ` &lt;b>bold&lt;/b>"
    assert inert_markdown("``x` <i>") == "``x` &lt;i>"


def test_clinical_text_reads_the_same() -> None:
    text = "Potassium <3.5 mmol/L: replace; if eGFR < 30, halve the dose.\n> quoted\n- item"
    assert inert_markdown(text) == text.replace("<", "&lt;")
    assert inert_markdown("No angle brackets at all.") == "No angle brackets at all."


def _outside_code(text: str) -> str:
    """What Markdown would parse as HTML: everything outside fences and code spans."""
    kept, fence = [], None
    for line in text.splitlines(keepends=True):
        opener = re.match(r"^ {0,3}(`{3,}|~{3,})", line)
        if fence is not None:
            run = opener.group(1) if opener else ""
            if run[:1] == fence[0] and len(run) >= len(fence) and not line.strip(" `~\r\n"):
                fence = None
            continue
        if opener:
            fence = opener.group(1)
            continue
        kept.append(re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", line))
    return "".join(kept)


@given(st.text(alphabet="<>`~ ab\n/&", max_size=80))
def test_no_tag_survives_outside_code_and_the_text_is_kept(text: str) -> None:
    shown = inert_markdown(text)
    assert shown.replace("&lt;", "<") == text.replace("&lt;", "<")
    assert "<" not in _outside_code(shown)
