"""`medeval ...`: the command line over the same services the web app uses.

Library code raises MedevalError; this module prints its message on one line and exits 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from medeval_ui.config import Settings
from medeval_ui.errors import MedevalError
from medeval_ui.services import studies, users
from medeval_ui.services.setup import StartupReport, load_demo_study, open_database, prepare
from medeval_ui.storage.engine import Database


class Ctx:
    """Settings and a lazily opened database shared by the commands of one invocation."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._db: Database | None = None

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = open_database(self.settings)
            prepare(self.settings, self._db, load_demo=False)
        return self._db


pass_ctx = click.make_pass_decorator(Ctx)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--database-url", envvar="MEDEVAL_DATABASE_URL", help="Database URL.")
@click.pass_context
def cli(ctx: click.Context, database_url: str | None) -> None:
    """medeval: clinicians judge medical language-model answers, in every language."""
    ctx.obj = Ctx(Settings.from_env(database_url=database_url))


def _print_report(report: StartupReport) -> None:
    for line in report.lines():
        click.echo(line)
    if report.admin_credentials:
        name, password = report.admin_credentials
        click.echo("\n" + "=" * 64)
        click.echo(f"  Admin account created.  username: {name}   password: {password}")
        click.echo("  This password is shown once. Change it with:")
        click.echo(f"    medeval users reset-password {name}")
        click.echo("=" * 64 + "\n")


@cli.command()
@click.option("--demo/--no-demo", default=None, help="Load the demo study if empty.")
@pass_ctx
def init(c: Ctx, demo: bool | None) -> None:
    """Create or upgrade the database and the first admin account."""
    db = open_database(c.settings)
    _print_report(prepare(c.settings, db, load_demo=demo))
    click.echo(f"database ready: {db.engine.url.render_as_string(hide_password=True)}")


@cli.command()
@click.option("--host", default=None, help="Listen address (MEDEVAL_HOST).")
@click.option("--port", type=int, default=None, help="Port (MEDEVAL_PORT).")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Start the web app (one worker process; see README for teams)."""
    from medeval_ui.web.run import serve as run_server

    settings = Settings.from_env(database_url=ctx.obj.settings.database_url, host=host, port=port)
    run_server(settings, announce=_print_report)


@cli.command()
@click.option("--slug", default="demo", show_default=True)
@pass_ctx
def demo(c: Ctx, slug: str) -> None:
    """Load the bundled demo study (5+ languages, images, 3 fictional models)."""
    for summary in load_demo_study(c.db, c.settings, slug):
        click.echo("\n".join(summary.lines()))


# --- users -----------------------------------------------------------------------------


@cli.group("users")
def users_group() -> None:
    """Add and manage accounts."""


@users_group.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(users.ROLES), default="clinician", show_default=True)
@click.option("--name", "display_name", default="", help="Display name.")
@click.option("--languages", default="", help="Languages the person rates, e.g. en,ar,hi.")
@click.option("--specialty", default="")
@pass_ctx
def users_add(
    c: Ctx, username: str, role: str, display_name: str, languages: str, specialty: str
) -> None:
    """Add an account; a random password is generated and shown once."""
    info, password = users.add_user(
        c.db,
        username,
        role,
        display_name=display_name,
        languages=_csv(languages),
        specialty=specialty,
    )
    click.echo(f"added {info.username} ({info.role}); password: {password}")


@users_group.command("list")
@pass_ctx
def users_list(c: Ctx) -> None:
    """List accounts."""
    for u in users.list_users(c.db):
        state = "active" if u.active else "inactive"
        click.echo(
            f"{u.username:20} {u.role:10} {state:9} {','.join(u.languages):15} "
            f"{u.pseudonym}  {u.display_name}"
        )


@users_group.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(users.ROLES))
@pass_ctx
def users_set_role(c: Ctx, username: str, role: str) -> None:
    """Change an account's role."""
    users.set_role(c.db, username, role, actor="cli")
    click.echo(f"{username} is now {role}")


