"""Studies: create one from a rubric, list them, look one up."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from medeval_ui.domain.languages import normalize_tag
from medeval_ui.domain.rubric import Rubric, load_rubric
from medeval_ui.errors import ConflictError, MedevalError, NotFoundError
from medeval_ui.services import audit
from medeval_ui.storage.engine import Database
from medeval_ui.storage.repos.studies import (
    all_studies,
    find_study_by_slug,
    insert_study,
    study_id_by_slug,
)

if TYPE_CHECKING:
    from medeval_ui.storage.repos.studies import StudyRow

MODES = ("rating", "pairwise")
REVEAL_POLICIES = ("never", "after_vote")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")


@dataclass(frozen=True)
class StudyInfo:
    id: int
    slug: str
    title: str
    description: str
    rubric_id: str
    rubric_version: str
    modes: list[str]
    ratings_per_output: int
    votes_per_pair: int
    pivot_language: str
    blind: bool
    show_reference: bool
    reveal_policy: str
    vote_reason_required: bool = False
    min_votes: int = 50


def study_info(row: StudyRow) -> StudyInfo:
    return StudyInfo(
        id=row.id,
        slug=row.slug,
        title=row.title,
        description=row.description,
        rubric_id=row.rubric_id,
        rubric_version=row.rubric_version,
        modes=list(row.modes),
        ratings_per_output=row.ratings_per_output,
        votes_per_pair=row.votes_per_pair,
        pivot_language=row.pivot_language,
        blind=row.blind,
        show_reference=row.show_reference,
        reveal_policy=row.reveal_policy,
        vote_reason_required=row.vote_reason_required,
        min_votes=row.min_votes,
    )


def create_study(
    db: Database,
    slug: str,
    title: str,
    rubric: str,
    *,
    description: str = "",
    guidelines: str = "",
    modes: tuple[str, ...] = ("rating",),
    ratings_per_output: int = 3,
    votes_per_pair: int = 3,
    pivot_language: str = "en",
    blind: bool = True,
    show_reference: bool = False,
    reveal_policy: str = "never",
    vote_reason_required: bool = False,
    min_votes: int = 50,
    actor: str = "cli",
) -> StudyInfo:
    """Create a study; it keeps a snapshot of the rubric as it is today."""
    if not _SLUG.match(slug):
        raise MedevalError(
            f"study slug '{slug}' must be 2-64 lowercase letters, digits or "
            "hyphens, starting with a letter or digit"
        )
    if not title.strip():
        raise MedevalError("a study needs a title")
    bad = [m for m in modes if m not in MODES]
    if bad or not modes:
        raise MedevalError(f"unknown study mode(s) {bad or '(none)'}; choose from {MODES}")
    if min_votes < 0:
        raise MedevalError("the minimum number of votes must not be negative")
    if ratings_per_output < 1 or votes_per_pair < 1:
        raise MedevalError("ratings per output and votes per pair must be at least 1")
    pivot = normalize_tag(pivot_language)
    if pivot is None:
        raise MedevalError(f"pivot language '{pivot_language}' is not a BCP-47 tag")
    if reveal_policy not in REVEAL_POLICIES:
        raise MedevalError(f"reveal policy must be one of {REVEAL_POLICIES}")
    rub = load_rubric(rubric)
    with db.write() as session:
        if study_id_by_slug(session, slug) is not None:
            raise ConflictError(f"a study with slug '{slug}' already exists")
        row = insert_study(
            session,
            slug=slug,
            title=title.strip(),
            description=description,
            guidelines=guidelines,
            rubric_id=rub.id,
            rubric_version=rub.version,
            rubric_snapshot=rub.snapshot(),
            modes=list(modes),
            ratings_per_output=ratings_per_output,
            votes_per_pair=votes_per_pair,
            pivot_language=pivot,
            blind=blind,
            show_reference=show_reference,
            reveal_policy=reveal_policy,
            vote_reason_required=vote_reason_required,
            min_votes=min_votes,
        )
        audit.record(
            session, "study_create", actor=actor, study_id=row.id, rubric=f"{rub.id}@{rub.version}"
        )
        return study_info(row)


def list_studies(db: Database) -> list[StudyInfo]:
    with db.read() as session:
        return [study_info(s) for s in all_studies(session)]


def find_study(session: Session, slug: str) -> StudyRow:
    """The study row inside a caller's transaction, or a NotFoundError a user can act on."""
    row = find_study_by_slug(session, slug)
    if row is None:
        raise NotFoundError(f"no study with slug '{slug}'; see `medeval studies list`")
    return row


def require_study(db: Database, slug: str) -> None:
    """Fail early, before reading a large file, when the study does not exist."""
    with db.read() as session:
        find_study(session, slug)


def get_study(db: Database, slug: str) -> StudyInfo:
    with db.read() as session:
        return study_info(find_study(session, slug))


def get_rubric(db: Database, slug: str) -> Rubric:
    with db.read() as session:
        snapshot: dict[str, Any] = find_study(session, slug).rubric_snapshot
    return Rubric.from_snapshot(snapshot)
