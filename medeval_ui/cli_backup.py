"""`medeval backup` and `medeval restore`: registered on the `cli` group of `medeval_ui.cli`,
which imports this module."""

from __future__ import annotations

from pathlib import Path

import click

from medeval_ui.cli import Ctx, cli, pass_ctx
from medeval_ui.errors import MedevalError
from medeval_ui.services.backup import backup_database, check_backup, restore_database
from medeval_ui.services.setup import open_database


@cli.command("backup")
@click.option(
    "-o",
    "--output",
    "output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The backup file to write (must not exist yet).",
)
@pass_ctx
def backup(c: Ctx, output: Path) -> None:
    """Back up the database while the app runs (SQLite: online copy; PostgreSQL: pg_dump)."""
    db = open_database(c.settings)  # as it is: no upgrade before a backup
    try:
        check = backup_database(db, output, busy_timeout_ms=c.settings.busy_timeout_ms)
    finally:
        db.dispose()
    first, *rest = check.lines()
    click.echo("\n".join([f"backup written: {first}", *rest]))
    click.echo(
        "  images and the session key are files, not in the database: copy "
        f"{c.settings.media_dir} and {c.settings.secret_key_file} as well"
    )


@cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the current database (after the checks).")
@pass_ctx
def restore(c: Ctx, file: Path, yes: bool) -> None:
    """Check a backup and, with --yes, replace the database with it (stop the app first)."""
    db = open_database(c.settings)
    url = db.engine.url.render_as_string(hide_password=True)
    try:
        if not yes:
            click.echo("\n".join(check_backup(db, file).lines()))
            raise MedevalError(
                f"restore replaces the database at {url} with this backup; run again with "
                f"--yes to do it (the current database is kept as {file}.before-restore)"
            )
        report = restore_database(db, file, busy_timeout_ms=c.settings.busy_timeout_ms)
    finally:
        db.dispose()
    click.echo("\n".join(report.lines()))
