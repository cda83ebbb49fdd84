"""Pairwise scheduling and votes on both engines: balance, no repeats, k, blinding, reveal."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import pytest

from medeval_ui.config import Settings
from medeval_ui.errors import ConflictError, MedevalError, NotFoundError, PermissionDeniedError
from medeval_ui.services.pairwise import next_pair, reveal, skip_pair, submit_vote
from medeval_ui.storage.engine import Database
from medeval_ui.storage.repos import pairs
from tests.study_builder import clinician, make_rating_study

THREE = ("Asclepius-9", "Hygieia-2", "Panacea-5")


pytestmark = pytest.mark.usefixtures("cheap_hasher")


def pairwise_study(db: Database, settings: Settings, tmp: Path, **options: object) -> None:
    make_rating_study(
        db, settings, tmp, models=THREE, modes=("pairwise",), languages=("en",), **options
    )


def model_pair(db: Database, left: int, right: int) -> tuple[str, str]:
    with db.read() as s:
        names = pairs.output_texts_and_models(s, [left, right])
    return tuple(sorted((names[left][1], names[right][1])))  # type: ignore[return-value]


def test_pairs_are_balanced_never_repeated_and_capped_at_k(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    pairwise_study(db, settings, tmp_path, groups=4, votes_per_pair=2)  # 4 cases x 3 pairs
    names = [clinician(db, f"c{i}", ["en"]) for i in range(3)]
    per_pair: Counter[tuple[str, str]] = Counter()
    seen: dict[str, list[int]] = {n: [] for n in names}
    sides: Counter[tuple[str, str]] = Counter()
    for _round in range(12):
        for name in names:
            view = next_pair(db, name, "chest")
            if view is None:
                continue
            assert view.text_a != view.text_b
            pair = model_pair(db, view.left_output_id, view.right_output_id)
            per_pair[pair] += 1
            seen[name].append(view.left_output_id * 10_000 + view.right_output_id)
            with db.read() as s:
                left_name = pairs.output_texts_and_models(s, [view.left_output_id])
            sides[pair[0], left_name[view.left_output_id][1]] += 1
            submit_vote(db, name, view.assignment_id, "a", client_token=view.client_token)
    assert sum(per_pair.values()) == 4 * 3 * 2  # every pair got exactly k = 2 votes
    assert set(per_pair.values()) == {8}  # every model pair equally often
    for name in names:
        keys = [
            min(k // 10_000, k % 10_000) * 10_000 + max(k // 10_000, k % 10_000) for k in seen[name]
        ]
        assert len(keys) == len(set(keys))  # nobody saw a pair twice
    assert all(next_pair(db, n, "chest") is None for n in names)
    assert len({left for _pair, left in sides}) > 1  # sides are drawn, not fixed


def test_concurrent_clinicians_do_not_overshoot_k(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    pairwise_study(db, settings, tmp_path, groups=3, votes_per_pair=1)
    names = [clinician(db, f"t{i}", ["en"]) for i in range(6)]
    errors: list[BaseException] = []
    voted: list[int] = []
    lock = threading.Lock()

    def run(name: str) -> None:
        try:
            while (view := next_pair(db, name, "chest")) is not None:
                submit_vote(db, name, view.assignment_id, "tie", client_token=view.client_token)
                with lock:
                    voted.append(view.assignment_id)
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=run, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.read() as s:
        votes = pairs.study_votes(s, 1)
    assert len(votes) == len(voted) == 9  # 3 cases x 3 model pairs, one vote each


def test_a_double_click_records_once_and_a_second_vote_is_refused(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    pairwise_study(db, settings, tmp_path, groups=1)
    clinician(db, "amy", ["en"])
    view = next_pair(db, "amy", "chest")
    assert view is not None
    first = submit_vote(db, "amy", view.assignment_id, "b", client_token=view.client_token)
    again = submit_vote(db, "amy", view.assignment_id, "b", client_token=view.client_token)
    assert first.recorded and not again.recorded and again.vote_id == first.vote_id
    with pytest.raises(ConflictError, match="already voted"):
        submit_vote(db, "amy", view.assignment_id, "a", client_token="other")
    with db.read() as s:
        [vote] = pairs.study_votes(s, 1)
    assert vote.winner == "right"


def test_reveal_only_after_the_vote_and_only_where_allowed(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    pairwise_study(db, settings, tmp_path, groups=1, reveal_policy="after_vote")
    clinician(db, "amy", ["en"])
    clinician(db, "eve", ["en"])
    view = next_pair(db, "amy", "chest")
    assert view is not None and view.reveal_allowed
    with pytest.raises(PermissionDeniedError, match="after your vote"):
        reveal(db, "amy", view.assignment_id)
    with pytest.raises(NotFoundError):
        reveal(db, "eve", view.assignment_id)
    submit_vote(db, "amy", view.assignment_id, "a", client_token=view.client_token)
    left, right = reveal(db, "amy", view.assignment_id)
    assert {left, right} <= set(THREE) and left != right
    assert tuple(sorted((left, right))) == model_pair(db, view.left_output_id, view.right_output_id)


def test_a_blind_study_never_reveals(db: Database, settings: Settings, tmp_path: Path) -> None:
    pairwise_study(db, settings, tmp_path, groups=1)
    clinician(db, "amy", ["en"])
    view = next_pair(db, "amy", "chest")
    assert view is not None and not view.reveal_allowed
    # The builder's output texts quote their model on purpose; every other field is neutral.
    fields = {k: v for k, v in vars(view).items() if k not in ("text_a", "text_b")}
    assert not any(m in repr(fields) for m in THREE)
    submit_vote(db, "amy", view.assignment_id, "tie", client_token=view.client_token)
    with pytest.raises(PermissionDeniedError, match="does not reveal"):
        reveal(db, "amy", view.assignment_id)


def test_reason_required_axes_checked_and_skip(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    make_rating_study(
        db,
        settings,
        tmp_path,
        models=THREE,
        modes=("pairwise",),
        languages=("en",),
        groups=1,
        vote_reason_required=True,
    )
    clinician(db, "amy", ["en"])
    view = next_pair(db, "amy", "chest")
    assert view is not None and view.reason_required and view.axes is None
    with pytest.raises(MedevalError, match="reason"):
        submit_vote(db, "amy", view.assignment_id, "a", client_token=view.client_token)
    with pytest.raises(MedevalError, match="no per-axis"):
        submit_vote(db, "amy", view.assignment_id, "a", {"x": "a"}, "ok", view.client_token)
    with pytest.raises(MedevalError, match="Choose"):
        submit_vote(db, "amy", view.assignment_id, "left", reason="x", client_token="t")
    skip_pair(db, "amy", view.assignment_id, "not my field")
    nxt = next_pair(db, "amy", "chest")
    assert nxt is not None and nxt.assignment_id != view.assignment_id


def test_per_axis_answers_are_stored_by_position(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    from medeval_ui.services import studies
    from medeval_ui.services.import_cases import import_cases
    from medeval_ui.services.import_outputs import import_outputs
    from tests.helpers import write_jsonl

    studies.create_study(db, "mp2", "Axes", "medpalm2_pairwise", modes=("pairwise",))
    cases = [{"external_id": "c1", "language": "en", "prompt": "Fever?"}]
    import_cases(db, settings, "mp2", write_jsonl(tmp_path / "c.jsonl", cases))
    outputs = [{"case_id": "c1", "model": m, "text": f"t {m}"} for m in THREE[:2]]
    import_outputs(db, "mp2", write_jsonl(tmp_path / "o.jsonl", outputs))
    clinician(db, "amy", ["en"])
    view = next_pair(db, "amy", "mp2")
    assert view is not None and view.axes is not None
    axis = view.axes.questions[0].id
    with pytest.raises(MedevalError, match=f"Axis '{axis}'"):
        submit_vote(db, "amy", view.assignment_id, "a", {axis: "maybe"}, "", view.client_token)
    submit_vote(db, "amy", view.assignment_id, "a", {axis: "b"}, "", view.client_token)
    with db.read() as s:
        [vote] = pairs.study_votes(s, 1)
    assert vote.axes == {axis: "right"} and vote.winner == "left"
