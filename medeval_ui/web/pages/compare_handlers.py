"""The compare page's handlers: pick a pairwise study, vote on blind pairs, reveal after.

Blinding (DESIGN.md invariant 1): the current ``PairView`` (output ids, the client token)
lives in a ``Duel`` in ``gr.State``, which stays on the server; the browser gets
"Response A" / "Response B", the case and pixels. ``gr.State`` is keyed per page load,
not per user, so every handler checks that the state's owner is the signed-in user, and
the services check again that the assignment is theirs. Model names travel only in the
reply to the reveal event, which the service refuses before the vote is stored and in
studies that never reveal.

Handlers are plain functions of (db, widget values, request) so tests call them directly;
``compare.build_compare_page`` wires them. Output orders: the PICKER and PAIR comments.
"""

from __future__ import annotations

# isort: off
import medeval_ui.web.offline  # noqa: F401  (sets the offline variables before gradio)
# isort: on

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr
from PIL import Image

from medeval_ui.config import Settings
from medeval_ui.domain.rubric import Question
from medeval_ui.services import annotation, pairwise, studies
from medeval_ui.services.pairwise import PairView
from medeval_ui.services.users import UserInfo
from medeval_ui.storage.engine import Database
from medeval_ui.web.guard import md_escape, require_user, shown_to_user
from medeval_ui.web.pages import annotate_form as form

NOT_YOURS = "This page belongs to another session. Reload the page."
CHOICE_LABELS = {
    "a": "A is better",
    "b": "B is better",
    "tie": "Tie",
    "both_bad": "Both bad",
}
REASON_NEEDED = "This study asks for a reason with every vote: say in a line why."
NO_PAIRWISE = "No study collects pairwise votes yet. Your study lead will let you know."
NO_LANGUAGES = (
    "⚠️ **Declare the languages you can judge in first**, on the [home page](/app/): "
    "pairs are handed out only in your languages."
)
_nonce = itertools.count(1)


@dataclass(eq=False)
class Duel:
    """What one page load is comparing, held in gr.State (server side only).

    A new object for every screen: Gradio re-renders the pair when the state's hash
    changes, and an unchanged object (a vote refused for a missing reason) keeps what
    was typed. ``voted`` is the vote's label once it is stored (the pair stays on screen
    while its identities may be revealed).
    """

    owner: str
    slug: str | None = None
    pair: PairView | None = None
    voted: str | None = None
    nonce: int = field(default_factory=lambda: next(_nonce))

    def __hash__(self) -> int:
        return hash((self.owner, self.nonce))


def own_duel(db: Database, duel: Any, request: gr.Request | None) -> tuple[UserInfo, Duel]:
    """The user and their Duel; gr.Error when the state is not theirs."""
    user = require_user(db, request)
    if not isinstance(duel, Duel) or duel.owner != user.username:
        raise gr.Error(NOT_YOURS)
    return user, duel


def own_pair(
    db: Database, duel: Any, request: gr.Request | None
) -> tuple[UserInfo, Duel, PairView]:
    user, current = own_duel(db, duel, request)
    if current.pair is None:
        raise gr.Error("No pair is open. Choose a study and press Start.")
    return user, current, current.pair


# --- picker --------------------------------------------------------------------------------
# PICKER outputs: duel, greeting, note, study dropdown, start button, picker view, compare view.


def pairwise_studies(db: Database) -> list[tuple[str, str]]:
    """(title, slug) of the studies that collect pairwise votes."""
    return [(s.title, s.slug) for s in studies.list_studies(db) if "pairwise" in s.modes]


def load_picker(
    db: Database, duel: Any, request: gr.Request | None, selected: str | None = None
) -> tuple[Any, ...]:
    """Page load and "Choose another study": a fresh Duel and the study picker."""
    user = require_user(db, request)
    if selected is None and isinstance(duel, Duel) and duel.owner == user.username:
        selected = duel.slug
    choices = pairwise_studies(db)
    slugs = [slug for _, slug in choices]
    if selected not in slugs:
        selected = slugs[0] if slugs else None
    if not choices:
        note = NO_PAIRWISE
    elif not user.languages:
        note = NO_LANGUAGES
    else:
        note = (
            "Two anonymous answers to the same case, side by side: say which is better. "
            "Which model wrote which is hidden from you."
        )
    ready = bool(choices) and bool(user.languages)
    return (
        Duel(owner=user.username),
        f"Signed in as **{md_escape(user.username)}** ({user.role})",
        note,
        gr.update(choices=choices, value=selected, interactive=bool(choices)),
        gr.update(interactive=ready),
        gr.update(visible=True),
        gr.update(visible=False),
    )


