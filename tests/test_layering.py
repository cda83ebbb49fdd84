"""Layering (DESIGN §1): pure layers import no database, web or torch code; torch appears
only in generation; services reach the database only through storage's repository
functions (``medeval_ui.storage.repos``): no ``sqlalchemy`` and no ORM tables
(``medeval_ui.storage.tables``), except ``Session`` from ``sqlalchemy.orm`` to annotate the
session a service passes along. Checked on the source, so a lazy import inside a function
(or one under ``if TYPE_CHECKING:``) counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "medeval_ui"
FORBIDDEN = {
    "domain": {
        "sqlalchemy",
        "alembic",
        "gradio",
        "fastapi",
        "starlette",
        "torch",
        "transformers",
        "medeval_ui.storage",
        "medeval_ui.services",
        "medeval_ui.web",
    },
    "stats": {
        "sqlalchemy",
        "alembic",
        "gradio",
        "fastapi",
        "starlette",
        "torch",
        "transformers",
        "medeval_ui.storage",
        "medeval_ui.services",
        "medeval_ui.web",
    },
    "exchange": {
        "sqlalchemy",
        "gradio",
        "fastapi",
        "torch",
        "transformers",
        "medeval_ui.services",
        "medeval_ui.web",
    },
    "storage": {
        "gradio",
        "fastapi",
        "torch",
        "transformers",
        "medeval_ui.services",
        "medeval_ui.web",
    },
    "services": {
        "gradio",
        "fastapi",
        "starlette",
        "medeval_ui.web",
        "sqlalchemy",
        "medeval_ui.storage.tables",
    },
}
# Exceptions to FORBIDDEN: layer -> module -> the names it may take with `from module import`.
ALLOWED = {"services": {"sqlalchemy.orm": {"Session"}}}


def imports(source: str) -> set[tuple[str, str | None]]:
    """(module, name) for `from module import name`; (module, None) for `import module`."""
    found: set[tuple[str, str | None]] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update((a.name, None) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.update((node.module, a.name) for a in node.names)
    return found


def imported_modules(path: Path) -> set[str]:
    return {module for module, _ in imports(path.read_text(encoding="utf-8"))}


def violates(module: str, banned: set[str]) -> bool:
    return any(module == b or module.startswith(b + ".") for b in banned)


def bad_imports(source: str, layer: str) -> list[str]:
    allowed = ALLOWED.get(layer, {})
    return sorted(
        f"{module}.{name}" if name else module
        for module, name in imports(source)
        if violates(module, FORBIDDEN[layer]) and name not in allowed.get(module, ())
    )


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_stay_in_their_lane(layer: str) -> None:
    files = list((PACKAGE / layer).rglob("*.py"))
    assert files, f"layer {layer} has no modules"
    bad = [
        f"{f.relative_to(PACKAGE)} imports {m}"
        for f in files
        for m in bad_imports(f.read_text(encoding="utf-8"), layer)
    ]
    assert bad == []


def test_services_may_import_only_the_session_type_from_sqlalchemy() -> None:
    source = """
from sqlalchemy.orm import Session
from sqlalchemy.orm import aliased
from sqlalchemy import select
import sqlalchemy.orm
from medeval_ui.storage.tables import Study
from medeval_ui.storage.repos.studies import find_study_by_slug
"""
    assert bad_imports(source, "services") == [
        "medeval_ui.storage.tables.Study",
        "sqlalchemy.orm",
        "sqlalchemy.orm.aliased",
        "sqlalchemy.select",
    ]


def test_torch_is_imported_only_in_generation() -> None:
    bad = [
        str(f.relative_to(PACKAGE))
        for f in PACKAGE.rglob("*.py")
        if "generation" not in f.parts
        and any(violates(m, {"torch", "transformers"}) for m in imported_modules(f))
    ]
    assert bad == []
