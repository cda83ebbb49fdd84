"""`medeval agreement`, `medeval scores` and `medeval report`: a study's numbers as files.

Registered on the ``cli`` group of ``medeval_ui.cli``, which imports this module. The
numbers are the dashboard's (services/dashboard.py), so what the page shows can be checked
and reused outside the app.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Any

import click

from medeval_ui.cli import Ctx, cli, pass_ctx
from medeval_ui.services.dashboard import Dashboard, study_dashboard
from medeval_ui.services.dashboard_filters import Filters
from medeval_ui.services.report import TABLE_FORMATS, write_report, write_table, write_tables
from medeval_ui.stats.resample import DEFAULT_ROUNDS, DEFAULT_SEED

_OUTPUT = click.Path(dir_okay=False, path_type=Path)


def _csv(text: str | None) -> tuple[str, ...]:
    return tuple(t.strip() for t in (text or "").split(",") if t.strip())


def dashboard_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The study, the filters and the bootstrap settings every numbers command takes."""
    options = [
        click.option("--study", required=True, help="Study slug."),
        click.option("--language", "languages", help="Languages to keep, comma-separated."),
        click.option("--model", "models", help="Models to keep, comma-separated."),
        click.option("--specialty", "specialties", help="Specialties, comma-separated."),
        click.option("--question", help="The scored question correctness is read from."),
        click.option("--clinician", "clinicians", help="Usernames or pseudonyms to keep."),
        click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Ratings from (UTC)."),
        click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Ratings up to."),
        click.option(
            "--rounds",
            type=int,
            default=DEFAULT_ROUNDS,
            show_default=True,
            help="Bootstrap rounds.",
        ),
        click.option(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            show_default=True,
            help="Bootstrap seed (same seed, same intervals).",
        ),
        click.option(
            "--embeddings",
            is_flag=True,
            help="Add sentence-embedding similarity of samples (optional model; slower).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _dashboard(c: Ctx, study: str, **kw: Any) -> Dashboard:
    def day(value: Any) -> date | None:
        return value.date() if value is not None else None

    filters = Filters(
        languages=_csv(kw["languages"]),
        models=_csv(kw["models"]),
        specialties=_csv(kw["specialties"]),
        question=kw["question"] or None,
        clinicians=_csv(kw["clinicians"]),
        since=day(kw["since"]),
        until=day(kw["until"]),
    )
    return study_dashboard(
        c.db, study, filters, rounds=kw["rounds"], seed=kw["seed"], embeddings=kw["embeddings"]
    )


def _with_dashboard(command: Callable[..., None]) -> Callable[..., None]:
    @wraps(command)
    def run(c: Ctx, study: str, output: Path, **kw: Any) -> None:
        rest = {k: kw.pop(k) for k in list(kw) if k in ("tables_dir", "tables_format")}
        command(_dashboard(c, study, **kw), output, **rest)

    return run


@cli.command("agreement")
@dashboard_options
@click.option("-o", "--output", type=_OUTPUT, required=True, help="FILE.csv or FILE.json.")
@pass_ctx
@_with_dashboard
def agreement_command(d: Dashboard, output: Path) -> None:
    """Inter-rater agreement per rubric question and language, with bootstrap intervals."""
    write_table(d.agreement, output)
    defined = int(d.agreement["value"].notna().sum())
    click.echo(f"{output}: {len(d.agreement)} rows ({defined} defined) from {d.n_ratings} ratings")


@cli.command("scores")
@dashboard_options
@click.option("-o", "--output", type=_OUTPUT, required=True, help="FILE.csv or FILE.json.")
@pass_ctx
@_with_dashboard
def scores_command(d: Dashboard, output: Path) -> None:
    """Correctness, language gap, cross-lingual and sample consistency, judges vs clinicians."""
    table = d.measures()
    write_table(table, output)
    counts = table["table"].value_counts().sort_index()
    summary = ", ".join(f"{name} {n}" for name, n in counts.items()) or "no rows"
    click.echo(f"{output}: {len(table)} rows ({summary})")
    for note in d.notes:
        click.echo(f"note: {note}")


@cli.command("report")
@dashboard_options
@click.option("-o", "--output", type=_OUTPUT, required=True, help="REPORT.html.")
@click.option(
    "--tables-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write the tables behind the report into this folder.",
)
@click.option("--tables-format", type=click.Choice(TABLE_FORMATS), default="csv", show_default=True)
@pass_ctx
@_with_dashboard
def report_command(
    d: Dashboard, output: Path, tables_dir: Path | None = None, tables_format: str = "csv"
) -> None:
    """A self-contained HTML report (opens offline) with every chart and table."""
    write_report(d, output)
    click.echo(f"{output}: report of {d.n_ratings} ratings ({output.stat().st_size // 1024} KiB)")
    if tables_dir is not None:
        for path in write_tables(d, tables_dir, tables_format):
            click.echo(f"{path}")
