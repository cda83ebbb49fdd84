"""The README is the manual: every setting and every CLI verb must be documented there."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import click

from medeval_ui.cli import cli
from medeval_ui.config import SETTING_ENV, SETTING_HELP, Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme_table() -> None:
    names = [f.name for f in fields(Settings)]
    assert set(names) == set(SETTING_ENV) == set(SETTING_HELP)
    missing = [SETTING_ENV[n] for n in names if f"| `{SETTING_ENV[n]}` | `{n}` |" not in README]
    assert missing == []


def command_paths(group: click.Group, prefix: str = "medeval") -> list[str]:
    out = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            out.extend(command_paths(command, path))
        else:
            out.append(path)
    return out


def test_every_cli_verb_is_in_the_readme() -> None:
    paths = command_paths(cli)
    assert len(paths) >= 15
    missing = []
    for path in paths:
        *parent, verb = path.split()
        # "medeval import cases|outputs|..." documents several verbs on one line
        documented = f"`{path}" in README or any(
            line.startswith(f"| `{' '.join(parent)} ") and verb in line.split("`")[1]
            for line in README.splitlines()
        )
        if not documented:
            missing.append(path)
    assert missing == []


def test_readme_gives_the_two_commands() -> None:
    assert "python app.py" in README
    assert "python -m pytest" in README
