"""The lead and admin page, mounted at /lead: studies, imports, progress and exports.

Mounted as its own Blocks whose auth dependency lets only leads and admins in, and every
handler checks the role again from the database (DESIGN.md invariant 4). Handlers are
module-level functions ``(db, ..., request) -> values`` that tests call directly; the
Blocks wiring in ``build_lead_blocks`` only adapts them to components. The Users tab
lives in ``lead_users``.
"""

from __future__ import annotations

# isort: off
import medeval_ui.web.offline  # noqa: F401  (sets the offline variables before gradio)
# isort: on

from pathlib import Path
from typing import Any

import gradio as gr

from medeval_ui.config import Settings
from medeval_ui.domain.rubric import list_presets
from medeval_ui.errors import MedevalError
from medeval_ui.exchange.mapping import ColumnMapping, parse_pairs
from medeval_ui.services import annotation_admin, studies
from medeval_ui.services.import_cases import import_cases
from medeval_ui.services.import_common import ImportSummary
from medeval_ui.services.import_outputs import import_outputs, import_scores
from medeval_ui.services.import_ratings import import_ratings
from medeval_ui.services.studies_overview import list_studies_overview
from medeval_ui.storage.engine import Database
from medeval_ui.web.export_routes import FORMATS, KINDS, export_filename, export_url
from medeval_ui.web.guard import md_escape, require_user, shown_to_user
from medeval_ui.web.pages.lead_dashboard import build_dashboard_tab
from medeval_ui.web.pages.lead_generate import build_generate_tab
from medeval_ui.web.pages.lead_leaderboard import build_leaderboard_tab
from medeval_ui.web.pages.lead_users import build_users_tab

LEAD_ROLES = ("lead", "admin")
IMPORT_KINDS = ("cases", "outputs", "scores", "ratings", "assignments", "gold")
STUDY_HEADERS = ["Study", "Title", "Rubric", "Modes", "k", "Blind", "Reference", "Pivot"]
STUDY_HEADERS += ["Cases", "Outputs"]
PROGRESS_HEADERS = ["Clinician", "Languages", "Done", "Skipped", "Open", "Flagged"]
PROGRESS_HEADERS += ["Median s", "Gold rated", "Gold accuracy"]
FLAG_HEADERS = ["Item", "Clinician", "Case", "Language", "Note", "When"]
NOTHING_IMPORTED = "Nothing was imported or changed."


# --- pure helpers -----------------------------------------------------------------------


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _pairs(text: str | None) -> list[str]:
    # "prompt = question_*" means column "question_*": spaces around "=" are for reading.
    out = []
    for line in _lines(text):
        key, sep, value = line.partition("=")
        out.append(f"{key.strip()}={value.strip()}" if sep else line)
    return out


def mapping_from_text(
    maps: str | None = "",
    sets: str | None = "",
    suffixes: str | None = "",
    ignore: str | None = "",
) -> ColumnMapping:
    """The CLI's ``--map/--set/--suffix-map/--ignore`` options, one per line of each text."""
    return ColumnMapping(
        specs=parse_pairs(_pairs(maps), "column mapping"),
        constants=parse_pairs(_pairs(sets), "fixed value"),
        suffix_names=parse_pairs(_pairs(suffixes), "suffix meaning"),
        ignore=tuple(_lines(ignore)),
    )


def _whole(value: float | int | None, what: str) -> int:
    if value is None or float(value) != int(value):
        raise MedevalError(f"{what} must be a whole number")
    return int(value)


def _slugs(db: Database) -> list[str]:
    return [s.slug for s in studies.list_studies(db)]


def study_rows(db: Database) -> list[list[Any]]:
    sizes = {s["slug"]: s for s in list_studies_overview(db)}
    return [
        [
            s.slug,
            s.title,
            f"{s.rubric_id} v{s.rubric_version}",
            ", ".join(s.modes),
            s.ratings_per_output,
            "yes" if s.blind else "no",
            "shown" if s.show_reference else "hidden",
            s.pivot_language,
            sizes.get(s.slug, {}).get("cases", 0),
            sizes.get(s.slug, {}).get("outputs", 0),
        ]
        for s in studies.list_studies(db)
    ]


