"""Lead-side annotation services: named assignments, gold items, progress, flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from medeval_ui.config import Settings
from medeval_ui.errors import InputFileError, MedevalError
from medeval_ui.services.annotation import flag_item, next_item, submit_item
from medeval_ui.services.annotation_admin import (
    import_assignments,
    import_gold,
    study_flags,
    study_progress,
)
from medeval_ui.services.annotation_views import ItemView
from medeval_ui.storage.engine import Database
from tests.helpers import db_snapshot, write_jsonl
from tests.study_builder import clinician, make_rating_study

pytestmark = pytest.mark.usefixtures("cheap_hasher")


def submit(db: Database, who: str, item: ItemView, answers: dict[int, str]) -> None:
    submit_item(
        db,
        who,
        item.assignment_id,
        {p: {"correctness": a} for p, a in answers.items()},
        {},
        {},
        item.client_token,
    )


def by_model(item: ItemView, db: Database) -> dict[str, int]:
    """Response position of each model (a lead-side lookup the page never makes)."""
    from sqlalchemy import select

    from medeval_ui.storage.tables import Model, Output

    with db.read() as s:
        names = dict(
            s.execute(select(Output.id, Model.name).join(Model, Model.id == Output.model_id)).all()
        )
    return {names[r.output_id]: r.position for r in item.responses}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"username": "ghost", "case_id": "q0-en"}, "line 1, field 'username': no active user"),
        ({"username": "amy", "case_id": "nope"}, "line 1, field 'case_id': no case 'nope'"),
        ({"username": "amy", "case_id": "q0-ar"}, "has not declared the language"),
        ({"username": "amy", "case_id": "q0-en", "sample": 7}, "field 'sample'"),
        ({"case_id": "q0-en"}, "no 'username' column"),
    ],
)
def test_bad_named_assignments_change_nothing(
    db: Database, settings: Settings, tmp_path: Path, row: dict[str, object], message: str
) -> None:
    make_rating_study(db, settings, tmp_path)
    clinician(db, "amy", ["en"])
    before = db_snapshot(db)
    path = write_jsonl(tmp_path / "named.jsonl", [row])
    with pytest.raises(MedevalError, match=message):
        import_assignments(db, "chest", path, name="named.jsonl")
    assert db_snapshot(db) == before


def test_named_assignments_come_first_count_towards_k_and_reimport_adds_nothing(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    make_rating_study(db, settings, tmp_path, languages=("en",), groups=3, k=1)
    clinician(db, "amy", ["en"])
    clinician(db, "ben", ["en"])
    path = tmp_path / "named.csv"
    path.write_text("username,case_id\namy,q2-en\n", encoding="utf-8")
    assert import_assignments(db, "chest", path).created == 1
    assert import_assignments(db, "chest", path).unchanged == 1
    full = tmp_path / "full.csv"
    full.write_text("username,case_id\nben,q2-en\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="already has the 1 clinicians"):
        import_assignments(db, "chest", full)
    item = next_item(db, "amy", "chest")
    assert item is not None and item.case_label == "q2-en"
    labels = set()
    while (theirs := next_item(db, "ben", "chest")) is not None:
        labels.add(theirs.case_label)
        submit(db, "ben", theirs, {1: "neither", 2: "neither"})
    assert labels == {"q0-en", "q1-en"}  # q2's one place is amy's


def test_gold_items_reach_everyone_and_accuracy_is_reported(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    make_rating_study(db, settings, tmp_path, languages=("en",), groups=4, k=1)
    gold = tmp_path / "gold.csv"
    gold.write_text(
        "case_id,model,correctness\nq0-en,Asclepius-9,contradictory\n"
        'q0-en,Hygieia-2,"Similar, and more comprehensive and appropriate"\n',
        encoding="utf-8",
    )
    summary = import_gold(db, "chest", gold)
    assert summary.created == 2 and import_gold(db, "chest", gold).unchanged == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("case_id,model,correctness\nq0-en,Asclepius-9,maybe\n", encoding="utf-8")
    before = db_snapshot(db)
    with pytest.raises(InputFileError, match=r"row 2, field .correctness.: .maybe. is not"):
        import_gold(db, "chest", bad)
    assert db_snapshot(db) == before
    for name, right in (("amy", True), ("ben", False)):
        clinician(db, name, ["en"])
        seen = []
        while (item := next_item(db, name, "chest")) is not None:
            seen.append(item.case_label)
            pos = by_model(item, db)
            good = {pos["Asclepius-9"]: "contradictory", pos["Hygieia-2"]: "similar_more"}
            wrong = dict.fromkeys(pos.values(), "neither")
            submit(db, name, item, good if right or item.case_label != "q0-en" else wrong)
        assert "q0-en" in seen  # the gold item, although k=1 and amy rated it first
    flag_item(db, "ben", _last_assignment(db), "image missing")
    progress = {p.username: p for p in study_progress(db, "chest")}
    assert progress["amy"].gold_accuracy == 1.0 and progress["amy"].gold_rated == 2
    assert progress["ben"].gold_accuracy == 0.0
    assert progress["amy"].done + progress["ben"].done == 3 + 2  # 3 ordinary + gold twice
    assert progress["amy"].median_seconds is not None
    assert progress["ben"].flagged == 1
    [flag] = study_flags(db, "chest")
    assert flag.username == "ben" and flag.note == "image missing"


def _last_assignment(db: Database) -> int:
    from sqlalchemy import func, select

    from medeval_ui.storage.tables import Assignment

    with db.read() as s:
        return int(s.scalar(select(func.max(Assignment.id))) or 0)


def test_a_named_assignment_takes_exactly_one_place(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    # add_to_taken's UPDATE also raised the loaded row's count, and the importer then
    # raised it once more: each named assignment took two of the item's k places.
    from sqlalchemy import select

    from medeval_ui.storage.tables import WorkItem

    make_rating_study(db, settings, tmp_path, languages=("en",), groups=2, k=3)
    clinician(db, "amy", ["en"])
    clinician(db, "ben", ["en"])
    path = tmp_path / "named.csv"
    path.write_text("username,case_id\namy,q1-en\nben,q1-en\n", encoding="utf-8")
    assert import_assignments(db, "chest", path).created == 2
    with db.read() as s:
        taken = dict(s.execute(select(WorkItem.case_id, WorkItem.taken)).all())
    assert sorted(taken.values()) == [0, 2]
