"""Layering (DESIGN §1): pure layers import no database, web or torch code; torch appears
only in generation. Checked on the source, so a lazy import inside a function counts too."""

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
    "services": {"gradio", "fastapi", "starlette", "medeval_ui.web"},
}


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def violates(module: str, banned: set[str]) -> bool:
    return any(module == b or module.startswith(b + ".") for b in banned)


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_stay_in_their_lane(layer: str) -> None:
    files = list((PACKAGE / layer).rglob("*.py"))
    assert files, f"layer {layer} has no modules"
    bad = [
        f"{f.relative_to(PACKAGE)} imports {m}"
        for f in files
        for m in imported_modules(f)
        if violates(m, FORBIDDEN[layer])
    ]
    assert bad == []


def test_torch_is_imported_only_in_generation() -> None:
    bad = [
        str(f.relative_to(PACKAGE))
        for f in PACKAGE.rglob("*.py")
        if "generation" not in f.parts
        and any(violates(m, {"torch", "transformers"}) for m in imported_modules(f))
    ]
    assert bad == []
