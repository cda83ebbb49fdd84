"""Prompt templates: how a case becomes the message a model is sent.

A study may set its own template (``medeval prompt-template``); the default asks for an
answer in the case's language. Templates use ``{placeholder}`` fields (``{{`` and ``}}``
are literal braces); an unknown field is refused when the template is saved or used.
The reference answer is deliberately not a field: the model must not see it.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache

import langcodes

from medeval_ui.errors import MedevalError

DEFAULT_TEMPLATE = "{prompt}\n\nAnswer in {language}."
FIELDS = {
    "prompt": "the case's prompt text",
    "language": "the case's language in English (Arabic, Chinese (Simplified) ...)",
    "language_native": "the language's own name for itself (العربية, 中文 ...)",
    "language_tag": "the BCP-47 tag (ar, zh-Hans, pt-BR)",
    "specialty": "the case's specialty (may be empty)",
    "modality": "the case's imaging modality (may be empty)",
    "case_id": "the case's external id",
}


@dataclass(frozen=True)
class CaseText:
    """The parts of a case a template may use."""

    external_id: str
    language: str
    prompt: str
    specialty: str = ""
    modality: str = ""


def check_template(template: str, what: str = "prompt template") -> None:
    """Raise a MedevalError naming the first bad field; a valid template returns None."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as err:
        raise MedevalError(f"{what}: {err} (write {{{{ and }}}} for literal braces)") from None
    for _text, name, spec, conversion in parts:
        if name is None:
            continue
        if name in FIELDS and (spec or conversion):
            raise MedevalError(f"{what}: write {{{name}}} without a format or conversion")
        if name not in FIELDS:
            allowed = ", ".join("{" + f + "}" for f in FIELDS)
            raise MedevalError(
                f"{what}: unknown field {{{name}}}; use {allowed} "
                "(write {{ and }} for literal braces)"
            )


def render(template: str, case: CaseText) -> str:
    """The message text for one case; ``template`` empty means the default."""
    chosen = template or DEFAULT_TEMPLATE
    check_template(chosen)
    return chosen.format(
        prompt=case.prompt,
        language=english_name(case.language),
        language_native=native_name(case.language),
        language_tag=case.language,
        specialty=case.specialty,
        modality=case.modality,
        case_id=case.external_id,
    )


@lru_cache(maxsize=512)
def english_name(tag: str) -> str:
    try:
        return str(langcodes.Language.get(tag).display_name())
    except (LookupError, ValueError):
        return tag


@lru_cache(maxsize=512)
def native_name(tag: str) -> str:
    try:
        return str(langcodes.Language.get(tag).autonym())
    except (LookupError, ValueError):
        return tag
