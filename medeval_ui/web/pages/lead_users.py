"""The Users tab of the lead page: accounts, roles, languages, passwords. Admins only.

A lead sees the tab with a line saying so; every handler here refuses anyone but an
admin on the server, whatever the page shows. A generated password is returned once,
in the reply to the admin who asked, and stored nowhere but as its hash.
"""

from __future__ import annotations

# isort: off
import medeval_ui.web.offline  # noqa: F401  (sets the offline variables before gradio)
# isort: on

import re
from typing import Any

import gradio as gr

from medeval_ui.services import users
from medeval_ui.services.users import UserInfo
from medeval_ui.storage.engine import Database
from medeval_ui.web.guard import md_escape, require_user, shown_to_user

ADMIN_ROLES = ("admin",)
VIEW_ROLES = ("lead", "admin")
USER_HEADERS = ["Username", "Name", "Role", "Languages", "Specialty", "Active", "Pseudonym"]
LEADS_NOTE = "Only an admin manages users; ask one to add or change accounts."


def _languages(text: str | None) -> list[str]:
    return [t for t in re.split(r"[\s,;]+", text or "") if t]


def user_rows(db: Database) -> list[list[Any]]:
    return [
        [
            u.username,
            u.display_name,
            u.role,
            ", ".join(u.languages),
            u.specialty,
            "yes" if u.active else "no",
            u.pseudonym,
        ]
        for u in users.list_users(db)
    ]


def _admin(db: Database, request: gr.Request | None) -> UserInfo:
    return require_user(db, request, ADMIN_ROLES)


def users_overview(db: Database, request: gr.Request | None) -> tuple[str, list[list[Any]]]:
    """(note, rows) when the tab loads: the accounts for an admin, a note for a lead."""
    user = require_user(db, request, VIEW_ROLES)
    if user.role != "admin":
        return LEADS_NOTE, []
    return "Accounts (a new or reset password is shown here once).", user_rows(db)


def list_user_rows(db: Database, request: gr.Request | None) -> list[list[Any]]:
    _admin(db, request)
    return user_rows(db)


def add_user(
    db: Database,
    username: str,
    role: str,
    display_name: str,
    languages: str,
    specialty: str,
    request: gr.Request | None,
) -> tuple[str, list[list[Any]]]:
    """(message with the generated password, rows)."""
    admin = _admin(db, request)
    with shown_to_user():
        info, password = users.add_user(
            db,
            username or "",
            role or "clinician",
            display_name=display_name or "",
            languages=_languages(languages),
            specialty=specialty or "",
            actor=admin.username,
        )
    message = (
        f"Added **{md_escape(info.username)}** ({info.role}). "
        f"Password, shown this once: `{password}`"
    )
    return message, user_rows(db)


def set_role(
    db: Database, username: str, role: str, request: gr.Request | None
) -> tuple[str, list[list[Any]]]:
    admin = _admin(db, request)
    with shown_to_user():
        info = users.set_role(db, username or "", role or "", actor=admin.username)
    return f"**{md_escape(info.username)}** is now {info.role}.", user_rows(db)


def set_languages(
    db: Database, username: str, languages: str, request: gr.Request | None
) -> tuple[str, list[list[Any]]]:
    admin = _admin(db, request)
    with shown_to_user():
        info = users.set_languages(db, username or "", _languages(languages), actor=admin.username)
    spoken = ", ".join(info.languages) or "none"
    return f"**{md_escape(info.username)}** rates in: {spoken}.", user_rows(db)


def set_active(
    db: Database, username: str, active: bool, request: gr.Request | None
) -> tuple[str, list[list[Any]]]:
    admin = _admin(db, request)
    with shown_to_user():
        change = users.reactivate if active else users.deactivate
        info = change(db, username or "", actor=admin.username)
    state = "active" if info.active else "deactivated (their ratings are kept)"
    return f"**{md_escape(info.username)}** is {state}.", user_rows(db)


def reset_password(
    db: Database, username: str, request: gr.Request | None
) -> tuple[str, list[list[Any]]]:
    admin = _admin(db, request)
    with shown_to_user():
        info = users.get_user(db, username or "")
        password = users.reset_password(db, info.username, actor=admin.username)
    message = f"New password for **{md_escape(info.username)}**, shown this once: `{password}`"
    return message, user_rows(db)


def build_users_tab(db: Database, blocks: gr.Blocks) -> None:
    """The Users tab, inside ``blocks`` (being built); the page's load event fills it."""
    with gr.Tab("Users"):
        note = gr.Markdown()
        with gr.Row():
            username = gr.Textbox(label="Username")
            role = gr.Dropdown(list(users.ROLES), value="clinician", label="Role")
            languages = gr.Textbox(label="Languages (BCP-47, e.g. en, ar, pt-BR)")
        with gr.Row():
            display_name = gr.Textbox(label="Display name (new users)")
            specialty = gr.Textbox(label="Specialty (new users)")
        with gr.Row():
            add = gr.Button("Add user", variant="primary")
            change_role = gr.Button("Set role")
            change_langs = gr.Button("Set languages")
            deactivate = gr.Button("Deactivate")
            reactivate = gr.Button("Reactivate")
            reset = gr.Button("Reset password")
        result = gr.Markdown()
        table = gr.DataFrame(headers=USER_HEADERS, interactive=False, label="Users")
        refresh = gr.Button("Refresh list", variant="secondary")

        def on_load(request: gr.Request) -> tuple[str, list[list[Any]]]:
            return users_overview(db, request)

        def on_refresh(request: gr.Request) -> list[list[Any]]:
            return list_user_rows(db, request)

        def on_add(
            name: str, role: str, display: str, langs: str, spec: str, request: gr.Request
        ) -> tuple[str, list[list[Any]]]:
            return add_user(db, name, role, display, langs, spec, request)

        def on_role(name: str, role: str, request: gr.Request) -> tuple[str, list[list[Any]]]:
            return set_role(db, name, role, request)

        def on_langs(name: str, langs: str, request: gr.Request) -> tuple[str, list[list[Any]]]:
            return set_languages(db, name, langs, request)

        def on_deactivate(name: str, request: gr.Request) -> tuple[str, list[list[Any]]]:
            return set_active(db, name, False, request)

        def on_reactivate(name: str, request: gr.Request) -> tuple[str, list[list[Any]]]:
            return set_active(db, name, True, request)

        def on_reset(name: str, request: gr.Request) -> tuple[str, list[list[Any]]]:
            return reset_password(db, name, request)

        out = [result, table]
        blocks.load(on_load, outputs=[note, table], api_name="users_page")
        refresh.click(on_refresh, outputs=table, api_name="list_users")
        add.click(
            on_add,
            [username, role, display_name, languages, specialty],
            out,
            api_name="add_user",
        )
        change_role.click(on_role, [username, role], out, api_name="set_role")
        change_langs.click(on_langs, [username, languages], out, api_name="set_languages")
        deactivate.click(on_deactivate, username, out, api_name="deactivate_user")
        reactivate.click(on_reactivate, username, out, api_name="reactivate_user")
        reset.click(on_reset, username, out, api_name="reset_password")
