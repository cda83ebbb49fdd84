"""Expert annotation: what a clinician is given next, and recording their ratings.

Each public function is one transaction. The rules (DESIGN.md section 3):
- an output gets at most k ratings (the study's ``ratings_per_output``): a place on a work
  item is taken when it is handed out (a lease), so two clinicians cannot overshoot k;
- nobody is given the same work item twice (unique per user and item), and only work in
  the languages they declared;
- the order of responses is drawn once per assignment and stored, so a reload shows the
  same "Response 1..N";
- ratings are append-only: editing adds a revision that supersedes the old row;
- a submission carries a client token: a double click records once;
- time on task is measured on the server, from when the item was put in front of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from medeval_ui.domain import assignment as rules
from medeval_ui.domain.languages import display_name, is_rtl
from medeval_ui.domain.rubric import Rubric
from medeval_ui.errors import ConflictError, MedevalError, NotFoundError, PermissionDeniedError
from medeval_ui.exchange.images import WINDOW_PRESETS, display_path, render_window
from medeval_ui.services import annotation_memo as memo
from medeval_ui.services import audit, users
from medeval_ui.services.annotation_views import (
    AnswersIncomplete,
    HistoryEntry,
    ImageView,
    ItemView,
    MyStudy,
    ResponseView,
    SubmitResult,
)
from medeval_ui.storage.engine import Database
from medeval_ui.storage.repos import work
from medeval_ui.storage.repos.studies import all_studies, find_study_by_slug, study_by_id
from medeval_ui.storage.repos.users import find_user_by_username
from medeval_ui.storage.repos.work import utcnow

if TYPE_CHECKING:
    from medeval_ui.storage.repos.studies import StudyRow
    from medeval_ui.storage.repos.users import UserRow
    from medeval_ui.storage.repos.work import AssignmentRow

DICOM_WINDOWS = ["voi_lut", *WINDOW_PRESETS]
NO_LANGUAGES = (
    "You have not declared the languages you read. Add them under 'My languages' on the "
    "home page first; you are only given cases in those languages."
)


def active_user(session: Session, username: str) -> UserRow:
    """The signed-in user's row; PermissionDeniedError for an inactive account."""
    user = find_user_by_username(session, username)
    if user is None or not user.active:
        raise PermissionDeniedError("Your account is not active. Ask an administrator.")
    return user


def _study(session: Session, slug: str) -> StudyRow:
    study = find_study_by_slug(session, slug)
    if study is None:
        raise NotFoundError(f"there is no study '{slug}'")
    if "rating" not in study.modes:
        raise MedevalError(f"study '{slug}' does not collect ratings")
    return study


def _own_assignment(
    session: Session, user: UserRow, assignment_id: int, *, lock: bool = False
) -> AssignmentRow:
    a = work.assignment(session, assignment_id, lock=lock)
    # The same message for "missing" and "someone else's": ids must not be probed.
    if a is None or a.user_id != user.id or a.kind != "rating":
        raise NotFoundError("This item is not one of yours. Reload the page.")
    return a


# --- home ---------------------------------------------------------------------------------


def set_my_languages(db: Database, username: str, languages: list[str]) -> list[str]:
    """A clinician declares the languages they read well enough to judge answers in."""
    return users.set_languages(db, username, languages, actor=username).languages


def my_studies(db: Database, username: str) -> list[MyStudy]:
    """Studies that collect ratings in at least one of this clinician's languages."""
    with db.read() as session:
        user = active_user(session, username)
        langs = rules.clinician_languages(user.languages)
        out = []
        for study in all_studies(session):
            if "rating" not in study.modes:
                continue
            shared = [lang for lang in work.study_languages(session, study.id) if lang in langs]
            done = work.count_done(session, user.id, study.id)
            has_open = work.open_assignment(session, user.id, study.id) is not None
            if not shared and not done and not has_open:
                continue
            left = work.count_available(
                session, study.id, user.id, shared, study.ratings_per_output
            )
            out.append(
                MyStudy(
                    slug=study.slug,
                    title=study.title,
                    languages=shared,
                    done=done,
                    total=done + left + int(has_open),
                    open_item=has_open,
                )
            )
        return out


# --- the next item ------------------------------------------------------------------------


