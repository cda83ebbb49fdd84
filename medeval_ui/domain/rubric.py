"""Rubrics: the questions a clinician answers about an output; presets are YAML in annotations/."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from numbers import Integral, Real
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from medeval_ui.errors import MedevalError

PRESETS_DIR = Path(__file__).resolve().parents[2] / "annotations"
QuestionType = Literal[
    "single_choice", "multiple_choice", "likert", "number", "free_text", "pairwise"
]
Scale = Literal["nominal", "ordinal", "interval"]
Answer = str | float | list[str] | None
CHOICE_TYPES = ("single_choice", "multiple_choice", "likert", "pairwise")
_DEFAULT_SCALE = {"likert": "ordinal", "number": "interval"}
_PAIRWISE_IDS = ("a", "b", "tie", "both_bad")
_ID_RULE = "use lower-case letters, digits and underscores, starting with a letter"
_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
Text = Annotated[str, Field(min_length=1)]


class RubricError(MedevalError):
    """A rubric file or snapshot is invalid, or names a question it does not have."""


class AnswerError(RubricError):
    """An answer does not fit its question; the message says what was expected."""

    def __init__(self, question_id: str, message: str) -> None:
        self.question_id, self.detail = question_id, message
        super().__init__(f"question '{question_id}': {message}")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Option(_Model):
    id: Annotated[str, Field(pattern=r"^([a-z][a-z0-9_]*|-?[0-9]+)$", coerce_numbers_to_str=True)]
    label: Text
    score: float | None = Field(default=None, ge=0, le=1)  # 1 = correct, 0 = incorrect


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _is_missing(value: object) -> bool:
    blank = value is None or (isinstance(value, str) and not value.strip())
    nan = isinstance(value, Real) and not isinstance(value, Integral) and math.isnan(float(value))
    return blank or nan or type(value).__name__ in ("NAType", "NaTType")  # pandas' markers


def _as_key(value: object) -> str | None:
    """An option id candidate from a scalar: 3, 3.0 and " 3 " all give "3"."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool) or not isinstance(value, Real):
        return None
    number = float(value)
    return str(int(number)) if number.is_integer() else str(number)


