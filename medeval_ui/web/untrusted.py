"""Model output and imported case text, made inert before gr.Markdown renders it.

gr.Markdown sanitizes HTML in the browser, but its sanitizer keeps ``<form>``, ``<input>``
and ``<button>``: a model answer (or an imported file) could draw a fake "session expired,
sign in again" form that posts to this app's own /login, which the Content-Security-Policy
(``form-action 'self'``) allows, and log the clinician into someone else's account. So no
raw HTML from such text reaches the page at all: every ``<`` outside code becomes ``&lt;``,
which Markdown shows as the character ``<``. Inside fenced code blocks and inline code
spans Markdown already shows ``<`` literally, so they are left as written (an entity there
would be shown as ``&lt;``).
"""

from __future__ import annotations

import re

__all__ = ["inert_markdown"]

# A fence opens with 3+ backticks or tildes after at most 3 spaces (CommonMark) and is
# closed by a run of the same character at least as long.
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TICKS = re.compile(r"`+")


def inert_markdown(text: str) -> str:
    """``text`` with every ``<`` outside code written as ``&lt;``; nothing else changes."""
    if "<" not in text:
        return text  # the common case, and the fast one
    out: list[str] = []
    fence: str | None = None
    for line in text.splitlines(keepends=True):
        opener = _FENCE.match(line)
        if fence is not None:  # inside a fenced block: shown as written
            out.append(line)
            run = opener.group(1) if opener else ""
            if run[:1] == fence[:1] and len(run) >= len(fence) and not line.strip(" `~\r\n"):
                fence = None
            continue
        if opener:
            fence = opener.group(1)
            out.append(line)
            continue
        out.append(_outside_code_spans(line))
    return "".join(out)


def _outside_code_spans(line: str) -> str:
    """Escape ``<`` in one line, except inside `code spans` (a run of n backticks up to the
    next run of exactly n); an unmatched run of backticks is plain text."""
    parts: list[str] = []
    at = 0
    while (ticks := _TICKS.search(line, at)) is not None:
        n = len(ticks.group(0))
        closing = next(
            (m for m in _TICKS.finditer(line, ticks.end()) if len(m.group(0)) == n), None
        )
        if closing is None:
            parts.append(_escape(line[at : ticks.end()]))
            at = ticks.end()
            continue
        parts.append(_escape(line[at : ticks.start()]))
        parts.append(line[ticks.start() : closing.end()])  # the code span, as written
        at = closing.end()
    parts.append(_escape(line[at:]))
    return "".join(parts)


def _escape(text: str) -> str:
    return text.replace("<", "&lt;")
