"""The dashboard's rater tables: inter-rater agreement per question x language, and per
clinician statistics (count, time per item, gold accuracy, agreement with the others).

Agreement is computed over outputs (items) that two or more clinicians rated; gold
outputs are left out, since every clinician rates them by design. The statistics come
from ``medeval_ui.stats.agreement``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from medeval_ui.domain.assignment import gold_agreement
from medeval_ui.domain.rubric import Question
from medeval_ui.services.dashboard_measures import ALL, SMALL
from medeval_ui.services.judgment_codes import (
    CATEGORICAL,
    MAX_MULTIPLE_OPTIONS,
    Rows,
    Vocabulary,
    chosen,
)
from medeval_ui.services.judgments import Judgments
from medeval_ui.stats.agreement import AgreementRow, agreement_table
from medeval_ui.stats.codes import distinct, unique_inverse

AGREEMENT_COLUMNS = ["question", "language", "statistic", "value", "lower", "upper"]
AGREEMENT_COLUMNS += ["n_items", "n_ratings", "label", "small", "note"]
CLINICIAN_COLUMNS = ["clinician", "pseudonym", "ratings", "median_seconds"]
CLINICIAN_COLUMNS += ["gold_rated", "gold_accuracy", "agreement_with_others", "n_compared"]
MULTIPLE = f"multiple choice with over {MAX_MULTIPLE_OPTIONS} options: agreement is not computed"


def _slots(items: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(item code, position of each rating among its item's ratings)."""
    _, item = unique_inverse(items)
    order = np.argsort(item, kind="stable")
    sizes = np.bincount(item)
    starts = np.cumsum(sizes) - sizes  # where each item's run begins in ``order``
    slot = np.empty_like(item)
    slot[order] = np.arange(len(item)) - starts[item[order]]
    return item, slot


def _matrix(item: np.ndarray, column: np.ndarray, values: np.ndarray) -> np.ndarray:
    matrix = np.full((int(item.max()) + 1, int(column.max()) + 1), np.nan)
    matrix[item, column] = values
    return matrix


def _rater_matrix(items: np.ndarray, raters: np.ndarray, values: np.ndarray) -> np.ndarray:
    """items x raters, for exactly two clinicians (Cohen's kappa needs who is who)."""
    _, item = unique_inverse(items)
    _, column = unique_inverse(raters)
    return _matrix(item, column, values)


def agreement_rows(
    ratings: Rows, vocab: Vocabulary, questions: list[Question], *, rounds: int, seed: int
) -> pd.DataFrame:
    """One row per question x language (and all languages) x statistic. A multiple-choice
    question gives one set per option ("findings: dose"), each as a yes/no question: did
    the clinicians agree that the answer has this finding."""
    rows: list[dict[str, Any]] = []
    for question in questions:
        if question.type != "multiple_choice":
            n_categories = len(question.options) if question.type in CATEGORICAL else None
            answers = ratings.answers[question.id]
            rows += _question_rows(
                ratings,
                answers,
                vocab,
                question.id,
                question.scale,
                n_categories,
                rounds=rounds,
                seed=seed,
            )
            continue
        if len(question.options) > MAX_MULTIPLE_OPTIONS:
            rows.append(_note_row(question.id, ALL, MULTIPLE))
            continue
        for i, option in enumerate(question.option_ids):
            picked = chosen(ratings.answers[question.id], i)
            rows += _question_rows(
                ratings,
                picked,
                vocab,
                f"{question.id}: {option}",
                "nominal",
                2,
                rounds=rounds,
                seed=seed,
            )
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def _question_rows(
    ratings: Rows,
    all_answers: np.ndarray,
    vocab: Vocabulary,
    label: str,
    scale: str,
    n_categories: int | None,
    *,
    rounds: int,
    seed: int,
) -> list[dict[str, Any]]:
    """One question's rows. The statistics other than Cohen's need only the counts per
    item, so ratings fill items x rating slots once, and each language keeps its items'
    rows (an output has one language)."""
    answered = np.isfinite(all_answers)
    rated = ratings.take(answered)
    if not len(rated):
        return []
    answers = all_answers[answered]
    item, slot = _slots(rated.output)
    full = _matrix(item, slot, answers)
    item_language = np.zeros(full.shape[0], dtype=np.int64)
    item_language[item] = rated.language
    rows = []
    for language in [None, *distinct(rated.language)]:
        mine = slice(None) if language is None else rated.language == language
        raters = distinct(rated.user[mine])
        if len(raters) == 2:
            codes = _rater_matrix(rated.output[mine], rated.user[mine], answers[mine])
        else:
            codes = full if language is None else full[item_language == language]
        table = agreement_table(
            codes, level=scale, n_categories=n_categories, rounds=rounds, seed=seed
        )
        name = ALL if language is None else vocab.languages[language]
        rows.extend(_agreement_row(label, name, r, len(raters)) for r in table)
    return rows


