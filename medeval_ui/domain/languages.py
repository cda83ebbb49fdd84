"""Language tags: BCP-47 validation, and names found in real datasets' column headers."""

from __future__ import annotations

from functools import lru_cache

import langcodes

# Scripts written right to left; used to set text direction for display.
_RTL_SCRIPTS = {"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg"}


@lru_cache(maxsize=4096)
def normalize_tag(raw: str) -> str | None:
    """The standard form of a BCP-47 tag (``pt_br`` -> ``pt-BR``), or None if it is not one.

    Only tags whose language subtag is registered pass (``xx`` and ``english`` do not).
    """
    text = raw.strip()
    if not text or not langcodes.tag_is_valid(text.replace("_", "-")):
        return None
    return langcodes.standardize_tag(text.replace("_", "-"))


@lru_cache(maxsize=1024)
def tag_from_name_or_tag(raw: str) -> str | None:
    """A tag from either a tag (``hi``) or a language name (``Hindi``, ``español``)."""
    tag = normalize_tag(raw)
    if tag is not None:
        return tag
    try:
        return str(langcodes.find(raw.strip().replace("_", " ")))
    except LookupError:
        return None


def within(tag: str, wanted: str) -> bool:
    """Whether ``tag`` is ``wanted`` or a variant of it: a filter on "pt" keeps "pt-BR"
    (tags as ``normalize_tag`` writes them; subtags are compared whole, so "pt" is not
    inside "ptx")."""
    return tag == wanted or tag.startswith(wanted + "-")


@lru_cache(maxsize=1024)
def is_rtl(tag: str) -> bool:
    """True when the language is normally written right to left (ar, he, fa, ur ...)."""
    lang = langcodes.Language.get(tag).maximize()
    return lang.script in _RTL_SCRIPTS


def display_name(tag: str) -> str:
    """English name of a tag for labels and reports (``zh-Hans`` -> ``Chinese (Simplified)``)."""
    try:
        return str(langcodes.Language.get(tag).display_name())
    except (LookupError, ValueError):
        return tag
