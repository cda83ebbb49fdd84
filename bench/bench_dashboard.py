"""Full dashboard recompute on a study of 1M ratings: 10 models, 6 languages, 3 ratings per
output (333,334 outputs on 5,556 parallel case groups, 50 clinicians).

Prints medeval's timing (``services.dashboard.compute_dashboard`` on judgments already in
memory: correctness with bootstrap intervals clustered by case, language gap, cross-lingual
consistency, judges against clinicians, agreement per question x language with bootstrap
intervals, clinician statistics) beside a baseline measured in the same run on the same
frame: a plain pandas groupby mean by model x language (point estimates only, no
intervals, no agreement). Then the cost of getting the judgments into memory from a SQLite
file: the first load, and a top-up after 1,000 new ratings (what every later recompute
pays, services/judgments.py). Budget (issue: dashboards): recompute under 1 s.

    python bench/bench_dashboard.py [--ratings 1000000] [--rounds 1000] [--repeat 3] [--no-db]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from medeval_ui.domain.rubric import load_rubric  # noqa: E402
from medeval_ui.services.dashboard import Filters, compute_dashboard  # noqa: E402
from medeval_ui.services.judgments import Judgments, _as_numbers  # noqa: E402
from medeval_ui.services.studies import StudyInfo  # noqa: E402

BUDGET_S = 1.0
LANGUAGES = ("en", "es", "ar", "hi", "sw", "ja")
OPTIONS = ("contradictory", "neither", "similar_more", "similar_less")


def make_frame(n_ratings: int, n_models: int = 10, seed: int = 0) -> pd.DataFrame:
    """Ratings of outputs of parallel case groups; models and languages differ in quality,
    three clinicians per output who agree 80% of the time."""
    rng = np.random.default_rng(seed)
    outputs = n_ratings // 3
    per_cell = outputs // (n_models * len(LANGUAGES))
    model = np.repeat(np.arange(n_models), len(LANGUAGES) * per_cell)
    language = np.tile(np.repeat(np.arange(len(LANGUAGES)), per_cell), n_models)
    group = np.tile(np.arange(per_cell), n_models * len(LANGUAGES))
    case = language * per_cell + group
    p = 0.85 - 0.04 * model - 0.05 * language
    truth = rng.random(model.size) < p
    r = 3
    agree = rng.random((model.size, r)) < 0.8
    ok = np.where(agree, truth[:, None], ~truth[:, None]).ravel()
    answer = np.where(ok, 2 + rng.integers(0, 2, ok.size), rng.integers(0, 2, ok.size))
    users = (np.arange(model.size)[:, None] * 7 + np.arange(r)[None, :]).ravel() % 50
    output = np.repeat(np.arange(model.size), r)
    n = output.size
    return pd.DataFrame(
        {
            "rating_id": np.arange(1, n + 1),
            "supersedes_id": pd.array([pd.NA] * n, dtype="Int64"),
            "output_id": output,
            "user_id": users + 1,
            "created_at": pd.Timestamp("2026-03-01") + pd.to_timedelta(output % 600, unit="h"),
            "time_spent_ms": 20_000 + (output % 40) * 1000,
            "confidence": 4,
            "case_id": np.repeat(case, r),
            "sample_index": 0,
            "group_id": np.repeat(group, r).astype(str),
            "language": np.array(LANGUAGES)[np.repeat(language, r)],
            "specialty": "",
            "model": np.array([f"model-{i}" for i in range(n_models)])[np.repeat(model, r)],
            "q:correctness": np.array(OPTIONS, dtype=object)[answer],
            "gold": False,
        }
    )


def judgments(frame: pd.DataFrame) -> Judgments:
    """The in-memory judgments the dashboard reads, as services/judgments.py builds them."""
    rubric = load_rubric("xlingeval_correctness")
    study = StudyInfo(
        1,
        "bench",
        "Bench",
        "",
        rubric.id,
        rubric.version,
        ["rating"],
        3,
        3,
        "en",
        True,
        False,
        "never",
    )
    names = sorted(frame["model"].unique())
    model_id = {name: i + 1 for i, name in enumerate(names)}
    raw = frame.assign(model_id=frame["model"].map(model_id).astype(np.int64))
    ratings = _as_numbers(raw, rubric).assign(gold=False)
    cases = frame.drop_duplicates("case_id")[["case_id", "group_id", "language", "specialty"]]
    raters = {int(u): (f"clinician-{u}", f"p{u}") for u in frame["user_id"].unique()}
    scores = pd.DataFrame(
        {
            c: pd.Series(dtype=object)
            for c in [
                "output_id",
                "scorer",
                "metric",
                "value",
                "label",
                "case_id",
                "sample_index",
                "model_id",
            ]
        }
    )
    models = {i: name for name, i in model_id.items()}
    return Judgments(
        study, rubric, ratings, cases.sort_values("case_id"), models, scores, {}, [], raters, None
    )


def median_time(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratings", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-db", action="store_true", help="skip the SQLite load figures")
    args = parser.parse_args()

    frame = make_frame(args.ratings)
    j = judgments(frame)
    score = frame["q:correctness"].map({"similar_more": 1.0, "similar_less": 1.0}).fillna(0.0)
    baseline = lambda: score.groupby([frame["model"], frame["language"]], observed=True).mean()  # noqa: E731
    ours = lambda: compute_dashboard(j, Filters(), args.rounds)  # noqa: E731
    d = ours()
    base = baseline()
    got = d.correctness[(d.correctness.source == "clinicians") & (d.correctness.language != "all")]
    got = got.set_index(["model", "language"])["value"]
    worst = max(abs(got[k] - v) for k, v in base.items())
    t_base = median_time(baseline, args.repeat)
    t_ours = median_time(ours, args.repeat)
    print(
        f"{len(frame):,} ratings, {frame.output_id.nunique():,} outputs, "
        f"{args.rounds} bootstrap rounds, median of {args.repeat}"
    )
    print(f"  pandas groupby mean (baseline, point estimates only): {t_base * 1000:8.1f} ms")
    print(
        f"  medeval full dashboard recompute:                     {t_ours * 1000:8.1f} ms"
        f"   ({t_ours / t_base:.1f}x the baseline)"
    )
    print(f"  largest difference in correctness point estimates: {worst:.2e}")
    print(
        f"  tables: {len(d.measures())} model rows, {len(d.agreement)} agreement rows, "
        f"{len(d.clinicians)} clinicians"
    )
    verdict = "PASS" if t_ours < BUDGET_S else "FAIL"
    print(f"{verdict}: recompute {t_ours:.3f} s (budget < {BUDGET_S:.1f} s)")
    if not args.no_db:
        load_figures(frame)


def load_figures(frame: pd.DataFrame) -> None:
    """First load and incremental top-up of the same ratings from a SQLite file."""
    from dashboard_db import fill_database

    from medeval_ui.services.judgments import forget_judgments, load_judgments

    with tempfile.TemporaryDirectory() as tmp:
        db, add_more = fill_database(Path(tmp) / "bench.db", frame)
        forget_judgments()
        start = time.perf_counter()
        load_judgments(db, "bench", with_texts=False)
        first = time.perf_counter() - start
        add_more(1000)
        start = time.perf_counter()
        loaded = load_judgments(db, "bench", with_texts=False)
        top_up = time.perf_counter() - start
        print(
            f"  from SQLite: first load {first:.2f} s; top-up after 1,000 new ratings "
            f"{top_up * 1000:.0f} ms ({len(loaded.ratings):,} ratings in memory)"
        )
        db.dispose()


if __name__ == "__main__":
    main()
