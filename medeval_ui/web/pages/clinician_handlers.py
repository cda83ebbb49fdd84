"""The clinician page's handlers: home (languages, studies) and the annotate view.

Blinding (DESIGN.md invariant 1): the current ``ItemView`` (output ids, model names in
its service-side fields) lives in a ``Work`` object in ``gr.State``, which stays on the
server; the browser gets "Response 1..N", rubric texts and pixels. ``gr.State`` is keyed
per page load, not per user, so every handler checks that the state's owner is the
signed-in user, and the services check again that the assignment is theirs.

Handlers are plain functions of (db, widget values, request) so tests call them directly;
``clinician.build_clinician_page`` wires them. Output orders: the HOME and ITEM comments.
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
from medeval_ui.services import annotation
from medeval_ui.services.annotation_views import AnswersIncomplete, ItemView
from medeval_ui.services.users import UserInfo
from medeval_ui.storage.engine import Database
from medeval_ui.web.guard import md_escape, require_user, shown_to_user
from medeval_ui.web.pages import annotate_form as form
from medeval_ui.web.pages import home

NOT_YOURS = "This page belongs to another session. Reload the page."
_nonce = itertools.count(1)


@dataclass(eq=False)
class Work:
    """What one page load is doing, held in gr.State (server side only).

    A new object for every item shown: Gradio re-renders the form when the state's hash
    changes, and an unchanged object (a failed submit, a flag) keeps what was typed.
    """

    owner: str
    slug: str | None = None
    item: ItemView | None = None
    nonce: int = field(default_factory=lambda: next(_nonce))

    def __hash__(self) -> int:
        return hash((self.owner, self.nonce))


def own_work(db: Database, work: Any, request: gr.Request | None) -> tuple[UserInfo, Work]:
    """The user and their Work; gr.Error when the state is not theirs."""
    user = require_user(db, request)
    if not isinstance(work, Work) or work.owner != user.username:
        raise gr.Error(NOT_YOURS)
    return user, work


def own_item(
    db: Database, work: Any, request: gr.Request | None
) -> tuple[UserInfo, Work, ItemView]:
    user, current = own_work(db, work, request)
    if current.item is None:
        raise gr.Error("No item is open. Go back home and start a study.")
    return user, current, current.item


# --- home ----------------------------------------------------------------------------------
# HOME outputs: work, greeting, lead link, languages box, languages note, studies table,
# study dropdown, start button, home view, annotate view.


def load_home(db: Database, work: Any, request: gr.Request | None) -> tuple[Any, ...]:
    """Page load and "Back to home": a fresh Work and the home view."""
    user = require_user(db, request)
    selected = work.slug if isinstance(work, Work) and work.owner == user.username else None
    values = home.home_values(db, user, selected)
    return (Work(owner=user.username), *values, gr.update(visible=True), gr.update(visible=False))


def save_languages(
    db: Database, work: Any, text: str, selected: str | None, request: gr.Request | None
) -> tuple[Any, ...]:
    values = home.save_languages(db, text, selected, request)
    return (work, *values, gr.update(), gr.update())


# --- annotate ------------------------------------------------------------------------------
# ITEM outputs: work, home view, annotate view, item area, done area, title, progress,
# guidelines, status, history dropdown, skip reason, flag note.


def item_screen(db: Database, user: UserInfo, work: Work, status: str = "") -> tuple[Any, ...]:
    """The annotate view for ``work`` (its item, or "nothing left")."""
    item = work.item
    if item is not None:
        title, guidelines = item.study_title, item.guidelines
        progress = form.progress_text(item.done, item.total)
        if item.editing and not status:
            status = "You are editing an earlier rating. Submitting saves a new revision."
    else:
        with shown_to_user():
            study = next(
                (s for s in annotation.my_studies(db, user.username) if s.slug == work.slug), None
            )
        title = study.title if study is not None else work.slug or ""
        guidelines = ""
        progress = form.progress_text(study.done, study.total) if study is not None else ""
    return (
        work,
        gr.update(visible=False),
        gr.update(visible=True),
        gr.update(visible=item is not None),
        gr.update(visible=item is None),
        f"## {md_escape(title)}",
        progress,
        guidelines or "_This study has no written guidelines._",
        status,
        gr.update(value=None),  # the history list loads when its section is opened
        gr.update(value=""),
        gr.update(value=""),
    )


ITEM_OUTPUTS = 12  # the length of what item_screen returns


def load_history(db: Database, work: Any, request: gr.Request | None) -> dict[str, Any]:
    """The "My earlier items" list, when that section is opened (not on every submit: it
    grows with the clinician's work)."""
    user, current = own_work(db, work, request)
    return history_update(db, user, current.slug)


def history_update(db: Database, user: UserInfo, slug: str | None) -> dict[str, Any]:
    if slug is None:
        return gr.update(choices=[], value=None)
    with shown_to_user():
        entries = annotation.my_history(db, user.username, slug)
    choices = []
    for e in entries:
        when = e.submitted_at.strftime("%Y-%m-%d %H:%M") if e.submitted_at else "?"
        edits = f" · {e.revisions} revisions" if e.revisions > 1 else ""
        choices.append((f"{e.case_label} · {e.language} · {when}{edits}", e.assignment_id))
    return gr.update(choices=choices, value=None, interactive=bool(choices))


def start_study(
    db: Database, work: Any, slug: str | None, request: gr.Request | None
) -> tuple[Any, ...]:
    """Start / Resume: the clinician's open item in the study, or a new one."""
    user, _ = own_work(db, work, request)
    if not slug:
        raise gr.Error("Choose a study first.")
    with shown_to_user():
        item = annotation.next_item(db, user.username, slug)
    return item_screen(db, user, Work(user.username, slug, item))


def save(db: Database, work: Any, *values: Any, request: gr.Request | None) -> tuple[Any, ...]:
    """Submit: record the form's ratings, nothing else, so "Saved" comes back at once.

    Outputs: status, the saved message (the ``saved`` state; "" when nothing was saved),
    then one update per error slot. The next item is loaded by ``after_save``, chained.
    """
    user, _current, item = own_item(db, work, request)
    answers, confidence, comments = form.collect(item, values)
    try:
        with shown_to_user():
            result = annotation.submit_item(
                db,
                user.username,
                item.assignment_id,
                answers,
                confidence,
                comments,
                item.client_token,
            )
    except gr.Error as err:
        cause = err.__cause__
        if not isinstance(cause, AnswersIncomplete):
            raise
        gr.Warning("Some answers are missing. See the messages under the questions.")
        status = f"⚠️ {md_escape(str(cause))} The messages are under each question."
        return (status, "", *form.problem_updates(item, cause.problems))
    saved = "✓ Saved a new revision." if result.revision else "✓ Saved."
    gr.Info("Saved", duration=2)  # short: a clinician saves every minute; toasts must not pile up
    return (saved, saved, *form.problem_updates(item, {}))


def after_save(db: Database, work: Any, saved: str, request: gr.Request | None) -> tuple[Any, ...]:
    """After a successful save: the next item (ITEM outputs); nothing changes otherwise."""
    user, _current, item = own_item(db, work, request)
    if not saved:
        return tuple(gr.skip() for _ in range(ITEM_OUTPUTS))
    with shown_to_user():
        following = annotation.next_item(db, user.username, item.study_slug)
    return item_screen(db, user, Work(user.username, item.study_slug, following), saved)


def skip(db: Database, work: Any, reason: str, request: gr.Request | None) -> tuple[Any, ...]:
    user, _, item = own_item(db, work, request)
    if item.editing:
        raise gr.Error("This item was already submitted; it cannot be skipped.")
    with shown_to_user():
        annotation.skip_item(db, user.username, item.assignment_id, reason or "")
        following = annotation.next_item(db, user.username, item.study_slug)
    nxt = Work(user.username, item.study_slug, following)
    return item_screen(db, user, nxt, "Skipped. Thank you for saying why.")


def flag(db: Database, work: Any, note: str, request: gr.Request | None) -> tuple[Any, ...]:
    user, current, item = own_item(db, work, request)
    with shown_to_user():
        annotation.flag_item(db, user.username, item.assignment_id, note or "")
    gr.Info("Flagged for the lead", duration=3)
    # The same Work: the form is not re-rendered and keeps what was typed.
    return item_screen(db, user, current, "Flagged for the lead. You can still rate or skip it.")


def edit(
    db: Database, work: Any, assignment_id: Any, request: gr.Request | None
) -> tuple[Any, ...]:
    user, _ = own_work(db, work, request)
    if assignment_id in (None, ""):
        raise gr.Error("Choose an earlier item first.")
    with shown_to_user():
        item = annotation.open_item(db, user.username, int(assignment_id))
    return item_screen(db, user, Work(user.username, item.study_slug, item))


def item_image(
    db: Database,
    settings: Settings,
    work: Any,
    index: int,
    window: str | None,
    request: gr.Request | None,
) -> Image.Image:
    """One image of the open item as pixels (never a file name), under a DICOM window."""
    user, _, item = own_item(db, work, request)
    with shown_to_user():
        png = annotation.item_image_png(
            db, Path(settings.media_dir), user.username, item.assignment_id, index, window
        )
    return form.to_image(png)
