"""Users, roles and passwords.

Each public function is one transaction. Passwords are hashed with argon2id (argon2-cffi)
*outside* the write transaction: a hash takes ~50 ms, and on SQLite a write transaction
holds the database's only write lock, which would stall every clinician's save meanwhile.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from medeval_ui.domain.languages import normalize_tag
from medeval_ui.errors import ConflictError, MedevalError, NotFoundError
from medeval_ui.services import audit
from medeval_ui.storage.engine import Database
from medeval_ui.storage.repos.users import (
    all_users,
    count_active_admins,
    find_user_by_username,
    get_user_row,
    insert_user,
    lock_active_admin_ids,
    pseudonym_taken,
    user_id_by_username,
    usernames_starting_with,
)

if TYPE_CHECKING:
    from medeval_ui.storage.repos.users import UserRow

ROLES = ("admin", "lead", "clinician")
MIN_PASSWORD = 12
# Hashing a megabyte-long "password" is a cheap way to burn server CPU: refuse it early.
MAX_PASSWORD = 1024
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
# No 0/O, 1/I/L: pseudonyms are read aloud and typed from printed exports.
PSEUDONYM_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

# Module-level so a test (or a future setting) can swap in other parameters; hashes made
# with older parameters are upgraded at the next successful login.
hasher = PasswordHasher()
_dummy_hash: str | None = None


@dataclass(frozen=True)
class UserInfo:
    """What the rest of the app may know about a user: never the password hash."""

    id: int
    username: str
    display_name: str
    role: str
    languages: list[str]
    specialty: str
    active: bool
    pseudonym: str
    session_epoch: int


def _info(user: UserRow) -> UserInfo:
    values = {f.name: getattr(user, f.name) for f in fields(UserInfo)}
    return UserInfo(**values | {"languages": list(user.languages or [])})


def _clean_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME_RE.match(name):
        raise MedevalError(
            f"username {username!r} is not allowed: use 2-64 characters from a-z, 0-9, "
            "'.', '_' and '-', starting with a letter or digit"
        )
    return name


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise MedevalError(f"role {role!r} is not one of: {', '.join(ROLES)}")
    return role


def clean_languages(languages: Iterable[str]) -> list[str]:
    """Standardized BCP-47 tags, duplicates removed, order kept; the error names a bad tag."""
    if isinstance(languages, str):  # "en" would otherwise become ["e", "n"]
        languages = [languages]
    out: list[str] = []
    for raw in languages:
        # The project's one BCP-47 rule (langcodes.tag_is_valid + standardize_tag).
        std = normalize_tag(raw)
        if std is None:
            raise MedevalError(
                f"language {raw!r} is not a valid BCP-47 tag (examples: en, fr, pt-BR, zh-Hant)"
            )
        if std not in out:
            out.append(std)
    return out


def _hash_new_password(password: str | None) -> tuple[str, str | None]:
    """(hash, generated password or None). A generated password is shown once, never stored."""
    generated = None
    if password is None:
        password = generated = secrets.token_urlsafe(12)
    if len(password) < MIN_PASSWORD:
        raise MedevalError(f"password must be at least {MIN_PASSWORD} characters long")
    if len(password) > MAX_PASSWORD:
        raise MedevalError(f"password must be at most {MAX_PASSWORD} characters long")
    return hasher.hash(password), generated


def _load(session: Session, username: str, *, lock: bool = False) -> UserRow:
    user = find_user_by_username(session, username.strip().lower(), lock=lock)
    if user is None:
        raise NotFoundError(f"no user named {username!r}")
    return user


def _new_pseudonym(session: Session) -> str:
    for _ in range(20):
        candidate = "R" + "".join(secrets.choice(PSEUDONYM_ALPHABET) for _ in range(7))
        if not pseudonym_taken(session, candidate):
            return candidate
    raise RuntimeError("could not find a free pseudonym in 20 tries")  # 31**7 values: a bug


def add_user(
    db: Database,
    username: str,
    role: str,
    *,
    password: str | None = None,
    display_name: str = "",
    languages: Iterable[str] = (),
    specialty: str = "",
    actor: str = "cli",
) -> tuple[UserInfo, str | None]:
    """Create a user. Returns it and the generated password (None if one was given)."""
    name = _clean_username(username)
    _check_role(role)
    langs = clean_languages(languages)
    password_hash, generated = _hash_new_password(password)
    with db.write() as session:
        if user_id_by_username(session, name) is not None:
            raise ConflictError(f"a user named {name!r} already exists")
        user = insert_user(
            session,
            username=name,
            role=role,
            password_hash=password_hash,
            display_name=display_name.strip()[:200],
            languages=langs,
            specialty=specialty.strip()[:200],
            active=True,
            pseudonym=_new_pseudonym(session),
        )
        audit.record(session, "user_add", actor=actor, user_id=user.id, username=name, role=role)
        return _info(user), generated


def list_users(db: Database) -> list[UserInfo]:
    with db.read() as session:
        return [_info(u) for u in all_users(session)]


def get_user(db: Database, username: str) -> UserInfo:
    with db.read() as session:
        return _info(_load(session, username))


def get_active_user(db: Database, username: str | None) -> UserInfo | None:
    """The user if it exists and is active, else None: what every web request checks."""
    if not username:
        return None
    with db.read() as session:
        user = find_user_by_username(session, username)
        return _info(user) if user is not None and user.active else None


def _refuse_losing_last_admin(session: Session, user: UserRow, action: str) -> None:
    if user.role != "admin" or not user.active:
        return
    # FOR UPDATE on PostgreSQL: two admins demoting each other at once must not both pass.
    admins = lock_active_admin_ids(session)
    if len(admins) <= 1:
        raise MedevalError(
            f"cannot {action} {user.username!r}: it is the last active admin; "
            "make another user admin first"
        )


def set_role(db: Database, username: str, role: str, actor: str = "cli") -> UserInfo:
    _check_role(role)
    with db.write() as session:
        user = _load(session, username, lock=True)
        if role != user.role:
            _refuse_losing_last_admin(session, user, "demote")
        old, user.role = user.role, role
        audit.record(session, "user_role", actor=actor, user_id=user.id, old=old, new=role)
        return _info(user)


def deactivate(db: Database, username: str, actor: str = "cli") -> UserInfo:
    with db.write() as session:
        user = _load(session, username, lock=True)
        _refuse_losing_last_admin(session, user, "deactivate")
        user.active = False
        user.session_epoch += 1
        audit.record(session, "user_deactivate", actor=actor, user_id=user.id)
        return _info(user)


def reactivate(db: Database, username: str, actor: str = "cli") -> UserInfo:
    with db.write() as session:
        user = _load(session, username, lock=True)
        user.active = True
        audit.record(session, "user_reactivate", actor=actor, user_id=user.id)
        return _info(user)


def reset_password(
    db: Database, username: str, password: str | None = None, *, actor: str = "cli"
) -> str:
    """Set a new password (generated when None) and return it: the only time it is visible."""
    password_hash, generated = _hash_new_password(password)
    with db.write() as session:
        user = _load(session, username, lock=True)
        user.password_hash = password_hash
        user.session_epoch += 1  # whoever knew the old password is logged out too
        audit.record(session, "user_password_reset", actor=actor, user_id=user.id)
    return generated if generated is not None else str(password)


def end_sessions(db: Database, user_id: int, *, reason: str = "logout") -> None:
    """End every session of this user, in every browser: a copied cookie stops working.

    Logging out does this, so leaving a shared ward computer leaves no live login behind.
    """
    with db.write() as session:
        user = get_user_row(session, user_id, lock=True)
        if user is None:
            return
        user.session_epoch += 1
        audit.record(session, reason, actor=user.username, user_id=user.id)


def set_languages(
    db: Database, username: str, languages: Iterable[str], actor: str = "cli"
) -> UserInfo:
    langs = clean_languages(languages)
    with db.write() as session:
        user = _load(session, username, lock=True)
        user.languages = langs
        audit.record(session, "user_languages", actor=actor, user_id=user.id, languages=langs)
        return _info(user)


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return password_hash is not None and hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = hasher.hash(secrets.token_urlsafe(16))
    return _dummy_hash


def authenticate(db: Database, username: str, password: str) -> UserInfo | None:
    """The user if the password is right and the account active; None otherwise.

    An unknown username costs one hash verification like a known one, so response time does
    not tell which usernames exist. The audit row says why a login failed; the caller must
    not tell the person at the login form.
    """
    name = username.strip().lower()[:64]
    with db.read() as session:
        user = find_user_by_username(session, name)
        stored = user.password_hash if user is not None else None
    # Verify even for an unknown user or an over-long password: same work, same timing.
    ok = _verify(stored or _dummy(), password[:MAX_PASSWORD]) and stored is not None
    ok = ok and len(password) <= MAX_PASSWORD
    new_hash = hasher.hash(password) if ok and hasher.check_needs_rehash(stored or "") else None
    with db.write() as session:
        # Re-read in the write transaction: deactivated between the read and now counts.
        fresh = find_user_by_username(session, name)
        if fresh is None or not ok or not fresh.active:
            reason = "unknown_user" if fresh is None else "bad_password" if not ok else "inactive"
            uid = fresh.id if fresh is not None else None
            audit.record(session, "login_failed", actor=name, user_id=uid, reason=reason)
            return None
        if new_hash is not None and fresh.password_hash == stored:
            fresh.password_hash = new_hash
        audit.record(session, "login", actor=name, user_id=fresh.id)
        return _info(fresh)


def ensure_first_admin(db: Database) -> tuple[str, str] | None:
    """Create an admin with a random password when there is no active admin.

    Returns (username, password) for the caller to print once, or None. There is never a
    default password.
    """
    with db.read() as session:
        has_admin = count_active_admins(session)
        taken = usernames_starting_with(session, "admin")
    if has_admin:
        return None
    name = next(n for n in ("admin", *(f"admin{i}" for i in range(2, 1000))) if n not in taken)
    info, password = add_user(db, name, "admin", actor="setup")
    assert password is not None
    return info.username, password


def record_login_event(
    db: Database, action: str, username: str, client: str, **detail: object
) -> None:
    """An audit row for what the login form decided beyond ``authenticate`` (which records
    ``login`` and ``login_failed`` itself), e.g. ``login_locked`` by the throttle.

    ``username`` is what was typed (it may name no account); ``client`` the address.
    """
    name = username.strip().lower()[:64]
    with db.write() as session:
        uid = user_id_by_username(session, name) if name else None
        audit.record(session, action, actor=name, user_id=uid, client=client[:64], **detail)
