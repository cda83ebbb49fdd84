"""The Dashboard tab of the lead page: correctness, consistency and agreement by language
and model, clinician statistics, and the downloadable report.

For leads and admins only (the /lead mount refuses others, and every handler checks the
role again). The numbers come from services/dashboard.py; tables on screen are rounded
and small, the full ones are in the report's tables. Every number shows its n, small
samples are marked, undefined values say why.
"""

from __future__ import annotations

# isort: off
import medeval_ui.web.offline  # noqa: F401  (sets the offline variables before gradio)
# isort: on

import tempfile
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from medeval_ui.services import studies
from medeval_ui.services.dashboard import CLINICIANS, Dashboard, filter_choices, study_dashboard
from medeval_ui.services.dashboard_charts import all_figures
from medeval_ui.services.dashboard_filters import Filters
from medeval_ui.services.judgments import load_judgments
from medeval_ui.services.report import report_tables, write_report, write_table
from medeval_ui.storage.engine import Database
from medeval_ui.web.guard import md_escape, require_user, shown_to_user

LEAD_ROLES = ("lead", "admin")
DASHBOARD_ROUNDS = 1000
FIGURES = ("correctness", "language_gap", "crosslingual", "sample_consistency", "agreement")
MEASURE_HEADERS = ["Source", "Model", "Language", "Measure", "Value", "95% CI", "n", "Note"]
AGREEMENT_HEADERS = ["Question", "Language", "Statistic", "Value", "95% CI", "Items"]
AGREEMENT_HEADERS += ["Ratings", "Reading", "Note"]
CLINICIAN_HEADERS = ["Clinician", "Ratings", "Median s", "Gold rated"]
CLINICIAN_HEADERS += ["Gold accuracy", "Agreement with others", "Compared"]


def _fmt(value: Any, percent: bool = False) -> str:
    if value is None or pd.isna(value):
        return "—"
    return f"{100 * value:.1f}%" if percent else f"{value:.3f}"


def _ci(lower: Any, upper: Any, percent: bool = False) -> str:
    if lower is None or upper is None or pd.isna(lower) or pd.isna(upper):
        return ""
    return f"{_fmt(lower, percent)} to {_fmt(upper, percent)}"


def _is_share(measure: str) -> bool:
    return "kappa" not in measure and "relative" not in measure and "length" not in measure


def measure_rows(frame: pd.DataFrame) -> list[list[Any]]:
    rows = []
    for r in frame.itertuples():
        pct = r.table in ("correctness", "language_gap", "crosslingual") and _is_share(r.measure)
        rows.append(
            [
                r.source,
                r.model,
                r.language,
                r.measure,
                _fmt(r.value, pct),
                _ci(r.lower, r.upper, pct),
                r.n,
                r.note,
            ]
        )
    return rows


def agreement_table_rows(frame: pd.DataFrame) -> list[list[Any]]:
    return [
        [
            r.question,
            r.language,
            r.statistic,
            _fmt(r.value),
            _ci(r.lower, r.upper),
            r.n_items,
            r.n_ratings,
            r.label,
            r.note,
        ]
        for r in frame.itertuples()
    ]


def clinician_table_rows(frame: pd.DataFrame) -> list[list[Any]]:
    return [
        [
            r.clinician,
            r.ratings,
            _fmt(r.median_seconds),
            r.gold_rated,
            _fmt(r.gold_accuracy, True),
            _fmt(r.agreement_with_others, True),
            r.n_compared,
        ]
        for r in frame.itertuples()
    ]


def _day(text: str | None, what: str) -> date | None:
    if not text or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise gr.Error(f"{what}: write the date as YYYY-MM-DD, got {text!r}") from None


