"""Who is asking: the signed session cookie, checked against the database on every request.

The cookie (Starlette's SessionMiddleware, signed with the app's secret key) holds
``{"user", "role", "uid", "login_at", "epoch"}``. It is trusted for nothing by itself: each
request re-reads the user, so a deactivated account or a changed role takes effect at once,
and ``login_at`` bounds a login's age on the server (the cookie's own max-age is refreshed on
every response, so alone it would let an active tab stay logged in forever). ``epoch`` must
equal the user's ``session_epoch``: logout, a password reset and deactivation raise it, which
ends every session of that user, a copied cookie included (a signed cookie cannot be revoked
any other way).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

from medeval_ui.services import users
from medeval_ui.services.users import UserInfo
from medeval_ui.storage.engine import Database

# A cookie signed a little in the future is a clock skew between workers, not an attack.
_SKEW_S = 60


def now() -> float:
    """The clock sessions and login throttling are checked against; tests move it."""
    return time.time()


async def pause(seconds: float) -> None:
    """How a slowed login waits before answering; tests swap it for a recorder."""
    await asyncio.sleep(seconds)


def start_session(session: MutableMapping[str, Any], user: UserInfo) -> None:
    # Start from nothing so no value from before the login survives it (session fixation).
    session.clear()
    session.update(
        user=user.username,
        role=user.role,
        uid=user.id,
        login_at=int(now()),
        epoch=user.session_epoch,
    )


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
        # Another epoch: the user logged out, or the password was reset, since this login.
        same = found is not None and found.id == uid
        info = found if same and found.session_epoch == session.get("epoch") else None
    if info is None and session:
        session.clear()  # the response then deletes the cookie
    return info


@dataclass(frozen=True)
class ThrottleRule:
    """Failed logins for one key within ``window_s``: from ``slow_after`` on, each failure is
    answered after a growing delay; the ``lock_after``-th locks the key for ``lock_s``."""

    scope: str  # "user" (client address and username) or "address"
    slow_after: int
    lock_after: int
    window_s: float = 900.0
    lock_s: float = 900.0
    max_delay_s: float = 8.0

    def delay(self, failures: int) -> float:
        """1 s at ``slow_after`` failures, doubling each time, at most ``max_delay_s``."""
        if failures < self.slow_after:
            return 0.0
        return float(min(2 ** min(failures - self.slow_after, 16), self.max_delay_s))


# Per address and name: a person who mistypes is slowed after 3, locked after 10.
PER_USER = ThrottleRule("user", slow_after=3, lock_after=10)
# Per address alone: one address trying many names (password spraying).
PER_ADDRESS = ThrottleRule("address", slow_after=20, lock_after=50)
MAX_KEYS = 100_000  # bound memory under a spray of names from many addresses


@dataclass(frozen=True)
class Attempt:
    """A login attempt let through; it counts as a failure until ``succeeded`` says not."""

    keys: tuple[tuple[str, ...], ...]
    at: float


@dataclass(frozen=True)
class Verdict:
    """What a failed attempt earns: a delay before the answer, and the rules it locked."""

    delay_s: float
    locked: tuple[ThrottleRule, ...] = ()
    failures: dict[str, int] = field(default_factory=dict)


class LoginThrottle:
    """Slows, then locks, failed logins per (address, username) and per address.

    Argon2 already makes each guess cost ~50 ms; this stops a patient script. Kept in
    memory: the app runs as one process (see GRADIO.md), and a restart forgetting the
    count is acceptable. The per-user rule is keyed by address *and* name, so a stranger
    cannot lock a clinician out from elsewhere by failing on purpose; the per-address rule
    has a higher limit and catches one address trying many names.

    An attempt counts as a failure from ``begin`` until ``succeeded``: parallel guesses
    cannot all slip past the check while the first are still being verified.
    """

    def __init__(self, rules: tuple[ThrottleRule, ...] = (PER_USER, PER_ADDRESS)) -> None:
        self.rules = rules
        self._failures: dict[tuple[str, ...], deque[float]] = {}
        self._locked_until: dict[tuple[str, ...], float] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(rule: ThrottleRule, client: str, username: str) -> tuple[str, ...]:
        if rule.scope == "address":
            return (rule.scope, client)
        return (rule.scope, client, username.strip().lower()[:64])

    def _recent(self, rule: ThrottleRule, key: tuple[str, ...], t: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and t - times[0] > rule.window_s:
            times.popleft()
        return times

    def _refused_for(self, rule: ThrottleRule, key: tuple[str, ...], t: float) -> float:
        until = self._locked_until.get(key, 0.0)
        if until > t:
            return until - t
        self._locked_until.pop(key, None)
        times = self._recent(rule, key, t)
        if len(times) >= rule.lock_after:  # in-flight attempts fill the quota
            return max(1.0, rule.window_s - (t - times[0]))
        return 0.0

    def retry_after(self, client: str, username: str) -> int:
        """Seconds until a refused (client, username) may try again (0: not refused)."""
        t = now()
        with self._lock:
            waits = [self._refused_for(r, self._key(r, client, username), t) for r in self.rules]
        return int(max(waits) + 0.999)

    def begin(self, client: str, username: str) -> Attempt | None:
        """Let an attempt through (counted as a failure for now), or None while locked."""
        t = now()
        with self._lock:
            keys = tuple(self._key(r, client, username) for r in self.rules)
            if any(self._refused_for(r, k, t) for r, k in zip(self.rules, keys, strict=True)):
                return None
            self._bound_memory(t)
            for key in keys:
                self._failures.setdefault(key, deque()).append(t)
            return Attempt(keys, t)

    def failed(self, attempt: Attempt) -> Verdict:
        """The attempt failed: its delay, and which rules it has just locked."""
        t = now()
        delay, locked, counts = 0.0, [], {}
        with self._lock:
            for rule, key in zip(self.rules, attempt.keys, strict=True):
                n = len(self._recent(rule, key, t))
                counts[rule.scope] = n
                if n >= rule.lock_after and self._locked_until.get(key, 0.0) <= t:
                    self._locked_until[key] = t + rule.lock_s
                    self._failures.pop(key, None)  # after the lock, start afresh
                    locked.append(rule)
                delay = max(delay, rule.delay(n))
        return Verdict(delay, tuple(locked), counts)

    def succeeded(self, attempt: Attempt) -> None:
        """The attempt logged in: forget this name's failures, take back the address's one."""
        with self._lock:
            for rule, key in zip(self.rules, attempt.keys, strict=True):
                times = self._failures.get(key)
                if times is None:
                    continue
                if rule.scope == "address":
                    if attempt.at in times:
                        times.remove(attempt.at)
                else:
                    del self._failures[key]

    def _bound_memory(self, t: float) -> None:
        if len(self._failures) + len(self._locked_until) <= MAX_KEYS:
            return
        window = max(r.window_s for r in self.rules)
        self._failures = {k: v for k, v in self._failures.items() if v and t - v[-1] <= window}
        self._locked_until = {k: u for k, u in self._locked_until.items() if u > t}
        if len(self._failures) + len(self._locked_until) > MAX_KEYS:
            self._failures.clear()  # a flood from very many addresses: forget, stay up
