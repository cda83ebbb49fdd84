"""The Leaderboard tab of the lead page: Bradley-Terry ratings from blind pairwise votes.

For leads and admins (the /lead mount lets no one else in, and every handler here checks
the role again). This is the unblinded view: model names appear by design. Every number
comes with its n and interval, and small samples are marked (DESIGN.md section 4):
ratings with bootstrap intervals, the win-rate and vote-count matrices, the share of
decisive votes won by the left position, and the service's warnings.
"""

from __future__ import annotations

# isort: off
import medeval_ui.web.offline  # noqa: F401  (sets the offline variables before gradio)
# isort: on

import math
from typing import Any

import gradio as gr
import plotly.graph_objects as go

from medeval_ui.errors import MedevalError
from medeval_ui.services import studies
from medeval_ui.services.leaderboard import (
    LeaderboardReport,
    leaderboard_filters,
    study_leaderboard,
)
from medeval_ui.stats.position_bias import PositionBias
from medeval_ui.storage.engine import Database
from medeval_ui.web.export_routes import export_url
from medeval_ui.web.guard import md_escape, require_user, shown_to_user

LEAD_ROLES = ("lead", "admin")
ALL = "*"  # the filters' "everything" value (neither a language tag nor a question id)
TABLE_HEADERS = ["Model", "Rating", "Lower", "Upper", "Rank", "Votes", "Sample", "Note"]
NO_VOTES = (
    "**No votes yet in this study{where}.** The leaderboard appears once clinicians have "
    "compared pairs on the compare page (or votes were imported)."
)
NO_STUDIES = "No study collects pairwise votes yet: create one with the mode *pairwise*."
UNBOUNDED = "won or lost all it met: the rating is a bound, its interval open on one side"
DEFAULT_ROUNDS = 1000


def _number(value: float) -> str | float:
    return "—" if value is None or math.isnan(value) else round(value, 1)


def _pct(x: float) -> str:
    return f"{100 * x:.0f}"


def position_line(bias: PositionBias) -> str:
    """'left won 52% of 480 decisive votes (95% CI 47-56%): no evidence of position bias'."""
    if bias.n == 0:
        return "No decisive votes made in the app yet: position bias cannot be assessed."
    if bias.biased is False:
        verdict = "no evidence of position bias"
    elif bias.lower > 0.5:
        verdict = "the left position is favoured"
    else:
        verdict = "the right position is favoured"
    return (
        f"Position: left won {_pct(bias.share)}% of {bias.n} decisive votes "
        f"({bias.level:.0%} CI {_pct(bias.lower)}-{_pct(bias.upper)}%): {verdict}"
        f" · {bias.ties} ties, {bias.both_bad} both bad left out."
    )


def table_rows(report: LeaderboardReport) -> list[list[Any]]:
    components = {r.component for r in report.rows if r.component is not None}
    rows = []
    for r in report.rows:
        notes = []
        if r.unbounded:
            notes.append(UNBOUNDED)
        if len(components) > 1 and r.component is not None:
            notes.append(f"group {r.component + 1}: not comparable with other groups")
        if r.component is None:
            notes.append("no votes")
        rows.append(
            [
                r.model,
                _number(r.rating),
                _number(r.lower),
                _number(r.upper),
                r.rank if r.rank is not None else "—",
                r.votes,
                f"provisional (< {report.min_votes} votes)" if r.provisional else "",
                "; ".join(notes),
            ]
        )
    return rows


def ratings_figure(report: LeaderboardReport) -> go.Figure:
    """Each model's rating with its bootstrap interval, best first; provisional in grey."""
    shown = [r for r in report.rows if not math.isnan(r.rating)]
    fig = go.Figure()
    for provisional, colour, name in (
        (False, "#1f5fa8", "rating"),
        (True, "#9a9a9a", "provisional"),
    ):
        part = [r for r in shown if r.provisional == provisional]
        if not part:
            continue
        fig.add_trace(
            go.Scatter(
                x=[r.model for r in part],
                y=[r.rating for r in part],
                mode="markers",
                name=name,
                marker={
                    "size": 11,
                    "color": colour,
                    "symbol": "circle-open" if provisional else "circle",
                },
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": [max(r.upper - r.rating, 0.0) for r in part],
                    "arrayminus": [max(r.rating - r.lower, 0.0) for r in part],
                    "color": colour,
                },
                customdata=[[r.lower, r.upper, r.votes] for r in part],
                hovertemplate="%{x}<br>rating %{y:.0f} (%{customdata[0]:.0f} to "
                "%{customdata[1]:.0f})<br>%{customdata[2]} votes<extra></extra>",
            )
        )
    fig.update_layout(
        title="Ratings with 95% bootstrap intervals",
        xaxis={"categoryorder": "array", "categoryarray": [r.model for r in shown]},
        yaxis={"title": "rating (400·θ + 1000)"},
        margin={"l": 60, "r": 20, "t": 50, "b": 80},
        height=380,
    )
    return fig