def make_filters(
    languages: list[str] | None,
    models: list[str] | None,
    specialties: list[str] | None,
    question: str | None,
    clinicians: list[str] | None,
    since: str | None,
    until: str | None,
) -> Filters:
    return Filters(
        languages=tuple(languages or ()),
        models=tuple(models or ()),
        specialties=tuple(specialties or ()),
        question=question or None,
        clinicians=tuple(clinicians or ()),
        since=_day(since, "From"),
        until=_day(until, "Until"),
    )


# --- handlers ---------------------------------------------------------------------------


def dashboard_studies(db: Database, request: gr.Request | None) -> dict[str, Any]:
    require_user(db, request, LEAD_ROLES)
    choices = [(f"{s.title} ({s.slug})", s.slug) for s in studies.list_studies(db)]
    return gr.update(choices=choices, interactive=bool(choices))


def dashboard_filter_choices(
    db: Database, slug: str | None, request: gr.Request | None
) -> tuple[dict[str, Any], ...]:
    """(languages, models, specialties, question, clinicians, source) choices of a study."""
    require_user(db, request, LEAD_ROLES)
    if not slug:
        return tuple(gr.update(choices=[], value=None) for _ in range(6))
    with shown_to_user():
        j = load_judgments(db, slug, with_texts=False)
    c = filter_choices(j)
    sources = [
        CLINICIANS,
        *sorted(
            {f"{s} · {m}" for s, m in zip(j.scores["scorer"], j.scores["metric"], strict=True)}
        ),
    ]
    return (
        gr.update(choices=c["languages"], value=[]),
        gr.update(choices=c["models"], value=[]),
        gr.update(choices=c["specialties"], value=[]),
        gr.update(choices=[("Default (first scored question)", "")] + c["questions"], value=""),
        gr.update(choices=c["clinicians"], value=[]),
        gr.update(choices=sources, value=CLINICIANS),
    )


def _summary(d: Dashboard) -> str:
    s = d.study
    question = f"correctness from `{d.question.id}`" if d.question else "no scored question"
    lines = [
        f"**{md_escape(s.title)}** · {d.n_ratings} ratings, {d.n_scores} automatic scores · "
        f"{question} · pivot language `{md_escape(s.pivot_language)}` · "
        "95% intervals · *small* = fewer than 30 units (cases, groups or items)."
    ]
    lines += [f"- ⚠️ {md_escape(n)}" for n in d.notes]
    return "\n".join(lines)


def load_dashboard(
    db: Database,
    slug: str | None,
    source: str | None,
    filters: Filters,
    request: gr.Request | None,
    rounds: int = DASHBOARD_ROUNDS,
) -> tuple[Any, ...]:
    """(summary, 5 figures, measures rows, agreement rows, clinician rows) for a study."""
    require_user(db, request, LEAD_ROLES)
    if not slug:
        return ("Choose a study.", *([None] * len(FIGURES)), [], [], [])
    with shown_to_user():
        d = study_dashboard(db, slug, filters, rounds=rounds)
    figures = all_figures(d, source or CLINICIANS)
    return (
        _summary(d),
        *(figures[name] for name in FIGURES),
        measure_rows(d.measures()),
        agreement_table_rows(d.agreement),
        clinician_table_rows(d.clinicians),
    )


def build_report_files(
    db: Database, slug: str | None, filters: Filters, request: gr.Request | None
) -> list[str]:
    """The HTML report and a zip of its tables (CSV), in a fresh temporary folder."""
    require_user(db, request, LEAD_ROLES)
    if not slug:
        raise gr.Error("Choose a study first.")
    with shown_to_user():
        d = study_dashboard(db, slug, filters, rounds=DASHBOARD_ROUNDS)
        folder = Path(tempfile.mkdtemp(prefix="medeval-report-"))
        html = write_report(d, folder / f"{slug}-report.html")
        archive = folder / f"{slug}-tables.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
            for stem, table in report_tables(d).items():
                zf.write(write_table(table, folder / f"{stem}.csv"), f"{stem}.csv")
    return [str(html), str(archive)]