def next_item(db: Database, username: str, slug: str) -> ItemView | None:
    """The clinician's open item in this study, or a newly claimed one; None when nothing
    is left for them. Renews the lease of what it returns."""
    now = utcnow()
    with db.write() as session:
        user = active_user(session, username)
        study = _study(session, slug)
        work.lock_user(session, user.id)
        memo.release_expired(session, study.id, now)
        done, has_open = work.done_and_has_open(session, user.id, study.id)
        current = work.open_assignment(session, user.id, study.id) if has_open else None
        if current is None:
            claimed = _claim(session, study, user, now, done)
            if claimed is None:
                return None
            new, outputs = claimed
            return _view(session, study, user, new, editing=False, done=done, fresh=outputs)
        current.lease_expires_at = None if current.named else now + rules.LEASE
        current.served_at = current.served_at or now
        return _view(session, study, user, current, editing=False, done=done)


def _claim(
    session: Session, study: StudyRow, user: UserRow, now: datetime, done: int
) -> tuple[_Claimed, list[Any]] | None:
    """Take a place on the next work item: (the new assignment, the item's outputs)."""
    langs = rules.clinician_languages(user.languages)
    if not langs:
        raise MedevalError(NO_LANGUAGES)
    k = study.ratings_per_output
    gold_items, all_items = memo.study_counts.get(
        (memo.db_key(session), study.id), lambda: work.gold_and_all_counts(session, study.id)
    )
    gold_seen = work.count_gold_seen(session, user.id, study.id) if gold_items else 0
    order = [True, False] if rules.gold_due(done, gold_seen, gold_items, all_items) else [False]
    item = None
    for gold in order + ([True] if order == [False] else []):
        item = work.claim_candidate(session, study.id, user.id, langs, k, gold=gold)
        if item is not None:
            break
    if item is None:
        return None
    outputs = memo.item_outputs(session, item.case_id, item.sample_index)
    work.add_to_taken(session, item.id, taken=1)
    output_order = rules.shuffled_order([o.id for o in outputs])
    assignment_id = work.add_assignment(
        session,
        study_id=study.id,
        user_id=user.id,
        case_id=item.case_id,
        work_item_id=item.id,
        kind="rating",
        output_order=output_order,
        status="open",
        lease_expires_at=now + rules.LEASE,
        served_at=now,
    )
    return _Claimed(assignment_id, item.case_id, item.id, output_order), outputs


@dataclass(frozen=True)
class _Claimed:
    """What ``_view`` reads of the assignment ``_claim`` inserted. It is inserted without
    an ORM object (a flush cost 0.4 ms more, bench_next_item) and nothing in the claiming
    transaction changes it."""

    id: int
    case_id: int
    work_item_id: int
    output_order: list[int]
    status: str = "open"


def open_item(db: Database, username: str, assignment_id: int) -> ItemView:
    """Reopen one of the clinician's items: a submitted one to edit, or the open one."""
    now = utcnow()
    with db.write() as session:
        user = active_user(session, username)
        a = _own_assignment(session, user, assignment_id)
        study = study_by_id(session, a.study_id)
        a.served_at = now  # time on task of the edit counts from here
        if a.status == "open" and not a.named:
            a.lease_expires_at = now + rules.LEASE
        return _view(session, study, user, a, editing=a.status == "done")


def _view(
    session: Session,
    study: StudyRow,
    user: UserRow,
    a: AssignmentRow | _Claimed,
    *,
    editing: bool,
    done: int | None = None,
    fresh: list[Any] | None = None,
) -> ItemView:
    """The item as its clinician sees it. ``fresh``: the outputs of an item claimed in this
    transaction, which has no ratings or revisions of theirs yet (saves three queries)."""
    case, images = memo.case_and_images(session, a.case_id)
    rows = (
        fresh
        if fresh is not None
        else memo.item_outputs(session, a.case_id, _sample_of(session, a))
    )
    outputs = {o.id: o for o in rows}
    order = [oid for oid in a.output_order if oid in outputs]
    latest = {} if fresh is not None else work.latest_ratings(session, user.id, order)
    responses = []
    for pos, oid in enumerate(order, start=1):
        out = outputs[oid]
        prev = latest.get(oid)
        responses.append(
            ResponseView(
                position=pos,
                output_id=oid,
                text=out.text,
                model_label=None if study.blind else f"{out.name} {out.version}".strip(),
                answers=dict(prev.answers) if prev else {},
                confidence=prev.confidence if prev else None,
                comment=prev.comment if prev else "",
            )
        )
    if a.status == "done":
        # Editing an earlier item: the clinician may also hold an open one, which is
        # theirs (not "available") and must count, or the total drops by one on a recount.
        done, has_open = work.done_and_has_open(session, user.id, study.id)
        open_now = int(has_open)
    else:
        done = work.count_done(session, user.id, study.id) if done is None else done
        open_now = 1
    revision = 0 if fresh is not None else work.count_submissions(session, a.id)
    return ItemView(
        assignment_id=a.id,
        study_slug=study.slug,
        study_title=study.title,
        guidelines=study.guidelines,
        **case_fields(study, case, images),
        responses=responses,
        rubric=Rubric.from_snapshot(study.rubric_snapshot),
        done=done,
        total=memo.progress_total(session, study, user, done + open_now),
        editing=editing,
        client_token=f"a{a.id}-r{revision}",
    )