@users_group.command("deactivate")
@click.argument("username")
@pass_ctx
def users_deactivate(c: Ctx, username: str) -> None:
    """Block an account from logging in (its ratings are kept)."""
    users.deactivate(c.db, username, actor="cli")
    click.echo(f"{username} deactivated")


@users_group.command("reset-password")
@click.argument("username")
@pass_ctx
def users_reset_password(c: Ctx, username: str) -> None:
    """Give an account a new random password, shown once."""
    password = users.reset_password(c.db, username, actor="cli")
    click.echo(f"new password for {username}: {password}")


# --- studies ---------------------------------------------------------------------------


@cli.group("studies")
def studies_group() -> None:
    """Create and list studies."""


@studies_group.command("create")
@click.argument("slug")
@click.option("--title", required=True)
@click.option(
    "--rubric",
    default="xlingeval_correctness",
    show_default=True,
    help="A preset in annotations/ or a path to a rubric YAML file.",
)
@click.option("--description", default="")
@click.option(
    "--guidelines",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Markdown file shown to clinicians.",
)
@click.option(
    "--mode",
    "modes",
    multiple=True,
    type=click.Choice(studies.MODES),
    help="rating and/or pairwise (default: rating).",
)
@click.option("--ratings-per-output", type=int, default=3, show_default=True)
@click.option("--votes-per-pair", type=int, default=3, show_default=True)
@click.option("--pivot-language", default="en", show_default=True)
@click.option("--blind/--not-blind", default=True, show_default=True)
@click.option("--show-reference/--hide-reference", default=False, show_default=True)
@click.option(
    "--reveal-policy",
    type=click.Choice(studies.REVEAL_POLICIES),
    default="never",
    show_default=True,
    help="Pairwise: show which models they were, after each stored vote.",
)
@click.option(
    "--vote-reason-required/--vote-reason-optional",
    default=False,
    show_default=True,
    help="Pairwise: every vote needs a reason.",
)
@click.option(
    "--min-votes",
    type=int,
    default=50,
    show_default=True,
    help="Leaderboard: models with fewer votes are marked provisional.",
)
@pass_ctx
def studies_create(
    c: Ctx,
    slug: str,
    title: str,
    rubric: str,
    description: str,
    guidelines: Path | None,
    modes: tuple[str, ...],
    ratings_per_output: int,
    votes_per_pair: int,
    pivot_language: str,
    blind: bool,
    show_reference: bool,
    reveal_policy: str,
    vote_reason_required: bool,
    min_votes: int,
) -> None:
    """Create a study; it keeps a snapshot of the rubric as it is now."""
    info = studies.create_study(
        c.db,
        slug,
        title,
        rubric,
        description=description,
        guidelines=guidelines.read_text(encoding="utf-8") if guidelines else "",
        modes=modes or ("rating",),
        ratings_per_output=ratings_per_output,
        votes_per_pair=votes_per_pair,
        pivot_language=pivot_language,
        blind=blind,
        show_reference=show_reference,
        reveal_policy=reveal_policy,
        vote_reason_required=vote_reason_required,
        min_votes=min_votes,
    )
    click.echo(f"created study {info.slug} with rubric {info.rubric_id} {info.rubric_version}")


@studies_group.command("list")
@pass_ctx
def studies_list(c: Ctx) -> None:
    """List studies."""
    for s in studies.list_studies(c.db):
        click.echo(
            f"{s.slug:24} {s.rubric_id}@{s.rubric_version:6} {','.join(s.modes):17} {s.title}"
        )


# The other commands live in their own modules; importing them registers them on `cli`.
from medeval_ui import cli_backup, cli_export, cli_generate, cli_import, cli_stats  # noqa: E402, F401


def _csv(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="medeval", standalone_mode=False)
    except MedevalError as err:
        click.echo(f"error: {err}", err=True)
        return 1
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except click.ClickException as err:
        err.show()
        return err.exit_code
    return 0


if __name__ == "__main__":
    # Run as a script this module is `__main__`, a copy apart from `medeval_ui.cli`, the one
    # that cli_import and cli_export register their commands on: run that one.
    from medeval_ui.cli import main as registered_main

    sys.exit(registered_main())