# --- the tab ----------------------------------------------------------------------------


def _table(headers: list[str], label: str, elem_id: str, height: int | None = 420) -> Any:
    """A read-only table of the tab; long ones scroll inside ``height`` pixels."""
    extra = {"max_height": height} if height else {}
    return gr.DataFrame(headers=headers, interactive=False, label=label, elem_id=elem_id, **extra)


def build_dashboard_tab(db: Database) -> gr.Tab:
    """The Dashboard tab, inside the lead page's tabs; fills its study list when opened."""
    with gr.Tab("Dashboard", elem_id="dashboard-tab") as tab:
        with gr.Row(equal_height=True):
            study = gr.Dropdown(label="Study", choices=[], elem_id="db-study", scale=3)
            source = gr.Dropdown(label="Charts for", choices=[], elem_id="db-source", scale=2)
            run = gr.Button("Compute", variant="primary", scale=0, min_width=120, elem_id="db-run")
        with gr.Accordion("Filters", open=False), gr.Row():
            languages = gr.Dropdown(label="Languages", multiselect=True, elem_id="db-languages")
            models = gr.Dropdown(label="Models", multiselect=True, elem_id="db-models")
            specialties = gr.Dropdown(label="Specialties", multiselect=True)
            question = gr.Dropdown(label="Rubric question", elem_id="db-question")
            clinicians = gr.Dropdown(label="Clinicians", multiselect=True)
            since = gr.Textbox(label="From (YYYY-MM-DD)")
            until = gr.Textbox(label="Until (YYYY-MM-DD)")
        summary = gr.Markdown("Choose a study.", elem_id="db-summary")
        plots = {
            name: gr.Plot(label=name.replace("_", " "), elem_id=f"db-{name}") for name in FIGURES
        }
        measures = _table(MEASURE_HEADERS, "Models", "db-measures-table")
        agreement = _table(AGREEMENT_HEADERS, "Agreement", "db-agreement-table")
        people = _table(CLINICIAN_HEADERS, "Clinicians", "db-clinicians-table", height=None)
        with gr.Row():
            make_report = gr.Button("Build report (HTML + tables)", elem_id="db-report")
            files = gr.File(
                label="Report", file_count="multiple", interactive=False, elem_id="db-files"
            )
        filter_inputs = [languages, models, specialties, question, clinicians, since, until]

        def on_open(request: gr.Request) -> dict[str, Any]:
            return dashboard_studies(db, request)

        def on_study(slug: str | None, request: gr.Request) -> tuple[Any, ...]:
            return dashboard_filter_choices(db, slug, request)

        def on_run(
            slug: str | None,
            src: str | None,
            langs: list[str] | None,
            names: list[str] | None,
            specs: list[str] | None,
            q: str | None,
            people_: list[str] | None,
            start: str | None,
            end: str | None,
            request: gr.Request,
        ) -> tuple[Any, ...]:
            chosen = make_filters(langs, names, specs, q, people_, start, end)
            return load_dashboard(db, slug, src, chosen, request)

        def on_report(
            slug: str | None,
            langs: list[str] | None,
            names: list[str] | None,
            specs: list[str] | None,
            q: str | None,
            people_: list[str] | None,
            start: str | None,
            end: str | None,
            request: gr.Request,
        ) -> list[str]:
            chosen = make_filters(langs, names, specs, q, people_, start, end)
            return build_report_files(db, slug, chosen, request)

        tab.select(on_open, None, study, api_name="dashboard_studies")
        study.change(
            on_study,
            study,
            [languages, models, specialties, question, clinicians, source],
            api_name="dashboard_filters",
        )
        outputs = [summary, *plots.values(), measures, agreement, people]
        run.click(on_run, [study, source, *filter_inputs], outputs, api_name="dashboard")
        make_report.click(on_report, [study, *filter_inputs], files, api_name="dashboard_report")
    return tab