PICKER_OUTPUTS = 7


# --- a pair --------------------------------------------------------------------------------
# PAIR outputs: duel, picker view, compare view, pair area, skip row, voted area, done area,
# title, progress, guidelines, status, skip reason, voted message, reveal button, reveal text.


def progress_text(done: int, total: int) -> str:
    return form.progress_text(done, total).replace(" rated", " compared")


def pair_screen(db: Database, duel: Duel, status: str = "") -> tuple[Any, ...]:
    """The compare view for ``duel``: its pair (open or just voted), or "nothing left"."""
    pair = duel.pair
    if pair is not None:
        title, guidelines = pair.study_title, pair.guidelines
        done = pair.done + (1 if duel.voted else 0)
        progress = progress_text(done, max(pair.total, done))
    else:
        info = next((s for s in studies.list_studies(db) if s.slug == duel.slug), None)
        title = info.title if info is not None else duel.slug or ""
        guidelines, progress = "", ""
    voted = pair is not None and duel.voted is not None
    message = f"✓ Your vote is saved: **{md_escape(duel.voted or '')}**." if voted else ""
    return (
        duel,
        gr.update(visible=False),
        gr.update(visible=True),
        gr.update(visible=pair is not None),
        gr.update(visible=pair is not None and not voted),
        gr.update(visible=voted),
        gr.update(visible=pair is None),
        f"## {md_escape(title)}",
        progress,
        guidelines or "_This study has no written guidelines._",
        status,
        gr.update(value=""),
        message,
        gr.update(visible=voted and pair is not None and pair.reveal_allowed, interactive=True),
        gr.update(value="", visible=False),
    )


PAIR_OUTPUTS = 15  # the length of what pair_screen returns


def start_comparing(
    db: Database, duel: Any, slug: str | None, request: gr.Request | None
) -> tuple[Any, ...]:
    """Start: the clinician's open pair in the study, or a new one."""
    user, _ = own_duel(db, duel, request)
    if not slug:
        raise gr.Error("Choose a study first.")
    with shown_to_user():
        pair = pairwise.next_pair(db, user.username, slug)
    return pair_screen(db, Duel(user.username, slug, pair))


# --- the vote ------------------------------------------------------------------------------


def axis_questions(pair: PairView) -> list[Question]:
    return list(pair.axes.questions) if pair.axes is not None else []


def vote(
    db: Database,
    duel: Any,
    choice: str,
    reason: str | None,
    *axis_values: Any,
    request: gr.Request | None,
) -> tuple[Any, ...]:
    """A vote button: record the vote, nothing else, so "Saved" comes back at once.

    Outputs: status, the saved message (the ``saved`` state; "" when nothing was saved),
    the reason's message slot, one message slot per axis question, then the four vote
    buttons (in ``CHOICE_LABELS`` order). What follows the vote (the reveal offer, or the
    next pair) is ``after_vote``, chained. A stored vote turns the buttons off at once:
    until the next pair's render arrives, a key pressed again must not click a button
    whose event the server has already replaced.
    """
    _user, current, pair = own_pair(db, duel, request)
    if current.voted is not None:
        raise gr.Error("You have already voted on this pair. Press Next pair.")
    questions = axis_questions(pair)
    if len(axis_values) != len(questions):
        raise gr.Error("The form is out of date. Reload the page.")
    if choice not in CHOICE_LABELS:
        raise gr.Error("Choose A is better, B is better, Tie or Both bad.")
    reason = (reason or "").strip()
    axes = {q.id: v for q, v in zip(questions, axis_values, strict=True) if v not in (None, "")}
    problems = {q.id: "Please answer this question." for q in questions if q.required}
    problems = {k: v for k, v in problems.items() if k not in axes}
    reason_missing = pair.reason_required and not reason
    if problems or reason_missing:
        gr.Warning("Something is missing: see the messages on the form.")
        status = "⚠️ Not saved yet: " + (
            "a reason is needed." if reason_missing else "some questions need an answer."
        )
        return (
            status,
            "",
            _slot(REASON_NEEDED if reason_missing else None),
            *_slots(pair, problems),
            *_buttons(interactive=True),
        )
    with shown_to_user():
        result = pairwise.submit_vote(
            db,
            current.owner,
            pair.assignment_id,
            choice,
            axes,
            reason,
            pair.client_token,
        )
    saved = "✓ Saved." if result.recorded else "✓ Already saved."
    gr.Info("Vote saved", duration=2)
    return (saved, CHOICE_LABELS[choice], _slot(None), *_slots(pair, {}), *_buttons(False))


