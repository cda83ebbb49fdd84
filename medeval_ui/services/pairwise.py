"""Blind pairwise comparison: which pair a clinician sees next, and recording their vote.

Rules (DESIGN.md sections 3 and 4):
- a pair is two different models' outputs on the same case; a clinician is only given
  cases in their declared languages and sees a given pair at most once;
- least-voted pairs first, random among equals, so every model pair gets a similar number
  of votes; at most k votes per pair (the study's ``votes_per_pair``), with a lease as for
  ratings so concurrent clinicians cannot overshoot it;
- which output is "Response A" (left) is drawn per assignment and stored;
- a vote is append-only, carries a client token (a double click records once), and is
  audited; identities are revealed only after the vote is stored, only where the study
  allows it, and that is checked here, on the server.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from medeval_ui.domain import assignment as rules
from medeval_ui.domain.rubric import AnswerError, Rubric
from medeval_ui.errors import ConflictError, MedevalError, NotFoundError, PermissionDeniedError
from medeval_ui.services import annotation_memo as memo
from medeval_ui.services import audit
from medeval_ui.services.annotation import NO_LANGUAGES, active_user, case_fields
from medeval_ui.services.annotation_memo import case_and_images
from medeval_ui.services.annotation_views import ImageView
from medeval_ui.storage.engine import Database
from medeval_ui.storage.repos import pairs, work
from medeval_ui.storage.repos.studies import find_study_by_slug, study_by_id
from medeval_ui.storage.repos.work import utcnow

if TYPE_CHECKING:
    from medeval_ui.storage.repos.studies import StudyRow
    from medeval_ui.storage.repos.users import UserRow
    from medeval_ui.storage.repos.work import AssignmentRow

# What a clinician answers, and how it is stored (positions, not letters: A is the left).
CHOICES = {"a": "left", "b": "right", "tie": "tie", "both_bad": "both_bad"}
AXIS_VALUES = {"a": "left", "b": "right", "tie": "tie", "both_bad": "both_bad"}


@dataclass(frozen=True)
class PairView:
    """One pair as the clinician sees it. ``left_output_id``/``right_output_id`` stay on
    the server (gr.State); nothing here names a model."""

    assignment_id: int
    study_slug: str
    study_title: str
    guidelines: str
    case_label: str
    language: str
    language_name: str
    rtl: bool
    prompt: str
    reference_answer: str | None
    images: list[ImageView]
    text_a: str
    text_b: str
    left_output_id: int
    right_output_id: int
    axes: Rubric | None  # per-axis questions (pairwise type) of the study's rubric, if any
    reason_required: bool
    reveal_allowed: bool  # the study reveals identities after each vote
    done: int
    total: int
    client_token: str


@dataclass(frozen=True)
class VoteResult:
    assignment_id: int
    vote_id: int
    recorded: bool  # False when this exact vote had been recorded already (double click)


def _study(session: Session, slug: str) -> StudyRow:
    study = find_study_by_slug(session, slug)
    if study is None:
        raise NotFoundError(f"there is no study '{slug}'")
    if "pairwise" not in study.modes:
        raise MedevalError(f"study '{slug}' does not collect pairwise votes")
    return study


def _axes(study: StudyRow) -> Rubric | None:
    rubric = Rubric.from_snapshot(study.rubric_snapshot)
    questions = [q for q in rubric.questions if q.type == "pairwise"]
    if not questions:
        return None
    return rubric.model_copy(update={"questions": questions})


def _own(session: Session, user: UserRow, assignment_id: int, lock: bool = False) -> Any:
    a = work.assignment(session, assignment_id, lock=lock)
    if a is None or a.user_id != user.id or a.kind != "pairwise":
        raise NotFoundError("This pair is not one of yours. Reload the page.")
    return a


def next_pair(db: Database, username: str, slug: str) -> PairView | None:
    """The clinician's open pair in this study, or a newly claimed one; None when no pair
    is left for them."""
    now = utcnow()
    with db.write() as session:
        user = active_user(session, username)
        study = _study(session, slug)
        work.lock_user(session, user.id)
        pairs.release_expired_pairs(session, study.id, now)
        current = pairs.open_pair_assignment(session, user.id, study.id)
        if current is None:
            current = _claim(session, study, user, now)
            if current is None:
                return None
        else:
            current.lease_expires_at = now + rules.LEASE
            current.served_at = current.served_at or now
        return _view(session, study, user, current)


def _claim(session: Session, study: StudyRow, user: UserRow, now: datetime) -> Any:
    langs = rules.clinician_languages(user.languages)
    if not langs:
        raise MedevalError(NO_LANGUAGES)
    item = pairs.claim_pair(session, study.id, user.id, langs, study.votes_per_pair)
    if item is None:
        return None
    sides = [item.output_lo_id, item.output_hi_id]
    random.SystemRandom().shuffle(sides)
    pairs.add_to_pair(session, item.id, taken=1)
    return work.insert_assignment(
        session,
        study_id=study.id,
        user_id=user.id,
        case_id=item.case_id,
        pair_item_id=item.id,
        kind="pairwise",
        output_order=sides,
        status="open",
        lease_expires_at=now + rules.LEASE,
        served_at=now,
    )


def _view(session: Session, study: StudyRow, user: UserRow, a: AssignmentRow) -> PairView:
    case, images = case_and_images(session, a.case_id)
    left, right = a.output_order
    texts = pairs.output_texts_and_models(session, [left, right])
    langs = rules.clinician_languages(user.languages)
    done = pairs.count_votes_by(session, user.id, study.id)
    k = study.votes_per_pair
    total = memo.totals.get(  # a count over every pair of the study: memoized as for ratings
        (memo.db_key(session), "pairs", study.id, user.id, tuple(langs), k),
        lambda: done + 1 + pairs.count_open_pairs(session, study.id, user.id, langs, k),
    )
    return PairView(
        assignment_id=a.id,
        study_slug=study.slug,
        study_title=study.title,
        guidelines=study.guidelines,
        **case_fields(study, case, images),
        text_a=texts[left][0],
        text_b=texts[right][0],
        left_output_id=left,
        right_output_id=right,
        axes=_axes(study),
        reason_required=study.vote_reason_required,
        reveal_allowed=study.reveal_policy == "after_vote",
        done=done,
        total=total,
        client_token=f"p{a.id}",
    )


def submit_vote(
    db: Database,
    username: str,
    assignment_id: int,
    choice: str,
    axes: dict[str, Any] | None = None,
    reason: str = "",
    client_token: str = "",
) -> VoteResult:
    """Record the clinician's vote: ``choice`` is "a" (Response A, the left one, is
    better), "b", "tie" or "both_bad"; ``axes`` the per-axis answers (same values)."""
    if choice not in CHOICES:
        raise MedevalError("Choose A is better, B is better, Tie or Both bad.")
    token = client_token.strip()[:60]
    if not token:
        raise MedevalError("This form is out of date. Reload the page.")
    reason = (reason or "").strip()
    now = utcnow()
    with db.write() as session:
        user = active_user(session, username)
        a = _own(session, user, assignment_id, lock=True)
        if (done := pairs.vote_with_token(session, token)) is not None:
            if done.user_id != user.id:
                raise ConflictError("This form is out of date. Reload the page.")
            return VoteResult(a.id, done.id, recorded=False)
        if a.status == "done":
            raise ConflictError("You have already voted on this pair.")
        study = study_by_id(session, a.study_id)
        if study.vote_reason_required and not reason:
            raise MedevalError("This study asks for a reason with every vote.")
        axis_answers = _check_axes(_axes(study), axes or {})
        if a.status in ("released", "skipped"):
            _retake(session, study, a)
        left, right = a.output_order
        spent = int((now - a.served_at).total_seconds() * 1000) if a.served_at else None
        vote = pairs.add_vote(
            session,
            study_id=study.id,
            case_id=a.case_id,
            left_output_id=left,
            right_output_id=right,
            user_id=user.id,
            assignment_id=a.id,
            winner=CHOICES[choice],
            axes=axis_answers,
            reason=reason[:10_000],
            time_spent_ms=spent,
            origin="app",
            client_token=token,
            created_at=now,
        )
        a.status, a.completed_at, a.lease_expires_at, a.served_at = "done", now, None, None
        pairs.add_to_pair(session, a.pair_item_id, done=1)
        audit.record(
            session,
            "vote",
            actor=user.username,
            user_id=user.id,
            study_id=study.id,
            assignment=a.id,
            vote=vote.id,
        )
        return VoteResult(a.id, vote.id, recorded=True)


def _check_axes(axes_rubric: Rubric | None, given: dict[str, Any]) -> dict[str, str]:
    if not given:
        return {}
    if axes_rubric is None:
        raise MedevalError("This study asks no per-axis questions.")
    out = {}
    for qid, value in given.items():
        try:
            answer = axes_rubric.question(qid).normalize_answer(value)
        except AnswerError as err:
            raise MedevalError(f"Axis '{qid}': {err.detail}") from err
        except MedevalError as err:
            raise MedevalError(str(err)) from err
        if answer is not None:
            out[qid] = AXIS_VALUES.get(str(answer), str(answer))
    return out


def _retake(session: Session, study: StudyRow, a: Any) -> None:
    item = pairs.pair_item(session, a.pair_item_id, lock=True)
    if item is None or item.taken >= study.votes_per_pair:
        raise ConflictError(
            "This pair was handed to another clinician after it sat unanswered, and it has "
            "all the votes it needs. Your vote was not saved; please continue with the next."
        )
    pairs.add_to_pair(session, item.id, taken=1)
    a.status = "open"


def skip_pair(db: Database, username: str, assignment_id: int, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise MedevalError("Please say why you skip this pair (one line is enough).")
    with db.write() as session:
        user = active_user(session, username)
        a = _own(session, user, assignment_id, lock=True)
        if a.status != "open":
            raise ConflictError("Only an open pair can be skipped.")
        a.status, a.skip_reason, a.completed_at, a.lease_expires_at = (
            "skipped",
            reason[:2000],
            utcnow(),
            None,
        )
        pairs.add_to_pair(session, a.pair_item_id, taken=-1)
        memo.totals.clear()  # a skipped pair leaves this clinician's total (skips are rare)
        audit.record(
            session, "pair_skip", actor=user.username, user_id=user.id, study_id=a.study_id
        )


def reveal(db: Database, username: str, assignment_id: int) -> tuple[str, str]:
    """(model of Response A, model of Response B), only after this clinician's vote on the
    pair is stored, and only in a study whose reveal policy allows it."""
    with db.write() as session:  # writes the audit event
        user = active_user(session, username)
        a = _own(session, user, assignment_id)
        study = study_by_id(session, a.study_id)
        if study.reveal_policy != "after_vote":
            raise PermissionDeniedError("This study does not reveal which model wrote what.")
        if a.status != "done" or pairs.vote_of_assignment(session, a.id) is None:
            raise PermissionDeniedError("Identities are shown only after your vote is saved.")
        left, right = a.output_order
        texts = pairs.output_texts_and_models(session, [left, right])
        audit.record(session, "reveal", actor=user.username, user_id=user.id, assignment=a.id)
        names = [f"{texts[o][1]} {texts[o][2]}".strip() for o in (left, right)]
        return names[0], names[1]
