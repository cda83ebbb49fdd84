"""The study dashboard on both engines: its numbers checked against direct computations
(pandas, scikit-learn, krippendorff, statsmodels) on a study built through the real
import services, its filters, its edges, and the CLI that writes the same tables."""

from __future__ import annotations

import json
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa

from medeval_ui.cli import main
from medeval_ui.config import Settings
from medeval_ui.services import users
from medeval_ui.services.dashboard import Dashboard, study_dashboard
from medeval_ui.services.dashboard_filters import Filters
from medeval_ui.services.import_outputs import import_scores
from medeval_ui.services.import_ratings import import_ratings
from medeval_ui.storage.engine import Database
from tests.helpers import write_jsonl
from tests.study_builder import MODELS, PW, make_rating_study

pytestmark = pytest.mark.usefixtures("cheap_hasher")  # accounts are set-up here (conftest)

LANGUAGES = ("en", "ar", "hi")
OPTIONS = ["contradictory", "neither", "similar_more", "similar_less"]
SCORE = {"contradictory": 0.0, "neither": 0.0, "similar_more": 1.0, "similar_less": 1.0}
RATERS = ("amy", "ben", "cal")
GROUPS = 12


def _ratings(rng: np.random.Generator) -> list[dict[str, object]]:
    """Three clinicians rate every output; Asclepius is right more often, Arabic is worse,
    and clinicians mostly agree (each follows a shared truth 80% of the time)."""
    rows = []
    for g in range(GROUPS):
        for lang in LANGUAGES:
            for m, model in enumerate(MODELS):
                for sample in range(2):
                    p = 0.8 - 0.3 * m - (0.2 if lang == "ar" else 0.0)
                    truth = rng.random() < p
                    for r, rater in enumerate(RATERS):
                        ok = truth if rng.random() < 0.8 else not truth
                        answer = OPTIONS[2 + rng.integers(2)] if ok else OPTIONS[rng.integers(2)]
                        day = 1 + (r * 10 + g) % 28
                        rows.append(
                            {
                                "case_id": f"q{g}-{lang}",
                                "model": model,
                                "sample": sample,
                                "annotator": rater,
                                "correctness": answer,
                                "time_spent_s": 20 + 10 * r,
                                "timestamp": f"2026-03-{day:02d}T10:00:00Z",
                            }
                        )
    return rows


@pytest.fixture
def rated(db: Database, settings: Settings, tmp_path: Path) -> pd.DataFrame:
    make_rating_study(
        db,
        settings,
        tmp_path / "dash",
        slug="dash",
        languages=LANGUAGES,
        groups=GROUPS,
        samples=2,
        k=3,
        description="Cross-lingual <script>alert(1)</script> study",
    )
    for name in RATERS:
        users.add_user(db, name, "clinician", password=PW, languages=list(LANGUAGES))
    rows = _ratings(np.random.default_rng(5))
    import_ratings(db, "dash", write_jsonl(tmp_path / "ratings.jsonl", rows))
    judge = [
        {
            "case_id": f"q{g}-{lang}",
            "model": model,
            "sample": s,
            "scorer": "llm-judge",
            "metric": "correct",
            "value": int((g + s + i) % 3 != 0),
            "label": "ABCD"[(g + i) % 4 if lang == "en" else (g + i + (g % 2)) % 4],
        }
        for g in range(GROUPS)
        for lang in LANGUAGES
        for i, model in enumerate(MODELS)
        for s in range(2)
    ]
    import_scores(db, "dash", write_jsonl(tmp_path / "scores.jsonl", judge))
    frame = pd.DataFrame(rows)
    frame["score"] = frame["correctness"].map(SCORE)
    frame["language"] = frame["case_id"].str.split("-").str[1]
    frame["group"] = frame["case_id"].str.split("-").str[0]
    judge_frame = pd.DataFrame(judge)
    judge_frame["language"] = judge_frame["case_id"].str.split("-").str[1]
    frame.attrs["judge"] = judge_frame
    return frame


