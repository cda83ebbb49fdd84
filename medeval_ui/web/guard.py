"""Server-side checks every Gradio handler starts with (DESIGN.md invariant 4).

Any logged-in user can call any event of a page through Gradio's API, whatever the page
shows or hides, so the role is checked here, from the database, on every call.
"""

from __future__ import annotations

# isort: off
import medeval_ui.web.offline  # noqa: F401  (sets the offline variables before gradio)
# isort: on

import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager

import gradio as gr

from medeval_ui.errors import MedevalError
from medeval_ui.services import users
from medeval_ui.services.users import UserInfo
from medeval_ui.storage.engine import Database

SESSION_ENDED = "Your session has ended. Reload the page to sign in again."


def require_user(db: Database, request: gr.Request | None, roles: Collection[str] = ()) -> UserInfo:
    """The active user behind this Gradio request, or a gr.Error shown to the person.

    ``request.username`` is what the FastAPI session said when the event arrived; the
    database is asked again because the account may have been deactivated since.
    """
    username = request.username if request is not None else None
    user = users.get_active_user(db, username)
    if user is None:
        raise gr.Error(SESSION_ENDED)
    if roles and user.role not in roles:
        raise gr.Error(f"This needs the role {' or '.join(roles)}; you are {user.role}.")
    return user


@contextmanager
def shown_to_user() -> Iterator[None]:
    """Turn a MedevalError (a mistake the user can fix) into a message in the page."""
    try:
        yield
    except MedevalError as err:
        raise gr.Error(str(err)) from err


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def md_escape(text: str) -> str:
    """Text shown literally inside gr.Markdown (which sanitizes HTML but still formats)."""
    return _MD_SPECIAL.sub(r"\\\1", text)