def win_rate_figure(report: LeaderboardReport) -> go.Figure:
    """Share of (half-counted) wins of the row model over the column model, with n."""
    names = report.names
    z = [[math.nan if v is None else v for v in row] for row in report.win_rate]
    text = [
        [
            "" if v is None else f"{100 * v:.0f}%<br>n={report.counts[i][j]}"
            for j, v in enumerate(row)
        ]
        for i, row in enumerate(report.win_rate)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=names,
            y=names,
            text=text,
            texttemplate="%{text}",
            zmin=0,
            zmax=1,
            colorscale="RdBu",
            colorbar={"title": "win rate"},
            hovertemplate="%{y} over %{x}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(
        title="Win rate of the row over the column (ties count half)",
        xaxis={"title": "opponent"},
        yaxis={"title": "model", "autorange": "reversed"},
        margin={"l": 120, "r": 20, "t": 50, "b": 80},
        height=360 + 24 * len(names),
    )
    return fig


def counts_figure(report: LeaderboardReport) -> go.Figure:
    names = report.names
    fig = go.Figure(
        go.Heatmap(
            z=report.counts,
            x=names,
            y=names,
            texttemplate="%{z}",
            colorscale="Blues",
            colorbar={"title": "votes"},
            hovertemplate="%{y} vs %{x}: %{z} votes<extra></extra>",
        )
    )
    fig.update_layout(
        title="Votes per pair of models",
        yaxis={"autorange": "reversed"},
        margin={"l": 120, "r": 20, "t": 50, "b": 80},
        height=360 + 24 * len(names),
    )
    return fig


# --- handlers ---------------------------------------------------------------------------


def leaderboard_studies(db: Database, request: gr.Request | None) -> dict[str, Any]:
    """The study dropdown: studies that collect pairwise votes."""
    require_user(db, request, LEAD_ROLES)
    choices = [(f"{s.title} ({s.slug})", s.slug) for s in studies.list_studies(db)]
    pairwise = [s.slug for s in studies.list_studies(db) if "pairwise" in s.modes]
    choices = [c for c in choices if c[1] in pairwise]
    return gr.update(choices=choices, interactive=bool(choices))


