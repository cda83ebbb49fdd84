"""Start-up: bring the database to the current schema, make sure an admin exists, and load
the demo study into an empty database. Used by `python app.py`, `medeval serve` and
`medeval init`."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from medeval_ui.config import Settings
from medeval_ui.services.import_cases import import_cases
from medeval_ui.services.import_common import ImportSummary
from medeval_ui.services.import_outputs import import_outputs
from medeval_ui.services.studies import create_study
from medeval_ui.services.users import ensure_first_admin
from medeval_ui.storage.engine import Database
from medeval_ui.storage.migrate import upgrade
from medeval_ui.storage.repos.studies import count_studies

DEMO_SLUG = "demo"


@dataclass
class StartupReport:
    schema_before: str | None
    schema_now: str
    admin_credentials: tuple[str, str] | None = None
    demo: list[ImportSummary] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = []
        if self.schema_before != self.schema_now:
            out.append(f"database schema: {self.schema_before or 'new'} -> {self.schema_now}")
        for summary in self.demo:
            out.extend(summary.lines())
        return out


def open_database(settings: Settings, *, serving: bool = False) -> Database:
    """The configured database; ``serving``: for the web server, whose SQLite WAL is
    checkpointed in the background (storage/engine.py), not by the request that commits."""
    return Database(
        settings.database_url,
        synchronous=settings.sqlite_synchronous,
        busy_timeout_ms=settings.busy_timeout_ms,
        checkpoint_in_background=serving,
    )


def prepare(settings: Settings, db: Database, *, load_demo: bool | None = None) -> StartupReport:
    before, now = upgrade(db)
    report = StartupReport(before, now, admin_credentials=ensure_first_admin(db))
    want_demo = settings.load_demo if load_demo is None else load_demo
    if want_demo:
        with db.read() as session:
            empty = count_studies(session) == 0
        if empty:
            report.demo = load_demo_study(db, settings)
    return report


def load_demo_study(db: Database, settings: Settings, slug: str = DEMO_SLUG) -> list[ImportSummary]:
    """Create the bundled demo study (files written fresh, then imported like any study)."""
    from medeval_ui.demo.files import write_demo_files

    create_study(
        db,
        slug,
        "Demo: 22 clinical questions in six languages",
        "xlingeval_correctness",
        description="A study written for trying medeval: the same clinical questions in "
        "several languages, answered by three fictional models of honestly varied quality.",
        guidelines=DEMO_GUIDELINES,
        modes=("rating", "pairwise"),
        ratings_per_output=2,
        show_reference=True,  # the XLingEval rubric compares each answer with the reference
        actor="demo",
    )
    with tempfile.TemporaryDirectory() as tmp:
        files = write_demo_files(Path(tmp))
        return [
            import_cases(db, settings, slug, files.cases, actor="demo"),
            import_outputs(db, slug, files.outputs, actor="demo"),
        ]


DEMO_GUIDELINES = """\
## How to rate

1. Read the question and, where shown, the reference answer.
2. For each response, choose how it compares with the reference answer.
3. A response in a different language from the question is still judged on content;
   say so in the comment.
4. Rate your confidence honestly: "an educated guess" is a useful answer.

The models are anonymous and their order is shuffled for you.
"""
