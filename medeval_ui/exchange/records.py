"""The records an import file holds, and how a mapped row's values become one.

Parsing is strict and says what it expected; a FieldError carries the field so the import
service can name file, row and field. Nothing here touches the database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

import orjson

from medeval_ui.domain.languages import normalize_tag, tag_from_name_or_tag

MAX_ID = 200
MAX_TEXT = 200_000  # characters; a model answer or case text longer than this is a mistake
MAX_PATH = 1024  # an image path; longer than any real one, short enough to quote
MAX_INT = 2**31 - 1  # the largest INTEGER that PostgreSQL (and so medeval) stores


class FieldError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def text(
    values: dict[str, Any],
    name: str,
    *,
    required: bool = False,
    max_len: int = MAX_TEXT,
    default: str = "",
) -> str:
    raw = values.get(name)
    if (
        type(raw) is str
        and raw
        and len(raw) <= max_len
        and not raw[0].isspace()
        and "\x00" not in raw
    ):
        return raw  # the common case, checked cheaply (imports run this millions of times)
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        if required:
            raise FieldError(name, "is empty; a value is required")
        return default
    if isinstance(raw, bool | list | dict):
        raise FieldError(name, f"expected text, got {type(raw).__name__}")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # spreadsheets store ids like 17 as 17.0
    value = str(raw)
    if len(value) > max_len:
        raise FieldError(name, f"is {len(value)} characters long; the limit is {max_len}")
    if "\x00" in value:  # PostgreSQL cannot store it, and it is never meant
        raise FieldError(name, f"contains a NUL character (at position {value.index(chr(0))})")
    return value


def shown(raw: Any) -> str:
    """A value as an error message quotes it: on one line, and short."""
    quoted = repr(raw)
    if len(quoted) <= 60:
        return quoted
    size = f" ({len(raw):,} characters)" if isinstance(raw, str) else ""
    return f"{quoted[:50]}...{size}"


def identifier(values: dict[str, Any], name: str, *, required: bool = True) -> str:
    raw = values.get(name)
    if type(raw) is str and len(raw) <= MAX_ID and raw.isprintable() and raw == raw.strip():
        return raw  # the common case (isprintable is False for newlines and tabs)
    if raw is None and not required:
        return ""
    value = text(values, name, required=required, max_len=MAX_ID).strip()
    if any(c in value for c in "\n\r\t"):
        raise FieldError(name, "must be on one line")
    return value


def integer(
    values: dict[str, Any], name: str, *, default: int, minimum: int = 0, maximum: int = MAX_INT
) -> int:
    raw = values.get(name)
    if raw is None or raw == "":
        return default
    try:
        if isinstance(raw, bool):
            raise ValueError
        number = float(raw) if isinstance(raw, str) else raw
        if not float(number).is_integer():
            raise ValueError
        value = int(number)
    except (TypeError, ValueError, OverflowError):
        raise FieldError(name, f"expected a whole number, got {shown(raw)}") from None
    if value < minimum:
        raise FieldError(name, f"must be at least {minimum}, got {value}")
    if value > maximum:
        raise FieldError(name, f"must be at most {maximum:,}, got {shown(raw)}")
    return value


def number(values: dict[str, Any], name: str) -> float | None:
    raw = values.get(name)
    if raw is None or raw == "":
        return None
    try:
        if isinstance(raw, bool):
            raise ValueError
        value = float(raw)
    except (TypeError, ValueError, OverflowError):
        raise FieldError(name, f"expected a number, got {shown(raw)}") from None
    if math.isnan(value) or math.isinf(value):
        raise FieldError(name, f"expected a finite number, got {shown(raw)}")
    return value


def json_object(values: dict[str, Any], name: str) -> dict[str, Any]:
    raw = values.get(name)
    if raw is None or raw == "":
        return {}
    if isinstance(raw, str):
        try:
            raw = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise FieldError(name, 'expected a JSON object such as {"temperature": 0.7}') from None
    if not isinstance(raw, dict):
        raise FieldError(name, f"expected a JSON object, got {type(raw).__name__}")
    return raw


def string_list(values: dict[str, Any], name: str) -> tuple[str, ...]:
    """A list in JSON/Parquet, or text separated by ';' in CSV/XLSX cells."""
    raw = values.get(name)
    if raw is None or raw == "":
        return ()
    items = raw if isinstance(raw, list) else str(raw).split(";")
    if not all(isinstance(i, str) for i in items):
        raise FieldError(name, "expected a list of file paths")
    paths = tuple(i.strip() for i in items if i.strip())
    for i, path in enumerate(paths, 1):
        if "\x00" in path:  # the file system refuses it; say so before asking it
            raise FieldError(name, f"path {i} contains a NUL character")
        if len(path) > MAX_PATH:
            raise FieldError(name, f"path {i} is {len(path):,} characters long; at most {MAX_PATH}")
    return paths


def timestamp(values: dict[str, Any], name: str) -> datetime | None:
    raw = values.get(name)
    if raw is None or raw == "":
        return None
    try:
        parsed = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        raise FieldError(
            name,
            f"expected an ISO 8601 date and time such as 2026-03-01T14:05:00Z, got {shown(raw)}",
        ) from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def language(values: dict[str, Any], name: str, suffix: str | None) -> str:
    """The language from its column, or from the wide-file suffix (a tag or a name)."""
    if suffix is not None and values.get(name) in (None, ""):
        tag = tag_from_name_or_tag(suffix)
        if tag is None:
            raise FieldError(
                name,
                f"column suffix '{suffix}' is not a language name or "
                "BCP-47 tag; name it with --suffix-map SUFFIX=TAG",
            )
        return tag
    raw = text(values, name, required=True, max_len=35)
    tag = normalize_tag(raw)
    if tag is None:
        raise FieldError(
            name,
            f"{shown(raw)} is not a valid BCP-47 language tag (examples: en, pt-BR, zh-Hans, ar)",
        )
    return tag


CASE_FIELDS = (
    "external_id",
    "group_id",
    "language",
    "prompt",
    "reference_answer",
    "specialty",
    "modality",
    "images",
)


@dataclass(slots=True)
class CaseRecord:
    external_id: str
    group_id: str
    language: str
    prompt: str
    reference_answer: str
    specialty: str
    modality: str
    images: tuple[str, ...]
    metadata: dict[str, Any]


def parse_case(
    values: dict[str, Any], metadata: dict[str, Any], suffix: str | None, wide: bool
) -> CaseRecord:
    lang = language(values, "language", suffix)
    if wide:  # one row = one group; each language column becomes a case of it
        group = identifier(values, "group_id")
        external = identifier(values, "external_id", required=False) or f"{group}-{lang}"
    else:
        external = identifier(values, "external_id")
        group = identifier(values, "group_id", required=False) or external
    if "metadata" in metadata:  # a column of JSON objects, as medeval's own export writes
        nested = json_object(metadata, "metadata")
        metadata = {**{k: v for k, v in metadata.items() if k != "metadata"}, **nested}
    return CaseRecord(
        external_id=external,
        group_id=group,
        language=lang,
        prompt=text(values, "prompt", required=True),
        reference_answer=text(values, "reference_answer"),
        specialty=text(values, "specialty", max_len=MAX_ID).strip(),
        modality=text(values, "modality", max_len=64).strip(),
        images=string_list(values, "images"),
        metadata=metadata,
    )


OUTPUT_REF_FIELDS = ("case_id", "model", "model_version", "sample")


class OutputRef(NamedTuple):  # hashable and cheap to build: imports make millions
    case_id: str
    model: str
    model_version: str
    sample: int


def parse_output_ref(values: dict[str, Any], model_suffix: str | None) -> OutputRef:
    model = identifier(values, "model", required=model_suffix is None) or (model_suffix or "")
    return OutputRef(
        case_id=identifier(values, "case_id"),
        model=model,
        model_version=identifier(values, "model_version", required=False),
        sample=integer(values, "sample", default=0),
    )


OUTPUT_FIELDS = (*OUTPUT_REF_FIELDS, "text", "params")


@dataclass(slots=True)
class OutputRecord:
    ref: OutputRef
    text: str
    params: dict[str, Any]


def parse_output(values: dict[str, Any], model_suffix: str | None) -> OutputRecord:
    return OutputRecord(
        ref=parse_output_ref(values, model_suffix),
        text=text(values, "text", required=True),
        params=json_object(values, "params"),
    )


SCORE_FIELDS = (*OUTPUT_REF_FIELDS, "scorer", "metric", "value", "label", "detail")


@dataclass(slots=True)
class ScoreRecord:
    ref: OutputRef
    scorer: str
    metric: str
    value: float | None
    label: str
    detail: str


def parse_score(values: dict[str, Any], model_suffix: str | None) -> ScoreRecord:
    record = ScoreRecord(
        ref=parse_output_ref(values, model_suffix),
        scorer=identifier(values, "scorer"),
        metric=identifier(values, "metric", required=False) or "score",
        value=number(values, "value"),
        label=text(values, "label", max_len=MAX_ID).strip(),
        detail=text(values, "detail"),
    )
    if record.value is None and not record.label:
        raise FieldError("value", "is empty; a score needs a value or a label")
    return record


RATING_BASE_FIELDS = (
    *OUTPUT_REF_FIELDS,
    "annotator",
    "confidence",
    "comment",
    "timestamp",
    "time_spent_s",
)


@dataclass(slots=True)
class RatingRecord:
    ref: OutputRef
    annotator: str
    answers: dict[str, Any]
    confidence: Any
    comment: str
    timestamp: datetime | None
    time_spent_ms: int | None


def parse_rating(
    values: dict[str, Any], question_ids: list[str], model_suffix: str | None
) -> RatingRecord:
    spent = number(values, "time_spent_s")
    if spent is not None and spent < 0:
        raise FieldError("time_spent_s", "must not be negative")
    return RatingRecord(
        ref=parse_output_ref(values, model_suffix),
        annotator=identifier(values, "annotator").lower(),
        answers={q: values.get(q) for q in question_ids},
        confidence=values.get("confidence"),
        comment=text(values, "comment"),
        timestamp=timestamp(values, "timestamp"),
        time_spent_ms=None if spent is None else round(spent * 1000),
    )