def _sample_of(session: Session, a: AssignmentRow | _Claimed) -> int:
    item = work.work_item(session, a.work_item_id) if a.work_item_id else None
    return item.sample_index if item is not None else 0


def case_fields(study: StudyRow, case: Any, images: list[Any]) -> dict[str, Any]:
    """What the rating and the compare views show of a case (the same fields in both)."""
    return {
        "case_label": case.external_id,
        "language": case.language,
        "language_name": display_name(case.language),
        "rtl": is_rtl(case.language),
        "prompt": case.prompt,
        "reference_answer": case.reference_answer if study.show_reference else None,
        "images": image_views(images),
    }


def image_views(images: list[Any]) -> list[ImageView]:
    """What the page needs of a case's images: sizes and window presets, never names."""
    return [
        ImageView(
            index=i,
            width=img.width,
            height=img.height,
            is_dicom=img.kind == "dicom",
            windows=_windows(img.window) if img.kind == "dicom" else [],
        )
        for i, img in enumerate(images)
    ]


def _windows(default: str | None) -> list[str]:
    first = default if default in DICOM_WINDOWS else "voi_lut"
    return [first, *[w for w in DICOM_WINDOWS if w != first]]


# --- recording ----------------------------------------------------------------------------


def submit_item(
    db: Database,
    username: str,
    assignment_id: int,
    answers: Mapping[int, Mapping[str, Any]],
    confidence: Mapping[int, Any],
    comments: Mapping[int, str],
    client_token: str,
) -> SubmitResult:
    """Record the clinician's ratings of every response of one item, all or nothing.

    A second call with the same ``client_token`` records nothing and reports 0 saved.
    Answers breaking the rubric raise ``AnswersIncomplete`` naming each question.
    """
    now = utcnow()
    token = client_token.strip()[:60]
    if not token:
        raise MedevalError("This form is out of date. Reload the page.")
    with db.write() as session:
        user = active_user(session, username)
        a = _own_assignment(session, user, assignment_id, lock=True)
        study = study_by_id(session, a.study_id)
        order: list[int] = list(a.output_order)
        positions = list(range(1, len(order) + 1))
        tokens = [f"{token}:{oid}" for oid in order]
        if work.tokens_recorded(session, tokens):
            return SubmitResult(a.id, 0, revision=False)
        rubric = Rubric.from_snapshot(study.rubric_snapshot)
        clean, conf, problems = rules.check_answers(rubric, answers, confidence, positions)
        if problems:
            raise AnswersIncomplete(problems)
        if a.status in ("released", "skipped"):
            _retake(session, study, a)
        previous = work.latest_ratings(session, user.id, order)
        spent = int((now - a.served_at).total_seconds() * 1000) if a.served_at else None
        work.add_ratings(
            session,
            [
                {
                    "study_id": study.id,
                    "output_id": oid,
                    "user_id": user.id,
                    "assignment_id": a.id,
                    "answers": clean[pos],
                    "rubric_version": study.rubric_version,
                    "confidence": conf[pos],
                    "comment": str(comments.get(pos, "") or "").strip()[:10_000],
                    "time_spent_ms": spent,
                    "supersedes_id": previous[oid].id if oid in previous else None,
                    "origin": "app",
                    "client_token": tok,
                    "created_at": now,
                }
                for pos, oid, tok in zip(positions, order, tokens, strict=True)
            ],
        )
        revision = bool(previous)
        if a.status != "done":
            a.status = "done"
            a.completed_at = now
            a.lease_expires_at = None
            if a.work_item_id is not None:
                work.add_to_taken(session, a.work_item_id, done=1)
        a.served_at = None
        audit.record(
            session,
            "rating_revise" if revision else "rating",
            actor=user.username,
            user_id=user.id,
            study_id=study.id,
            assignment=a.id,
            outputs=len(order),
        )
        return SubmitResult(a.id, len(order), revision=revision)


