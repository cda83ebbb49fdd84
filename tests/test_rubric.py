"""Rubric schema, presets and answer normalization (medeval_ui.domain.rubric)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from medeval_ui.domain.rubric import (
    CONFIDENCE_SCALE,
    AnswerError,
    Question,
    Rubric,
    RubricError,
    list_presets,
    load_rubric,
    validate_confidence,
)
from medeval_ui.errors import MedevalError

PRESETS = [
    "annotator_confidence",
    "medpalm2_pairwise",
    "medpalm_physician",
    "xlingeval_correctness",
]

GOOD = """\
id: tiny
version: "1.0"
title: Tiny
questions:
  - id: verdict
    text: Is it right?
    type: single_choice
    options:
      - {id: right, label: Right, score: 1}
      - {id: wrong, label: Wrong, score: 0}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def q(**fields: object) -> Question:
    return Question.model_validate({"id": "q", "text": "Q?", **fields})


# --- presets ---------------------------------------------------------------------------


def test_list_presets_names_every_shipped_file() -> None:
    assert list_presets() == PRESETS


@pytest.mark.parametrize("name", PRESETS)
def test_preset_loads_and_round_trips_through_snapshot(name: str) -> None:
    rubric = load_rubric(name)
    assert rubric.id == name
    assert rubric.version == "1.0"
    assert rubric.description
    snapshot = json.loads(json.dumps(rubric.snapshot()))
    assert Rubric.from_snapshot(snapshot) == rubric
    for question in rubric.questions:
        assert question.help, f"{name}.{question.id} has no help text"


def test_preset_question_ids() -> None:
    assert [x.id for x in load_rubric("xlingeval_correctness").questions] == [
        "correctness",
        "rationale",
    ]
    physician = load_rubric("medpalm_physician")
    assert len(physician.questions) == 12
    assert physician.question("harm_extent").scale == "ordinal"
    assert physician.question("scientific_consensus").score("aligned") == 1.0
    assert physician.question("scientific_consensus").score("no_consensus") is None
    pairwise = load_rubric("medpalm2_pairwise")
    assert len(pairwise.questions) == 9
    assert all(x.type == "pairwise" and not x.required for x in pairwise.questions)
    assert all(x.option_ids == ["a", "b", "tie"] for x in pairwise.questions)


def test_xlingeval_scores_similar_answers_as_correct() -> None:
    question = load_rubric("xlingeval_correctness").question("correctness")
    assert question.type == "single_choice" and question.required
    scores = {o.id: o.score for o in question.options}
    assert scores == {"contradictory": 0, "neither": 0, "similar_more": 1, "similar_less": 1}


def test_load_by_path(tmp_path: Path) -> None:
    assert load_rubric(write(tmp_path, GOOD)).id == "tiny"
    assert load_rubric(str(tmp_path / "bad.yaml")).id == "tiny"


def test_unknown_preset_lists_available_ones() -> None:
    with pytest.raises(RubricError, match=r"unknown rubric preset 'nope'") as err:
        load_rubric("nope")
    assert all(name in str(err.value) for name in PRESETS)


def test_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(RubricError, match=r"cannot be read \(No such file"):
        load_rubric(tmp_path / "absent.yaml")


# --- bad rubric files ------------------------------------------------------------------


