"""The Studies page: who is signed in, a way out, and the studies with their sizes.

Model names never appear here: clinicians see this page (DESIGN.md invariant 1).
"""

from __future__ import annotations

# isort: off
import medeval_ui.web.offline  # noqa: F401  (sets the offline variables before gradio)
# isort: on

from typing import Any

import gradio as gr

from medeval_ui.services.studies_overview import list_studies_overview
from medeval_ui.storage.engine import Database
from medeval_ui.web.guard import md_escape, require_user

HEADERS = ["Study", "Title", "Languages", "Cases", "Outputs", "Rubric"]


def load_studies(db: Database, request: gr.Request | None) -> tuple[str, list[list[Any]]]:
    """(greeting Markdown, table rows) for the signed-in user; gr.Error without one."""
    user = require_user(db, request)
    rows = [
        [
            s["slug"],
            s["title"],
            ", ".join(s["languages"]),
            s["cases"],
            s["outputs"],
            f"{s['rubric_id']} v{s['rubric_version']}",
        ]
        for s in list_studies_overview(db)
    ]
    return f"Signed in as **{md_escape(user.username)}** ({user.role})", rows


def build_studies_page(db: Database) -> gr.Blocks:
    with gr.Blocks(title="medeval · Studies") as blocks:
        with gr.Row(equal_height=True):
            gr.Markdown("# Studies")
            who = gr.Markdown()
            gr.Button("Log out", link="/logout", variant="secondary", scale=0, min_width=120)
        table = gr.DataFrame(
            headers=HEADERS,
            datatype=["str", "str", "str", "number", "number", "str"],
            interactive=False,
            label="Studies",
        )

        def on_load(request: gr.Request) -> tuple[str, list[list[Any]]]:
            return load_studies(db, request)

        blocks.load(on_load, outputs=[who, table], api_name="studies")
    return blocks