def _one(table: pd.DataFrame, **where: object) -> pd.Series:
    mask = np.ones(len(table), dtype=bool)
    for column, value in where.items():
        mask &= (table[column] == value).to_numpy()
    found = table[mask]
    assert len(found) == 1, (where, found)
    return found.iloc[0]


def _no_silent_gaps(d: Dashboard) -> None:
    """Every row shows a value or says why not; no NaN reaches a table."""
    for table in (d.measures(), d.agreement):
        missing = table[table["value"].isna()]
        assert (missing["note"].str.len() > 0).all(), missing
        assert not np.isinf(table["value"].dropna().astype(float)).any()


def test_correctness_matches_a_direct_computation(db: Database, rated: pd.DataFrame) -> None:
    d = study_dashboard(db, "dash", rounds=300)
    direct = rated.groupby(["model", "language"])["score"].agg(["mean", "size"])
    for (model, language), expected in direct.iterrows():
        got = _one(d.correctness, source="clinicians", model=model, language=language)
        assert got["value"] == pytest.approx(expected["mean"], abs=1e-12)
        assert got["n_obs"] == expected["size"] and got["n"] == GROUPS
        assert got["lower"] <= got["value"] <= got["upper"]
        assert got["small"] and got["note"] == "small sample"  # 12 cases < 30
    overall = _one(d.correctness, source="clinicians", model=MODELS[0], language="all")
    assert overall["value"] == pytest.approx(rated[rated.model == MODELS[0]]["score"].mean())
    _no_silent_gaps(d)


def test_language_gap_and_crosslingual_consistency(db: Database, rated: pd.DataFrame) -> None:
    d = study_dashboard(db, "dash", rounds=300)
    for model in MODELS:
        mine = rated[rated.model == model]
        rate = mine.groupby("language")["score"].mean()
        gap = _one(
            d.language_gap, source="clinicians", model=model, language="ar", measure="difference"
        )
        assert gap["value"] == pytest.approx(rate["ar"] - rate["en"], abs=1e-12)
        assert gap["n"] == GROUPS
        per = mine.groupby(["group", "language"])["score"].mean().unstack()
        label = np.where(per > 0.5, 1.0, np.where(per < 0.5, 0.0, np.nan))
        judged = pd.DataFrame(label, index=per.index, columns=per.columns)
        both = judged[["en", "hi"]].dropna()
        same = _one(
            d.crosslingual, source="clinicians", model=model, language="hi", measure="same judgment"
        )
        assert same["value"] == pytest.approx((both["en"] == both["hi"]).mean())
        assert same["n"] == len(both)
        kappa = _one(
            d.crosslingual,
            source="clinicians",
            model=model,
            language="hi",
            measure="judgment kappa",
        )
        if kappa["value"] is not None and not pd.isna(kappa["value"]):
            expected = cohen_kappa_score(both["en"], both["hi"])
            assert kappa["value"] == pytest.approx(expected, abs=1e-9)
    # the judge gives answer letters: "same answer" compares them across languages
    judge = rated.attrs["judge"]
    first = judge[(judge["sample"] == 0) & (judge["model"] == MODELS[0])]
    letters = first.assign(group=first.case_id.str.split("-").str[0]).pivot(
        index="group", columns="language", values="label"
    )
    same = _one(
        d.crosslingual,
        source="llm-judge · correct",
        model=MODELS[0],
        language="ar",
        measure="same answer",
    )
    assert same["value"] == pytest.approx((letters["en"] == letters["ar"]).mean())
    kappa = _one(
        d.crosslingual,
        source="llm-judge · correct",
        model=MODELS[0],
        language="ar",
        measure="answer kappa",
    )
    assert kappa["value"] == pytest.approx(cohen_kappa_score(letters["en"], letters["ar"]))


