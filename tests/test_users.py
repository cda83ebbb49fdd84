"""Users, roles and passwords (services/users.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from medeval_ui.errors import ConflictError, MedevalError, NotFoundError
from medeval_ui.services import users
from medeval_ui.storage.engine import Database
from medeval_ui.storage.tables import AuditEvent, User

PW = "correct horse battery"
REAL_HASHER = users.hasher  # taken before the fixture below swaps it


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch: pytest.MonkeyPatch) -> Iterator[PasswordHasher]:
    """Argon2id with tiny costs: the same code path, a fraction of the ~50 ms per hash."""
    fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(users, "hasher", fast)
    monkeypatch.setattr(users, "_dummy_hash", None)
    yield fast


def _hash(db: Database, username: str) -> str:
    with db.read() as session:
        value = session.scalar(select(User.password_hash).where(User.username == username))
    assert value is not None
    return value


def _actions(db: Database) -> list[tuple[str, str, int | None, dict]]:
    with db.read() as session:
        rows = session.execute(
            select(
                AuditEvent.action, AuditEvent.actor, AuditEvent.user_id, AuditEvent.detail
            ).order_by(AuditEvent.id)
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def test_add_list_get(db: Database) -> None:
    info, generated = users.add_user(
        db, " Alice ", "clinician", password=PW, display_name="Dr A", languages=["EN", "pt_br"]
    )
    assert generated is None
    assert info.username == "alice" and info.role == "clinician" and info.active
    assert info.languages == ["en", "pt-BR"]
    assert re.fullmatch(r"R[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{7}", info.pseudonym)
    assert not hasattr(info, "password_hash")
    users.add_user(db, "bob", "lead", password=PW)
    assert [u.username for u in users.list_users(db)] == ["alice", "bob"]
    assert users.get_user(db, "ALICE") == info
    with pytest.raises(NotFoundError, match="carol"):
        users.get_user(db, "carol")


def test_duplicate_username_is_a_conflict(db: Database) -> None:
    users.add_user(db, "alice", "clinician", password=PW)
    with pytest.raises(ConflictError, match="alice"):
        users.add_user(db, "ALICE", "lead", password=PW)


@pytest.mark.parametrize("name", ["a", "-abc", "has space", "x" * 65, "ünï", "a/b"])
def test_bad_username(db: Database, name: str) -> None:
    with pytest.raises(MedevalError, match="username"):
        users.add_user(db, name, "clinician", password=PW)


def test_bad_role_language_password(db: Database) -> None:
    with pytest.raises(MedevalError, match="role 'root'"):
        users.add_user(db, "alice", "root", password=PW)
    with pytest.raises(MedevalError, match="'english'"):
        users.add_user(db, "alice", "clinician", password=PW, languages=["en", "english"])
    with pytest.raises(MedevalError, match="at least 12"):
        users.add_user(db, "alice", "clinician", password="short")
    assert users.list_users(db) == []


def test_generated_password_authenticates_and_hash_is_argon2id(db: Database) -> None:
    info, generated = users.add_user(db, "alice", "clinician")
    assert generated is not None and len(generated) >= 12
    assert _hash(db, "alice").startswith("$argon2id$")
    assert generated not in _hash(db, "alice")
    assert users.authenticate(db, "alice", generated) == info
    assert users.authenticate(db, " Alice", generated) == info  # as typed on a phone
    assert users.authenticate(db, "alice", generated + "x") is None
    assert users.authenticate(db, "nobody", generated) is None


def test_default_hasher_is_argon2id_with_library_defaults() -> None:
    assert REAL_HASHER.hash("x" * 12).startswith("$argon2id$v=19$m=65536")


def test_inactive_user_cannot_log_in(db: Database) -> None:
    users.add_user(db, "root", "admin", password=PW)
    users.add_user(db, "alice", "clinician", password=PW)
    users.deactivate(db, "alice", actor="root")
    assert users.authenticate(db, "alice", PW) is None
    assert users.get_active_user(db, "alice") is None
    users.reactivate(db, "alice", actor="root")
    assert users.authenticate(db, "alice", PW) is not None


def test_last_admin_is_protected(db: Database) -> None:
    users.add_user(db, "root", "admin", password=PW)
    with pytest.raises(MedevalError, match="last active admin"):
        users.deactivate(db, "root")
    with pytest.raises(MedevalError, match="last active admin"):
        users.set_role(db, "root", "lead")
    users.add_user(db, "second", "admin", password=PW)
    assert users.set_role(db, "root", "lead", actor="second").role == "lead"
    with pytest.raises(MedevalError, match="last active admin"):
        users.deactivate(db, "second")
    assert users.get_user(db, "second").active


def test_reset_password(db: Database) -> None:
    users.add_user(db, "alice", "clinician", password=PW)
    new = users.reset_password(db, "alice", actor="root")
    assert new != PW and len(new) >= 12
    assert users.authenticate(db, "alice", PW) is None
    assert users.authenticate(db, "alice", new) is not None
    assert users.reset_password(db, "alice", "another long one", actor="root") == "another long one"
    with pytest.raises(MedevalError, match="at least 12"):
        users.reset_password(db, "alice", "short")
    with pytest.raises(NotFoundError):
        users.reset_password(db, "nobody")


def test_set_languages(db: Database) -> None:
    users.add_user(db, "alice", "clinician", password=PW)
    assert users.set_languages(db, "alice", ["FR", "zh-hant", "fr"]).languages == ["fr", "zh-Hant"]
    with pytest.raises(MedevalError, match="'xx-!!'"):
        users.set_languages(db, "alice", ["xx-!!"])
    assert users.get_user(db, "alice").languages == ["fr", "zh-Hant"]


def test_rehash_when_parameters_change(
    db: Database, monkeypatch: pytest.MonkeyPatch, cheap_hasher: PasswordHasher
) -> None:
    users.add_user(db, "alice", "clinician", password=PW)
    old = _hash(db, "alice")
    assert users.authenticate(db, "alice", PW) is not None
    assert _hash(db, "alice") == old  # same parameters: left alone
    stronger = PasswordHasher(time_cost=2, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(users, "hasher", stronger)
    assert users.authenticate(db, "alice", PW) is not None
    new = _hash(db, "alice")
    assert new != old and "t=2" in new and not stronger.check_needs_rehash(new)
    assert users.authenticate(db, "alice", PW) is not None


def test_audit_rows(db: Database) -> None:
    users.add_user(db, "root", "admin", password=PW, actor="cli")
    users.add_user(db, "alice", "clinician", password=PW, actor="root")
    users.authenticate(db, "alice", PW)
    users.authenticate(db, "alice", "wrong password")
    users.authenticate(db, "ghost", PW)
    users.set_role(db, "alice", "lead", actor="root")
    users.set_languages(db, "alice", ["en"], actor="root")
    users.deactivate(db, "alice", actor="root")
    users.authenticate(db, "alice", PW)
    users.reactivate(db, "alice", actor="root")
    users.reset_password(db, "alice", actor="root")
    events = _actions(db)
    assert [e[0] for e in events] == [
        "user_add",
        "user_add",
        "login",
        "login_failed",
        "login_failed",
        "user_role",
        "user_languages",
        "user_deactivate",
        "login_failed",
        "user_reactivate",
        "user_password_reset",
    ]
    alice = users.get_user(db, "alice").id
    assert events[1][1:3] == ("root", alice)
    assert events[3][3] == {"reason": "bad_password"}
    assert events[4][1:] == ("ghost", None, {"reason": "unknown_user"})
    assert events[8][3] == {"reason": "inactive"}
    assert events[5][3] == {"old": "clinician", "new": "lead"}
    assert all(PW not in str(e) and "argon2" not in str(e) for e in events)


def test_ensure_first_admin(db: Database) -> None:
    created = users.ensure_first_admin(db)
    assert created is not None
    username, password = created
    assert username == "admin" and len(password) >= 12
    info = users.authenticate(db, username, password)
    assert info is not None and info.role == "admin"
    assert users.ensure_first_admin(db) is None
    assert [u.username for u in users.list_users(db)] == ["admin"]
