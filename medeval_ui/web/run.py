"""Serve the app: prepare the database, print where to go and how to log in, run uvicorn
with exactly one worker (Gradio keeps per-page state in the process; see README)."""

from __future__ import annotations

from collections.abc import Callable

from medeval_ui.config import Settings
from medeval_ui.services.setup import StartupReport, open_database, prepare


def serve(settings: Settings, announce: Callable[[StartupReport], None] | None = None) -> None:
    import uvicorn

    import medeval_ui.web.offline  # noqa: F401  (before gradio is imported anywhere)
    from medeval_ui.web.server import create_app

    db = open_database(settings, serving=True)
    report = prepare(settings, db)
    if announce is not None:
        announce(report)
    app = create_app(settings, db)
    print(f"medeval is running at {settings.public_origin}/  (Ctrl-C to stop)", flush=True)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        workers=1,
        log_level="warning",
        server_header=False,
    )
