"""The study dashboard: correctness, language gap, cross-lingual and sample consistency,
judges against clinicians, inter-rater agreement and clinician statistics (DESIGN.md §4).

``study_dashboard`` loads a study's judgments (services/judgments.py, cached and topped up)
and ``compute_dashboard`` turns them into small tables; the statistics themselves live in
``medeval_ui.stats``. Every number row carries its n, its interval and, where it cannot be
computed, a note saying why. Five of the tables share one long shape (``MEASURE_COLUMNS``),
the one ``medeval scores`` writes; agreement and clinicians have their own.

Sources: "clinicians" are the rubric answers (the question's option scores give
correctness); every imported automatic score (scorer · metric, values 0..1) is a source of
its own, so an LLM judge or a letter match can be read beside the clinicians.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta

import numpy as np
import pandas as pd

from medeval_ui.domain.rubric import Question
from medeval_ui.errors import MedevalError
from medeval_ui.services.dashboard_agreement import agreement_rows, clinician_rows
from medeval_ui.services.dashboard_filters import Filters, filter_frame
from medeval_ui.services.dashboard_measures import (
    MEASURE_COLUMNS,
    Judged,
    correctness_rows,
    crosslingual_rows,
    gap_rows,
    judge_rows,
    sample_rows,
)
from medeval_ui.services.judgment_codes import Rows, Vocabulary, encode
from medeval_ui.services.judgments import Judgments, load_judgments
from medeval_ui.services.studies import StudyInfo
from medeval_ui.stats.resample import DEFAULT_ROUNDS, DEFAULT_SEED
from medeval_ui.storage.engine import Database

CLINICIANS = "clinicians"


@dataclass
class Dashboard:
    study: StudyInfo
    filters: Filters
    question: Question | None
    correctness: pd.DataFrame
    language_gap: pd.DataFrame
    crosslingual: pd.DataFrame
    sample_consistency: pd.DataFrame
    judges: pd.DataFrame
    agreement: pd.DataFrame
    clinicians: pd.DataFrame
    n_ratings: int
    n_scores: int
    notes: list[str] = field(default_factory=list)

    def measures(self) -> pd.DataFrame:
        """Correctness, gap, consistency and judge tables in one long table."""
        parts = [self.correctness, self.language_gap, self.crosslingual]
        parts += [self.sample_consistency, self.judges]
        parts = [p for p in parts if not p.empty]
        if not parts:
            return pd.DataFrame(columns=MEASURE_COLUMNS)
        return pd.concat(parts, ignore_index=True)[MEASURE_COLUMNS]


def study_dashboard(
    db: Database,
    slug: str,
    filters: Filters | None = None,
    *,
    rounds: int = DEFAULT_ROUNDS,
    seed: int = DEFAULT_SEED,
    embeddings: bool = False,
) -> Dashboard:
    """The dashboard of a study as of now (NotFoundError for an unknown slug).

    ``embeddings`` adds the sentence-embedding cosine of repeated samples, when the
    optional embedding model is installed (loading it takes seconds, so it is asked for)."""
    if not 1 <= rounds <= 100_000:
        raise MedevalError("bootstrap rounds must be between 1 and 100000")
    return compute_dashboard(
        load_judgments(db, slug), filters or Filters(), rounds, seed, embeddings=embeddings
    )


def filter_choices(judgments: Judgments) -> dict[str, list[str]]:
    """The values each filter offers (languages, models, specialties, questions, clinicians)."""
    cases = judgments.cases
    used = set(judgments.ratings["model_id"]) | set(judgments.scores["model_id"])
    return {
        "languages": sorted(set(cases["language"].astype(str))),
        "models": sorted({judgments.models[int(m)] for m in used if int(m) in judgments.models}),
        "specialties": sorted(set(cases["specialty"].dropna().astype(str)) - {""}),
        "questions": [q.id for q in judgments.questions()],
        "clinicians": sorted(name for name, _ in judgments.raters.values()),
    }


def _correctness_question(j: Judgments, f: Filters, notes: list[str]) -> Question | None:
    scored = j.scored_questions()
    if f.question:
        question = j.rubric.question(f.question)
        if question not in scored:
            notes.append(
                f"question '{question.id}' has no scored options: correctness is read from "
                + (f"'{scored[0].id}'" if scored else "no question")
            )
            return scored[0] if scored else None
        return question
    if not scored:
        notes.append(
            f"rubric '{j.rubric.id}' gives no option a score: clinicians' correctness "
            "cannot be computed (automatic scores still are)"
        )
    return scored[0] if scored else None


def _rows_filter(
    rows: Rows, vocab: Vocabulary, f: Filters, raters: dict[int, tuple[str, str]]
) -> np.ndarray:
    """The boolean mask of the rows the filters keep (dates and clinicians: ratings only)."""
    keep = np.ones(len(rows), dtype=bool)
    if f.languages:
        wanted = [c for tag in f.languages for c in vocab.language_codes(tag)]
        keep &= np.isin(rows.language, wanted)
    if f.models:
        keep &= np.isin(rows.model, vocab.codes("models", f.models))
    if f.specialties:
        keep &= np.isin(rows.specialty, vocab.codes("specialties", f.specialties))
    if f.clinicians:
        ids = [uid for uid, names in raters.items() if set(f.clinicians) & set(names)]
        keep &= np.isin(rows.user, ids)
    if f.since:
        keep &= rows.created >= np.datetime64(f.since, "ns")
    if f.until:
        keep &= rows.created < np.datetime64(f.until + timedelta(days=1), "ns")
    return keep


def _judged_sources(
    j: Judgments,
    ratings: _Kept,
    scores: _Kept,
    question: Question | None,
    notes: list[str],
) -> list[Judged]:
    sources = []
    if question is not None:
        per_rating = j.ratings[f"s:{question.id}"].to_numpy(dtype=np.float64)[ratings.index]
        sources.append(Judged.of(CLINICIANS, ratings.rows.with_score(per_rating)))
    names = j.scores["scorer"].astype(str) + " · " + j.scores["metric"].astype(str)
    source_codes, source_names = pd.factorize(names.to_numpy(dtype=object)[scores.index])
    for code, name in sorted(enumerate(source_names), key=lambda x: x[1]):
        part = scores.rows.take(source_codes == code)
        finite = part.score[np.isfinite(part.score)]
        if finite.size and (finite.min() < 0 or finite.max() > 1):
            notes.append(f"{name}: values outside 0..1 are not read as correctness")
            continue
        sources.append(Judged.of(str(name), part))
    return sources


def _named(j: Judgments, frame: pd.DataFrame) -> pd.DataFrame:
    """A small frame with case ids and model ids, given the names the filters match."""
    named = frame.merge(j.cases, on="case_id", how="left")
    return named.assign(model=named["model_id"].map(j.models))


@dataclass(frozen=True)
class _Kept:
    """Filtered rows and their positions in the unfiltered frame."""

    rows: Rows
    index: np.ndarray


def _keep(rows: Rows, mask: np.ndarray) -> _Kept:
    return _Kept(rows.take(mask), np.flatnonzero(mask))


def compute_dashboard(
    j: Judgments,
    f: Filters,
    rounds: int = DEFAULT_ROUNDS,
    seed: int = DEFAULT_SEED,
    *,
    embeddings: bool = False,
) -> Dashboard:
    """Every table of the dashboard from judgments already in memory."""
    notes: list[str] = []
    vocab, rating_rows, score_rows = encode(j)
    keep = _rows_filter(rating_rows, vocab, f, j.raters)
    ratings = _keep(rating_rows, keep)
    model_ratings = _keep(rating_rows, keep & ~rating_rows.gold)
    no_people = replace(f, clinicians=(), since=None, until=None)
    scores = _keep(score_rows, _rows_filter(score_rows, vocab, no_people, j.raters))
    question = _correctness_question(j, f, notes)
    sources = _judged_sources(j, model_ratings, scores, question, notes)
    pivot = j.study.pivot_language
    clinicians = next((s for s in sources if s.source == CLINICIANS), None)
    wanted_questions = [j.rubric.question(f.question)] if f.question else j.questions()
    texts = None if j.texts is None else filter_frame(_named(j, j.texts), f, by_time=False)
    return Dashboard(
        study=j.study,
        filters=f,
        question=question,
        correctness=correctness_rows(sources, vocab, rounds=rounds, seed=seed),
        language_gap=gap_rows(sources, vocab, pivot, rounds=rounds, seed=seed),
        crosslingual=crosslingual_rows(sources, vocab, pivot, rounds=rounds, seed=seed),
        sample_consistency=sample_rows(
            sources, vocab, texts, rounds=rounds, seed=seed, embeddings=embeddings
        ),
        judges=judge_rows(sources, clinicians, vocab, rounds=rounds, seed=seed),
        agreement=agreement_rows(
            model_ratings.rows, vocab, wanted_questions, rounds=rounds, seed=seed
        ),
        clinicians=clinician_rows(
            ratings.rows, j.ratings["rating_id"].to_numpy()[ratings.index], j, question
        ),
        n_ratings=len(ratings.rows),
        n_scores=len(scores.rows),
        notes=notes,
    )
