"""Real public data (../shared/data, present on the team's machines, not in a user's clone):
the README's documented commands import WorldMedQA-V as they are written there."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from sqlalchemy import func, select

from medeval_ui.cli import main
from medeval_ui.storage.engine import Database
from medeval_ui.storage.tables import Case, Output, Score

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "worldmedqa_v" / "worldmedqa_v_sample_200.csv"
pytestmark = [
    pytest.mark.skipif(not DATA.exists(), reason="../shared/data is not in this clone"),
    pytest.mark.usefixtures("cheap_hasher"),  # `medeval init`'s admin is set-up (conftest)
]


def readme_commands() -> list[list[str]]:
    """The WorldMedQA-V example block of the README, split into argv lists."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("Imported as is:", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    joined = re.sub(r"\\\n\s*", " ", block)
    return [shlex.split(line)[1:] for line in joined.strip().splitlines()]


def test_readme_worldmedqa_commands_import_the_real_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MEDEVAL_DATABASE_URL", db_url)
    monkeypatch.setenv("MEDEVAL_MEDIA_DIR", str(tmp_path / "media"))
    monkeypatch.setenv("MEDEVAL_SECRET_KEY_FILE", str(tmp_path / "key"))
    monkeypatch.chdir(DATA.parent)
    commands = readme_commands()
    assert [c[:2] for c in commands] == [
        ["studies", "create"],
        ["import", "cases"],
        ["import", "outputs"],
        ["import", "scores"],
    ]
    for argv in commands:
        assert main(argv) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "200 cases imported" in out and "en 100, es 25, he 25, ja 25, pt 25" in out
    assert "gemini-1.5-pro 200, gpt-4o 200" in out
    db = Database(db_url)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Output)) == 400
        hits = s.scalar(select(func.sum(Score.value)))
        groups = s.scalar(select(func.count(func.distinct(Case.group_id))))
        hebrew = s.scalar(select(Case.prompt).where(Case.external_id == "israel-1-he"))
    assert groups == 100 and 0 < hits < 400
    assert (
        hebrew is not None
        and "\nA. " in hebrew
        and any("\u0590" <= ch <= "\u05ff" for ch in hebrew)
    )
    db.dispose()
    for argv in commands[1:]:  # the whole import again: nothing new
        assert main(argv) == 0
    assert "0 cases imported, 200 already present" in capsys.readouterr().out


def test_worldmedqa_numbers_match_a_direct_computation(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, db_url: str
) -> None:
    """Accuracy per language and cross-lingual answer consistency (local-language letter
    against the English one, per country) as `medeval scores` reports them, against
    scikit-learn on the same file."""
    import pandas as pd
    from sklearn.metrics import accuracy_score, cohen_kappa_score

    monkeypatch.setenv("MEDEVAL_DATABASE_URL", db_url)
    monkeypatch.setenv("MEDEVAL_MEDIA_DIR", str(tmp_path / "media"))
    monkeypatch.setenv("MEDEVAL_SECRET_KEY_FILE", str(tmp_path / "key"))
    monkeypatch.chdir(DATA.parent)
    for argv in readme_commands():
        assert main(argv) == 0
    out = tmp_path / "scores.csv"
    assert main(["scores", "--study", "wmq", "-o", str(out), "--rounds", "200"]) == 0
    got = pd.read_csv(out)
    data = pd.read_csv(DATA)
    checked = 0
    for column, model in (("gpt4o", "gpt-4o"), ("geminipro15", "gemini-1.5-pro")):
        mine = got[(got["model"] == model) & (got["source"] == "letter-match · correct")]
        for language, part in data.groupby("language"):
            expected = accuracy_score(part["correct_option"], part[f"{column}_extracted"])
            row = mine[(mine["table"] == "correctness") & (mine["language"] == language)]
            assert row["value"].item() == pytest.approx(expected, abs=1e-12)
            assert row["lower"].item() < expected < row["upper"].item()
            checked += 1
        for _country, part in data.groupby("country"):
            local = part[part["language"] != "en"].set_index("item_id")
            english = part[part["language"] == "en"].set_index("item_id")
            letters = (
                local[f"{column}_extracted"]
                .to_frame("local")
                .join(english[f"{column}_extracted"].rename("en"))
            )
            language = local["language"].iloc[0]
            at = mine[(mine["table"] == "crosslingual") & (mine["language"] == language)]
            same = at[at["measure"] == "same answer"]
            kappa = at[at["measure"] == "answer kappa"]
            assert same["value"].item() == pytest.approx((letters.local == letters.en).mean())
            assert same["n"].item() == len(letters)
            expected = cohen_kappa_score(letters["local"], letters["en"])
            assert kappa["value"].item() == pytest.approx(expected, abs=1e-9)
            checked += 2
    assert checked == 2 * (5 + 4 * 2)