# --- handlers ---------------------------------------------------------------------------


def load_lead_page(
    db: Database, request: gr.Request | None
) -> tuple[str, list[list[Any]], list[str]]:
    """(greeting, study rows, study slugs) for a lead or admin."""
    user = require_user(db, request, LEAD_ROLES)
    who = f"Signed in as **{md_escape(user.username)}** ({user.role}) · [Clinician view](/app/)"
    return who, study_rows(db), _slugs(db)


def create_study(
    db: Database,
    slug: str,
    title: str,
    description: str,
    guidelines: str,
    rubric: str,
    modes: list[str] | None,
    ratings_per_output: float | None,
    blind: bool,
    show_reference: bool,
    pivot_language: str,
    request: gr.Request | None,
) -> tuple[str, list[list[Any]], list[str]]:
    """(message, study rows, slugs); a mistake is raised as gr.Error naming the field."""
    user = require_user(db, request, LEAD_ROLES)
    with shown_to_user():
        if not rubric:
            raise MedevalError("choose a rubric preset")
        info = studies.create_study(
            db,
            (slug or "").strip(),
            title or "",
            rubric,
            description=description or "",
            guidelines=guidelines or "",
            modes=tuple(modes or ()),
            ratings_per_output=_whole(ratings_per_output, "ratings per output"),
            pivot_language=(pivot_language or "").strip() or "en",
            blind=bool(blind),
            show_reference=bool(show_reference),
            actor=user.username,
        )
    message = (
        f"Created study **{md_escape(info.slug)}** with rubric "
        f"{md_escape(info.rubric_id)} v{md_escape(info.rubric_version)}."
    )
    return message, study_rows(db), _slugs(db)


def _run_import(
    db: Database,
    settings: Settings,
    kind: str,
    slug: str,
    path: Path,
    mapping: ColumnMapping,
    *,
    name: str,
    sheet: str | None,
    actor: str,
) -> ImportSummary:
    if kind == "cases":
        return import_cases(db, settings, slug, path, mapping, name=name, sheet=sheet, actor=actor)
    importers = {
        "outputs": import_outputs,
        "scores": import_scores,
        "ratings": import_ratings,
        "assignments": annotation_admin.import_assignments,
        "gold": annotation_admin.import_gold,
    }
    if kind not in importers:
        raise MedevalError(f"unknown import kind '{kind}'; use one of: {', '.join(IMPORT_KINDS)}")
    return importers[kind](db, slug, path, mapping, name=name, sheet=sheet, actor=actor)


def import_file(
    db: Database,
    settings: Settings,
    slug: str | None,
    kind: str | None,
    file: str | None,
    maps: str | None,
    sets: str | None,
    suffixes: str | None,
    ignore: str | None,
    sheet: str | None,
    request: gr.Request | None,
) -> str:
    """The import's summary lines, or its error (the import then changed nothing)."""
    user = require_user(db, request, LEAD_ROLES)
    if not slug:
        return "Choose a study first."
    if not file:
        return "Choose a file to upload."
    path = Path(file)  # Gradio keeps the person's file name as the last part of the path
    try:
        mapping = mapping_from_text(maps, sets, suffixes, ignore)
        summary = _run_import(
            db,
            settings,
            kind or "",
            slug,
            path,
            mapping,
            name=path.name,
            sheet=(sheet or "").strip() or None,
            actor=user.username,
        )
    except MedevalError as err:
        return f"{err}\n\n{NOTHING_IMPORTED}"
    return "\n".join(summary.lines())


