"""`medeval import ...`: the import group, one subcommand per kind of file (all or nothing).

Registered on the ``cli`` group of ``medeval_ui.cli``, which imports this module.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from medeval_ui.cli import Ctx, cli, pass_ctx
from medeval_ui.exchange.mapping import ColumnMapping


def _import_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.argument("file", type=click.Path(path_type=Path)),
        click.option("--study", required=True, help="Study slug."),
        click.option(
            "--map",
            "maps",
            multiple=True,
            metavar="FIELD=COLUMN",
            help="Read FIELD from COLUMN, or a template like '{q}\\n{a}'; '*' makes a wide file.",
        ),
        click.option(
            "--set", "sets", multiple=True, metavar="FIELD=VALUE", help="Same value for every row."
        ),
        click.option(
            "--suffix-map",
            "suffixes",
            multiple=True,
            metavar="SUFFIX=NAME",
            help="What a '*' column suffix stands for (a language or a model).",
        ),
        click.option(
            "--ignore",
            multiple=True,
            metavar="COLUMN",
            help="Column(s) not kept as metadata (wildcards allowed).",
        ),
        click.option("--sheet", default=None, help="Worksheet of an .xlsx file."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


@cli.group("import")
def import_group() -> None:
    """Import cases, outputs, scores, ratings, named assignments or gold answers (all or
    nothing)."""


def _run_import(
    kind: str,
    c: Ctx,
    file: Path,
    study: str,
    maps: tuple[str, ...],
    sets: tuple[str, ...],
    suffixes: tuple[str, ...],
    ignore: tuple[str, ...],
    sheet: str | None,
) -> None:
    from medeval_ui.services.annotation_admin import import_assignments, import_gold
    from medeval_ui.services.import_cases import import_cases
    from medeval_ui.services.import_outputs import import_outputs, import_scores
    from medeval_ui.services.import_ratings import import_ratings
    from medeval_ui.services.import_votes import import_votes

    mapping = ColumnMapping.from_options(maps, sets, suffixes, ignore)
    if kind == "cases":
        summary = import_cases(c.db, c.settings, study, file, mapping, name=str(file), sheet=sheet)
    else:
        fn = {
            "outputs": import_outputs,
            "scores": import_scores,
            "ratings": import_ratings,
            "assignments": import_assignments,
            "gold": import_gold,
            "votes": import_votes,
        }
        summary = fn[kind](c.db, study, file, mapping, name=str(file), sheet=sheet)
    click.echo("\n".join(summary.lines()))


for _kind, _help in [
    (
        "cases",
        "Cases: external_id, group_id, language, prompt, reference_answer, specialty, "
        "modality, images; other columns become metadata.",
    ),
    ("outputs", "Model outputs: case_id, model, model_version, sample, text, params."),
    (
        "scores",
        "Automatic scores: case_id, model, model_version, sample, scorer, metric, "
        "value, label, detail.",
    ),
    (
        "ratings",
        "Ratings made elsewhere: case_id, model, model_version, sample, annotator, "
        "one column per rubric question, confidence, comment, timestamp, "
        "time_spent_s.",
    ),
    (
        "assignments",
        "Named assignments: username, case_id, optional sample; the item is reserved "
        "for that clinician.",
    ),
    (
        "gold",
        "Gold answers: case_id, model, model_version, sample, and the expected answer in "
        "one column per rubric question.",
    ),
    (
        "votes",
        "Pairwise votes made elsewhere, Chatbot Arena battle format: model_a, model_b, "
        "winner, judge (a username), case_id, optional tstamp, language.",
    ),
]:

    def _make(kind: str) -> Callable[..., None]:
        def command(c: Ctx, **kw: Any) -> None:
            _run_import(kind, c, **kw)

        return command

    import_group.command(_kind, help=_help)(pass_ctx(_import_options(_make(_kind))))
