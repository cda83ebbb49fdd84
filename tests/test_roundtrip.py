"""Property: what medeval exports, medeval imports back unchanged, in every format.

Cases and outputs with arbitrary Unicode (right-to-left, CJK, emoji, combining marks),
newlines, quotes, separators, and text that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from medeval_ui.config import Settings
from medeval_ui.services.exports import export_cases, export_outputs
from medeval_ui.services.import_cases import import_cases
from medeval_ui.services.import_outputs import import_outputs
from medeval_ui.services.studies import create_study
from medeval_ui.storage.engine import Database
from medeval_ui.storage.migrate import upgrade
from medeval_ui.storage.tables import Case, Model, Output, Study
from tests.helpers import write_jsonl

SPECIAL = [
    "مرحبا بالعالم",
    "שלום",
    "你好，世界",
    "नमस्ते",
    "🩺💊",
    'say "no"',
    "a,b;c\td",
    "line1\nline2",
    "\r\nwindows",
    '=HYPERLINK("x")',
    "+1",
    "-2",
    "@SUM(A1)",
    "'quoted",
    "e\u0301",
    "\u2028sep",
    "  padded  ",
]
free_text = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40),
)
content = free_text.filter(lambda t: t.strip() != "")
ident = st.text(
    st.characters(whitelist_categories=("L", "N"), whitelist_characters="-_.:"),
    min_size=1,
    max_size=12,
)
word = st.one_of(
    st.just(""), st.text(st.characters(whitelist_categories=("L", "N")), min_size=1, max_size=10)
)
meta = st.dictionaries(
    st.sampled_from(["site", "source", "year", "nota_bene"]),
    st.one_of(content, st.integers(-5, 2030)),
    max_size=3,
)
case_st = st.fixed_dictionaries(
    {
        "external_id": ident,
        "group_id": ident,
        "prompt": content,
        "language": st.sampled_from(["en", "ar", "he", "zh-Hans", "hi", "pt-BR"]),
        "reference_answer": st.one_of(st.just(""), content),
        "specialty": word,
        "modality": word,
        "metadata": meta,
    }
)
output_st = st.fixed_dictionaries(
    {
        "model": ident,
        "model_version": st.one_of(st.just(""), ident),
        "sample": st.integers(0, 3),
        "text": content,
        "params": st.dictionaries(
            st.sampled_from(["temperature", "top_p", "note"]),
            st.one_of(st.floats(0, 2, allow_nan=False), content),
            max_size=2,
        ),
    }
)
study_data = st.lists(
    st.tuples(case_st, st.lists(output_st, max_size=2)),
    min_size=1,
    max_size=4,
    unique_by=lambda co: co[0]["external_id"],
)

_slugs = itertools.count()


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, Settings, Path]:
    tmp = tmp_path_factory.mktemp("roundtrip")
    url = f"sqlite:///{tmp / 'rt.sqlite3'}"
    db = Database(url)
    upgrade(db)
    return (
        db,
        Settings(database_url=url, media_dir=str(tmp / "media"), secret_key_file=str(tmp / "key")),
        tmp,
    )


def snapshot(db: Database, slug: str) -> dict[str, Any]:
    with db.read() as s:
        study_id = s.scalar(select(Study.id).where(Study.slug == slug))
        cases = s.execute(
            select(
                Case.external_id,
                Case.group_id,
                Case.language,
                Case.prompt,
                Case.reference_answer,
                Case.specialty,
                Case.modality,
                Case.meta,
            ).where(Case.study_id == study_id)
        ).all()
        outputs = s.execute(
            select(
                Case.external_id,
                Model.name,
                Model.version,
                Output.sample_index,
                Output.text,
                Output.params,
            )
            .join(Case, Case.id == Output.case_id)
            .join(Model, Model.id == Output.model_id)
            .where(Case.study_id == study_id)
        ).all()
    return {
        "cases": sorted(map(tuple, cases), key=repr),
        "outputs": sorted(map(tuple, outputs), key=repr),
    }


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=study_data)
def test_export_then_import_round_trips_every_field(
    env: tuple[Database, Settings, Path],
    fmt: str,
    data: list[tuple[dict[str, Any], list[dict[str, Any]]]],
) -> None:
    db, settings_, tmp = env
    n = next(_slugs)
    source, target = f"src-{n}", f"dst-{n}"
    for slug in (source, target):
        create_study(db, slug, slug, "xlingeval_correctness")
    cases = [{**{k: v for k, v in c.items() if k != "metadata"}, **c["metadata"]} for c, _ in data]
    outputs = {
        (c["external_id"], o["model"], o["model_version"], o["sample"]): o
        for c, outs in data
        for o in outs
    }
    import_cases(db, settings_, source, write_jsonl(tmp / f"c{n}.jsonl", cases))
    if outputs:
        rows = [dict(o, case_id=key[0]) for key, o in outputs.items()]
        import_outputs(db, source, write_jsonl(tmp / f"o{n}.jsonl", rows))

    export_cases(db, source, fmt, tmp / f"cases{n}.{fmt}")
    import_cases(db, settings_, target, tmp / f"cases{n}.{fmt}")
    if outputs:
        export_outputs(db, source, fmt, tmp / f"outputs{n}.{fmt}")
        import_outputs(db, target, tmp / f"outputs{n}.{fmt}")
    assert snapshot(db, target) == snapshot(db, source)
    expected = {(c["external_id"], c["prompt"], c["language"]) for c, _ in data}
    assert {(c[0], c[3], c[2]) for c in snapshot(db, target)["cases"]} == {
        (e, p, lang if lang != "pt-BR" else "pt-BR") for e, p, lang in expected
    }