def load_progress(
    db: Database, slug: str | None, request: gr.Request | None
) -> tuple[str, list[list[Any]], list[list[Any]]]:
    """(overall counts Markdown, per-clinician rows, flag rows) for one study."""
    require_user(db, request, LEAD_ROLES)
    if not slug:
        return "Choose a study.", [], []
    with shown_to_user():
        progress = annotation_admin.study_progress(db, slug)
        flags = annotation_admin.study_flags(db, slug)
    rows = [
        [
            p.username,
            ", ".join(p.languages),
            p.done,
            p.skipped,
            p.open,
            p.flagged,
            None if p.median_seconds is None else round(p.median_seconds, 1),
            p.gold_rated,
            None if p.gold_accuracy is None else round(p.gold_accuracy, 3),
        ]
        for p in progress
    ]
    flag_rows = [
        [
            f.assignment_id,
            f.username,
            f.case_label,
            f.language,
            f.note,
            f.at.isoformat(timespec="minutes") if f.at else "",
        ]
        for f in flags
    ]
    total = {k: sum(getattr(p, k) for p in progress) for k in ("done", "skipped", "open")}
    summary = (
        f"**{md_escape(slug)}**: {len(progress)} clinicians · {total['done']} items done · "
        f"{total['skipped']} skipped · {total['open']} open · {len(flags)} flagged"
    )
    return summary, rows, flag_rows


def export_links(
    db: Database,
    slug: str | None,
    kind: str | None,
    fmt: str | None,
    shape: str | None,
    usernames: bool,
    request: gr.Request | None,
) -> str:
    """A Markdown download link to /api/export/... (the route checks the session again)."""
    user = require_user(db, request, LEAD_ROLES)
    shape = shape or "long"
    with shown_to_user():
        if not slug:
            raise MedevalError("choose a study")
        if kind not in KINDS or fmt not in FORMATS or shape not in ("long", "wide"):
            raise MedevalError("choose what to export, a format and a shape")
        if fmt == "arena" and kind != "votes":
            raise MedevalError("the arena format is for votes only")
        if usernames and user.role != "admin":
            raise MedevalError("usernames instead of pseudonyms are for admins only")
        if usernames and kind not in ("ratings", "votes"):
            raise MedevalError("usernames apply to ratings and votes only")
        info = studies.get_study(db, slug)
    name = export_filename(kind, fmt, info.slug, shape)
    url = export_url(kind, fmt, info.slug, shape=shape, usernames=bool(usernames))
    return f"[Download {md_escape(name)}]({url})"


# --- page -------------------------------------------------------------------------------