def _agreement_row(
    question: str, language: str, result: AgreementRow, n_raters: int
) -> dict[str, Any]:
    e = result.estimate
    note = e.undefined or (SMALL if e.small else "")
    if note.startswith("Cohen's kappa needs exactly two raters"):  # slots are not raters
        note = (
            f"Cohen's kappa needs exactly two raters; {n_raters} clinicians rated "
            "these items (read Fleiss' kappa or Krippendorff's alpha)"
        )
    values = (question, language, result.statistic, e.value, e.lower, e.upper)
    values += (e.n, e.n_obs, e.label, e.small, note)
    return dict(zip(AGREEMENT_COLUMNS, values, strict=True))


def _note_row(question: str, language: str, note: str) -> dict[str, Any]:
    values = (question, language, "", None, None, None, 0, 0, "", False, note)
    return dict(zip(AGREEMENT_COLUMNS, values, strict=True))


def _sizes(keys: np.ndarray) -> np.ndarray:
    """For each key, how many times it occurs (dense counting when the keys are small)."""
    if not len(keys):
        return np.zeros(0)
    if keys.max() < 50_000_000:
        return np.bincount(keys)[keys].astype(np.float64)
    _, at, n = np.unique(keys, return_inverse=True, return_counts=True)
    return n[at].astype(np.float64)


def clinician_rows(
    ratings: Rows, rating_ids: np.ndarray, j: Judgments, question: Question | None
) -> pd.DataFrame:
    """Per clinician: ratings, median seconds per item, gold accuracy (share of
    expected answers matched, on their latest rating of each gold output), and agreement
    with the others on the correctness question: of every other clinician's rating of the
    same output, the share giving the same answer. ``rating_ids`` are the ratings' ids
    (the filters' choice of which gold ratings count)."""
    if not len(ratings):
        return pd.DataFrame(columns=CLINICIAN_COLUMNS)
    users, user = unique_inverse(ratings.user)
    agree = np.zeros(len(users))
    compared = np.zeros(len(users))
    if question is not None and question.type in CATEGORICAL:
        codes = ratings.answers[question.id]
        keep = np.isfinite(codes) & ~ratings.gold
        output, code, who = ratings.output[keep], codes[keep].astype(np.int64), user[keep]
        same = _sizes(output * len(question.options) + code) - 1.0
        agree = np.bincount(who, weights=same, minlength=len(users))
        compared = np.bincount(who, weights=_sizes(output) - 1.0, minlength=len(users))
    n_ratings = np.bincount(user, minlength=len(users))
    seconds = pd.Series(ratings.time_ms / 1000).groupby(user).median()
    kept = set(rating_ids[ratings.gold].tolist())
    latest: dict[tuple[int, int], dict[str, Any]] = {}
    for user, rating, output, answers in j.gold_ratings:  # in id order: later revisions win
        if rating in kept:
            latest[user, output] = answers
    gold: dict[int, list[int]] = {}
    for (user, output), answers in latest.items():
        m, n = gold_agreement(j.gold_answers.get(output, {}), answers)
        counts = gold.setdefault(user, [0, 0, 0])
        counts[0], counts[1], counts[2] = counts[0] + m, counts[1] + n, counts[2] + 1
    rows = []
    for i, uid in enumerate(users.tolist()):
        username, pseudonym = j.raters.get(uid, (str(uid), ""))
        matched, total, rated = gold.get(uid, [0, 0, 0])
        median = seconds.get(i)
        rows.append(
            {
                "clinician": username,
                "pseudonym": pseudonym,
                "ratings": int(n_ratings[i]),
                "median_seconds": None if median is None or pd.isna(median) else float(median),
                "gold_rated": rated,
                "gold_accuracy": matched / total if total else None,
                "agreement_with_others": agree[i] / compared[i] if compared[i] else None,
                "n_compared": int(compared[i]),
            }
        )
    return pd.DataFrame(rows, columns=CLINICIAN_COLUMNS).sort_values("clinician")
