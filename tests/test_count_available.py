"""repos.work.count_available (the progress total's "still to do" part) against its plain
definition, on a study whose items are in every state: taken below, at and above k, gold,
other languages, held by this clinician in each status, held by others."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy import select, update

from medeval_ui.config import Settings
from medeval_ui.storage.engine import Database
from medeval_ui.storage.repos import work
from medeval_ui.storage.tables import Assignment, Study, User, WorkItem
from tests.study_builder import clinician, make_rating_study

K = 2
STATUSES = ("open", "done", "skipped", "released")


pytestmark = pytest.mark.usefixtures("cheap_hasher")


def plain_count(items: list[WorkItem], held: set[int], languages: list[str]) -> int:
    return sum(
        1 for w in items if w.language in languages and w.id not in held and (w.taken < K or w.gold)
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matches_the_plain_definition(
    db: Database, settings: Settings, tmp_path: Path, seed: int
) -> None:
    make_rating_study(db, settings, tmp_path, languages=("en", "ar", "pt"), groups=8, samples=2)
    for name in ("amal", "bo", "cy"):
        clinician(db, name, ["en", "ar"])
    rng = random.Random(seed)
    with db.write() as s:
        study_id = s.scalars(select(Study.id)).one()
        people = dict(s.execute(select(User.username, User.id)).all())
        items = list(s.scalars(select(WorkItem).order_by(WorkItem.id)))
        for w in items:
            s.execute(
                update(WorkItem)
                .where(WorkItem.id == w.id)
                .values(taken=rng.randint(0, K + 1), gold=rng.random() < 0.2)
            )
            for name in ("amal", "bo"):
                if rng.random() < 0.4:
                    s.add(
                        Assignment(
                            study_id=study_id,
                            user_id=people[name],
                            case_id=w.case_id,
                            work_item_id=w.id,
                            status=rng.choice(STATUSES),
                        )
                    )
    with db.read() as s:
        items = list(s.scalars(select(WorkItem)))
        for name in ("amal", "bo", "cy"):
            held = set(
                s.scalars(select(Assignment.work_item_id).where(Assignment.user_id == people[name]))
            )
            for languages in (["en"], ["en", "ar"], ["pt"], ["de"]):
                got = work.count_available(s, study_id, people[name], languages, K)
                assert got == plain_count(items, held, languages), (name, languages)
    assert any(w.gold and w.taken >= K for w in items)  # the states the test means to cover
    assert any(not w.gold and w.taken >= K for w in items)
