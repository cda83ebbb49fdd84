"""Plotly figures of a dashboard, shared by the lead page and the HTML report.

Every bar or point shows its interval and its n on hover; small samples are drawn hollow
or hatched and say so, and undefined values are left out of the chart (the tables beside
them say why).
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from medeval_ui.services.dashboard import Dashboard

_PALETTE = ["#1f5fa8", "#d9772b", "#3a8f5c", "#a23b72", "#6b5ca5", "#8c6d31", "#4d9fbf"]
_PALETTE += ["#b04646", "#7a7a7a", "#2f4b7c"]


def _defined(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["value"].notna()]


def _bars(frame: pd.DataFrame, title: str, y_title: str, *, percent: bool) -> go.Figure:
    """Grouped bars: x = language, one colour per model, error bars from lower/upper."""
    fig = go.Figure()
    scale = 100.0 if percent else 1.0
    for i, (model, part) in enumerate(frame.groupby("model", sort=True)):
        colour = _PALETTE[i % len(_PALETTE)]
        value = part["value"].astype(float) * scale
        upper = part["upper"].astype(float).fillna(part["value"]) * scale
        lower = part["lower"].astype(float).fillna(part["value"]) * scale
        fig.add_trace(
            go.Bar(
                x=part["language"],
                y=value,
                name=str(model),
                marker={
                    "color": colour,
                    "pattern": {"shape": ["/" if s else "" for s in part["small"]]},
                },
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": (upper - value).clip(lower=0),
                    "arrayminus": (value - lower).clip(lower=0),
                },
                text=[
                    f"n={n}" + (" (small)" if s else "")
                    for n, s in zip(part["n"], part["small"], strict=True)
                ],
                textposition="outside",
                customdata=list(zip(lower, upper, part["n"], part["n_obs"], strict=True)),
                hovertemplate=f"{model} · %{{x}}<br>%{{y:.3g}} (%{{customdata[0]:.3g}} to "
                "%{customdata[1]:.3g})<br>n=%{customdata[2]} · %{customdata[3]} judgments"
                "<extra></extra>",
            )
        )
    fig.update_layout(
        title=title,
        barmode="group",
        yaxis={"title": y_title},
        xaxis={"title": "language"},
        legend={"title": "model"},
        margin={"l": 60, "r": 20, "t": 60, "b": 60},
        height=420,
    )
    return fig


def correctness_figure(d: Dashboard, source: str) -> go.Figure | None:
    part = _defined(d.correctness[d.correctness["source"] == source])
    if part.empty:
        return None
    title = f"Correctness by model and language ({source}), 95% intervals; hatched = small n"
    return _bars(part, title, "% correct", percent=True)


def gap_figure(d: Dashboard, source: str) -> go.Figure | None:
    g = d.language_gap
    part = _defined(g[(g["source"] == source) & (g["measure"] == "difference")])
    if part.empty:
        return None
    pivot = d.study.pivot_language
    title = f"Language gap against {pivot} on the same case groups ({source}), paired"
    fig = _bars(part, title, f"percentage points vs {pivot}", percent=True)
    fig.add_hline(y=0, line={"color": "#444", "width": 1})
    return fig


def crosslingual_figure(d: Dashboard, source: str) -> go.Figure | None:
    c = d.crosslingual
    measure = "same answer" if (c["measure"] == "same answer").any() else "same judgment"
    part = _defined(c[(c["source"] == source) & (c["measure"] == measure)])
    if part.empty:
        return None
    title = f"Cross-lingual consistency ({source}): {measure} as in {d.study.pivot_language}"
    return _bars(part, title, f"% of case groups with the {measure}", percent=True)


def sample_figure(d: Dashboard) -> go.Figure | None:
    part = _defined(d.sample_consistency)
    part = part[part["measure"].isin(["same judgment", "unigram_jaccard", "embedding cosine"])]
    if part.empty:
        return None
    shown = part.assign(language=part["source"] + ": " + part["measure"])
    return _bars(shown, "Consistency across samples of the same case", "share", percent=False)


def agreement_figure(d: Dashboard, statistic: str = "krippendorff_alpha") -> go.Figure | None:
    """Heatmap question x language of one agreement statistic, with n in every cell."""
    a = d.agreement[d.agreement["statistic"] == statistic]
    if a.empty:
        return None
    questions = list(dict.fromkeys(a["question"]))
    languages = list(dict.fromkeys(a["language"]))
    cell = {(r.question, r.language): r for r in a.itertuples()}
    z, text = [], []
    for q in questions:
        z.append([_z(cell.get((q, lang))) for lang in languages])
        text.append([_cell_text(cell.get((q, lang))) for lang in languages])
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=languages,
            y=questions,
            text=text,
            texttemplate="%{text}",
            zmin=-0.2,
            zmax=1,
            colorscale="RdYlGn",
            colorbar={"title": statistic.replace("_", " ")},
            hovertemplate="%{y} · %{x}<br>%{text}<extra></extra>",
        )
    )
    fig.update_layout(
        title=f"Inter-rater agreement ({statistic.replace('_', ' ')}) per question and language",
        yaxis={"autorange": "reversed"},
        margin={"l": 160, "r": 20, "t": 60, "b": 60},
        height=260 + 40 * len(questions),
    )
    return fig


def _z(r: object) -> float:
    value = getattr(r, "value", None)
    return math.nan if value is None or pd.isna(value) else float(value)


def _cell_text(r: object) -> str:
    if r is None:
        return ""
    value = getattr(r, "value", None)
    n = getattr(r, "n_items", 0)
    if value is None or pd.isna(value):
        return f"undefined<br>n={n}"
    mark = "*" if getattr(r, "small", False) else ""
    return f"{value:.2f}{mark}<br>n={n}"


def all_figures(d: Dashboard, source: str) -> dict[str, go.Figure | None]:
    """Every chart of the dashboard for one judgment source, by name."""
    return {
        "correctness": correctness_figure(d, source),
        "language_gap": gap_figure(d, source),
        "crosslingual": crosslingual_figure(d, source),
        "sample_consistency": sample_figure(d),
        "agreement": agreement_figure(d),
    }
