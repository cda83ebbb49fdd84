"""Imports: every format, wide tables, images, idempotency, and bad input that changes nothing.

Runs on SQLite, and on PostgreSQL when MEDEVAL_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pandas as pd
import pydicom.data
import pytest
from PIL import Image
from sqlalchemy import func, select

from medeval_ui.config import Settings
from medeval_ui.errors import MedevalError
from medeval_ui.exchange.mapping import ColumnMapping
from medeval_ui.services.import_cases import import_cases
from medeval_ui.services.import_outputs import import_outputs, import_scores
from medeval_ui.services.import_ratings import import_ratings
from medeval_ui.services.studies import create_study
from medeval_ui.services.users import add_user
from medeval_ui.storage.engine import Database
from medeval_ui.storage.tables import Case, CaseImage, Output, Rating, Score
from tests.helpers import db_snapshot, write_jsonl

pytestmark = pytest.mark.usefixtures("cheap_hasher")  # accounts are set-up here (conftest)

CASES = [
    {
        "external_id": "q1-en",
        "group_id": "q1",
        "language": "en",
        "prompt": "Chest pain?",
        "reference_answer": "Call an ambulance.",
        "specialty": "cardiology",
        "site": "A",
    },
    {
        "external_id": "q1-ar",
        "group_id": "q1",
        "language": "ar",
        "prompt": "ألم في الصدر؟",
        "reference_answer": "اتصل بالإسعاف.",
        "specialty": "cardiology",
        "site": "A",
    },
    {
        "external_id": "q1-hi",
        "group_id": "q1",
        "language": "hi",
        "prompt": "सीने में दर्द?",
        "reference_answer": "एम्बुलेंस बुलाएँ।",
        "specialty": "cardiology",
        "site": "B",
    },
]


@pytest.fixture
def study(db: Database) -> str:
    create_study(db, "s1", "Study one", "xlingeval_correctness")
    return "s1"


def count(db: Database, table: type) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def write_table(path: Path, rows: list[dict]) -> Path:
    frame = pd.DataFrame(rows)
    {
        ".csv": lambda: frame.to_csv(path, index=False),
        ".jsonl": lambda: write_jsonl(path, rows),
        ".parquet": lambda: frame.to_parquet(path, index=False),
        ".xlsx": lambda: frame.to_excel(path, index=False),
    }[path.suffix]()
    return path


@pytest.mark.parametrize("ext", [".jsonl", ".csv", ".parquet", ".xlsx"])
def test_cases_import_every_format_and_reimport_is_idempotent(
    db: Database, settings: Settings, study: str, tmp_path: Path, ext: str
) -> None:
    path = write_table(tmp_path / f"cases{ext}", CASES)
    summary = import_cases(db, settings, study, path)
    assert (summary.created, summary.unchanged) == (3, 0)
    assert summary.by_language == {"en": 1, "ar": 1, "hi": 1}
    again = import_cases(db, settings, study, path)
    assert (again.created, again.unchanged) == (0, 3)
    with db.read() as session:
        arabic = session.scalar(select(Case).where(Case.external_id == "q1-ar"))
        assert arabic is not None
        assert arabic.prompt == "ألم في الصدر؟" and arabic.group_id == "q1"
        assert arabic.meta == {"site": "A"}  # extra column kept as metadata


def test_wide_table_each_language_becomes_a_case_of_one_group(
    db: Database, settings: Settings, study: str, tmp_path: Path
) -> None:
    path = write_table(
        tmp_path / "wide.csv",
        [
            {
                "id": "7",
                "question_English": "Fever in a newborn?",
                "question_Hindi": "नवजात में बुखार?",
                "answer_English": "Urgent review.",
                "answer_Hindi": "तुरंत जाँच।",
                "topic": "peds",
            },
            {
                "id": "8",
                "question_English": "Dose of paracetamol?",
                "question_Hindi": "",
                "answer_English": "15 mg/kg.",
                "answer_Hindi": "",
                "topic": "pharm",
            },
        ],
    )
    mapping = ColumnMapping.from_options(
        maps=["group_id=id", "prompt=question_*", "reference_answer=answer_*"]
    )
    summary = import_cases(db, settings, study, path, mapping)
    assert summary.by_language == {"en": 2, "hi": 1}
    assert "1 empty language cells skipped" in summary.notes
    with db.read() as session:
        rows = session.execute(
            select(
                Case.external_id, Case.group_id, Case.language, Case.reference_answer, Case.meta
            ).order_by(Case.external_id)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("7-en", "7", "en", "Urgent review.", {"topic": "peds"}),
        ("7-hi", "7", "hi", "तुरंत जाँच।", {"topic": "peds"}),
        ("8-en", "8", "en", "15 mg/kg.", {"topic": "pharm"}),
    ]


def test_template_mapping_builds_a_multiple_choice_prompt(
    db: Database, settings: Settings, study: str, tmp_path: Path
) -> None:
    path = write_table(
        tmp_path / "mcq.csv",
        [{"item": "b-1", "lang": "pt", "q": "Qual?", "A": "um", "B": "dois", "key": "B"}],
    )
    mapping = ColumnMapping.from_options(
        maps=[
            "external_id={item}-{lang}",
            "group_id=item",
            "language=lang",
            "prompt={q}\\nA. {A}\\nB. {B}",
            "reference_answer=key",
        ]
    )
    import_cases(db, settings, study, path, mapping)
    with db.read() as session:
        case = session.scalar(select(Case))
    assert case is not None
    assert (case.external_id, case.prompt, case.meta) == ("b-1-pt", "Qual?\nA. um\nB. dois", {})


def test_images_png_and_dicom_are_stored_by_content(
    db: Database, settings: Settings, study: str, tmp_path: Path
) -> None:
    (tmp_path / "img").mkdir()
    Image.new("RGB", (32, 24), (200, 10, 10)).save(tmp_path / "img" / "lesion.png")
    ct = pydicom.data.get_testdata_file("CT_small.dcm", download=False)
    shutil.copy(ct, tmp_path / "img" / "slice.dcm")
    rows = [
        dict(CASES[0], images=["img/lesion.png", "img/slice.dcm"]),
        dict(CASES[1], images=["img/slice.dcm"]),
    ]
    path = write_jsonl(tmp_path / "cases.jsonl", rows)
    import_cases(db, settings, study, path)
    with db.read() as session:
        images = session.scalars(select(CaseImage).order_by(CaseImage.id)).all()
    assert [(i.kind, i.position) for i in images] == [("png", 0), ("dicom", 1), ("dicom", 0)]
    assert images[1].sha256 == images[2].sha256 and images[1].modality == "CT"
    stored = {p.name for p in Path(settings.media_dir).rglob("*") if p.is_file()}
    assert f"{images[1].display_sha256}.png" in stored
    assert not any("lesion" in name or "slice" in name for name in stored)
    assert import_cases(db, settings, study, path).unchanged == 2


def add_outputs(db: Database, settings: Settings, study: str, tmp_path: Path) -> Path:
    import_cases(db, settings, study, write_jsonl(tmp_path / "c.jsonl", CASES))
    rows = [
        {
            "case_id": c["external_id"],
            "model": m,
            "model_version": "1",
            "sample": s,
            "text": f"{m} says {c['external_id']} #{s}",
            "params": {"temperature": 0.7},
        }
        for c in CASES
        for m in ("alpha", "beta")
        for s in (0, 1)
    ]
    return write_jsonl(tmp_path / "outputs.jsonl", rows)


def test_outputs_and_scores_import(
    db: Database, settings: Settings, study: str, tmp_path: Path
) -> None:
    path = add_outputs(db, settings, study, tmp_path)
    summary = import_outputs(db, study, path)
    assert summary.created == 12 and summary.by_model == {"alpha 1": 6, "beta 1": 6}
    assert import_outputs(db, study, path).unchanged == 12
    scores = write_table(
        tmp_path / "judge.csv",
        [
            {
                "case_id": "q1-en",
                "model": "alpha",
                "model_version": "1",
                "sample": 0,
                "verdict": "correct",
                "p": 0.9,
            }
        ],
    )
    mapping = ColumnMapping.from_options(
        maps=["label=verdict", "value=p"], sets=["scorer=llm-judge"]
    )
    assert import_scores(db, study, scores, mapping).created == 1
    with db.read() as session:
        score = session.scalar(select(Score))
    assert score is not None and (score.label, score.value, score.metric) == (
        "correct",
        0.9,
        "score",
    )


def test_wide_outputs_one_column_per_model(
    db: Database, settings: Settings, study: str, tmp_path: Path
) -> None:
    import_cases(db, settings, study, write_jsonl(tmp_path / "c.jsonl", CASES))
    path = write_table(
        tmp_path / "wide_out.csv",
        [
            {"cid": "q1-en", "gpt_prediction": "Go to ER", "gem_prediction": "Rest"},
            {"cid": "q1-ar", "gpt_prediction": "اذهب", "gem_prediction": ""},
        ],
    )
    mapping = ColumnMapping.from_options(
        maps=["case_id=cid", "text=*_prediction"], suffixes=["gpt=model-g"]
    )
    summary = import_outputs(db, study, path, mapping)
    assert summary.by_model == {"model-g": 2, "gem": 1}


def test_ratings_import_validates_against_the_rubric(
    db: Database, settings: Settings, study: str, tmp_path: Path
) -> None:
    import_outputs(db, study, add_outputs(db, settings, study, tmp_path))
    add_user(db, "dr.amal", "clinician", password="correct horse battery")
    path = write_table(
        tmp_path / "offline.csv",
        [
            {
                "case_id": "q1-ar",
                "model": "alpha",
                "model_version": "1",
                "sample": 0,
                "annotator": "Dr.Amal",
                "correctness": "Contradictory",
                "confidence": 4,
                "comment": "=dangerous",
                "timestamp": "2026-03-01T10:00:00Z",
                "time_spent_s": 42,
            }
        ],
    )
    summary = import_ratings(db, study, path)
    assert summary.created == 1
    assert import_ratings(db, study, path).unchanged == 1
    with db.read() as session:
        rating = session.scalar(select(Rating))
    assert rating is not None
    assert rating.answers == {"correctness": "contradictory", "rationale": None}
    assert (rating.confidence, rating.comment, rating.time_spent_ms) == (4, "=dangerous", 42000)
    assert rating.origin == "imported" and rating.created_at.isoformat() == "2026-03-01T10:00:00"


# --- bad input: a clear message, and nothing changes -------------------------------------


def bad_cases(tmp_path: Path) -> list[tuple[str, Path, ColumnMapping | None, list[str]]]:
    """(name, file, mapping, substrings the error must contain)."""
    t = tmp_path
    latin = t / "latin1.csv"
    latin.write_bytes("external_id,language,prompt\nq1,es,¿Fiebre alta?\n".encode("latin-1"))
    empty = t / "empty.csv"
    empty.write_bytes(b"")
    header_only = t / "header_only.csv"
    header_only.write_text("external_id,language,prompt\n")
    ragged = t / "ragged.csv"
    ragged.write_text("external_id,language,prompt\nq1,en,ok\nq2,en\n")
    dup_header = t / "dup_header.csv"
    dup_header.write_text("external_id,language,prompt,prompt\nq1,en,a,b\n")
    bad_json = t / "bad.jsonl"
    bad_json.write_text('{"external_id": "q1", "language": "en", "prompt": "ok"}\n{"oops"\n')
    not_object = t / "list.jsonl"
    not_object.write_text('["q1", "en", "hi"]\n')
    fake_xlsx = t / "fake.xlsx"
    fake_xlsx.write_text("this is not a workbook")
    fake_parquet = t / "fake.parquet"
    fake_parquet.write_text("nor a parquet file")
    txt = t / "cases.txt"
    txt.write_text("hello")
    (t / "img").mkdir()
    Image.new("L", (1200, 1000)).save(t / "img" / "big.png")
    trunc = pydicom.data.get_testdata_file("MR_truncated.dcm", download=False)
    shutil.copy(trunc, t / "img" / "cut.dcm")
    base = {"external_id": "q9", "language": "en", "prompt": "ok"}
    return [
        ("wrong encoding", latin, None, ["latin1.csv", "not UTF-8", "line 2"]),
        ("empty file", empty, None, ["empty.csv", "empty"]),
        ("header only", header_only, None, ["header_only.csv", "no data rows"]),
        (
            "missing required column",
            write_table(t / "nolang.csv", [{"external_id": "q1", "prompt": "x"}]),
            None,
            ["nolang.csv", "no 'language' column", "--map language="],
        ),
        (
            "duplicate external id",
            write_table(t / "dup.csv", [base, base]),
            None,
            ["dup.csv", "row 3", "'q9' already appears on row 2"],
        ),
        (
            "unknown language tag",
            write_table(t / "lang.csv", [dict(base, language="xx-yy")]),
            None,
            ["lang.csv", "row 2", "field 'language'", "not a valid BCP-47"],
        ),
        (
            "image path escaping the folder",
            write_jsonl(t / "escape.jsonl", [dict(base, images=["../../etc/passwd"])]),
            None,
            ["escape.jsonl", "line 1", "leaves the folder"],
        ),
        (
            "absolute image path",
            write_jsonl(t / "abs.jsonl", [dict(base, images=["/etc/passwd"])]),
            None,
            ["abs.jsonl", "leaves the folder"],
        ),
        (
            "missing image",
            write_jsonl(t / "noimg.jsonl", [dict(base, images=["img/x.png"])]),
            None,
            ["noimg.jsonl", "'img/x.png' not found"],
        ),
        (
            "truncated DICOM",
            write_jsonl(t / "cut.jsonl", [dict(base, images=["img/cut.dcm"])]),
            None,
            ["cut.jsonl", "img/cut.dcm", "truncated"],
        ),
        (
            "oversized image",
            write_jsonl(t / "big.jsonl", [dict(base, images=["img/big.png"])]),
            None,
            ["big.jsonl", "img/big.png", "pixels"],
        ),
        ("ragged CSV row", ragged, None, ["ragged.csv", "row 3", "2 cells", "3 columns"]),
        ("duplicate header", dup_header, None, ["dup_header.csv", "'prompt' twice"]),
        ("invalid JSON line", bad_json, None, ["bad.jsonl", "line 2", "not valid JSON"]),
        ("JSON line not an object", not_object, None, ["list.jsonl", "expected a JSON object"]),
        ("corrupt xlsx", fake_xlsx, None, ["fake.xlsx", "not a readable .xlsx"]),
        ("corrupt parquet", fake_parquet, None, ["fake.parquet", "not a readable Parquet"]),
        ("unsupported extension", txt, None, ["cases.txt", "unsupported file type '.txt'"]),
        (
            "mapping names a missing column",
            write_table(t / "m.csv", [base]),
            ColumnMapping.from_options(maps=["prompt=question"]),
            ["m.csv", "names column 'question'"],
        ),
        (
            "empty prompt",
            write_table(t / "noprompt.csv", [dict(base, prompt="  ")]),
            None,
            ["noprompt.csv", "field 'prompt'", "required"],
        ),
        (
            "id on two lines",
            write_jsonl(t / "nl.jsonl", [dict(base, external_id="a\nb")]),
            None,
            ["nl.jsonl", "external_id", "one line"],
        ),
        (
            "wide pattern matches nothing",
            write_table(t / "w.csv", [base]),
            ColumnMapping.from_options(maps=["prompt=question_*", "group_id=external_id"]),
            ["w.csv", "no column matches 'question_*'"],
        ),
    ]


def test_bad_case_files_change_nothing(
    db: Database, settings: Settings, study: str, tmp_path: Path
) -> None:
    import_cases(db, settings, study, write_jsonl(tmp_path / "good.jsonl", CASES))
    before = db_snapshot(db)
    media_before = sorted(Path(settings.media_dir).rglob("*"))
    small = Settings(
        database_url=settings.database_url,
        media_dir=settings.media_dir,
        secret_key_file=settings.secret_key_file,
        max_image_megapixels=1,
    )
    cases = bad_cases(tmp_path)
    assert len(cases) >= 15
    for name, path, mapping, expected in cases:
        with pytest.raises(MedevalError) as info:
            import_cases(db, small, study, path, mapping)
        for text in expected:
            assert text in str(info.value), f"{name}: {info.value}"
        assert db_snapshot(db) == before, name
    assert sorted(Path(settings.media_dir).rglob("*")) == media_before


def test_conflicting_reimport_names_the_field(
    db: Database, settings: Settings, study: str, tmp_path: Path
) -> None:
    import_cases(db, settings, study, write_jsonl(tmp_path / "a.jsonl", CASES))
    before = db_snapshot(db)
    changed = [
        dict(CASES[0]),
        dict(CASES[1], prompt="changed"),
        {"external_id": "new", "language": "en", "prompt": "new"},
    ]
    with pytest.raises(MedevalError, match=r"b.jsonl, line 2, field 'prompt'.*'q1-ar'"):
        import_cases(db, settings, study, write_jsonl(tmp_path / "b.jsonl", changed))
    assert db_snapshot(db) == before


def test_bad_output_score_and_rating_files_change_nothing(
    db: Database, settings: Settings, study: str, tmp_path: Path
) -> None:
    import_outputs(db, study, add_outputs(db, settings, study, tmp_path))
    add_user(db, "dr.b", "clinician", password="correct horse battery")
    before = db_snapshot(db)
    ref = {"case_id": "q1-en", "model": "alpha", "model_version": "1", "sample": 0}
    attempts = [
        (
            import_outputs,
            [dict(ref, case_id="nope", text="x")],
            ["row 2", "no case with external_id 'nope'"],
        ),
        (import_outputs, [dict(ref, sample="two", text="x")], ["field 'sample'", "whole number"]),
        (import_outputs, [dict(ref, sample=-1, text="x")], ["at least 0"]),
        (import_outputs, [dict(ref, text="different text")], ["already exists with different"]),
        (import_outputs, [dict(ref, sample=5, text="x", params="{temp")], ["JSON object"]),
        (
            import_outputs,
            [dict(ref, sample=5, text="x"), dict(ref, sample=5, text="y")],
            ["row 3", "already appears on row 2"],
        ),
        (import_scores, [dict(ref, scorer="j", value="high")], ["field 'value'", "number"]),
        (import_scores, [dict(ref, scorer="j")], ["needs a value or a label"]),
        (
            import_scores,
            [dict(ref, model="gamma", scorer="j", value=1)],
            ["no output of model 'gamma 1'"],
        ),
        (
            import_ratings,
            [dict(ref, annotator="dr.b", correctness="maybe")],
            ["field 'correctness'", "contradictory"],
        ),
        (
            import_ratings,
            [dict(ref, annotator="nobody", correctness="neither")],
            ["no user 'nobody'"],
        ),
        (
            import_ratings,
            [dict(ref, annotator="dr.b", correctness="neither", confidence=9)],
            ["confidence"],
        ),
        (import_ratings, [dict(ref, annotator="dr.b")], ["correctness", "required"]),
        (
            import_ratings,
            [dict(ref, annotator="dr.b", correctness="neither", timestamp="yesterday")],
            ["ISO 8601"],
        ),
    ]
    for number, (fn, rows, expected) in enumerate(attempts):
        path = write_table(tmp_path / f"bad{number}.csv", rows)
        with pytest.raises(MedevalError) as info:
            fn(db, study, path)
        assert f"bad{number}.csv" in str(info.value)
        for text in expected:
            assert text in str(info.value), f"{fn.__name__} {rows}: {info.value}"
        assert db_snapshot(db) == before, str(info.value)
    assert count(db, Output) == 12


def test_unknown_study_is_a_clear_error(db: Database, settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(MedevalError, match="no study with slug 'ghost'"):
        import_cases(db, settings, "ghost", write_jsonl(tmp_path / "c.jsonl", CASES))


def test_csv_formula_guard_is_undone_on_import(
    db: Database, settings: Settings, study: str, tmp_path: Path
) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerows(
        [
            ["external_id", "language", "prompt"],
            ["f1", "en", "'=1+1"],
            ["f2", "en", "'@SUM(A1)"],
            ["f3", "en", "'plain"],
        ]
    )
    path = tmp_path / "guarded.csv"
    path.write_text(buf.getvalue())
    import_cases(db, settings, study, path)
    with db.read() as session:
        prompts = session.scalars(select(Case.prompt).order_by(Case.external_id)).all()
    assert prompts == ["=1+1", "@SUM(A1)", "'plain"]