def build_lead_blocks(db: Database, settings: Settings) -> gr.Blocks:
    with gr.Blocks(title="medeval · Lead") as blocks:
        with gr.Row(equal_height=True):
            gr.Markdown("# Studies and annotation")
            who = gr.Markdown()
            gr.Button("Log out", link="/logout", variant="secondary", scale=0, min_width=120)
        choosers: list[gr.Dropdown] = []

        with gr.Tab("Studies"):
            with gr.Row():
                slug = gr.Textbox(label="Slug", placeholder="chest-pain-2025")
                title = gr.Textbox(label="Title")
                pivot = gr.Textbox(label="Pivot language", value="en")
            description = gr.Textbox(label="Description", lines=2)
            guidelines = gr.Textbox(label="Guidelines (Markdown, shown to clinicians)", lines=6)
            with gr.Row():
                rubric = gr.Dropdown(list_presets(), label="Rubric preset")
                modes = gr.CheckboxGroup(["rating", "pairwise"], value=["rating"], label="Modes")
                k = gr.Number(3, label="Ratings per output (k)", precision=0, minimum=1)
                blind = gr.Checkbox(True, label="Blind (no model names)")
                show_ref = gr.Checkbox(False, label="Show reference answer")
            create = gr.Button("Create study", variant="primary")
            created = gr.Markdown()
            table = gr.DataFrame(headers=STUDY_HEADERS, interactive=False, label="Studies")

        with gr.Tab("Import"):
            with gr.Row():
                imp_study = gr.Dropdown(label="Study")
                kind = gr.Dropdown(list(IMPORT_KINDS), value="cases", label="What")
                sheet = gr.Textbox(label="Worksheet (.xlsx)", placeholder="first sheet")
            choosers.append(imp_study)
            upload = gr.File(label="File (CSV, JSON Lines, JSON, Parquet, XLSX)", type="filepath")
            mapping_box = gr.Accordion(
                "Column mapping (as the CLI's options, one per line)", open=False
            )
            with mapping_box, gr.Row():
                maps = gr.Textbox(label="FIELD=COLUMN (or template)", lines=4)
                sets = gr.Textbox(label="FIELD=VALUE for every row", lines=4)
                suffixes = gr.Textbox(label="SUFFIX=NAME for '*' columns", lines=4)
                ignore = gr.Textbox(label="Columns to ignore", lines=4)
            run_import = gr.Button("Import", variant="primary")
            imported = gr.Textbox(label="Result", lines=6, interactive=False)

        with gr.Tab("Progress"):
            prog_study = gr.Dropdown(label="Study")
            choosers.append(prog_study)
            overall = gr.Markdown()
            progress = gr.DataFrame(headers=PROGRESS_HEADERS, interactive=False, label="Clinicians")
            flags = gr.DataFrame(headers=FLAG_HEADERS, interactive=False, label="Flagged items")

        with gr.Tab("Export"):
            with gr.Row():
                exp_study = gr.Dropdown(label="Study")
                exp_kind = gr.Dropdown(list(KINDS), value="ratings", label="What")
                fmt = gr.Dropdown(list(FORMATS), value="csv", label="Format")
                shape = gr.Radio(["long", "wide"], value="long", label="Ratings shape")
                names = gr.Checkbox(False, label="Usernames instead of pseudonyms (admins)")
            choosers.append(exp_study)
            make_link = gr.Button("Prepare download link")
            link = gr.Markdown()

        build_dashboard_tab(db)
        build_leaderboard_tab(db)
        build_generate_tab(db, settings)
        build_users_tab(db, blocks)

        def chooser_updates(slugs: list[str]) -> list[Any]:
            return [gr.update(choices=slugs) for _ in choosers]

        def on_load(request: gr.Request) -> list[Any]:
            greeting, rows, slugs = load_lead_page(db, request)
            return [greeting, rows, *chooser_updates(slugs)]

        def on_create(
            slug: str,
            title: str,
            description: str,
            guidelines: str,
            rubric: str,
            modes: list[str],
            k: float | None,
            blind: bool,
            show_ref: bool,
            pivot: str,
            request: gr.Request,
        ) -> list[Any]:
            values = (slug, title, description, guidelines, rubric, modes, k, blind, show_ref)
            message, rows, slugs = create_study(db, *values, pivot, request)
            return [message, rows, *chooser_updates(slugs)]

        def on_import(
            study: str | None,
            kind: str | None,
            file: str | None,
            maps: str,
            sets: str,
            suffixes: str,
            ignore: str,
            sheet: str,
            request: gr.Request,
        ) -> str:
            return import_file(
                db, settings, study, kind, file, maps, sets, suffixes, ignore, sheet, request
            )

        def on_progress(study: str | None, request: gr.Request) -> tuple[Any, ...]:
            return load_progress(db, study, request)

        def on_link(
            study: str | None,
            kind: str | None,
            fmt: str | None,
            shape: str | None,
            names: bool,
            request: gr.Request,
        ) -> str:
            return export_links(db, study, kind, fmt, shape, names, request)

        blocks.load(on_load, outputs=[who, table, *choosers], api_name="lead_page")
        create.click(
            on_create,
            [slug, title, description, guidelines, rubric, modes, k, blind, show_ref, pivot],
            [created, table, *choosers],
            api_name="create_study",
        )
        run_import.click(
            on_import,
            [imp_study, kind, upload, maps, sets, suffixes, ignore, sheet],
            imported,
            api_name="import_file",
        )
        prog_study.change(on_progress, prog_study, [overall, progress, flags], api_name="progress")
        make_link.click(
            on_link, [exp_study, exp_kind, fmt, shape, names], link, api_name="export_link"
        )
    return blocks
