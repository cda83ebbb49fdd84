"""Fuzzing the importers (cases, outputs, scores) with malformed files in every format.

Every generated file (see tests/fuzz_files.py) must either import or raise a MedevalError
whose message is clear (``fuzz_files.message_problems``), never another exception; a
refused file leaves the database exactly as it was (invariant 3: all or nothing); an
imported one adds exactly the rows its summary reports, and importing it again adds
nothing. Runs are reproducible (derandomized, no example database). The default run draws
a few hundred files on SQLite; the slow run (CI) draws 1000 per kind on SQLite and a
smaller number on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from openpyxl.packaging import core as openpyxl_core
from openpyxl.writer import excel as openpyxl_excel

from medeval_ui.config import Settings
from medeval_ui.errors import MedevalError
from medeval_ui.services.import_cases import import_cases
from medeval_ui.services.import_common import ImportSummary
from medeval_ui.services.import_outputs import import_outputs, import_scores
from medeval_ui.services.studies import create_study
from medeval_ui.storage.engine import Database
from tests.fuzz_files import (
    FORMATS,
    KINDS,
    KNOWN_CASES,
    KNOWN_MODELS,
    SAMPLES,
    WRITERS,
    FuzzFile,
    cell_problems,
    fuzz_files,
    message_problems,
    output_text,
)
from tests.helpers import db_snapshot, write_jsonl

STUDY = "fz"
# Examples per (kind, format) test: 5 formats x 3 kinds.
FAST_EXAMPLES = 20  # 300 files in the default run
SLOW_EXAMPLES = 200  # 1000 files per kind, SQLite
PG_EXAMPLES = 30  # 150 files per kind, PostgreSQL
TABLE = {"cases": "cases", "outputs": "outputs", "scores": "scores"}


@dataclass
class FuzzEnv:
    db: Database
    settings: Settings
    folder: Path

    def importer(self, kind: str) -> Callable[[Path], ImportSummary]:
        if kind == "cases":
            return lambda path: import_cases(self.db, self.settings, STUDY, path)
        fn = {"outputs": import_outputs, "scores": import_scores}[kind]
        return lambda path: fn(self.db, STUDY, path)


@pytest.fixture
def env(db: Database, settings: Settings, tmp_path: Path) -> FuzzEnv:
    return make_env(db, settings, tmp_path)


def make_env(db: Database, settings: Settings, tmp_path: Path) -> FuzzEnv:
    """The fuzz study: KNOWN_CASES, each answered by KNOWN_MODELS for every sample."""
    create_study(db, STUDY, "Fuzz", "xlingeval_correctness")
    cases = [
        {"external_id": c, "group_id": c[:2], "language": c[3:], "prompt": f"Question {c}?"}
        for c in KNOWN_CASES
    ]
    import_cases(db, settings, STUDY, write_jsonl(tmp_path / "base-cases.jsonl", cases))
    outputs = [
        {"case_id": c, "model": m, "sample": s, "text": output_text(c, m, s)}
        for c in KNOWN_CASES
        for m in KNOWN_MODELS
        for s in SAMPLES
    ]
    import_outputs(db, STUDY, write_jsonl(tmp_path / "base-outputs.jsonl", outputs))
    folder = tmp_path / "fuzz"
    folder.mkdir()
    return FuzzEnv(db, settings, folder)


def without_audit(snapshot: dict[str, list[tuple[Any, ...]]]) -> dict[str, Any]:
    return {k: v for k, v in snapshot.items() if k != "audit_events"}


def check_one(env: FuzzEnv, file: FuzzFile) -> str:
    """Import ``file`` and check the outcome; "imported" or "refused"."""
    note(f"{file.fmt} {file.kind}: {'; '.join(file.changes) or 'valid'}")
    path = env.folder / file.name
    path.write_bytes(file.data)
    before = db_snapshot(env.db)
    run = env.importer(file.kind)
    try:
        summary = run(path)
    except MedevalError as err:
        note(f"message: {err}")
        assert message_problems(err, file, path.name) == [], str(err)
        assert db_snapshot(env.db) == before, f"refused, but the database changed: {err}"
        if cell_problems(err, file):
            # Fine if the file was refused before that one cell was changed too.
            path.write_bytes(file.base)
            with pytest.raises(MedevalError):
                run(path)
            assert db_snapshot(env.db) == before
        return "refused"
    after = db_snapshot(env.db)
    table = TABLE[file.kind]
    assert len(after[table]) - len(before[table]) == summary.created
    assert summary.created + summary.unchanged >= 1
    again = run(path)  # invariant 3: re-importing the same file does not duplicate
    assert again.created == 0
    assert without_audit(db_snapshot(env.db)) == without_audit(after)
    return "imported"


def fuzz(env: FuzzEnv, kind: str, examples: int, formats: tuple[str, ...] = FORMATS) -> Counter:
    outcomes: Counter[tuple[str, str]] = Counter()

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        print_blob=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.data())
    def one(data: st.DataObject) -> None:
        file = data.draw(fuzz_files(kind, formats))
        outcomes[file.fmt, check_one(env, file)] += 1

    one()
    return outcomes


def assert_ran(outcomes: Counter, examples: int) -> None:
    """Every example ran, and files of a supported format were both imported and refused
    (the fuzzer is neither all noise nor all valid files)."""
    assert sum(outcomes.values()) >= examples, outcomes
    results = {result for _, result in outcomes}
    unsupported = {fmt for fmt, _ in outcomes} == {"json"}  # not an import format (yet)
    assert results == ({"refused"} if unsupported else {"imported", "refused"}), outcomes


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", KINDS)
def test_fuzzed_files_import_or_are_refused_clearly(env: FuzzEnv, kind: str, fmt: str) -> None:
    assert_ran(fuzz(env, kind, FAST_EXAMPLES, (fmt,)), FAST_EXAMPLES)


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", KINDS)
def test_fuzzed_files_many_on_sqlite(env: FuzzEnv, kind: str, fmt: str) -> None:
    assert_ran(fuzz(env, kind, SLOW_EXAMPLES, (fmt,)), SLOW_EXAMPLES)


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", KINDS)
def test_fuzzed_files_on_postgres(env: FuzzEnv, kind: str, fmt: str) -> None:
    assert_ran(fuzz(env, kind, PG_EXAMPLES, (fmt,)), PG_EXAMPLES)


def test_fuzz_files_are_the_same_bytes_whatever_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # Hypothesis replays a failing example and stops with FlakyStrategyDefinition when the
    # bytes drawn from differ: CI once saw an .xlsx one byte longer a second later.
    header, rows = ["case_id", "question"], [["c1", "Fièvre ?"], ["c2", "発熱"]]
    before = {fmt: write(header, rows) for fmt, write in WRITERS.items()}

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> Later:
            return cls(2031, 7, 9, 13, 47, 59, 123456, tzinfo=tz)

    later = SimpleNamespace(datetime=Later, timezone=dt.timezone)
    monkeypatch.setattr(openpyxl_excel, "datetime", later)
    monkeypatch.setattr(openpyxl_core, "datetime", later)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3 * 86400 + 7)
    after = {fmt: write(header, rows) for fmt, write in WRITERS.items()}
    assert after == before


# --- the importer bugs the fuzzing found, each pinned by a plain example -------------------


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_parquet_damage_duplicate_columns_and_binary_cells_are_clear(env: FuzzEnv) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = env.folder / "p.parquet"
    run = env.importer("outputs")

    def refused(expected: str) -> str:
        before = db_snapshot(env.db)
        with pytest.raises(MedevalError, match=expected) as info:
            run(path)
        assert db_snapshot(env.db) == before
        assert message_problems(info.value, parsed_file(path), path.name) == []
        return str(info.value)

    columns = [pa.array(["q0-en"]), pa.array(["m1"]), pa.array(["m2"]), pa.array(["t"])]
    pq.write_table(pa.Table.from_arrays(columns, names=["case_id", "model", "model", "text"]), path)
    refused(r"p\.parquet, row 1: the header names column 'model' twice")
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2] + b"\x00" * 64 + good[len(good) // 2 + 64 :])
    refused(r"p\.parquet: not a readable Parquet file \(")
    # Binary cells are text when they are UTF-8 (metadata too), and a clear error otherwise.
    rows = {"case_id": [b"q0-en"], "model": [b"m1"], "sample": [7], "text": [b"t"]}
    pq.write_table(pa.table(rows), path)
    assert run(path).created == 1
    rows["text"] = [b"\xff\xfe"]
    pq.write_table(pa.table(rows), path)
    refused(r"p\.parquet, row 1, field 'text': binary data that is not UTF-8 text")


def parsed_file(path: Path) -> FuzzFile:
    return FuzzFile("outputs", path.suffix[1:], path.name, path.read_bytes(), 1, None)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_parquet_decimals_durations_and_times_are_kept_as_json_metadata(env: FuzzEnv) -> None:
    import datetime as dt
    from decimal import Decimal

    path = env.folder / "c.parquet"
    frame = pd.DataFrame(
        {
            "external_id": ["dec-1"],
            "language": ["en"],
            "prompt": ["Dose?"],
            "dose": [Decimal("1.50")],
            "wait": [dt.timedelta(minutes=2)],
            "at": [dt.time(14, 5)],
        }
    )
    frame.to_parquet(path, index=False)
    assert env.importer("cases")(path).created == 1
    assert env.importer("cases")(path).unchanged == 1


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_damaged_large_workbook_is_refused_not_a_traceback(env: FuzzEnv) -> None:
    import io
    import zipfile

    from tests.fuzz_files import write_xlsx

    rows = [["q0-en", "m1", 10 + i, f"answer {i} " * 5] for i in range(2000)]
    data = bytearray(write_xlsx(["case_id", "model", "sample", "text"], rows))
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + info.compress_size * 3 // 4] ^= 0xFF  # read lazily, long after opening
    path = env.folder / "big.xlsx"
    path.write_bytes(bytes(data))
    before = db_snapshot(env.db)
    with pytest.raises(MedevalError, match=r"big\.xlsx: not a readable \.xlsx workbook"):
        env.importer("outputs")(path)
    assert db_snapshot(env.db) == before


def test_huge_numbers_nul_characters_and_long_values_are_field_errors(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    env = make_env(db, settings, tmp_path)
    path = env.folder / "o.jsonl"
    ref = {"case_id": "q0-en", "model": "m1", "text": "fine"}
    # (row, message): each of these once failed inside the database or printed pages
    attempts: list[tuple[dict[str, Any], str]] = [
        (dict(ref, sample=2**40), "field 'sample': must be at most 2,147,483,647"),
        (dict(ref, sample=1e308), r"field 'sample': must be at most 2,147,483,647, got 1e\+308"),
        (dict(ref, sample=4, text="a\x00b"), "field 'text': contains a NUL character"),
        (dict(ref, sample="x" * 300_000), r"got 'xxxxx.*\.\.\. \(300,000 characters\)$"),
    ]
    before = db_snapshot(db)
    for row, expected in attempts:
        write_jsonl(path, [row])
        with pytest.raises(MedevalError, match=expected) as info:
            env.importer("outputs")(path)
        assert len(str(info.value)) < 200
        assert db_snapshot(db) == before


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_long_csv_cell_imports_like_the_same_jsonl(env: FuzzEnv) -> None:
    answer = "An answer of 150,000 characters. " * 4546  # over the csv module's 128 KiB
    rows = [{"case_id": "q0-en", "model": "m1", "sample": 9, "text": answer}]
    path = env.folder / "long.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    assert env.importer("outputs")(path).created == 1
    assert env.importer("outputs")(write_jsonl(env.folder / "long.jsonl", rows)).unchanged == 1


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_bad_language_and_a_changed_metadata_column_are_named_on_one_line(
    env: FuzzEnv,
) -> None:
    path = env.folder / "c.jsonl"
    stored = dict(external_id="q0-en", group_id="q0", language="en", prompt="Question q0-en?")
    attempts = [
        ({"external_id": "n1", "language": "line\nbreak", "prompt": "p"}, r"'line\\nbreak' is not"),
        (dict(stored, site="B"), r"line 1, field 'site': .* with a different site;"),
    ]
    before = db_snapshot(env.db)
    for row, expected in attempts:
        write_jsonl(path, [row])
        with pytest.raises(MedevalError, match=expected) as info:
            env.importer("cases")(path)
        assert "\n" not in str(info.value) and len(str(info.value)) < 200
        assert db_snapshot(env.db) == before


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_image_paths_with_a_nul_or_an_impossible_length_name_the_row(env: FuzzEnv) -> None:
    # These once reached the file system and came back as a generic "could not import".
    path = env.folder / "c.jsonl"
    new = {"external_id": "n1", "language": "en", "prompt": "p"}
    attempts = [
        (["ok.png", "x\x00.png"], r"line 1, field 'images': path 2 contains a NUL character"),
        (["a" * 2000 + ".png"], r"line 1, field 'images': path 1 is 2,004 characters long"),
        (
            ["b" * 300 + ".png"],
            "line 1, field 'images': image path 'b+... "
            r"\(304 characters\) cannot be opened \(File name too long\)",
        ),
    ]
    before = db_snapshot(env.db)
    for images, expected in attempts:
        write_jsonl(path, [dict(new, images=images)])
        with pytest.raises(MedevalError, match=expected) as info:
            env.importer("cases")(path)
        assert "\n" not in str(info.value) and len(str(info.value)) < 200
        assert db_snapshot(env.db) == before
