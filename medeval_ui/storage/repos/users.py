"""User accounts (``users``)."""

from __future__ import annotations

from typing import Any, TypeAlias

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from medeval_ui.storage.tables import User

# What these functions return; services name it in annotations only.
UserRow: TypeAlias = User


# Built once: every request looks its user up, and building the statement each time cost
# more than running it (bench_next_item; see repos.work).
_BY_USERNAME = select(User).where(User.username == bindparam("username"))
_BY_USERNAME_LOCKED = _BY_USERNAME.with_for_update()


def find_user_by_username(session: Session, username: str, *, lock: bool = False) -> User | None:
    """The user named exactly ``username``; ``lock`` takes a row lock (FOR UPDATE) on
    PostgreSQL, for a read that a write in the same transaction depends on."""
    query = _BY_USERNAME_LOCKED if lock else _BY_USERNAME
    return session.scalars(query, {"username": username}).one_or_none()


def get_user_row(session: Session, user_id: int, *, lock: bool = False) -> User | None:
    """The user with this id; ``lock`` as in ``find_user_by_username``."""
    query = select(User).where(User.id == user_id)
    return session.scalars(query.with_for_update() if lock else query).one_or_none()


def user_id_by_username(session: Session, username: str) -> int | None:
    return session.scalar(select(User.id).where(User.username == username))


def user_ids_by_username(session: Session) -> dict[str, int]:
    """Every user: username -> id."""
    return dict(session.execute(select(User.username, User.id)).all())


def pseudonym_taken(session: Session, pseudonym: str) -> bool:
    return session.scalar(select(User.id).where(User.pseudonym == pseudonym)) is not None


def insert_user(session: Session, **values: Any) -> User:
    """Add a user and flush, so that the returned row has its id."""
    user = User(**values)
    session.add(user)
    session.flush()
    return user


def all_users(session: Session) -> list[User]:
    """Every user, by username."""
    return list(session.scalars(select(User).order_by(User.username)))


def lock_active_admin_ids(session: Session) -> list[int]:
    """Ids of the active admins, row-locked (FOR UPDATE) on PostgreSQL: two admins demoting
    each other at once must not both see the other one still there."""
    return list(
        session.scalars(
            select(User.id).where(User.role == "admin", User.active.is_(True)).with_for_update()
        ).all()
    )


def count_active_admins(session: Session) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == "admin", User.active.is_(True))
        )
        or 0
    )


def usernames_starting_with(session: Session, prefix: str) -> set[str]:
    """Usernames that start with ``prefix`` (a LIKE pattern: no ``%`` or ``_`` in it)."""
    return set(session.scalars(select(User.username).where(User.username.like(prefix + "%"))))
