"""Rules for handing out rating work: languages, order of responses, gold items, leases.

Pure functions; the services apply them inside one transaction each.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from medeval_ui.domain.rubric import AnswerError, Rubric, validate_confidence

# How long an item stays reserved for the clinician it was handed to. Long enough for a
# hard case with images; short enough that an abandoned tab frees its place the same day.
LEASE = timedelta(minutes=60)


def base_language(tag: str) -> str:
    """The primary language subtag, which is what a clinician's languages are matched on:
    a clinician who reads ``pt`` gets ``pt-BR`` cases, one who reads ``zh`` gets ``zh-Hans``."""
    return tag.split("-")[0].lower()


def clinician_languages(declared: Iterable[str]) -> list[str]:
    """The base languages a clinician may be given, from the tags they declared."""
    return sorted({base_language(t) for t in declared if t})


def shuffled_order(output_ids: Sequence[int], rng: random.Random | None = None) -> list[int]:
    """The order "Response 1..N" shows outputs in: random per assignment, then kept."""
    order = list(output_ids)
    (rng or random.SystemRandom()).shuffle(order)
    return order


def gold_due(done: int, gold_seen: int, gold_items: int, all_items: int) -> bool:
    """Whether the next item should be a gold item.

    Gold items are spread evenly through a clinician's work, in the proportion the study has
    them, so they cannot be told apart by position (first items, every tenth ...): the next
    item is gold while the clinician has seen fewer than their share so far.
    """
    if gold_items == 0 or all_items == 0 or gold_seen >= gold_items:
        return False
    share = gold_items / all_items
    return gold_seen < (done + 1) * share


def check_answers(
    rubric: Rubric,
    answers: Mapping[int, Mapping[str, Any]],
    confidence: Mapping[int, Any],
    positions: Sequence[int],
) -> tuple[dict[int, dict[str, Any]], dict[int, int | None], dict[tuple[int, str], str]]:
    """Normalize one submission for every response position.

    Returns (answers per position, confidence per position, problems). ``problems`` maps
    (position, question id) -> a message to show next to that question; it collects every
    problem at once, so a clinician fixes them in one pass instead of one per submit.
    """
    clean: dict[int, dict[str, Any]] = {}
    conf: dict[int, int | None] = {}
    problems: dict[tuple[int, str], str] = {}
    known = {q.id for q in rubric.questions}
    for pos in positions:
        given = answers.get(pos, {})
        for key in given:
            if key not in known:
                problems[(pos, str(key))] = f"'{key}' is not a question of this rubric"
        clean[pos] = {}
        for question in rubric.questions:
            try:
                value = question.normalize_answer(given.get(question.id))
            except AnswerError as err:
                problems[(pos, question.id)] = err.detail
                continue
            if value is None and question.required:
                problems[(pos, question.id)] = "Please answer this question."
            clean[pos][question.id] = value
        try:
            conf[pos] = validate_confidence(confidence.get(pos))
        except AnswerError as err:
            problems[(pos, "confidence")] = err.detail
    return clean, conf, problems


def gold_agreement(expected: Mapping[str, Any], given: Mapping[str, Any]) -> tuple[int, int]:
    """(matching answers, answers compared) between a gold output's expected answers and a
    clinician's; only questions the gold item states an answer for are compared."""
    compared = [q for q, v in expected.items() if v not in (None, "", [])]
    matched = sum(1 for q in compared if _same(expected[q], given.get(q)))
    return matched, len(compared)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) or isinstance(b, list):
        return sorted(a or []) == sorted(b or [])
    if isinstance(a, str) and isinstance(b, str):
        return a.strip().casefold() == b.strip().casefold()
    return bool(a == b)