def test_agreement_matches_the_reference_packages(db: Database, rated: pd.DataFrame) -> None:
    d = study_dashboard(db, "dash", rounds=300)
    codes = rated.assign(code=rated["correctness"].map(OPTIONS.index))
    matrix = codes.pivot_table(
        index=["case_id", "model", "sample"], columns="annotator", values="code"
    ).to_numpy()
    alpha = krippendorff.alpha(matrix.T, level_of_measurement="nominal", value_domain=[0, 1, 2, 3])
    got = _one(d.agreement, question="correctness", language="all", statistic="krippendorff_alpha")
    assert got["value"] == pytest.approx(alpha, abs=1e-9)
    assert got["n_items"] == len(matrix) and got["n_ratings"] == matrix.size
    assert got["lower"] <= got["value"] <= got["upper"] and got["label"]
    counts = np.stack([(matrix == k).sum(axis=1) for k in range(4)], axis=1)
    fleiss = _one(d.agreement, question="correctness", language="all", statistic="fleiss_kappa")
    assert fleiss["value"] == pytest.approx(fleiss_kappa(counts), abs=1e-9)
    cohen = _one(d.agreement, question="correctness", language="all", statistic="cohen_kappa")
    assert cohen["value"] is None or pd.isna(cohen["value"])
    assert "exactly two raters; 3 clinicians" in cohen["note"]
    arabic = d.agreement[(d.agreement.language == "ar") & (d.agreement.question == "correctness")]
    assert set(arabic["n_items"]) == {GROUPS * 2 * 2}
    _no_silent_gaps(d)


def test_judges_and_clinicians(db: Database, rated: pd.DataFrame) -> None:
    d = study_dashboard(db, "dash", rounds=200)
    judge = rated.attrs["judge"].set_index(["case_id", "model", "sample"])["value"]
    human = rated.groupby(["case_id", "model", "sample"])["score"].mean()
    consensus = (human > 0.5).astype(float)  # three raters: never a tie
    paired = pd.concat([judge.rename("judge"), consensus.rename("human")], axis=1).dropna()
    kappa = _one(d.judges, source="llm-judge · correct", language="all", measure="kappa")
    assert kappa["value"] == pytest.approx(cohen_kappa_score(paired.judge, paired.human))
    assert kappa["n"] == len(paired)
    people = d.clinicians.set_index("clinician")
    assert list(people.index) == list(RATERS)
    assert (people["ratings"] == GROUPS * 3 * 2 * 2).all()
    assert people.loc["ben", "median_seconds"] == pytest.approx(30.0)
    codes = rated.assign(code=rated["correctness"])
    table = codes.pivot_table(
        index=["case_id", "model", "sample"], columns="annotator", values="code", aggfunc="first"
    )
    amy_same = sum((table["amy"] == table[o]).sum() for o in ("ben", "cal"))
    assert people.loc["amy", "agreement_with_others"] == pytest.approx(amy_same / (2 * len(table)))


def test_samples_are_compared(db: Database, rated: pd.DataFrame) -> None:
    d = study_dashboard(db, "dash", rounds=200)
    s = d.sample_consistency
    same = _one(s, source="clinicians", model=MODELS[0], measure="same judgment")
    per = rated[rated.model == MODELS[0]].groupby(["case_id", "sample"])["score"].mean()
    labels = (per > 0.5).astype(float).unstack()
    assert same["value"] == pytest.approx((labels[0] == labels[1]).mean())
    jaccard = _one(s, source="texts", model=MODELS[0], measure="unigram_jaccard")
    assert 0 < jaccard["value"] < 1 and jaccard["n"] == GROUPS * len(LANGUAGES)


