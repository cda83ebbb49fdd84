"""Exports (services/exports.py, exchange/export_writers.py, exchange/export_shapes.py).

Every export is read back with pyarrow/json and compared with what was stored: shapes,
superseded flags, pseudonyms, arena mapping, CSV formula neutralization, Unicode.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from medeval_ui.errors import MedevalError, NotFoundError
from medeval_ui.exchange.export_shapes import answer_columns, long_answers, rating_schema
from medeval_ui.exchange.export_writers import (
    FORMATS,
    neutralize_cell,
    unneutralize_cell,
    write_batches,
)
from medeval_ui.services.exports import export_cases, export_outputs, export_ratings, export_votes
from medeval_ui.storage.engine import Database
from medeval_ui.storage.tables import (
    AuditEvent,
    Case,
    CaseImage,
    Model,
    Output,
    Rating,
    Study,
    User,
    Vote,
)

RUBRIC: dict[str, Any] = {
    "id": "x",
    "version": "1.0",
    "title": "t",
    "questions": [
        {
            "id": "correctness",
            "text": "?",
            "type": "single_choice",
            "scale": "nominal",
            "required": True,
            "options": [
                {"id": "correct", "label": "Correct", "score": 1.0},
                {"id": "wrong", "label": "Wrong", "score": 0.0},
            ],
        },
        {"id": "notes", "text": "n", "type": "free_text", "required": False},
    ],
}
T0 = datetime(2025, 1, 2, 3, 4, 5, 123456)
FORMULA = '=HYPERLINK("http://evil.example","click")'
HEBREW = 'מה המינון?\nשורה שנייה, "במרכאות"'
CASE_FIELDS = ["external_id", "group_id", "language", "prompt", "reference_answer"]
CASE_FIELDS += ["specialty", "modality", "images", "metadata"]


def populate(db: Database) -> dict[str, Any]:
    """A study with 3 cases, 2 models, 3 outputs, 4 ratings (one superseded), 4 votes."""
    with db.write() as s:
        study = Study(
            slug="s1",
            title="S",
            rubric_id="x",
            rubric_version="1.0",
            rubric_snapshot=RUBRIC,
            modes=["rating", "pairwise"],
        )
        other = Study(
            slug="other", title="O", rubric_id="x", rubric_version="1.0", rubric_snapshot=RUBRIC
        )
        alice = User(username="alice", role="clinician", pseudonym="P-ALICE")
        bob = User(username="bob", role="clinician", pseudonym="P-BOB")
        gpt, llama = Model(name="gpt", version="2024"), Model(name="llama", version="3")
        s.add_all([study, other, alice, bob, gpt, llama])
        s.flush()
        c1 = Case(
            study_id=study.id,
            external_id="case-1",
            group_id="g1",
            language="en",
            specialty="cardiology",
            modality="text",
            prompt=FORMULA,
            reference_answer="+1",
            meta={"source": "שלום", "n": 1},
        )
        c2 = Case(
            study_id=study.id,
            external_id="case-2",
            group_id="g1",
            language="he",
            prompt=HEBREW,
            meta={},
        )
        c3 = Case(
            study_id=study.id,
            external_id="'case-3",
            group_id="g2",
            language="ja",
            prompt="日本語\r\nです\t",
            meta={"tags": ["a", "b"]},
        )
        c_other = Case(
            study_id=other.id, external_id="o-1", group_id="o", language="en", prompt="other"
        )
        s.add_all([c1, c2, c3, c_other])
        s.flush()
        s.add_all(
            [
                CaseImage(
                    case_id=c1.id,
                    position=1,
                    sha256="c" * 64,
                    kind="png",
                    display_sha256="d" * 64,
                    width=1,
                    height=1,
                ),
                CaseImage(
                    case_id=c1.id,
                    position=0,
                    sha256="a" * 64,
                    kind="png",
                    display_sha256="b" * 64,
                    width=1,
                    height=1,
                ),
            ]
        )
        o1 = Output(case_id=c1.id, model_id=gpt.id, text="-2 mg", params={"temperature": 0.2})
        o2 = Output(case_id=c1.id, model_id=llama.id, text="@x " + HEBREW)
        o3 = Output(case_id=c2.id, model_id=gpt.id, sample_index=1, text="'quoted'")
        o_other = Output(case_id=c_other.id, model_id=gpt.id, text="other")
        s.add_all([o1, o2, o3, o_other])
        s.flush()

        def rating(n: int, user: User, out: Output, answers: dict[str, Any], **kw: Any) -> Rating:
            return Rating(
                study_id=kw.pop("study_id", study.id),
                output_id=out.id,
                user_id=user.id,
                answers=answers,
                rubric_version="1.0",
                client_token=f"r{n}",
                created_at=T0 + timedelta(minutes=n),
                **kw,
            )

        r1 = rating(
            1,
            alice,
            o1,
            {"correctness": "correct", "notes": FORMULA},
            confidence=4,
            comment="'apostrophe",
            time_spent_ms=1200,
        )
        r2 = rating(2, bob, o1, {"correctness": "wrong"}, comment=HEBREW)
        s.add_all([r1, r2])
        s.flush()
        r3 = rating(
            3, alice, o1, {"correctness": "wrong", "notes": "+1"}, comment="-2", supersedes_id=r1.id
        )
        r4 = rating(4, bob, o2, {"correctness": "correct", "notes": "@x"}, comment="\tTab")
        r_other = rating(5, bob, o_other, {"correctness": "wrong"}, study_id=other.id)
        s.add_all([r3, r4, r_other])
        s.flush()
        votes = []
        for n, (user, left, right, winner) in enumerate(
            [
                (alice, o1, o2, "left"),
                (bob, o2, o1, "both_bad"),
                (alice, o1, o2, "tie"),
                (bob, o2, o1, "right"),
            ]
        ):
            votes.append(
                Vote(
                    study_id=study.id,
                    case_id=c1.id,
                    left_output_id=left.id,
                    right_output_id=right.id,
                    user_id=user.id,
                    winner=winner,
                    axes={"harm": "a"} if n == 0 else {},
                    reason=FORMULA if n else "",
                    client_token=f"v{n}",
                    created_at=T0 + timedelta(seconds=n),
                )
            )
        s.add_all(votes)
        s.flush()
        return {"r": [r1.id, r2.id, r3.id, r4.id], "o": [o1.id, o2.id, o3.id], "study": study.id}


def read_rows(path: Path, fmt: str, schema: pa.Schema) -> list[dict[str, Any]]:
    """An export read back as Python rows; CSV cells un-neutralized, as an importer would."""
    if fmt == "parquet":
        return pq.read_table(path).to_pylist()
    if fmt == "jsonl":
        return [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    types = {
        f.name: f.type.value_type if pa.types.is_dictionary(f.type) else f.type for f in schema
    }
    table = pacsv.read_csv(
        path,
        convert_options=pacsv.ConvertOptions(
            column_types=types,
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
        ),
    )
    rows = table.to_pylist()
    return [
        {k: unneutralize_cell(v) if isinstance(v, str) else v for k, v in row.items()}
        for row in rows
    ]


@pytest.fixture
def data(db: Database) -> dict[str, Any]:
    return populate(db)


def base_row(ids: dict[str, Any], i: int) -> dict[str, Any]:
    """What every export shape says about rating i (0-based) besides its answers."""
    out = [0, 0, 0, 1][i]
    return {
        "study": "s1",
        "rubric_id": "x",
        "rubric_version": "1.0",
        "case_id": "case-1",
        "group_id": "g1",
        "language": "en",
        "specialty": "cardiology",
        "model": ["gpt", "llama"][out],
        "model_version": ["2024", "3"][out],
        "sample_index": 0,
        "output_id": ids["o"][out],
        "annotator": ["P-ALICE", "P-BOB", "P-ALICE", "P-BOB"][i],
        "rating_id": ids["r"][i],
        "supersedes_id": ids["r"][0] if i == 2 else None,
        "superseded": i == 0,
        "confidence": 4 if i == 0 else None,
        "comment": ["'apostrophe", HEBREW, "-2", "\tTab"][i],
        "time_spent_ms": 1200 if i == 0 else None,
        "created_at": (T0 + timedelta(minutes=i + 1)).isoformat() + "Z",
        "origin": "app",
    }


ANSWERS = [("correct", FORMULA), ("wrong", None), ("wrong", "+1"), ("correct", "@x")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_ratings_wide(db: Database, data: dict[str, Any], tmp_path: Path, fmt: str) -> None:
    dest = tmp_path / f"ratings.{fmt}"
    assert export_ratings(db, "s1", fmt, dest, shape="wide", chunk_size=3) == 4
    schema = rating_schema("wide", RUBRIC["questions"], False)
    rows = read_rows(dest, fmt, schema)
    expected = [
        {**base_row(data, i), "correctness": ANSWERS[i][0], "notes": ANSWERS[i][1]}
        for i in range(4)
    ]
    assert [list(r) for r in rows] == [schema.names] * 4
    assert rows == expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_ratings_long(db: Database, data: dict[str, Any], tmp_path: Path, fmt: str) -> None:
    dest = tmp_path / f"ratings.{fmt}"
    assert export_ratings(db, "s1", fmt, dest, shape="long", chunk_size=2) == 8
    rows = read_rows(dest, fmt, rating_schema("long", RUBRIC["questions"], False))
    expected = []
    for i, (correctness, notes) in enumerate(ANSWERS):
        score = 1.0 if correctness == "correct" else 0.0
        expected.append(
            {
                **base_row(data, i),
                "question_id": "correctness",
                "answer": correctness,
                "score": score,
            }
        )
        expected.append(
            {**base_row(data, i), "question_id": "notes", "answer": notes, "score": None}
        )
    assert rows == expected


def test_usernames_only_when_asked(db: Database, data: dict[str, Any], tmp_path: Path) -> None:
    export_ratings(db, "s1", "parquet", tmp_path / "a.parquet")
    assert "username" not in pq.read_table(tmp_path / "a.parquet").column_names
    export_ratings(db, "s1", "parquet", tmp_path / "b.parquet", include_usernames=True)
    table = pq.read_table(tmp_path / "b.parquet")
    pairs = set(zip(table["annotator"].to_pylist(), table["username"].to_pylist(), strict=True))
    assert pairs == {("P-ALICE", "alice"), ("P-BOB", "bob")}


def test_csv_neutralizes_formulas(db: Database, data: dict[str, Any], tmp_path: Path) -> None:
    dest = tmp_path / "ratings.csv"
    export_ratings(db, "s1", "csv", dest, shape="wide")
    with dest.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["notes"] for r in rows] == ["'" + FORMULA, "", "'+1", "'@x"]
    assert [r["comment"] for r in rows] == ["''apostrophe", HEBREW, "'-2", "'\tTab"]
    # Numbers stay numbers: unquoted in the file, typed when read back.
    assert '\n"s1","x","1.0","case-1"' in dest.read_text("utf-8")
    assert f",{data['r'][0]},,true,4," in dest.read_text("utf-8")
    for row in rows:
        for value in row.values():
            assert not value or value[0] not in "=+-@\t\r" or value == ""


@pytest.mark.parametrize(
    "text", ["", "'", "''", "=1+2", "+1", "-2", "@x", "\tx", "\rx", "'=x", "a=b", "-", "ok"]
)
def test_neutralize_roundtrip(text: str) -> None:
    cell = neutralize_cell(text)
    assert not cell or cell[0] not in "=+-@\t\r"
    assert unneutralize_cell(cell) == text
    assert (cell != text) == (text[:1] in set("=+-@\t\r'"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_cases_and_outputs_round_trip(
    db: Database, data: dict[str, Any], tmp_path: Path, fmt: str
) -> None:
    assert export_cases(db, "s1", fmt, tmp_path / f"cases.{fmt}") == 3
    schema = pa.schema(
        [(n, pa.list_(pa.string()) if n == "images" else pa.string()) for n in CASE_FIELDS]
    )
    if fmt == "csv":
        schema = schema.set(7, pa.field("images", pa.string()))
    cases = read_rows(tmp_path / f"cases.{fmt}", fmt, schema)
    assert [list(c) for c in cases] == [CASE_FIELDS] * 3
    images: Any = ["a" * 64, "c" * 64]
    metadata: Any = [{"source": "שלום", "n": 1}, {}, {"tags": ["a", "b"]}]
    if fmt == "csv":
        images = ";".join(images)
    assert cases[0]["images"] == images and cases[1]["images"] in ([], "")
    assert [c["prompt"] for c in cases] == [FORMULA, HEBREW, "日本語\r\nです\t"]
    assert [c["external_id"] for c in cases] == ["case-1", "case-2", "'case-3"]
    assert cases[0]["reference_answer"] == "+1" and cases[2]["language"] == "ja"
    got = [c["metadata"] if fmt == "jsonl" else json.loads(c["metadata"]) for c in cases]
    assert got == metadata

    assert export_outputs(db, "s1", fmt, tmp_path / f"outputs.{fmt}") == 3
    names = ["case_id", "language", "group_id", "model", "model_version", "sample", "text"]
    names += ["params", "origin", "created_at"]
    schema = pa.schema([(n, pa.int64() if n == "sample" else pa.string()) for n in names])
    outputs = read_rows(tmp_path / f"outputs.{fmt}", fmt, schema)
    assert [list(o) for o in outputs] == [names] * 3
    assert [(o["case_id"], o["model"], o["sample"], o["text"]) for o in outputs] == [
        ("case-1", "gpt", 0, "-2 mg"),
        ("case-1", "llama", 0, "@x " + HEBREW),
        ("case-2", "gpt", 1, "'quoted'"),
    ]
    params = outputs[0]["params"] if fmt == "jsonl" else json.loads(outputs[0]["params"])
    assert params == {"temperature": 0.2}
    assert all(o["created_at"].endswith("Z") and "T" in o["created_at"] for o in outputs)


@pytest.mark.parametrize("fmt", FORMATS)
def test_votes(db: Database, data: dict[str, Any], tmp_path: Path, fmt: str) -> None:
    assert export_votes(db, "s1", fmt, tmp_path / f"votes.{fmt}") == 4
    from medeval_ui.exchange.export_shapes import vote_schema

    rows = read_rows(tmp_path / f"votes.{fmt}", fmt, vote_schema(False))
    assert [(r["left_model"], r["right_model"], r["winner"]) for r in rows] == [
        ("gpt", "llama", "left"),
        ("llama", "gpt", "both_bad"),
        ("gpt", "llama", "tie"),
        ("llama", "gpt", "right"),
    ]
    first = rows[0]
    assert first["left_output_id"] == data["o"][0] and first["right_model_version"] == "3"
    assert first["case_id"] == "case-1" and first["annotator"] == "P-ALICE"
    axes = first["axes"] if fmt == "jsonl" else json.loads(first["axes"])
    assert axes == {"harm": "a"}
    assert rows[1]["reason"] == FORMULA and "username" not in first


@pytest.mark.parametrize("usernames", [False, True])
def test_arena(db: Database, data: dict[str, Any], tmp_path: Path, usernames: bool) -> None:
    dest = tmp_path / "battles.jsonl"
    assert export_votes(db, "s1", "arena", dest, include_usernames=usernames) == 4
    rows = [json.loads(line) for line in dest.read_text("utf-8").splitlines()]
    names = ["model_a", "model_b", "winner", "judge", "language", "tstamp", "case_id"]
    assert [list(r) for r in rows] == [names] * 4
    assert [r["winner"] for r in rows] == ["model_a", "tie (bothbad)", "tie", "model_b"]
    assert [(r["model_a"], r["model_b"]) for r in rows] == [("gpt", "llama"), ("llama", "gpt")] * 2
    judges = ["alice", "bob"] if usernames else ["P-ALICE", "P-BOB"]
    assert [r["judge"] for r in rows] == judges * 2
    assert rows[0]["language"] == "en" and rows[0]["case_id"] == "case-1"
    assert rows[1]["tstamp"] == pytest.approx(T0.replace(tzinfo=UTC).timestamp() + 1, abs=1e-6)


def test_errors(db: Database, data: dict[str, Any], tmp_path: Path) -> None:
    dest = tmp_path / "x.csv"
    with pytest.raises(NotFoundError, match=r"no study with slug 'nope'; see `medeval studies"):
        export_ratings(db, "nope", "csv", dest)
    with pytest.raises(MedevalError, match="unknown export format 'xlsx'; use one of: csv, jsonl"):
        export_ratings(db, "s1", "xlsx", dest)
    with pytest.raises(MedevalError, match="csv, jsonl, parquet, arena"):
        export_votes(db, "s1", "tsv", dest)
    with pytest.raises(MedevalError, match=r"use one of: csv, jsonl, parquet$"):
        export_ratings(db, "s1", "arena", dest)
    with pytest.raises(MedevalError, match="unknown shape 'tall'; use one of: long, wide"):
        export_ratings(db, "s1", "csv", dest, shape="tall")
    for export in (export_cases, export_outputs):
        with pytest.raises(NotFoundError):
            export(db, "nope", "csv", dest)
    assert not dest.exists()
    with db.read() as s:
        assert s.scalars(select(AuditEvent)).all() == []


def test_audit_event(db: Database, data: dict[str, Any], tmp_path: Path) -> None:
    export_ratings(db, "s1", "csv", tmp_path / "r.csv", include_usernames=True, actor="lead1")
    export_votes(db, "s1", "arena", tmp_path / "v.jsonl")
    export_cases(db, "s1", "jsonl", tmp_path / "c.jsonl")
    with db.read() as s:
        events = s.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor, e.study_id) for e in events] == [
        ("export", "lead1", data["study"]),
        ("export", "cli", data["study"]),
        ("export", "cli", data["study"]),
    ]
    assert [e.detail for e in events] == [
        {"what": "ratings", "format": "csv", "rows": 8, "usernames": True},
        {"what": "votes", "format": "arena", "rows": 4, "usernames": False},
        {"what": "cases", "format": "jsonl", "rows": 3, "usernames": False},
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_stream_to_file_object(
    db: Database, data: dict[str, Any], tmp_path: Path, fmt: str
) -> None:
    export_ratings(db, "s1", fmt, tmp_path / "a", shape="wide", chunk_size=1)
    sink = io.BytesIO()
    assert export_ratings(db, "s1", fmt, sink, shape="wide") == 4
    assert not sink.closed
    if fmt == "parquet":  # one row group per chunk: compare the rows, not the bytes
        assert pq.read_table(sink).equals(pq.read_table(tmp_path / "a"))
    else:
        assert sink.getvalue() == (tmp_path / "a").read_bytes()


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_study(db: Database, tmp_path: Path, fmt: str) -> None:
    with db.write() as s:
        s.add(
            Study(
                slug="empty", title="E", rubric_id="x", rubric_version="1.0", rubric_snapshot=RUBRIC
            )
        )
    dest = tmp_path / f"e.{fmt}"
    assert export_ratings(db, "empty", fmt, dest, shape="wide") == 0
    assert export_votes(db, "empty", fmt, tmp_path / f"v.{fmt}") == 0
    if fmt == "csv":
        assert dest.read_text().startswith('"study","rubric_id"')
    elif fmt == "parquet":
        assert pq.read_table(dest).column_names[-2:] == ["correctness", "notes"]
    else:
        assert dest.read_bytes() == b""


def test_failed_export_leaves_no_file(tmp_path: Path) -> None:
    schema = pa.schema([("a", pa.string())])

    def batches() -> Any:
        yield pa.record_batch([pa.array(["x"])], schema=schema)
        raise RuntimeError("database went away")

    for fmt in FORMATS:
        dest = tmp_path / f"x.{fmt}"
        with pytest.raises(RuntimeError, match="went away"):
            write_batches(batches(), schema, fmt, dest)
        assert not dest.exists()


def test_jsonl_escaping_and_types(tmp_path: Path) -> None:
    texts = ['q"b\\s', "\x00\x01\x1f", "line\nnext\r", "\u2028 שלום 日本", "", None, "=1"]
    n = len(texts)
    batch = pa.record_batch(
        {
            "t": pa.array(texts),
            "i": pa.array([1, None, -3, 0, 2**62, 5, 6]),
            "f": pa.array([1.0, 0.5, float("nan"), float("inf"), None, -2.0, 1e300]),
            "b": pa.array([True, False, None, True, False, True, False]),
            "l": pa.array([["a", "b"], [], None, ["\n"], ["x"], ["y"], ["z"]]),
            "j": pa.array(['{"k": [1,\n 2]}', "[]", None, "1", '"s"', "{}", "null"]),
            "d": pa.array(["x", "=y", None, "x", "x", "x", "x"]).dictionary_encode(),
        }
    )
    sink = io.BytesIO()
    assert write_batches([batch, batch.slice(2)], batch.schema, "jsonl", sink, json_columns={"j"})
    lines = sink.getvalue().decode().split("\n")
    assert lines[-1] == "" and len(lines) == n + n - 2 + 1
    rows = [json.loads(line) for line in lines[:-1]]
    assert [r["t"] for r in rows[:n]] == texts
    assert [r["f"] for r in rows[:n]] == [1.0, 0.5, None, None, None, -2.0, 1e300]
    assert isinstance(rows[0]["f"], float) and rows[4]["i"] == 2**62
    assert [r["j"] for r in rows[:n]] == [{"k": [1, 2]}, [], None, 1, "s", {}, None]
    assert [r["d"] for r in rows[:n]] == ["x", "=y", None, "x", "x", "x", "x"]
    assert rows[n:] == rows[2:n]


def test_answer_shapes_for_lists_numbers_and_stray_keys() -> None:
    questions = [
        {
            "id": "symptoms",
            "type": "multiple_choice",
            "options": [{"id": "a", "score": 1.0}, {"id": "b", "score": 0.0}, {"id": "c"}],
        },
        {"id": "dose", "type": "number"},
        {"id": "comment", "type": "free_text"},
    ]
    answers = [
        {"symptoms": ["a", "b"], "dose": 2.5, "comment": "ok"},
        {"symptoms": ["c"], "dose": 3},
        {"symptoms": [], "stray": 7},
    ]
    schema = rating_schema("wide", questions, False)
    assert schema.names[-3:] == ["symptoms", "dose", "q_comment"]
    text = pa.array([json.dumps(a) for a in answers])
    wide = answer_columns(text, questions, schema)
    assert wide["symptoms"].to_pylist() == ["a;b", "c", ""]
    assert wide["dose"].to_pylist() == [2.5, 3.0, None]
    assert wide["q_comment"].to_pylist() == ["ok", None, None]
    repeat, long = long_answers(answers, questions)
    assert repeat.to_pylist() == [0, 0, 0, 1, 1, 1, 2, 2, 2, 2]
    assert long["question_id"].to_pylist()[-4:] == ["symptoms", "dose", "comment", "stray"]
    assert long["answer"].to_pylist() == ["a;b", "2.5", "ok", "c", "3", None, "", None, None, "7"]
    assert long["score"].to_pylist() == [0.5, None, None, None, None, None] + [None] * 4
    bad = pa.array([json.dumps({"dose": "a lot"})])
    with pytest.raises(MedevalError, match="question 'dose' is a number question"):
        answer_columns(bad, questions, schema)


def test_sqlite_file_reads_through_adbc_as_sqlalchemy_would(
    db: Database, data: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A SQLite file is read by a read-only ADBC connection, into the very bytes that the
    SQLAlchemy connection (PostgreSQL's path) gives."""
    if not db.is_sqlite:
        pytest.skip("ADBC reads SQLite files only")
    from medeval_ui.storage import streaming

    opened: list[str] = []
    connect = streaming.adbc_sqlite.connect
    monkeypatch.setattr(
        streaming.adbc_sqlite, "connect", lambda uri: opened.append(uri) or connect(uri)
    )

    def export_all(folder: Path) -> dict[str, bytes]:
        folder.mkdir()
        for fmt in FORMATS:
            for shape in ("wide", "long"):
                export_ratings(
                    db, "s1", fmt, folder / f"r-{shape}.{fmt}", shape=shape, chunk_size=3
                )
            export_votes(db, "s1", fmt, folder / f"v.{fmt}", chunk_size=3)
            export_cases(db, "s1", fmt, folder / f"c.{fmt}")
            export_outputs(db, "s1", fmt, folder / f"o.{fmt}")
        export_votes(db, "s1", "arena", folder / "arena.jsonl")
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}

    through_adbc = export_all(tmp_path / "adbc")
    assert opened and all(uri.startswith("file:/") and uri.endswith("?mode=ro") for uri in opened)
    monkeypatch.setattr(streaming, "_sqlite_file", lambda conn: None)
    assert export_all(tmp_path / "sqlalchemy") == through_adbc


def test_an_export_reads_one_snapshot(
    db: Database, data: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rating committed while an export runs, after its first reads, is not in it
    (SQLite: the WAL read transaction; PostgreSQL: REPEATABLE READ)."""
    from medeval_ui.services import exports

    lookups = exports.export_lookups

    def lookups_then_a_new_rating(*args: Any) -> Any:
        found = lookups(*args)
        with db.write() as s:
            s.add(
                Rating(
                    study_id=data["study"],
                    output_id=data["o"][1],
                    user_id=s.execute(select(User.id)).scalars().first(),
                    answers={"correctness": "wrong"},
                    rubric_version="1.0",
                    client_token="during-export",
                )
            )
        return found

    monkeypatch.setattr(exports, "export_lookups", lookups_then_a_new_rating)
    assert export_ratings(db, "s1", "csv", tmp_path / "a.csv") == 8
    monkeypatch.setattr(exports, "export_lookups", lookups)
    assert export_ratings(db, "s1", "csv", tmp_path / "b.csv") == 10
