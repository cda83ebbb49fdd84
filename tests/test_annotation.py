"""Annotation services on both engines: assignment, leases, k, revisions, skip, flag."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from medeval_ui.config import Settings
from medeval_ui.errors import ConflictError, MedevalError, NotFoundError
from medeval_ui.services import annotation
from medeval_ui.services.annotation import (
    flag_item,
    item_image_png,
    my_history,
    my_studies,
    next_item,
    open_item,
    skip_item,
    submit_item,
)
from medeval_ui.services.annotation_views import AnswersIncomplete, ItemView
from medeval_ui.storage.engine import Database
from medeval_ui.storage.repos.work import utcnow
from medeval_ui.storage.tables import Rating
from tests.study_builder import MODELS, clinician, make_rating_study

pytestmark = pytest.mark.usefixtures("cheap_hasher")


def rate_all(db: Database, who: str, item: ItemView, answer: str = "contradictory") -> int:
    positions = [r.position for r in item.responses]
    return submit_item(
        db,
        who,
        item.assignment_id,
        {p: {"correctness": answer} for p in positions},
        {p: 4 for p in positions},
        {p: "" for p in positions},
        item.client_token,
    ).ratings_saved


def test_blind_item_is_neutral_and_resumes_in_the_same_order(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    make_rating_study(db, settings, tmp_path)
    clinician(db, "amal", ["ar"])
    item = next_item(db, "amal", "chest")
    assert item is not None
    assert item.language == "ar" and item.rtl and item.language_name == "Arabic"
    assert [r.position for r in item.responses] == [1, 2]
    assert all(r.model_label is None for r in item.responses)
    shown = repr([item.prompt, item.case_label, item.study_title, item.guidelines])
    assert not any(m in shown for m in MODELS)
    assert item.reference_answer == "Call an ambulance."
    again = next_item(db, "amal", "chest")  # a reload
    assert again is not None and again.assignment_id == item.assignment_id
    assert [r.output_id for r in again.responses] == [r.output_id for r in item.responses]
    assert (item.done, item.total) == (0, 3)


def test_unblinded_study_names_the_models(db: Database, settings: Settings, tmp_path: Path) -> None:
    make_rating_study(db, settings, tmp_path, blind=False)
    clinician(db, "bob", ["en"])
    item = next_item(db, "bob", "chest")
    assert item is not None
    assert sorted(r.model_label or "" for r in item.responses) == sorted(MODELS)


def test_languages_decide_what_a_clinician_gets(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    make_rating_study(db, settings, tmp_path, languages=("en", "pt-BR"))
    clinician(db, "nolang", [])
    with pytest.raises(MedevalError, match="declared the languages"):
        next_item(db, "nolang", "chest")
    clinician(db, "joao", ["pt"])
    seen = set()
    while (item := next_item(db, "joao", "chest")) is not None:
        seen.add(item.language)
        assert rate_all(db, "joao", item) == 2
    assert seen == {"pt-BR"}
    assert [(s.slug, s.done, s.total) for s in my_studies(db, "joao")] == [("chest", 3, 3)]
    assert my_studies(db, "nolang") == []


def test_k_is_never_overshot_and_nobody_gets_an_item_twice(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    make_rating_study(db, settings, tmp_path, languages=("en",), groups=2, k=2)
    for name in ("c1", "c2", "c3"):
        clinician(db, name, ["en"])
    got: dict[str, list[str]] = {}
    for name in ("c1", "c2", "c3"):
        while (item := next_item(db, name, "chest")) is not None:
            got.setdefault(name, []).append(item.case_label)
            rate_all(db, name, item)
    assert sorted(got["c1"]) == sorted(got["c2"]) == ["q0-en", "q1-en"]
    assert "c3" not in got  # 2 items x k=2 places are all taken
    assert all(len(v) == len(set(v)) for v in got.values())


def test_concurrent_clinicians_do_not_overshoot_k(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    make_rating_study(db, settings, tmp_path, languages=("en",), groups=6, k=1)
    names = [clinician(db, f"t{i}", ["en"]) for i in range(6)]
    claimed: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(name: str) -> None:
        try:
            while (item := next_item(db, name, "chest")) is not None:
                rate_all(db, name, item)
                with lock:
                    claimed.append(item.case_label)
        except BaseException as err:  # surfaced below
            errors.append(err)

    threads = [threading.Thread(target=work, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(claimed) == sorted(f"q{g}-en" for g in range(6))  # each exactly once


def test_missing_answers_are_reported_per_question_and_nothing_is_saved(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    make_rating_study(db, settings, tmp_path, languages=("en",))
    clinician(db, "amy", ["en"])
    item = next_item(db, "amy", "chest")
    assert item is not None
    with pytest.raises(AnswersIncomplete) as err:
        submit_item(
            db,
            "amy",
            item.assignment_id,
            {1: {"correctness": "similar_more"}, 2: {"correctness": "nonsense"}},
            {1: 9},
            {},
            item.client_token,
        )
    assert set(err.value.problems) == {(2, "correctness"), (1, "confidence")}
    assert "not an option" in err.value.problems[(2, "correctness")]
    assert my_history(db, "amy", "chest") == []


def test_double_submit_records_once_and_an_edit_is_a_new_revision(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    make_rating_study(db, settings, tmp_path, languages=("en",))
    clinician(db, "amy", ["en"])
    item = next_item(db, "amy", "chest")
    assert item is not None
    assert rate_all(db, "amy", item) == 2
    assert rate_all(db, "amy", item) == 0  # same token: the second click
    [entry] = my_history(db, "amy", "chest")
    assert entry.assignment_id == item.assignment_id and entry.revisions == 1
    edit = open_item(db, "amy", item.assignment_id)
    assert edit.editing and edit.client_token != item.client_token
    assert [r.answers["correctness"] for r in edit.responses] == ["contradictory"] * 2
    assert [r.output_id for r in edit.responses] == [r.output_id for r in item.responses]
    assert rate_all(db, "amy", edit, answer="similar_less") == 2
    again = open_item(db, "amy", item.assignment_id)
    assert [r.answers["correctness"] for r in again.responses] == ["similar_less"] * 2
    assert my_history(db, "amy", "chest")[0].revisions == 2
    with db.read() as s:
        rows = s.execute(
            select(Rating.supersedes_id, Rating.time_spent_ms).order_by(Rating.id)
        ).all()
    assert [r[0] is None for r in rows] == [True, True, False, False]
    assert all(r[1] is not None and r[1] >= 0 for r in rows)
    assert my_studies(db, "amy")[0].done == 1


def test_another_clinician_cannot_touch_my_item(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    make_rating_study(db, settings, tmp_path, languages=("en",), dicom=True)
    clinician(db, "amy", ["en"])
    clinician(db, "eve", ["en"])
    item = next_item(db, "amy", "chest")
    assert item is not None
    for call in (
        lambda: open_item(db, "eve", item.assignment_id),
        lambda: rate_all(db, "eve", item),
        lambda: skip_item(db, "eve", item.assignment_id, "x"),
        lambda: flag_item(db, "eve", item.assignment_id, "x"),
        lambda: item_image_png(db, Path(settings.media_dir), "eve", item.assignment_id, 0),
    ):
        with pytest.raises(NotFoundError):
            call()


def test_dicom_images_render_under_each_window(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    make_rating_study(db, settings, tmp_path, languages=("en",), groups=1, dicom=True)
    clinician(db, "amy", ["en"])
    item = next_item(db, "amy", "chest")
    assert item is not None and len(item.images) == 1
    img = item.images[0]
    assert img.is_dicom and {"bone", "lung", "soft_tissue", "voi_lut"} <= set(img.windows)
    media = Path(settings.media_dir)
    bone = item_image_png(db, media, "amy", item.assignment_id, 0, "bone")
    lung = item_image_png(db, media, "amy", item.assignment_id, 0, "lung")
    assert bone[:8] == b"\x89PNG\r\n\x1a\n" and bone != lung
    with pytest.raises(MedevalError, match="unknown window"):
        item_image_png(db, media, "amy", item.assignment_id, 0, "../../etc")
    with pytest.raises(NotFoundError):
        item_image_png(db, media, "amy", item.assignment_id, 5)


def test_skip_needs_a_reason_and_frees_the_place(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    make_rating_study(db, settings, tmp_path, languages=("en",), groups=1, k=1)
    clinician(db, "amy", ["en"])
    clinician(db, "ben", ["en"])
    item = next_item(db, "amy", "chest")
    assert item is not None
    assert next_item(db, "ben", "chest") is None  # k=1: the one place is amy's
    with pytest.raises(MedevalError, match="say why"):
        skip_item(db, "amy", item.assignment_id, "  ")
    flag_item(db, "amy", item.assignment_id, "The reference answer is wrong")
    skip_item(db, "amy", item.assignment_id, "Not my specialty")
    assert next_item(db, "amy", "chest") is None  # never the same item again
    theirs = next_item(db, "ben", "chest")
    assert theirs is not None and theirs.case_label == item.case_label


def test_an_abandoned_lease_frees_the_place_and_a_late_submit_is_refused_when_full(
    db: Database, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_rating_study(db, settings, tmp_path, languages=("en",), groups=1, k=1)
    clinician(db, "amy", ["en"])
    clinician(db, "ben", ["en"])
    item = next_item(db, "amy", "chest")
    assert item is not None
    later = utcnow() + annotation.rules.LEASE + timedelta(minutes=1)
    monkeypatch.setattr(annotation, "utcnow", lambda: later)
    theirs = next_item(db, "ben", "chest")  # amy's lease ran out: ben gets the place
    assert theirs is not None and theirs.case_label == item.case_label
    rate_all(db, "ben", theirs)
    with pytest.raises(ConflictError, match="handed to another clinician"):
        rate_all(db, "amy", item)


def test_a_late_submit_takes_the_place_back_when_k_allows(
    db: Database, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_rating_study(db, settings, tmp_path, languages=("en",), groups=1, k=1)
    clinician(db, "amy", ["en"])
    clinician(db, "ben", ["en"])
    item = next_item(db, "amy", "chest")
    assert item is not None
    later = utcnow() + annotation.rules.LEASE + timedelta(minutes=1)
    monkeypatch.setattr(annotation, "utcnow", lambda: later)
    theirs = next_item(db, "ben", "chest")  # frees amy's place, ben takes it
    assert theirs is not None
    skip_item(db, "ben", theirs.assignment_id, "no time")
    assert rate_all(db, "amy", item) == 2
    assert next_item(db, "ben", "chest") is None


def test_editing_while_holding_an_open_item_keeps_the_total(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    # The total ("2 of 3") is recounted when its 30 s memo lapses. While editing an earlier
    # item, the open one the clinician holds is theirs, not "available": it must still count.
    from medeval_ui.services.annotation_memo import forget_counts

    make_rating_study(db, settings, tmp_path)
    clinician(db, "amal", ["ar"])
    first = next_item(db, "amal", "chest")
    assert first is not None and rate_all(db, "amal", first) == 2
    second = next_item(db, "amal", "chest")
    assert second is not None and (second.done, second.total) == (1, 3)
    forget_counts()  # as if 30 s had passed
    edit = open_item(db, "amal", first.assignment_id)
    assert edit.editing and (edit.done, edit.total) == (1, 3)
    forget_counts()
    assert [(s.done, s.total) for s in my_studies(db, "amal")] == [(1, 3)]