def leaderboard_filter_choices(
    db: Database, slug: str | None, request: gr.Request | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(language dropdown, axis dropdown) for a study: what its votes have."""
    require_user(db, request, LEAD_ROLES)
    languages: list[tuple[str, str]] = [("All languages", ALL)]
    axes: list[tuple[str, str]] = [("Overall vote", ALL)]
    if slug:
        with shown_to_user():
            langs, axis_ids = leaderboard_filters(db, slug)
            rubric = studies.get_rubric(db, slug)
        texts = {q.id: q.text for q in rubric.questions}
        languages += [(lang, lang) for lang in langs]
        axes += [(_short(texts.get(a, a)), a) for a in axis_ids]
    return (
        gr.update(choices=languages, value=ALL),
        gr.update(choices=axes, value=ALL),
    )


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _whole(value: Any, default: int, what: str) -> int:
    if value in (None, ""):
        return default
    number = float(value)
    if number != int(number):
        raise MedevalError(f"{what} must be a whole number")
    return int(number)


def load_leaderboard(
    db: Database,
    slug: str | None,
    language: str | None,
    axis: str | None,
    rounds: Any,
    seed: Any,
    request: gr.Request | None,
) -> tuple[Any, ...]:
    """(summary, warnings, table rows, ratings figure, win-rate figure, vote-count figure,
    position bias line, export link) for one study and filter."""
    require_user(db, request, LEAD_ROLES)
    if not slug:
        return ("Choose a study.", "", [], None, None, None, "", "")
    with shown_to_user():
        report = study_leaderboard(
            db,
            slug,
            language=None if language in (None, "", ALL) else language,
            axis=None if axis in (None, "", ALL) else axis,
            rounds=_whole(rounds, DEFAULT_ROUNDS, "bootstrap rounds"),
            seed=_whole(seed, 0, "the seed"),
        )
    export = (
        f"[Download the votes in Chatbot Arena format]({export_url('votes', 'arena', slug)}) "
        "(`model_a, model_b, winner`), to check these numbers with other tools."
    )
    where = []
    if report.language:
        where.append(f"language {md_escape(report.language)}")
    if report.axis:
        where.append(f"axis {md_escape(report.axis)}")
    scope = f" ({', '.join(where)})" if where else ""
    if not report.names:
        return (NO_VOTES.format(where=scope), "", [], None, None, None, "", export)
    summary = (
        f"**{md_escape(slug)}**{scope}: {report.votes} votes on {len(report.names)} models · "
        f"a model with fewer than {report.min_votes} votes is marked provisional · "
        "rank = 1 + the models whose interval lies entirely above."
    )
    notes = "\n".join(f"- ⚠️ {md_escape(w)}" for w in report.warnings)
    return (
        summary,
        notes,
        table_rows(report),
        ratings_figure(report),
        win_rate_figure(report),
        counts_figure(report),
        position_line(report.position),
        export,
    )


# --- the tab ----------------------------------------------------------------------------


def build_leaderboard_tab(db: Database) -> gr.Tab:
    """The Leaderboard tab, inside the lead page's tabs (being built); it fills its study
    list when it is opened."""
    with gr.Tab("Leaderboard", elem_id="leaderboard-tab") as tab:
        with gr.Row(equal_height=True):
            study = gr.Dropdown(label="Study (pairwise)", choices=[], elem_id="lb-study", scale=3)
            language = gr.Dropdown(
                label="Language", choices=[("All languages", ALL)], value=ALL, elem_id="lb-language"
            )
            axis = gr.Dropdown(
                label="Axis", choices=[("Overall vote", ALL)], value=ALL, elem_id="lb-axis"
            )
            rounds = gr.Number(
                DEFAULT_ROUNDS,
                label="Bootstrap rounds",
                precision=0,
                minimum=1,
                elem_id="lb-rounds",
            )
            seed = gr.Number(0, label="Seed", precision=0, elem_id="lb-seed")
            run = gr.Button("Compute", variant="primary", scale=0, min_width=120, elem_id="lb-run")
        summary = gr.Markdown("Choose a study.", elem_id="lb-summary")
        notes = gr.Markdown(elem_id="lb-warnings")
        table = gr.DataFrame(
            headers=TABLE_HEADERS, interactive=False, label="Leaderboard", elem_id="lb-table"
        )
        position = gr.Markdown(elem_id="lb-position")
        ratings = gr.Plot(label="Ratings", elem_id="lb-ratings")
        with gr.Row():
            win_rate = gr.Plot(label="Win rate", elem_id="lb-winrate")
            counts = gr.Plot(label="Votes", elem_id="lb-counts")
        export = gr.Markdown(elem_id="lb-export")

        outputs = [summary, notes, table, ratings, win_rate, counts, position, export]

        def on_open(request: gr.Request) -> dict[str, Any]:
            return leaderboard_studies(db, request)

        def on_study(
            slug: str | None, rounds_: Any, seed_: Any, request: gr.Request
        ) -> tuple[Any, ...]:
            filters = leaderboard_filter_choices(db, slug, request)
            return (*filters, *load_leaderboard(db, slug, ALL, ALL, rounds_, seed_, request))

        def on_compute(
            slug: str | None,
            language_: str | None,
            axis_: str | None,
            rounds_: Any,
            seed_: Any,
            request: gr.Request,
        ) -> tuple[Any, ...]:
            return load_leaderboard(db, slug, language_, axis_, rounds_, seed_, request)

        tab.select(on_open, outputs=[study], api_name="leaderboard_studies")
        study.input(
            on_study,
            [study, rounds, seed],
            [language, axis, *outputs],
            api_name="leaderboard_study",
        )
        inputs = [study, language, axis, rounds, seed]
        gr.on(
            [run.click, language.input, axis.input],
            on_compute,
            inputs,
            outputs,
            api_name="leaderboard",
        )
    return tab
