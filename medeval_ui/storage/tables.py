"""ORM tables (DESIGN.md section 2). Alembic migrations in db/migrations mirror this file.

Times are stored as naive UTC. Judgments (ratings, votes) are append-only: an edit is a new
row pointing at the one it supersedes, so history is never lost.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# Stable constraint names so Alembic batch migrations on SQLite can find them later.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('admin', 'lead', 'clinician')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    # Random, stable, not derived from the username: what exports show by default.
    pseudonym: Mapped[str] = mapped_column(String(16), unique=True)
    languages: Mapped[list[Any]] = mapped_column(default=list)
    specialty: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Copied into the session cookie at login; raising it ends every session of this user
    # (logout, password reset, deactivation), even a cookie someone copied.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Study(Base):
    __tablename__ = "studies"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    guidelines: Mapped[str] = mapped_column(Text, default="")
    rubric_id: Mapped[str] = mapped_column(String(64))
    rubric_version: Mapped[str] = mapped_column(String(32))
    rubric_snapshot: Mapped[dict[str, Any]] = mapped_column()
    modes: Mapped[list[Any]] = mapped_column(default=lambda: ["rating"])
    ratings_per_output: Mapped[int] = mapped_column(Integer, default=3)
    votes_per_pair: Mapped[int] = mapped_column(Integer, default=3)
    pivot_language: Mapped[str] = mapped_column(String(35), default="en")
    blind: Mapped[bool] = mapped_column(Boolean, default=True)
    show_reference: Mapped[bool] = mapped_column(Boolean, default=False)
    reveal_policy: Mapped[str] = mapped_column(String(16), default="never")
    # Pairwise: whether a vote needs a reason; models with fewer votes are "provisional".
    vote_reason_required: Mapped[bool] = mapped_column(Boolean, default=False)
    min_votes: Mapped[int] = mapped_column(Integer, default=50)
    # Generation (medeval generate): the message template and system prompt; "" = default.
    prompt_template: Mapped[str] = mapped_column(Text, default="")
    system_prompt: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("study_id", "external_id", name="uq_cases_study_external"),
        Index("ix_cases_study_group", "study_id", "group_id"),
        Index("ix_cases_study_language", "study_id", "language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    group_id: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(35))
    specialty: Mapped[str] = mapped_column(String(200), default="")
    modality: Mapped[str] = mapped_column(String(64), default="")
    prompt: Mapped[str] = mapped_column(Text)
    reference_answer: Mapped[str] = mapped_column(Text, default="")
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CaseImage(Base):
    __tablename__ = "case_images"
    __table_args__ = (UniqueConstraint("case_id", "position", name="uq_case_images_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8))
    display_sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    modality: Mapped[str | None] = mapped_column(String(16))
    window: Mapped[str | None] = mapped_column(String(32))
    # Only leads see this; clinicians get images by content hash.
    source_name: Mapped[str] = mapped_column(String(500), default="")


class Model(Base):
    __tablename__ = "models"
    __table_args__ = (UniqueConstraint("name", "version", name="uq_models_name_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(100), default="")
    parameters: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Output(Base):
    __tablename__ = "outputs"
    __table_args__ = (
        UniqueConstraint(
            "case_id", "model_id", "sample_index", name="uq_outputs_case_model_sample"
        ),
        CheckConstraint("origin IN ('imported', 'generated')", name="origin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    model_id: Mapped[int] = mapped_column(ForeignKey("models.id"), index=True)
    sample_index: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    origin: Mapped[str] = mapped_column(String(16), default="imported")
    generation_ms: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class WorkItem(Base):
    """One unit of rating work: a case's outputs for one sample index, shown side by side.

    ``taken`` counts assignments that hold a place (open with a live lease, or done), so
    "does this item still need a clinician?" is one indexed comparison with the study's k
    instead of counting ratings (shared/notes/STORAGE_AND_SPEED.md: 5 us against 39-160 ms).
    ``rand_key`` is drawn once, so equally-needed items are handed out in a random order.
    """

    __tablename__ = "work_items"
    __table_args__ = (
        UniqueConstraint("case_id", "sample_index", name="uq_work_items_case_sample"),
        Index("ix_work_items_queue", "study_id", "gold", "taken", "rand_key"),
        # covers the progress total (repos.work.count_available) without reading the table
        Index("ix_work_items_open", "study_id", "language", "gold", "taken"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    sample_index: Mapped[int] = mapped_column(Integer, default=0)
    # Primary language subtag ("pt" for pt-BR): what a clinician's declared languages match.
    language: Mapped[str] = mapped_column(String(35))
    # Gold items have expected answers; every clinician gets them, whatever k says.
    gold: Mapped[bool] = mapped_column(Boolean, default=False)
    taken: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    rand_key: Mapped[int] = mapped_column(Integer)


class PairItem(Base):
    """One unit of pairwise work: the outputs of two models on the same case.

    Like ``WorkItem``: ``taken`` counts votes handed out or given, so "least-voted pairs
    first, random among equals" is one indexed scan (``rand_key`` drawn once). The pair is
    stored in model-id order; which one shows on the left is drawn per assignment.
    """

    __tablename__ = "pair_items"
    __table_args__ = (
        UniqueConstraint("output_lo_id", "output_hi_id", name="uq_pair_items_outputs"),
        Index("ix_pair_items_queue", "study_id", "taken", "rand_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(35))  # primary subtag, as in work_items
    output_lo_id: Mapped[int] = mapped_column(ForeignKey("outputs.id", ondelete="CASCADE"))
    output_hi_id: Mapped[int] = mapped_column(ForeignKey("outputs.id", ondelete="CASCADE"))
    taken: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    rand_key: Mapped[int] = mapped_column(Integer)


class Assignment(Base):
    __tablename__ = "assignments"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'done', 'skipped', 'released')", name="status"),
        CheckConstraint("kind IN ('rating', 'pairwise')", name="kind"),
        UniqueConstraint("user_id", "work_item_id", name="uq_assignments_user_work_item"),
        UniqueConstraint("user_id", "pair_item_id", name="uq_assignments_user_pair_item"),
        Index("ix_assignments_user_status", "user_id", "status"),
        Index("ix_assignments_study_case", "study_id", "case_id"),
        Index("ix_assignments_study_status_lease", "study_id", "status", "lease_expires_at"),
        # covers "how many items has this clinician done in this study" (every next item)
        Index("ix_assignments_user_study", "user_id", "study_id", "kind", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    work_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("work_items.id", ondelete="CASCADE")
    )
    pair_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("pair_items.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(16), default="rating")
    # Output ids in the order shown ("Response 1..N", or [left, right] in pairwise),
    # randomized once and kept.
    output_order: Mapped[list[Any]] = mapped_column(default=list)
    # open -> done | skipped; open -> released when the lease lapsed and the place was freed.
    status: Mapped[str] = mapped_column(String(16), default="open")
    skip_reason: Mapped[str] = mapped_column(Text, default="")
    # Named assignments (uploaded by the lead) have no expiry: the place is theirs.
    named: Mapped[bool] = mapped_column(Boolean, default=False)
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    # When the item was last put in front of the clinician: time on task counts from here.
    served_at: Mapped[datetime | None] = mapped_column(DateTime)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    flag_note: Mapped[str] = mapped_column(Text, default="")
    flagged_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)


class GoldAnswer(Base):
    """The expected rubric answers for a gold output (imported by the lead)."""

    __tablename__ = "gold_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    output_id: Mapped[int] = mapped_column(
        ForeignKey("outputs.id", ondelete="CASCADE"), unique=True
    )
    answers: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Rating(Base):
    __tablename__ = "ratings"
    __table_args__ = (
        Index("ix_ratings_study_output", "study_id", "output_id"),
        Index("ix_ratings_user", "user_id"),
        # next item, history and revisions look ratings up by assignment
        Index("ix_ratings_assignment", "assignment_id"),
        CheckConstraint("confidence IS NULL OR confidence BETWEEN 1 AND 5", name="confidence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    output_id: Mapped[int] = mapped_column(ForeignKey("outputs.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"))
    answers: Mapped[dict[str, Any]] = mapped_column()
    rubric_version: Mapped[str] = mapped_column(String(32))
    confidence: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    time_spent_ms: Mapped[int | None] = mapped_column(Integer)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("ratings.id"), index=True)
    origin: Mapped[str] = mapped_column(String(16), default="app")
    # A double click or a re-imported file carries the same token and records once.
    client_token: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Vote(Base):
    __tablename__ = "votes"
    __table_args__ = (
        CheckConstraint("winner IN ('left', 'right', 'tie', 'both_bad')", name="winner"),
        Index("ix_votes_study_case", "study_id", "case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    left_output_id: Mapped[int] = mapped_column(ForeignKey("outputs.id"))
    right_output_id: Mapped[int] = mapped_column(ForeignKey("outputs.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"), index=True)
    winner: Mapped[str] = mapped_column(String(16))
    axes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reason: Mapped[str] = mapped_column(Text, default="")
    time_spent_ms: Mapped[int | None] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(16), default="app")
    client_token: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(64))
    study_id: Mapped[int | None] = mapped_column(ForeignKey("studies.id", ondelete="SET NULL"))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Score(Base):
    __tablename__ = "scores"
    __table_args__ = (
        UniqueConstraint("output_id", "scorer", "metric", name="uq_scores_output_scorer_metric"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    output_id: Mapped[int] = mapped_column(ForeignKey("outputs.id", ondelete="CASCADE"))
    scorer: Mapped[str] = mapped_column(String(200))
    metric: Mapped[str] = mapped_column(String(100))
    value: Mapped[float | None] = mapped_column(Float)
    label: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
