"""The `medeval` command line, as a study lead uses it: init, users, studies, import, export.

Commands run in-process through `main(argv)` (fast); one test runs the real console entry
point in a subprocess.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from medeval_ui.cli import main
from tests.helpers import write_jsonl

pytestmark = pytest.mark.usefixtures("cheap_hasher")  # accounts are set-up here (conftest)


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, db_url: str, tmp_path: Path) -> Path:
    monkeypatch.setenv("MEDEVAL_DATABASE_URL", db_url)
    monkeypatch.setenv("MEDEVAL_MEDIA_DIR", str(tmp_path / "media"))
    monkeypatch.setenv("MEDEVAL_SECRET_KEY_FILE", str(tmp_path / "secret"))
    monkeypatch.setenv("MEDEVAL_LOAD_DEMO", "false")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_init_prints_admin_credentials_once(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "init", "--no-demo")
    assert code == 0 and "username: admin   password: " in out
    password = out.split("password: ")[1].split()[0]
    assert len(password) >= 12
    code, out, _ = run(capsys, "init", "--no-demo")
    assert code == 0 and "password" not in out


def test_users_lifecycle(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "init", "--no-demo")
    code, out, _ = run(
        capsys, "users", "add", "dr.sara", "--role", "clinician", "--languages", "ar,en"
    )
    assert code == 0 and out.startswith("added dr.sara (clinician); password: ")
    code, out, _ = run(capsys, "users", "list")
    assert "dr.sara" in out and "ar,en" in out and "admin" in out
    assert run(capsys, "users", "set-role", "dr.sara", "lead")[0] == 0
    code, out, _ = run(capsys, "users", "reset-password", "dr.sara")
    assert code == 0 and "new password for dr.sara: " in out
    assert run(capsys, "users", "deactivate", "dr.sara")[0] == 0
    assert "inactive" in run(capsys, "users", "list")[1]
    code, _, err = run(capsys, "users", "add", "dr.sara")
    assert code == 1 and err.startswith("error: ") and err.count("\n") == 1


def test_study_import_and_export_end_to_end(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tmp = env
    run(capsys, "init", "--no-demo")
    code, out, _ = run(
        capsys,
        "studies",
        "create",
        "cardio",
        "--title",
        "Cardiology",
        "--rubric",
        "xlingeval_correctness",
        "--mode",
        "rating",
        "--mode",
        "pairwise",
    )
    assert code == 0 and "xlingeval_correctness 1.0" in out
    assert "cardio" in run(capsys, "studies", "list")[1]
    wide = tmp / "wide.csv"
    pd.DataFrame(
        [
            {"qid": "1", "q_en": "Chest pain?", "q_ar": "ألم في الصدر؟"},
            {"qid": "2", "q_en": "Fever?", "q_ar": "حمى؟"},
        ]
    ).to_csv(wide, index=False)
    code, out, _ = run(
        capsys,
        "import",
        "cases",
        str(wide),
        "--study",
        "cardio",
        "--map",
        "group_id=qid",
        "--map",
        "prompt=q_*",
    )
    assert code == 0 and "4 cases imported" in out and "ar 2, en 2" in out
    outputs = write_jsonl(
        tmp / "outputs.jsonl",
        [
            {"case_id": f"{g}-{lang}", "model": m, "text": f"{m} answer"}
            for g in ("1", "2")
            for lang in ("en", "ar")
            for m in ("alpha", "beta")
        ],
    )
    code, out, _ = run(capsys, "import", "outputs", str(outputs), "--study", "cardio")
    assert code == 0 and "8 outputs imported" in out
    scores = tmp / "judge.csv"
    pd.DataFrame([{"case_id": "1-en", "model": "alpha", "verdict": 1}]).to_csv(scores, index=False)
    code, out, _ = run(
        capsys,
        "import",
        "scores",
        str(scores),
        "--study",
        "cardio",
        "--map",
        "value=verdict",
        "--set",
        "scorer=judge-x",
    )
    assert code == 0 and "1 scores imported" in out
    run(capsys, "users", "add", "dr.omar")
    ratings = tmp / "ratings.csv"
    pd.DataFrame(
        [
            {
                "case_id": "1-ar",
                "model": "beta",
                "annotator": "dr.omar",
                "correctness": "contradictory",
                "confidence": 3,
            }
        ]
    ).to_csv(ratings, index=False)
    code, out, _ = run(capsys, "import", "ratings", str(ratings), "--study", "cardio")
    assert code == 0 and "1 ratings imported" in out
    for what in ("ratings", "cases", "outputs", "votes"):
        for fmt in ("csv", "jsonl", "parquet"):
            target = tmp / f"{what}.{fmt}"
            code, out, err = run(
                capsys, "export", what, "--study", "cardio", "--format", fmt, "-o", str(target)
            )
            assert code == 0, err
            assert target.exists()
    exported = pd.read_csv(tmp / "ratings.csv")
    assert list(exported["answer"].dropna()) == ["contradictory"]
    assert "dr.omar" not in (tmp / "ratings.csv").read_text()  # pseudonymous by default
    lines = (tmp / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    assert {json.loads(line)["language"] for line in lines} == {"en", "ar"}
    code, _, err = run(
        capsys,
        "export",
        "cases",
        "--study",
        "cardio",
        "--format",
        "arena",
        "-o",
        str(tmp / "x.jsonl"),
    )
    assert code == 1 and "votes only" in err


def test_user_mistakes_exit_non_zero_with_one_line(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "init", "--no-demo")
    assert run(capsys, "studies", "create", "st", "--title", "S")[0] == 0
    bad = env / "bad.csv"
    bad.write_text("external_id,language,prompt\nq1,klingon-xx,hello\n")
    attempts = [
        (["import", "cases", str(bad), "--study", "st"], "row 2, field 'language'"),
        (["import", "cases", str(env / "missing.csv"), "--study", "st"], "file not found"),
        (["import", "cases", str(bad), "--study", "nope"], "no study with slug 'nope'"),
        (["import", "cases", str(bad), "--study", "st", "--map", "prompt"], "FIELD=VALUE"),
        (["studies", "create", "Bad Slug!", "--title", "x"], "study slug"),
        (["studies", "create", "tt", "--title", "x", "--rubric", "nosuch"], "nosuch"),
        (
            ["export", "ratings", "--study", "nope", "--format", "csv", "-o", str(env / "o.csv")],
            "no study",
        ),
    ]
    for argv, expected in attempts:
        code, _, err = run(capsys, *argv)
        assert code == 1, argv
        assert err.startswith("error: ") and expected in err, (argv, err)
        assert "Traceback" not in err and err.count("\n") == 1, err


def test_console_entry_points(env: Path) -> None:
    commands = (
        [sys.executable, "-m", "medeval_ui", "--help"],
        [str(Path(sys.executable).parent / "medeval"), "import", "cases", "--help"],
    )
    # Started together: each spends seconds importing the app, and they share nothing.
    running = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for cmd in commands
    ]
    for process in running:
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
        assert "Usage: medeval" in stdout