class Question(_Model):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    text: Text
    help: str | None = None
    type: QuestionType
    options: list[Option] = Field(default_factory=list, validate_default=True)
    scale: Scale = "nominal"
    required: bool = True
    min: float | None = None
    max: float | None = None

    @model_validator(mode="before")
    @classmethod
    def _default_scale(cls, data: Any) -> Any:
        if isinstance(data, dict) and "scale" not in data:
            return {**data, "scale": _DEFAULT_SCALE.get(str(data.get("type")), "nominal")}
        return data

    @field_validator("options")
    @classmethod
    def _check_options(cls, options: list[Option], info: Any) -> list[Option]:
        kind = info.data.get("type")  # None when the type itself is wrong (reported instead)
        if kind not in CHOICE_TYPES:
            if options and kind:
                raise ValueError(f"a {kind} question takes no options; remove them")
            return options
        if kind == "pairwise" and not options:
            options = [Option(id=i, label=i.title()) for i in _PAIRWISE_IDS[:3]]
        if not options:
            raise ValueError(f"a {kind} question needs at least one option")
        for attr in ("id", "label"):
            keys = [_fold(getattr(o, attr)) for o in options]
            if dup := next((k for k in keys if keys.count(k) > 1), None):
                raise ValueError(f"two options have the same {attr} '{dup}'")
        if kind == "pairwise" and not {"a", "b"} <= {o.id for o in options} <= set(_PAIRWISE_IDS):
            raise ValueError("pairwise options are 'a' and 'b', and optionally 'tie', 'both_bad'")
        return options

    @model_validator(mode="after")
    def _check_bounds(self) -> Question:
        if self.type != "number" and (self.min is not None or self.max is not None):
            raise ValueError("'min' and 'max' apply only to number questions")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"'min' ({self.min:g}) is greater than 'max' ({self.max:g})")
        return self

    @property
    def option_ids(self) -> list[str]:
        return [o.id for o in self.options]

    def _match(self, value: object) -> str:
        if (key := _as_key(value)) is not None:
            if re.fullmatch(r"-?[0-9]+\.0*", key):  # "3.0" typed in a cell for option "3"
                key = key.split(".")[0]
            for option in self.options:
                if key == option.id or _fold(key) in (option.id.casefold(), _fold(option.label)):
                    return option.id
        expected = ", ".join(self.option_ids)
        raise AnswerError(self.id, f"{value!r} is not an option; expected one of: {expected}")

    def normalize_answer(self, value: object) -> Answer:
        """What a form, sheet or JSON gives -> the stored answer: an option id (from an id or
        label, any case), ids in rubric order for multiple choice (list or "a;b"), a float
        within min/max, trimmed text; None for None, blank or NaN."""
        if self.type == "multiple_choice":
            items = value.split(";") if isinstance(value, str) else value
            if not isinstance(items, list | tuple | set | frozenset):
                items = [items]
            chosen = {self._match(item) for item in items if not _is_missing(item)}
            return [i for i in self.option_ids if i in chosen] or None
        if _is_missing(value):
            return None
        if self.type in CHOICE_TYPES:
            return self._match(value)
        if self.type == "free_text":
            if (text := _as_key(value)) is None:
                raise AnswerError(self.id, f"expected text, got {value!r}")
            return text
        low = -math.inf if self.min is None else self.min
        high = math.inf if self.max is None else self.max
        bounds = f" from {low:g} to {high:g}" if math.isfinite(low) or math.isfinite(high) else ""
        key = _as_key(value) or ""
        number = float(key) if _NUMBER.fullmatch(key) else math.nan
        if not (math.isfinite(number) and low <= number <= high):
            raise AnswerError(self.id, f"expected a number{bounds}, got {value!r}")
        return number

    def score(self, answer: object) -> float | None:
        """How correct an answer is (0..1): its option's score (mean for multiple choice)."""
        if self.type not in CHOICE_TYPES:
            return None
        normalized = self.normalize_answer(answer)
        chosen = normalized if isinstance(normalized, list) else [normalized]
        scores = [o.score for o in self.options if o.id in chosen and o.score is not None]
        return sum(scores) / len(scores) if scores else None


class Rubric(_Model):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$")]
    version: Text  # e.g. "1.0"
    title: Text
    description: str | None = None
    questions: list[Question] = Field(min_length=1)

    @field_validator("questions")
    @classmethod
    def _unique_ids(cls, questions: list[Question]) -> list[Question]:
        ids = [q.id for q in questions]
        if dup := next((i for i in ids if ids.count(i) > 1), None):
            raise ValueError(f"the question id '{dup}' is used more than once")
        return questions

    def question(self, question_id: str) -> Question:
        if found := next((q for q in self.questions if q.id == question_id), None):
            return found
        known = ", ".join(q.id for q in self.questions)
        raise RubricError(f"rubric '{self.id}' has no question '{question_id}' (it has: {known})")

    def validate_answers(self, answers: Mapping[str, object]) -> dict[str, Answer]:
        """Normalize one rating's answers; every question id appears in the result."""
        known = [q.id for q in self.questions]
        if unknown := [str(key) for key in answers if key not in known]:
            raise AnswerError(unknown[0], f"not in rubric '{self.id}' ({', '.join(known)})")
        result: dict[str, Answer] = {}
        for question in self.questions:
            result[question.id] = question.normalize_answer(answers.get(question.id))
            if result[question.id] is None and question.required:
                raise AnswerError(question.id, "an answer is required")
        return result

    def snapshot(self) -> dict[str, Any]:
        """Everything a study stores to keep this exact rubric (JSON-serializable)."""
        return self.model_dump(mode="json")

    @classmethod
    def from_snapshot(cls, data: Mapping[str, Any]) -> Rubric:
        return _validate(dict(data), "rubric snapshot")


