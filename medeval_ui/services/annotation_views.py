"""What the annotation services hand to the web layer: plain, frozen values.

Blinding (DESIGN.md invariant 1): an ``ItemView`` carries output ids so the page can keep
them in ``gr.State`` (server side), but nothing in it that a page would render names a
model unless the study is not blind (``ResponseView.model_label``). Output ids themselves
must never be rendered: they are assigned in import order and so can betray a model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from medeval_ui.domain.rubric import Rubric
from medeval_ui.errors import MedevalError


@dataclass(frozen=True)
class MyStudy:
    """One study on a clinician's home page."""

    slug: str
    title: str
    languages: list[str]  # the study's case languages that this clinician declared
    done: int  # items this clinician has submitted
    total: int  # done + what is still open to them now (changes as others rate)
    open_item: bool  # an item is waiting for them (resume)


@dataclass(frozen=True)
class ImageView:
    index: int  # position in the case, 0-based; the media route takes (assignment, index)
    width: int
    height: int
    is_dicom: bool
    windows: list[str]  # window presets offered for DICOM (first = the default); [] otherwise


@dataclass(frozen=True)
class ResponseView:
    position: int  # 1-based: "Response 1..N" in the order stored on the assignment
    output_id: int  # keep server side (gr.State); never render it
    text: str  # untrusted model output: render as sanitized Markdown only
    model_label: str | None  # "name version" only in studies that are not blind
    answers: dict[str, Any] = field(default_factory=dict)  # the latest revision, if any
    confidence: int | None = None
    comment: str = ""


@dataclass(frozen=True)
class ItemView:
    """One work item: a case and its outputs for one sample index, as one clinician sees it."""

    assignment_id: int
    study_slug: str
    study_title: str
    guidelines: str  # Markdown
    case_label: str  # the case's external id
    language: str  # BCP-47 tag
    language_name: str  # English name, for the badge
    rtl: bool
    prompt: str
    reference_answer: str | None  # None unless the study shows it
    images: list[ImageView]
    responses: list[ResponseView]
    rubric: Rubric
    done: int  # progress for "12 of 40"
    total: int
    editing: bool  # True when the clinician reopened an item they had submitted
    client_token: str  # send back with submit: a double click records once


@dataclass(frozen=True)
class SubmitResult:
    assignment_id: int
    ratings_saved: int  # 0 when this exact submission had been recorded already
    revision: bool  # True when it superseded earlier ratings


@dataclass(frozen=True)
class HistoryEntry:
    """An item this clinician submitted, for "edit an earlier rating"."""

    assignment_id: int
    case_label: str
    language: str
    submitted_at: datetime | None
    revisions: int


@dataclass(frozen=True)
class ClinicianProgress:
    """One row of the lead's progress table."""

    username: str
    languages: list[str]
    done: int
    skipped: int
    open: int
    flagged: int
    median_seconds: float | None  # median time on task over submitted items
    gold_rated: int  # gold outputs this clinician rated
    gold_accuracy: float | None  # share of gold answers matching the expected ones


@dataclass(frozen=True)
class FlagView:
    """An item a clinician flagged for the lead."""

    assignment_id: int
    username: str
    case_label: str
    language: str
    note: str
    at: datetime | None


class AnswersIncomplete(MedevalError):
    """Submitted answers break the rubric; ``problems`` says where, for messages in place.

    Keys are (response position, question id); ("*", "confidence") style keys are not used:
    confidence problems use the question id ``"confidence"``.
    """

    def __init__(self, problems: dict[tuple[int, str], str]) -> None:
        self.problems = problems
        first = ", ".join(f"Response {p}: {q}" for p, q in list(problems)[:3])
        more = "" if len(problems) <= 3 else f" and {len(problems) - 3} more"
        super().__init__(f"Some answers are missing or invalid ({first}{more}).")