def _retake(session: Session, study: StudyRow, a: AssignmentRow) -> None:
    """A late submission on an item whose place was freed: take the place back if k still
    allows it; otherwise refuse rather than overshoot k."""
    item = work.work_item(session, a.work_item_id, lock=True) if a.work_item_id else None
    if item is None:
        raise ConflictError("This item no longer exists. Reload the page.")
    if not item.gold and item.taken >= study.ratings_per_output:
        raise ConflictError(
            "This item was handed to another clinician after it sat unanswered for "
            f"{int(rules.LEASE.total_seconds() // 60)} minutes, and it has all the ratings it "
            "needs. Your answers were not saved; please continue with the next item."
        )
    work.add_to_taken(session, item.id, taken=1)
    a.status = "open"


def skip_item(db: Database, username: str, assignment_id: int, reason: str) -> None:
    """Give an item back, with a reason; its place goes to another clinician."""
    reason = reason.strip()
    if not reason:
        raise MedevalError("Please say why you skip this item (one line is enough).")
    now = utcnow()
    with db.write() as session:
        user = active_user(session, username)
        a = _own_assignment(session, user, assignment_id, lock=True)
        if a.status != "open":
            raise ConflictError("Only an open item can be skipped.")
        a.status, a.skip_reason, a.completed_at = "skipped", reason[:2000], now
        a.lease_expires_at = None
        if a.work_item_id is not None:
            work.add_to_taken(session, a.work_item_id, taken=-1)
        memo.totals.clear()  # a skipped item leaves this clinician's total (skips are rare)
        audit.record(
            session,
            "item_skip",
            actor=user.username,
            user_id=user.id,
            study_id=a.study_id,
            assignment=a.id,
            reason=reason[:200],
        )


def flag_item(db: Database, username: str, assignment_id: int, note: str) -> None:
    """Flag an item for the study lead (a wrong reference, a broken image ...); the item
    stays where it is, so the clinician can still rate or skip it."""
    note = note.strip()
    if not note:
        raise MedevalError("Please tell the lead what is wrong with this item.")
    with db.write() as session:
        user = active_user(session, username)
        a = _own_assignment(session, user, assignment_id, lock=True)
        a.flagged, a.flag_note, a.flagged_at = True, note[:2000], utcnow()
        audit.record(
            session,
            "item_flag",
            actor=user.username,
            user_id=user.id,
            study_id=a.study_id,
            assignment=a.id,
        )


def my_history(db: Database, username: str, slug: str) -> list[HistoryEntry]:
    with db.read() as session:
        user = active_user(session, username)
        study = _study(session, slug)
        return [
            HistoryEntry(aid, label, lang, at, revisions)
            for aid, label, lang, at, revisions in work.history(session, user.id, study.id)
        ]


def item_image_png(
    db: Database,
    media_dir: Path,
    username: str,
    assignment_id: int,
    index: int,
    window: str | None = None,
) -> bytes:
    """The display PNG of one image of an item (DICOM under ``window``), for its clinician
    or a lead/admin. Images are addressed by assignment and position, never by file name."""
    with db.read() as session:
        user = active_user(session, username)
        a = work.assignment(session, assignment_id)
        if a is None or (a.user_id != user.id and user.role not in ("lead", "admin")):
            raise NotFoundError("This image is not part of one of your items.")
        _case, images = memo.case_and_images(session, a.case_id)
    if not 0 <= index < len(images):
        raise NotFoundError("This item has no such image.")
    img = images[index]
    if img.kind != "dicom" or window is None:
        window = img.window or "voi_lut" if img.kind == "dicom" else None
    if window is not None and window not in DICOM_WINDOWS:
        raise MedevalError(f"unknown window '{window}'; choose one of {', '.join(DICOM_WINDOWS)}")
    if img.kind != "dicom":
        return display_path(media_dir, img.display_sha256).read_bytes()
    return render_window(media_dir, img.sha256, img.kind, window or "voi_lut")
