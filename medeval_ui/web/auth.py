"""Who is asking: the signed session cookie, checked against the database on every request.

The cookie (Starlette's SessionMiddleware, signed with the app's secret key) holds
``{"user", "role", "uid", "login_at"}``. It is trusted for nothing by itself: each request
re-reads the user, so a deactivated account or a changed role takes effect at once, and
``login_at`` bounds a login's age on the server (the cookie's own max-age is refreshed on
every response, so alone it would let an active tab stay logged in forever).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import MutableMapping
from typing import Any

from medeval_ui.services import users
from medeval_ui.services.users import UserInfo
from medeval_ui.storage.engine import Database

# A cookie signed a little in the future is a clock skew between workers, not an attack.
_SKEW_S = 60


def now() -> float:
    """The clock sessions are checked against; tests move it with monkeypatch."""
    return time.time()


def start_session(session: MutableMapping[str, Any], user: UserInfo) -> None:
    # Start from nothing so no value from before the login survives it (session fixation).
    session.clear()
    session.update(user=user.username, role=user.role, uid=user.id, login_at=int(now()))


def session_user(
    session: MutableMapping[str, Any], db: Database, max_age_s: int
) -> UserInfo | None:
    """The active user this session belongs to, or None (and the session is emptied).

    Blocking (one database read): call it from a thread in async code.
    """
    username, uid, login_at = session.get("user"), session.get("uid"), session.get("login_at")
    info = None
    if (
        isinstance(username, str)
        and isinstance(uid, int)
        and isinstance(login_at, int | float)
        and -_SKEW_S <= now() - login_at <= max_age_s
    ):
        found = users.get_active_user(db, username)
        # Same name but another id: the account was re-created; the old login is not it.
        info = found if found is not None and found.id == uid else None
    if info is None and session:
        session.clear()  # the response then deletes the cookie
    return info


class LoginThrottle:
    """At most ``limit`` failed logins per (client address, username) in ``window_s``.

    Argon2 already makes each guess cost ~50 ms; this stops a patient script. Kept in
    memory: the app runs as one process (see GRADIO.md), and a restart forgetting the
    count is acceptable. Keyed by address *and* name, so a stranger cannot lock a
    clinician out from elsewhere by failing on purpose.
    """

    def __init__(self, limit: int = 10, window_s: float = 900.0) -> None:
        self.limit = limit
        self.window_s = window_s
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str]) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now() - times[0] > self.window_s:
            times.popleft()
        return times

    def blocked(self, client: str, username: str) -> bool:
        with self._lock:
            return len(self._recent((client, username.strip().lower()))) >= self.limit

    def failed(self, client: str, username: str) -> None:
        with self._lock:
            if len(self._failures) > 100_000:  # bound memory under a spray of names
                self._failures.clear()
            self._recent((client, username.strip().lower())).append(now())

    def succeeded(self, client: str, username: str) -> None:
        with self._lock:
            self._failures.pop((client, username.strip().lower()), None)
