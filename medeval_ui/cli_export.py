"""`medeval export ...` and `medeval leaderboard ...`: writing a study's data out.

Registered on the ``cli`` group of ``medeval_ui.cli``, which imports this module.
"""

from __future__ import annotations

from pathlib import Path

import click

from medeval_ui.cli import Ctx, cli, pass_ctx
from medeval_ui.errors import MedevalError
from medeval_ui.services import exports


@cli.command("export")
@click.argument("what", type=click.Choice(["ratings", "votes", "cases", "outputs"]))
@click.option("--study", required=True, help="Study slug.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "jsonl", "parquet", "arena"]),
    required=True,
    help="arena: Chatbot Arena battle records (votes only).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option(
    "--shape",
    type=click.Choice(["long", "wide"]),
    default="long",
    show_default=True,
    help="Ratings: one row per rating and question (long) or per rating (wide).",
)
@click.option(
    "--usernames",
    is_flag=True,
    help="Show usernames instead of pseudonymous annotator ids (admins only).",
)
@pass_ctx
def export(
    c: Ctx, what: str, study: str, fmt: str, output: Path, shape: str, usernames: bool
) -> None:
    """Export a study's ratings, votes, cases or outputs."""
    if fmt == "arena" and what != "votes":
        raise MedevalError("--format arena is for votes only")
    if what == "ratings":
        rows = exports.export_ratings(
            c.db, study, fmt, output, shape=shape, include_usernames=usernames
        )
    elif what == "votes":
        rows = exports.export_votes(c.db, study, fmt, output, include_usernames=usernames)
    elif what == "cases":
        rows = exports.export_cases(c.db, study, fmt, output)
    else:
        rows = exports.export_outputs(c.db, study, fmt, output)
    click.echo(f"wrote {rows} rows to {output}")


@cli.command("leaderboard")
@click.option("--study", required=True, help="Study slug.")
@click.option("--language", default=None, help="Only votes on cases in this language.")
@click.option("--axis", default=None, help="Rank by one per-axis question instead.")
@click.option("--rounds", type=int, default=1000, show_default=True, help="Bootstrap rounds.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="A .csv or .json file.",
)
@pass_ctx
def leaderboard_command(
    c: Ctx,
    study: str,
    language: str | None,
    axis: str | None,
    rounds: int,
    seed: int,
    output: Path,
) -> None:
    """Bradley-Terry leaderboard from a study's pairwise votes, with bootstrap intervals."""
    from medeval_ui.exchange.leaderboard_file import write_leaderboard
    from medeval_ui.services.leaderboard import study_leaderboard

    report = study_leaderboard(c.db, study, language=language, axis=axis, rounds=rounds, seed=seed)
    if not report.rows:
        raise MedevalError(
            f"study '{study}' has no votes" + (f" in '{language}'" if language else "")
        )
    write_leaderboard(report.rows, output)
    for note in report.warnings:
        click.echo(f"note: {note}", err=True)
    p = report.position
    click.echo(
        f"wrote {len(report.rows)} models ({report.votes} votes) to {output}; "
        f"position bias: {p.reading}"
    )