def _describe(err: Mapping[str, Any]) -> str:
    """One pydantic error in plain words, prefixed with where it is (questions[2].options)."""
    loc, kind, value = tuple(err["loc"]), err["type"], err.get("input")
    if kind in ("missing", "extra_forbidden"):
        loc, key = loc[:-1], loc[-1]
    message = str(err["msg"]).removeprefix("Value error, ")
    if kind == "missing":
        message = f"the key '{key}' is missing"
    elif kind == "extra_forbidden":
        model = Option if "options" in loc else Question if "questions" in loc else Rubric
        message = f"unknown key '{key}' (allowed keys: {', '.join(model.model_fields)})"
    elif isinstance(value, bool) and kind == "string_type":
        message = "YAML reads yes/no/true/false as booleans: put the value in quotes"
    elif loc == ("version",) and kind == "string_type":
        message = f'write the version in quotes, e.g. "{value}"'
    elif loc and loc[-1] == "score":
        message = f"a score must be a number from 0 to 1, got {value!r}"
    elif loc == ("questions",) and kind == "too_short":
        message = "a rubric needs at least one question"
    elif kind == "string_pattern_mismatch":
        message = f"{value!r} is not a valid id ({_ID_RULE})"
    elif kind == "literal_error":
        message = f"{value!r} is not allowed; expected {err['ctx']['expected']}"
    elif message.startswith("Input should be"):
        message = f"expected{message.removeprefix('Input should be')}, got {value!r}"
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    return f"{where}: {message}" if where else message


def _validate(data: object, name: str) -> Rubric:
    if not isinstance(data, dict):
        raise RubricError(f"{name}: expected a mapping with keys id, version, title, questions")
    try:
        return Rubric.model_validate(data)
    except ValidationError as exc:
        problems = [_describe(e) for e in exc.errors()]
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise RubricError(f"{name}: " + "; ".join(problems[:3]) + more) from None


class _UniqueKeyLoader(yaml.SafeLoader):  # plain YAML silently keeps the last of two keys
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [getattr(k, "value", None) for k, _ in node.value]
        for i, (k, _) in enumerate(node.value):
            if isinstance(k, yaml.ScalarNode) and k.value in keys[:i] and k.value != "<<":
                raise yaml.YAMLError(f"line {k.start_mark.line + 1}: key '{k.value}' given twice")
        return super().construct_mapping(node, deep=deep)


def list_presets() -> list[str]:
    return sorted(p.stem for p in PRESETS_DIR.glob("*.yaml"))


def load_rubric(source: str | Path) -> Rubric:
    """Load a preset by name (see ``list_presets()``) or a rubric YAML file by path."""
    text = str(source)
    if isinstance(source, Path) or "/" in text or "\\" in text or text.endswith((".yaml", ".yml")):
        path, name = Path(source), text
    else:
        path, name = PRESETS_DIR / f"{text}.yaml", f"annotations/{text}.yaml"
        if not path.is_file():
            available = ", ".join(list_presets())
            raise RubricError(f"unknown rubric preset '{text}'; available presets: {available}")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise RubricError(f"{name}: cannot be read ({reason})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise RubricError(f"{name}: {where}invalid YAML ({problem})") from None
    if data is None:
        raise RubricError(f"{name}: the file is empty")
    return _validate(data, name)


CONFIDENCE_RUBRIC = load_rubric("annotator_confidence")
_CONF = CONFIDENCE_RUBRIC.question("confidence")
CONFIDENCE_SCALE: Mapping[int, str] = MappingProxyType({int(o.id): o.label for o in _CONF.options})


def validate_confidence(value: object) -> int | None:
    """Annotator confidence 1..5 from 4, 4.0, "4" or a level's label; blank gives None."""
    answer = _CONF.normalize_answer(value)
    return None if answer is None else int(str(answer))