def test_filters(db: Database, rated: pd.DataFrame) -> None:
    arabic = study_dashboard(db, "dash", Filters(languages=("ar",)), rounds=100)
    assert set(arabic.correctness["language"]) == {"ar", "all"}
    assert arabic.n_ratings == (rated.language == "ar").sum()
    assert arabic.language_gap["note"].str.contains("pivot language").all()
    one = study_dashboard(db, "dash", Filters(models=(MODELS[1],), clinicians=("amy",)))
    assert set(one.correctness["model"]) == {MODELS[1]}
    assert one.n_ratings == ((rated.model == MODELS[1]) & (rated.annotator == "amy")).sum()
    assert list(one.clinicians["clinician"]) == ["amy"]
    early = study_dashboard(db, "dash", Filters(until=pd.Timestamp("2026-03-05").date()))
    assert early.n_ratings == (pd.to_datetime(rated.timestamp).dt.day <= 5).sum()
    none = study_dashboard(db, "dash", Filters(since=pd.Timestamp("2027-01-01").date()))
    assert none.n_ratings == 0 and none.agreement.empty and none.clinicians.empty
    _no_silent_gaps(none)


def test_a_study_without_ratings_or_scores(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    make_rating_study(db, settings, tmp_path / "empty", slug="empty")
    d = study_dashboard(db, "empty")
    assert d.n_ratings == 0 and d.measures().empty and d.agreement.empty
    with pytest.raises(Exception, match="no study"):
        study_dashboard(db, "nope")
    with pytest.raises(Exception, match="rounds"):
        study_dashboard(db, "empty", rounds=0)


def test_new_ratings_and_revisions_reach_a_cached_dashboard(
    db: Database, rated: pd.DataFrame, tmp_path: Path
) -> None:
    before = study_dashboard(db, "dash", rounds=50)
    flip = [
        {
            "case_id": "q0-en",
            "model": MODELS[0],
            "sample": 0,
            "annotator": "dee",
            "correctness": "contradictory",
        }
    ]
    users.add_user(db, "dee", "clinician", password=PW, languages=["en"])
    import_ratings(db, "dash", write_jsonl(tmp_path / "more.jsonl", flip))
    after = study_dashboard(db, "dash", rounds=50)
    assert after.n_ratings == before.n_ratings + 1
    assert "dee" in set(after.clinicians["clinician"])


def test_the_cli_writes_the_tables(
    db_url: str,
    db: Database,
    rated: pd.DataFrame,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("MEDEVAL_DATABASE_URL", db_url)
    monkeypatch.setenv("MEDEVAL_MEDIA_DIR", str(tmp_path / "media"))
    monkeypatch.setenv("MEDEVAL_SECRET_KEY_FILE", str(tmp_path / "key"))
    agreement = tmp_path / "agreement.csv"
    assert main(["agreement", "--study", "dash", "-o", str(agreement), "--rounds", "100"]) == 0
    table = pd.read_csv(agreement)
    assert list(table.columns[:8]) == [
        "question",
        "language",
        "statistic",
        "value",
        "lower",
        "upper",
        "n_items",
        "n_ratings",
    ]
    assert {"all", "en", "ar", "hi"} == set(table["language"])
    scores = tmp_path / "scores.json"
    assert main(["scores", "--study", "dash", "-o", str(scores), "--language", "en,ar"]) == 0
    rows = json.loads(scores.read_text(encoding="utf-8"))
    assert {r["table"] for r in rows} >= {"correctness", "language_gap", "crosslingual"}
    assert {r["language"] for r in rows} <= {"en", "ar", "all"}
    report = tmp_path / "report.html"
    tables = tmp_path / "tables"
    assert (
        main(
            [
                "report",
                "--study",
                "dash",
                "-o",
                str(report),
                "--tables-dir",
                str(tables),
                "--tables-format",
                "parquet",
                "--rounds",
                "100",
            ]
        )
        == 0
    )
    text = report.read_text(encoding="utf-8")
    assert "<script src" not in text and "<link" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>alert(1)" not in text
    assert "xlingeval_correctness" in text and "Inter-rater agreement" in text
    assert sorted(p.name for p in tables.iterdir()) == [
        "agreement.parquet",
        "clinicians.parquet",
        "measures.parquet",
    ]
    capsys.readouterr()
    assert main(["scores", "--study", "dash", "-o", str(tmp_path / "x.txt")]) == 1
    assert "write .csv, .json or .parquet" in capsys.readouterr().err
    assert main(["report", "--study", "dash", "-o", str(tmp_path / "r.pdf")]) == 1
    assert main(["agreement", "--study", "nope", "-o", str(agreement)]) == 1
    assert "nope" in capsys.readouterr().err


RUBRIC = """
id: mixed
version: "1.0"
title: Mixed question types
questions:
  - id: findings
    type: multiple_choice
    text: Which findings does the answer get right?
    options:
      - {id: diagnosis, label: Diagnosis, score: 1}
      - {id: dose, label: Dose, score: 1}
      - {id: invented, label: An invented finding, score: 0}
  - id: minutes
    type: number
    min: 0
    max: 60
    text: How many minutes would acting on it take?
  - id: notes
    type: free_text
    required: false
    text: Notes
"""


def test_multiple_choice_and_number_questions(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    rubric = tmp_path / "mixed.yaml"
    rubric.write_text(RUBRIC, encoding="utf-8")
    from medeval_ui.services import studies

    studies.create_study(db, "mixed", "Mixed", str(rubric), ratings_per_output=3)
    cases = [
        {"external_id": f"c{i}", "group_id": f"g{i}", "language": "en", "prompt": f"Q{i}"}
        for i in range(8)
    ]
    from medeval_ui.services.import_cases import import_cases
    from medeval_ui.services.import_outputs import import_outputs

    import_cases(db, settings, "mixed", write_jsonl(tmp_path / "c.jsonl", cases))
    outputs = [{"case_id": c["external_id"], "model": "m", "text": "answer"} for c in cases]
    import_outputs(db, "mixed", write_jsonl(tmp_path / "o.jsonl", outputs))
    for name in RATERS:
        users.add_user(db, name, "clinician", password=PW, languages=["en"])
    rng = np.random.default_rng(2)
    options = ["diagnosis", "dose", "invented"]
    rows = [
        {
            "case_id": c["external_id"],
            "model": "m",
            "annotator": rater,
            "findings": ";".join(o for o in options if rng.random() < 0.6) or "dose",
            "minutes": float(rng.integers(0, 60)),
        }
        for c in cases
        for rater in RATERS
    ]
    import_ratings(db, "mixed", write_jsonl(tmp_path / "r.jsonl", rows))
    d = study_dashboard(db, "mixed", rounds=100)
    assert d.question is not None and d.question.id == "findings"
    chosen = [r["findings"].split(";") for r in rows]
    expected = np.mean([np.mean([o != "invented" for o in c]) for c in chosen])
    got = _one(d.correctness, source="clinicians", model="m", language="en")
    assert got["value"] == pytest.approx(expected)
    minutes = pd.DataFrame(rows).pivot(index="case_id", columns="annotator", values="minutes")
    alpha = krippendorff.alpha(minutes.to_numpy().T, level_of_measurement="interval")
    row = _one(d.agreement, question="minutes", language="all", statistic="krippendorff_alpha")
    assert row["value"] == pytest.approx(alpha, abs=1e-9)
    # A multiple-choice question: one yes/no agreement per option, against statsmodels
    # and krippendorff on the same picks.
    for option in options:
        picked = pd.DataFrame(rows).assign(yes=[option in c for c in chosen])
        table = picked.pivot(index="case_id", columns="annotator", values="yes").astype(int)
        counts = np.column_stack([(table == 0).sum(axis=1), (table == 1).sum(axis=1)])
        label = f"findings: {option}"
        fleiss = _one(d.agreement, question=label, language="all", statistic="fleiss_kappa")
        assert fleiss["value"] == pytest.approx(fleiss_kappa(counts), abs=1e-9)
        assert fleiss["n_items"] == len(cases) and fleiss["n_ratings"] == len(rows)
        alpha = krippendorff.alpha(table.to_numpy().T, level_of_measurement="nominal")
        row = _one(d.agreement, question=label, language="en", statistic="krippendorff_alpha")
        assert row["value"] == pytest.approx(alpha, abs=1e-9)
    _no_silent_gaps(d)
