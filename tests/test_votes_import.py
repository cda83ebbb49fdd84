"""Votes made elsewhere (Chatbot Arena battle format + case_id), the leaderboard service,
and the CLI around them, on both engines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medeval_ui.cli import main
from medeval_ui.config import Settings
from medeval_ui.errors import InputFileError, MedevalError
from medeval_ui.services import exports
from medeval_ui.services.import_votes import import_votes
from medeval_ui.services.leaderboard import study_leaderboard
from medeval_ui.storage.engine import Database
from tests.helpers import db_snapshot, write_jsonl
from tests.study_builder import clinician, make_rating_study

THREE = ("Asclepius-9", "Hygieia-2", "Panacea-5")


pytestmark = pytest.mark.usefixtures("cheap_hasher")


@pytest.fixture
def study(db: Database, settings: Settings, tmp_path: Path) -> str:
    make_rating_study(
        db, settings, tmp_path / "s", models=THREE, modes=("pairwise",), languages=("en", "ar")
    )
    clinician(db, "amy", ["en", "ar"])
    return "chest"


def battle(a: str, b: str, winner: str, case: str = "q0-en", **extra: object) -> dict[str, object]:
    return {"model_a": a, "model_b": b, "winner": winner, "judge": "amy", "case_id": case} | extra


def test_arena_votes_import_once_and_rank_the_models(
    db: Database, study: str, tmp_path: Path
) -> None:
    rows = []
    for g in range(3):
        for lang in ("en", "ar"):
            case = f"q{g}-{lang}"
            rows += [battle(THREE[0], THREE[1], "model_a", case, tstamp=1700000000 + g)]
            rows += [
                battle(THREE[0], THREE[2], "model_a", case),
                battle(THREE[1], THREE[2], "tie", case),
            ]
            rows += [battle(THREE[2], THREE[1], "tie (bothbad)", case, language=lang)]
    path = write_jsonl(tmp_path / "battles.jsonl", rows)
    summary = import_votes(db, study, path)
    assert summary.created == 24 and dict(summary.by_language) == {"ar": 12, "en": 12}
    assert import_votes(db, study, path).unchanged == 24
    report = study_leaderboard(db, study, rounds=200, seed=1)
    assert report.votes == 24 and report.rows[0].model == THREE[0]
    assert all(r.provisional for r in report.rows)  # min_votes 50 by default
    assert report.position.n == 0  # imported votes have no sides
    assert study_leaderboard(db, study, language="ar", rounds=50).votes == 12
    # The arena export of these votes imports into the same numbers.
    out = tmp_path / "arena.jsonl"
    exports.export_votes(db, study, "arena", out, include_usernames=True)
    exported = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(exported) == 24 and {e["winner"] for e in exported} == {
        "model_a",
        "tie",
        "tie (bothbad)",
    }


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (battle(THREE[0], THREE[1], "A"), "field 'winner': expected one of model_a"),
        (battle(THREE[0], THREE[0], "tie"), "field 'model_b': is the same model"),
        (battle(THREE[0], "Ghost-1", "tie"), "field 'model_b': model 'Ghost-1' has no output"),
        (battle(THREE[0], THREE[1], "tie", "nope"), "field 'case_id': no case 'nope'"),
        (battle(THREE[0], THREE[1], "tie") | {"judge": "zed"}, "field 'judge': no user 'zed'"),
        (battle(THREE[0], THREE[1], "tie", language="ar"), "field 'language': case 'q0-en'"),
        (battle(THREE[0], THREE[1], "tie", tstamp="yesterday"), "field 'tstamp'"),
    ],
)
def test_bad_votes_change_nothing(
    db: Database, study: str, tmp_path: Path, row: dict[str, object], message: str
) -> None:
    good = battle(THREE[0], THREE[1], "model_b")
    before = db_snapshot(db)
    path = write_jsonl(tmp_path / "bad.jsonl", [good, row])
    with pytest.raises(InputFileError, match=message) as err:
        import_votes(db, study, path)
    assert "bad.jsonl, line 2" in str(err.value)
    assert db_snapshot(db) == before


def test_cli_imports_votes_and_writes_the_leaderboard(
    db: Database, study: str, settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [battle(THREE[0], THREE[1], "model_a", f"q{g}-en") for g in range(3)]
    rows += [battle(THREE[1], THREE[2], "model_a", f"q{g}-en") for g in range(3)]
    path = tmp_path / "battles.csv"
    header = "model_a,model_b,winner,judge,case_id\n"
    path.write_text(header + "".join(",".join(map(str, r.values())) + "\n" for r in rows), "utf-8")
    base = ["--database-url", settings.database_url]
    assert main([*base, "import", "votes", str(path), "--study", study]) == 0
    out = tmp_path / "board.json"
    assert main([*base, "leaderboard", "--study", study, "--rounds", "100", "-o", str(out)]) == 0
    board = json.loads(out.read_text())
    assert [r["model"] for r in board] == list(THREE)
    assert set(board[0]) == {"model", "rating", "lower", "upper", "rank", "votes", "provisional"}
    csv_out = tmp_path / "board.csv"
    assert main([*base, "leaderboard", "--study", study, "-o", str(csv_out)]) == 0
    assert csv_out.read_text().splitlines()[0] == "model,rating,lower,upper,rank,votes,provisional"
    assert main([*base, "leaderboard", "--study", study, "--language", "fr", "-o", str(out)]) == 1
    assert "no votes in 'fr'" in capsys.readouterr().err
    assert main([*base, "leaderboard", "--study", study, "-o", str(tmp_path / "x.txt")]) == 1


def test_leaderboard_refuses_silly_rounds(db: Database, study: str) -> None:
    with pytest.raises(MedevalError, match="rounds"):
        study_leaderboard(db, study, rounds=0)