BAD = {
    "syntax": (GOOD.replace("title: Tiny", "title: [Tiny"), ["invalid YAML", "line"]),
    "duplicate_question": (
        GOOD + "  - {id: verdict, text: 'Again?', type: free_text}\n",
        ["questions: the question id 'verdict' is used more than once"],
    ),
    "no_options": (
        GOOD + "  - {id: other, text: 'Other?', type: single_choice}\n",
        ["questions[1].options", "a single_choice question needs at least one option"],
    ),
    "score_out_of_range": (
        GOOD.replace("score: 1}", "score: 2}"),
        ["questions[0].options[0].score", "a score must be a number from 0 to 1, got 2"],
    ),
    "unknown_key": (
        GOOD.replace("    text: Is it right?", "    text: Is it right?\n    colour: red"),
        ["questions[0]", "unknown key 'colour'", "allowed keys: id, text"],
    ),
    "unquoted_yes": (
        GOOD.replace("{id: right,", "{id: yes,"),
        ["questions[0].options[0].id", "quotes"],
    ),
    "unquoted_version": (GOOD.replace('"1.0"', "1.0"), ["version", 'quotes, e.g. "1.0"']),
    "bad_type": (GOOD.replace("single_choice", "dropdown"), ["questions[0].type", "'dropdown'"]),
    "bad_id": (GOOD.replace("id: verdict", "id: Verdict"), ["questions[0].id", "lower-case"]),
    "options_on_free_text": (
        GOOD.replace("single_choice", "free_text"),
        ["questions[0].options", "takes no options"],
    ),
    "missing_title": (GOOD.replace("title: Tiny\n", ""), ["the key 'title' is missing"]),
    "duplicate_yaml_key": (
        GOOD.replace("title: Tiny", "title: Tiny\ntitle: Again"),
        ["line 4: key 'title' given twice"],
    ),
    "no_questions": (
        GOOD.split("questions:")[0] + "questions: []\n",
        ["questions: a rubric needs at least one question"],
    ),
    "not_a_mapping": ("- just\n- a list\n", ["expected a mapping"]),
    "empty": ("", ["empty"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_rubric_file_names_file_and_problem(tmp_path: Path, case: str) -> None:
    text, fragments = BAD[case]
    path = write(tmp_path, text)
    with pytest.raises(RubricError) as err:
        load_rubric(path)
    message = str(err.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message
    assert isinstance(err.value, MedevalError)


def test_bad_snapshot_is_a_rubric_error() -> None:
    snapshot = load_rubric("xlingeval_correctness").snapshot()
    snapshot["questions"] = []
    with pytest.raises(RubricError, match=r"^rubric snapshot: questions"):
        Rubric.from_snapshot(snapshot)


def test_schema_defaults() -> None:
    assert q(type="likert", options=[{"id": 1, "label": "One"}]).scale == "ordinal"
    assert q(type="number").scale == "interval"
    assert q(type="free_text").scale == "nominal"
    assert q(type="pairwise").option_ids == ["a", "b", "tie"]
    with pytest.raises(ValueError, match=r"only to number"):
        q(type="free_text", min=1)
    with pytest.raises(ValueError, match=r"greater than 'max'"):
        q(type="number", min=5, max=1)


def test_question_lookup() -> None:
    rubric = load_rubric("xlingeval_correctness")
    assert rubric.question("correctness").id == "correctness"
    with pytest.raises(RubricError, match=r"no question 'nope'.*correctness, rationale"):
        rubric.question("nope")


# --- answers ---------------------------------------------------------------------------


def test_choice_accepts_id_or_label_any_case() -> None:
    question = load_rubric("medpalm_physician").question("harm_extent")
    assert question.normalize_answer("no_harm") == "no_harm"
    assert question.normalize_answer("  Mild or Moderate HARM ") == "mild_or_moderate"
    assert question.normalize_answer("NO_HARM") == "no_harm"
    pairwise = load_rubric("medpalm2_pairwise").question("reasoning")
    assert pairwise.normalize_answer("A") == "a"
    assert pairwise.normalize_answer("tie") == "tie"


@pytest.mark.parametrize("value", [3, 3.0, "3", " 3.0 ", "Fairly confident"])
def test_numeric_answers_match_numeric_option_ids(value: object) -> None:
    question = load_rubric("annotator_confidence").question("confidence")
    assert question.normalize_answer(value) == "3"


@pytest.mark.parametrize("value", [None, "", "   ", math.nan])
def test_blank_answers_are_none(value: object) -> None:
    for question in load_rubric("medpalm_physician").questions[:2]:
        assert question.normalize_answer(value) is None
    assert q(type="number").normalize_answer(value) is None


def test_unknown_option_lists_valid_ones() -> None:
    question = load_rubric("medpalm_physician").question("harm_likelihood")
    with pytest.raises(AnswerError) as err:
        question.normalize_answer("very high")
    assert err.value.question_id == "harm_likelihood"
    assert str(err.value) == (
        "question 'harm_likelihood': 'very high' is not an option; "
        "expected one of: low, medium, high"
    )
    with pytest.raises(AnswerError, match=r"expected one of"):
        question.normalize_answer(True)
    with pytest.raises(AnswerError, match=r"expected one of"):
        question.normalize_answer(["low"])


def test_multiple_choice() -> None:
    question = q(
        type="multiple_choice",
        options=[{"id": "fever", "label": "Fever"}, {"id": "cough", "label": "Cough"}],
    )
    assert question.normalize_answer("cough; Fever") == ["fever", "cough"]
    assert question.normalize_answer(["COUGH", "cough", ""]) == ["cough"]
    assert question.normalize_answer("fever;") == ["fever"]
    assert question.normalize_answer(" ; ") is None
    with pytest.raises(
        AnswerError, match=r"'rash' is not an option; expected one of: fever, cough"
    ):
        question.normalize_answer("fever;rash")


def test_multiple_choice_score_is_mean_of_scored_options() -> None:
    question = q(
        type="multiple_choice",
        options=[
            {"id": "a1", "label": "Good", "score": 1},
            {"id": "a2", "label": "Bad", "score": 0},
            {"id": "a3", "label": "Unscored"},
        ],
    )
    assert question.score(["a1", "a2", "a3"]) == 0.5
    assert question.score("a3") is None
    assert question.score(None) is None
    assert q(type="free_text").score("anything") is None


def test_number_and_free_text() -> None:
    number = q(type="number", min=0, max=10)
    assert number.normalize_answer("7.5") == 7.5
    assert number.normalize_answer(3) == 3.0
    for bad in ["eleven", 11, -1, math.inf, True]:
        with pytest.raises(AnswerError, match=r"expected a number from 0 to 10"):
            number.normalize_answer(bad)
    text = q(type="free_text")
    assert text.normalize_answer("  fine  ") == "fine"
    assert text.normalize_answer(42.0) == "42"
    with pytest.raises(AnswerError, match=r"expected text"):
        text.normalize_answer(["x"])


def test_validate_answers() -> None:
    rubric = load_rubric("xlingeval_correctness")
    answers = rubric.validate_answers({"correctness": "Contradictory"})
    assert answers == {"correctness": "contradictory", "rationale": None}
    assert rubric.question("correctness").score(answers["correctness"]) == 0.0
    with pytest.raises(AnswerError, match=r"^question 'correctness': an answer is required$"):
        rubric.validate_answers({"rationale": "unsure"})
    with pytest.raises(AnswerError, match=r"^question 'extra': not in rubric"):
        rubric.validate_answers({"correctness": "neither", "extra": 1})


def test_optional_pairwise_axes_may_be_blank() -> None:
    rubric = load_rubric("medpalm2_pairwise")
    answers = rubric.validate_answers({"reasoning": "B"})
    assert answers["reasoning"] == "b"
    assert answers["consensus"] is None


# --- confidence ------------------------------------------------------------------------


def test_confidence_scale() -> None:
    assert list(CONFIDENCE_SCALE) == [1, 2, 3, 4, 5]
    assert CONFIDENCE_SCALE[1] == "An educated guess"
    assert "every aspect" in CONFIDENCE_SCALE[5]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(4, 4), ("4", 4), (4.0, 4), (" 5 ", 5), ("an educated guess", 1), (None, None), ("", None)],
)
def test_validate_confidence_accepts(value: object, expected: int | None) -> None:
    assert validate_confidence(value) == expected


@pytest.mark.parametrize("value", [0, 6, 4.5, "high", True, "4.5"])
def test_validate_confidence_rejects(value: object) -> None:
    with pytest.raises(
        AnswerError, match=r"^question 'confidence': .*expected one of: 1, 2, 3, 4, 5"
    ):
        validate_confidence(value)
