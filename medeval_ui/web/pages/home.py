"""The clinician's home view: who is signed in, their languages, their studies and progress.

Handlers are plain functions (widget values in, one service call, widget values out);
``clinician.py`` wires them to components. Study titles are the lead's words, shown
escaped; nothing here names a model.
"""

from __future__ import annotations

# isort: off
import medeval_ui.web.offline  # noqa: F401  (sets the offline variables before gradio)
# isort: on

from typing import Any

import gradio as gr

from medeval_ui.domain.languages import display_name
from medeval_ui.services import annotation
from medeval_ui.services.annotation_views import MyStudy
from medeval_ui.services.users import UserInfo
from medeval_ui.storage.engine import Database
from medeval_ui.web.guard import md_escape, require_user, shown_to_user

STUDY_HEADERS = ["Study", "Your languages", "Progress", "Next step"]
NO_LANGUAGES = (
    "⚠️ **Declare the languages you can rate in first.** Items are handed out only in the "
    "languages you read fluently. Type their tags below (for example `en, ar, es`) and "
    "press *Save languages*."
)
NO_STUDIES = "No study has items in your languages yet. Your study lead will let you know."
LEAD_ROLES = ("lead", "admin")


def greeting(user: UserInfo) -> str:
    return f"Signed in as **{md_escape(user.username)}** ({user.role})"


def next_step(study: MyStudy) -> str:
    if study.open_item:
        return "Resume"
    if study.done < study.total:
        return "Start" if study.done == 0 else "Continue"
    return "Done"


def study_rows(studies: list[MyStudy]) -> list[list[Any]]:
    return [
        [
            s.title,
            ", ".join(s.languages),
            f"{s.done} of {s.total}",
            next_step(s),
        ]
        for s in studies
    ]


def study_choices(studies: list[MyStudy]) -> list[tuple[str, str]]:
    return [(f"{s.title} · {s.done} of {s.total}", s.slug) for s in studies]


def start_button(studies: list[MyStudy], slug: str | None) -> dict[str, Any]:
    """The Start / Resume button for the study picked in the dropdown."""
    study = next((s for s in studies if s.slug == slug), None)
    if study is None:
        return gr.update(value="Start", interactive=False)
    label = {"Done": "Review", "Continue": "Continue"}.get(next_step(study), next_step(study))
    return gr.update(value=label, interactive=True)


def languages_text(languages: list[str]) -> str:
    return ", ".join(languages)


def languages_note(languages: list[str]) -> str:
    if not languages:
        return NO_LANGUAGES
    names = ", ".join(f"{md_escape(display_name(t))} (`{t}`)" for t in languages)
    return f"You rate in: {names}."


def parse_languages(text: str) -> list[str]:
    return [
        part.strip() for part in text.replace(";", ",").replace(" ", ",").split(",") if part.strip()
    ]


def home_values(
    db: Database, user: UserInfo, selected: str | None = None
) -> tuple[str, dict[str, Any], str, str, list[list[Any]], dict[str, Any], dict[str, Any]]:
    """(greeting, lead link, languages text, languages note, study rows, study dropdown,
    start button) for the signed-in user."""
    with shown_to_user():
        studies = annotation.my_studies(db, user.username)
    slugs = [s.slug for s in studies]
    if selected not in slugs:
        resumable = [s.slug for s in studies if s.open_item]
        selected = (resumable or slugs or [None])[0]
    note = languages_note(list(user.languages))
    if user.languages and not studies:
        note += f"\n\n{NO_STUDIES}"
    dropdown = gr.update(choices=study_choices(studies), value=selected, interactive=bool(studies))
    return (
        greeting(user),
        gr.update(visible=user.role in LEAD_ROLES),
        languages_text(list(user.languages)),
        note,
        study_rows(studies),
        dropdown,
        start_button(studies, selected) if user.languages else gr.update(interactive=False),
    )


def save_languages(
    db: Database, text: str, selected: str | None, request: gr.Request | None
) -> tuple[Any, ...]:
    """Store the languages typed in; the same values as ``home_values`` come back."""
    user = require_user(db, request)
    with shown_to_user():
        annotation.set_my_languages(db, user.username, parse_languages(text or ""))
    user = require_user(db, request)  # re-read: the languages just changed
    values = home_values(db, user, selected)
    if user.languages:
        gr.Info("Languages saved.")
    return values


def pick_study(db: Database, slug: str | None, request: gr.Request | None) -> dict[str, Any]:
    user = require_user(db, request)
    if not user.languages:
        return gr.update(interactive=False)
    with shown_to_user():
        studies = annotation.my_studies(db, user.username)
    return start_button(studies, slug)
