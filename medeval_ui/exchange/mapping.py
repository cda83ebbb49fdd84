"""Column mapping: how the columns of someone else's file become medeval's fields.

By default a field is read from the column of the same name. Options change that:

- ``--map FIELD=COLUMN`` reads FIELD from another column;
- ``--map FIELD="{col1} - {col2}"`` builds FIELD from a template (``{{``/``}}`` are literal
  braces, ``\\n`` a newline) — e.g. a multiple-choice prompt from a question and its options;
- ``--set FIELD=VALUE`` gives every row the same value (``--set language=en``);
- a ``*`` in a mapped column name makes the file *wide*: ``--map prompt=question_*`` turns
  each row into one record per matching column (``question_English``, ``question_Hindi``),
  and ``*`` stands for that suffix in every other mapping (``--map reference_answer=answer_*``).
  What a suffix means (a language for cases, a model for outputs) is set by the importer;
  ``--suffix-map Hindi=hi`` names a suffix explicitly;
- ``--ignore COLUMN`` (wildcards allowed) keeps a column out of the metadata.

Columns that no mapping uses are kept as each record's metadata (cases) or ignored.
"""

from __future__ import annotations

import fnmatch
import re
import string
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from medeval_ui.errors import MedevalError


@dataclass(frozen=True)
class ColumnMapping:
    specs: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    suffix_names: dict[str, str] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()

    @classmethod
    def from_options(
        cls,
        maps: Iterable[str] = (),
        sets: Iterable[str] = (),
        suffixes: Iterable[str] = (),
        ignore: Iterable[str] = (),
    ) -> ColumnMapping:
        return cls(
            specs=parse_pairs(maps, "--map"),
            constants=parse_pairs(sets, "--set"),
            suffix_names=parse_pairs(suffixes, "--suffix-map"),
            ignore=tuple(ignore),
        )

    @property
    def is_wide(self) -> bool:
        return any("*" in spec for spec in self.specs.values())


def parse_pairs(items: Iterable[str], option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise MedevalError(f"{option} {item!r}: expected FIELD=VALUE")
        out[key.strip()] = value
    return out


class _Spec:
    """One field's source: a column name or a template, possibly with a ``*`` suffix slot."""

    def __init__(self, text: str, is_template: bool) -> None:
        self.text = text
        self.is_template = is_template
        self.parts: list[tuple[str, str | None]] = []
        if is_template:
            try:
                parsed = list(string.Formatter().parse(text))
            except ValueError as err:
                raise MedevalError(f"mapping template {text!r} is malformed ({err})") from None
            for literal, name, _fmt, _conv in parsed:
                unescaped = literal.replace("\\n", "\n").replace("\\t", "\t")
                self.parts.append((unescaped, name if name else None))

    def columns(self, suffix: str | None) -> list[str]:
        names = [n for _, n in self.parts if n] if self.is_template else [self.text]
        return [n.replace("*", suffix) if suffix is not None else n for n in names]

    def getter(self, suffix: str | None) -> Callable[[dict[str, Any]], Any]:
        """A function reading this field from a row; built once per suffix (hot path)."""
        if not self.is_template:
            column = self.columns(suffix)[0]
            return lambda row: row.get(column)
        parts = [
            (lit, n.replace("*", suffix) if n and suffix is not None else n)
            for lit, n in self.parts
        ]

        def render(row: dict[str, Any]) -> Any:
            out, any_value = [], False
            for literal, name in parts:
                out.append(literal)
                if name is not None:
                    cell = row.get(name)
                    if cell is not None and cell != "":
                        any_value = True
                        out.append(str(cell))
            return "".join(out) if any_value else None

        return render


class Resolver:
    """Applies a ColumnMapping to the columns of one file.

    ``wide_field`` is the field whose ``*`` pattern decides the suffixes of a wide file.
    """

    def __init__(
        self,
        mapping: ColumnMapping,
        fields: Sequence[str],
        columns: Sequence[str],
        *,
        wide_field: str,
        file: str,
        required: Sequence[str] = (),
    ) -> None:
        unknown = (set(mapping.specs) | set(mapping.constants)) - set(fields)
        if unknown:
            raise MedevalError(
                f"{file}: cannot map unknown field(s) {', '.join(sorted(unknown))}"
                f"; fields are: {', '.join(fields)}"
            )
        self.mapping = mapping
        self.columns = list(columns)
        self.file = file
        self.specs: dict[str, _Spec] = {}
        for name in fields:
            if name in mapping.constants:
                continue
            if name in mapping.specs:
                text = mapping.specs[name]
                self.specs[name] = _Spec(text, "{" in text)
            elif name in columns:
                self.specs[name] = _Spec(name, False)
        for name in required:
            if name not in self.specs and name not in mapping.constants:
                raise MedevalError(
                    f"{file}: no '{name}' column; add one or name the column that holds it "
                    f"with --map {name}=COLUMN (columns: {_short(self.columns)})"
                )
        self.suffixes: list[str | None] = [None]
        if mapping.is_wide:
            self.suffixes = list(self._discover_suffixes(wide_field))
        for suffix in self.suffixes:
            for name, spec in self.specs.items():
                for col in spec.columns(suffix):
                    if col not in self.columns:
                        raise MedevalError(
                            f"{file}: the mapping for '{name}' names column '{col}', which "
                            f"the file does not have (columns: {_short(self.columns)})"
                        )
        self._getters = [
            (sfx, [(n, s.getter(sfx)) for n, s in self.specs.items()]) for sfx in self.suffixes
        ]
        used = {c for s in self.specs.values() for sfx in self.suffixes for c in s.columns(sfx)}
        self.extra_columns = [
            c
            for c in self.columns
            if c not in used and not any(fnmatch.fnmatchcase(c, p) for p in mapping.ignore)
        ]

    def _discover_suffixes(self, wide_field: str) -> Iterator[str]:
        spec = self.mapping.specs.get(wide_field, "")
        patterns = [c for c in _Spec(spec, "{" in spec).columns(None) if "*" in c]
        if not patterns:
            raise MedevalError(
                f"{self.file}: a wide mapping needs a '*' in the mapping for '{wide_field}' "
                f"(e.g. --map {wide_field}=question_*)"
            )
        regex = re.compile("^" + re.escape(patterns[0]).replace(r"\*", "(.+)") + "$")
        found = [m.group(1) for c in self.columns if (m := regex.match(c))]
        if not found:
            raise MedevalError(
                f"{self.file}: no column matches '{patterns[0]}' (columns: {_short(self.columns)})"
            )
        return iter(found)

    def suffix_name(self, suffix: str | None) -> str | None:
        if suffix is None:
            return None
        return self.mapping.suffix_names.get(suffix, suffix)

    def records(self, row: dict[str, Any]) -> Iterator[tuple[str | None, dict[str, Any]]]:
        """(suffix, field values) for each record in this row; wide rows give several."""
        for suffix, getters in self._getters:
            values: dict[str, Any] = dict(self.mapping.constants)
            for name, get in getters:
                values[name] = get(row)
            yield suffix, values

    def metadata(self, row: dict[str, Any]) -> dict[str, Any]:
        return {c: row[c] for c in self.extra_columns if row.get(c) is not None}


def _short(columns: Sequence[str]) -> str:
    shown = ", ".join(columns[:12])
    return shown + (f" and {len(columns) - 12} more" if len(columns) > 12 else "")
