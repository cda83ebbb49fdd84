"""Judgments as integer-coded numpy arrays, the form the dashboard groups on.

Grouping a million ratings by model and language through pandas string columns costs
seconds (profiled: most of the time went to Arrow string conversions); the same grouping on
small integer codes with ``np.bincount`` costs milliseconds. ``encode`` turns a study's
ratings and scores into ``Rows`` once per recompute, with one vocabulary of model, language
and specialty names shared by both, so the two kinds of source line up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from medeval_ui.domain.languages import within
from medeval_ui.domain.rubric import Question

if TYPE_CHECKING:
    from medeval_ui.services.judgments import Judgments

CATEGORICAL = ("single_choice", "likert", "pairwise")
Array = np.ndarray


@dataclass(frozen=True)
class Vocabulary:
    models: list[str]
    languages: list[str]
    specialties: list[str]

    def language_codes(self, tag: str) -> list[int]:
        """Codes of the languages equal to ``tag`` or inside it ("pt" gives pt and pt-BR)."""
        return [i for i, name in enumerate(self.languages) if within(name, tag)]

    def codes(self, attribute: str, names: tuple[str, ...]) -> list[int]:
        values: list[str] = getattr(self, attribute)
        return [i for i, name in enumerate(values) if name in names]


@dataclass(frozen=True)
class Rows:
    """One judgment per position: a rating, or one automatic score.

    ``case``, ``output``, ``user`` are database ids (user -1 for scores); ``group`` a code
    of the case group; ``created`` datetime64 (NaT for scores); ``answers`` per question:
    option codes in rubric order (or the number), NaN when unanswered; ``score`` the
    correctness 0..1 of the source being read (NaN when none); ``label`` an answer-label
    code, -1 when none.
    """

    model: Array
    language: Array
    specialty: Array
    group: Array
    case: Array
    output: Array
    user: Array
    sample: Array
    created: Array
    time_ms: Array
    gold: Array
    score: Array
    label: Array
    answers: dict[str, Array]

    def __len__(self) -> int:
        return len(self.model)

    def take(self, keep: Array) -> Rows:
        """The rows where the boolean mask ``keep`` is true (itself when it keeps all)."""
        if keep.all():
            return self
        values: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            values[f.name] = (
                {k: v[keep] for k, v in value.items()} if f.name == "answers" else value[keep]
            )
        return Rows(**values)

    def with_score(self, score: Array) -> Rows:
        return replace(self, score=score)


def _lookup(ids: Array, keys: Array, values: Array, missing: int = -1) -> Array:
    """values[i] for each id where keys[i] == id (keys sorted); ``missing`` elsewhere."""
    if not len(keys):
        return np.full(len(ids), missing, dtype=np.int64)
    at = np.clip(np.searchsorted(keys, ids), 0, len(keys) - 1)
    return np.where(keys[at] == ids, values[at], missing).astype(np.int64)


MAX_MULTIPLE_OPTIONS = 52  # a float64 holds this many bits exactly


def answer_values(column: pd.Series, question: Question) -> Array:
    """Option codes in rubric order (choice questions), values (numbers), or for multiple
    choice the chosen options as bits (option i adds 2**i; ``chosen`` reads them back);
    NaN if none."""
    if question.type == "multiple_choice" and len(question.options) <= MAX_MULTIPLE_OPTIONS:
        bit = {o: float(2**i) for i, o in enumerate(question.option_ids)}
        out = np.full(len(column), np.nan)
        for i, raw in enumerate(column.to_numpy(dtype=object)):
            if isinstance(raw, str) and raw:
                picked = question.normalize_answer(json.loads(raw)) or []  # validated
                out[i] = sum(bit[o] for o in set(picked) if o in bit)
        return out
    if question.type in CATEGORICAL:
        codes = pd.Categorical(column.astype(object), categories=question.option_ids).codes
        return np.where(codes < 0, np.nan, codes.astype(np.float64))
    if question.type == "number":
        return pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64)
    return np.full(len(column), np.nan)


def chosen(masks: Array, option: int) -> Array:
    """1.0 where the multiple-choice answer includes option ``option``, 0.0 where it does
    not, NaN where there is no answer (``masks`` as ``answer_values`` codes them)."""
    picked = np.floor(masks / 2.0**option) % 2
    return np.where(np.isfinite(masks), picked, np.nan)


def question_scores(column: pd.Series, question: Question) -> Array:
    """Each answer's correctness on a scored question: its option's score (mean of the
    chosen options' for multiple choice); NaN when unanswered or unscored."""
    if question.type == "multiple_choice":
        out = np.full(len(column), np.nan)
        for i, raw in enumerate(column.to_numpy(dtype=object)):
            if isinstance(raw, str) and raw:
                score = question.score(json.loads(raw))
                out[i] = np.nan if score is None else score
        return out
    table = np.array([np.nan if o.score is None else o.score for o in question.options] + [np.nan])
    codes = pd.Categorical(column.astype(object), categories=question.option_ids).codes
    return table[np.where(codes < 0, len(question.options), codes)]


def encode(j: Judgments) -> tuple[Vocabulary, Rows, Rows]:
    """(vocabulary, rating rows, score rows) of a study's judgments. Rating rows carry
    every summarized question's answers; score rows their value as ``score`` and their
    label as ``label``. Names are coded on the small case and model tables and looked up
    by id, so no per-rating string is touched."""
    cases = j.cases
    case_ids = cases["case_id"].to_numpy(dtype=np.int64)
    languages, language_names = pd.factorize(cases["language"].astype(str), sort=True)
    specialties, specialty_names = pd.factorize(
        cases["specialty"].fillna("").astype(str), sort=True
    )
    groups, _ = pd.factorize(cases["group_id"].astype(str))
    model_ids = np.array(sorted(j.models), dtype=np.int64)
    model_names = [j.models[int(m)] for m in model_ids]
    order = np.argsort(model_names, kind="stable")
    model_code = np.empty(len(model_ids), dtype=np.int64)
    model_code[order] = np.arange(len(model_ids))
    vocab = Vocabulary(
        models=[model_names[i] for i in order],
        languages=[str(x) for x in language_names],
        specialties=[str(x) for x in specialty_names],
    )

    def base(frame: pd.DataFrame) -> dict[str, Any]:
        case = frame["case_id"].to_numpy(dtype=np.int64)
        # one search for every rating's case, then its fields by position
        at = np.clip(np.searchsorted(case_ids, case), 0, max(len(case_ids) - 1, 0))
        found = case_ids[at] == case if len(case_ids) else np.zeros(len(case), dtype=bool)

        def field(values: Array) -> Array:
            if not len(values):
                return np.full(len(case), -1, dtype=np.int64)
            return np.where(found, values[at], -1).astype(np.int64)

        return {
            "model": _lookup(frame["model_id"].to_numpy(dtype=np.int64), model_ids, model_code),
            "language": field(languages),
            "specialty": field(specialties),
            "group": field(groups),
            "case": case,
            "output": frame["output_id"].to_numpy(dtype=np.int64),
            "sample": frame["sample_index"].fillna(0).to_numpy(dtype=np.int64),
        }

    r = j.ratings
    n = len(r)
    rating_rows = Rows(
        **base(r),
        user=r["user_id"].to_numpy(dtype=np.int64),
        created=r["created_at"].to_numpy(dtype="datetime64[ns]"),
        time_ms=r["time_spent_ms"].to_numpy(dtype=np.float64),
        gold=np.isin(r["output_id"].to_numpy(dtype=np.int64), list(j.gold_answers)),
        score=np.full(n, np.nan),
        label=np.full(n, -1, dtype=np.int64),
        answers={q.id: r[f"a:{q.id}"].to_numpy(dtype=np.float64) for q in j.questions()},
    )
    sc = j.scores
    m = len(sc)
    labels, _ = pd.factorize(sc["label"].astype(object).fillna("").replace("", None))
    score_rows = Rows(
        **base(sc),
        user=np.full(m, -1, dtype=np.int64),
        created=np.full(m, np.datetime64("NaT"), dtype="datetime64[ns]"),
        time_ms=np.full(m, np.nan),
        gold=np.zeros(m, dtype=bool),
        score=pd.to_numeric(sc["value"]).to_numpy(dtype=np.float64),
        label=labels.astype(np.int64),
        answers={},
    )
    return vocab, rating_rows, score_rows