def _buttons(interactive: bool) -> list[dict[str, Any]]:
    return [gr.update(interactive=interactive) for _ in CHOICE_LABELS]


def _slot(message: str | None) -> dict[str, Any]:
    text = f"⚠️ {md_escape(message)}" if message else ""
    return gr.update(value=text, visible=bool(message))


def _slots(pair: PairView, problems: dict[str, str]) -> list[dict[str, Any]]:
    return [_slot(problems.get(q.id)) for q in axis_questions(pair)]


def after_vote(db: Database, duel: Any, saved: str, request: gr.Request | None) -> tuple[Any, ...]:
    """After a stored vote: the offer to reveal (where the study allows it), else the next
    pair (PAIR outputs); nothing changes when nothing was saved."""
    user, _current, pair = own_pair(db, duel, request)
    if not saved:
        return tuple(gr.skip() for _ in range(PAIR_OUTPUTS))
    if pair.reveal_allowed:
        return pair_screen(db, Duel(user.username, pair.study_slug, pair, voted=saved))
    return _next(db, user, pair.study_slug, "✓ Saved. Here is the next pair.")


def next_after_vote(db: Database, duel: Any, request: gr.Request | None) -> tuple[Any, ...]:
    """ "Next pair", after a vote whose identities could be revealed."""
    user, current, pair = own_pair(db, duel, request)
    if current.voted is None:
        raise gr.Error("Vote on this pair first, or skip it with a reason.")
    return _next(db, user, pair.study_slug)


def _next(db: Database, user: UserInfo, slug: str, status: str = "") -> tuple[Any, ...]:
    with shown_to_user():
        following = pairwise.next_pair(db, user.username, slug)
    return pair_screen(db, Duel(user.username, slug, following), status)


def skip(
    db: Database, duel: Any, reason: str | None, request: gr.Request | None
) -> tuple[Any, ...]:
    user, current, pair = own_pair(db, duel, request)
    if current.voted is not None:
        raise gr.Error("You have already voted on this pair; it cannot be skipped.")
    with shown_to_user():
        pairwise.skip_pair(db, user.username, pair.assignment_id, reason or "")
    return _next(db, user, pair.study_slug, "Skipped. Thank you for saying why.")


def reveal(db: Database, duel: Any, request: gr.Request | None) -> dict[str, Any]:
    """The models behind Response A and B. The service refuses before this clinician's
    vote on the pair is stored, and in studies that never reveal."""
    user, _current, pair = own_pair(db, duel, request)
    with shown_to_user():
        left, right = pairwise.reveal(db, user.username, pair.assignment_id)
    text = f"Response A was written by **{md_escape(left)}**, Response B by **{md_escape(right)}**."
    return gr.update(value=text, visible=True)


def pair_image(
    db: Database,
    settings: Settings,
    duel: Any,
    index: int,
    window: str | None,
    request: gr.Request | None,
) -> Image.Image:
    """One image of the open pair's case as pixels (never a file name)."""
    user, _, pair = own_pair(db, duel, request)
    with shown_to_user():
        return load_pair_image(db, settings, user.username, pair, index, window)


def load_pair_image(
    db: Database,
    settings: Settings,
    username: str,
    pair: PairView,
    index: int,
    window: str | None,
) -> Image.Image:
    """The PNG of one image as a PIL image; MedevalError when it cannot be shown (the case
    view then says so in place of the image)."""
    png = annotation.item_image_png(
        db, Path(settings.media_dir), username, pair.assignment_id, index, window
    )
    return form.to_image(png)
