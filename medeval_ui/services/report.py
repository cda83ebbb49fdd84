"""The shareable study report: one self-contained HTML file, and the tables behind it.

The HTML carries plotly.js inline (about 4.6 MB) instead of a script tag pointing at a CDN,
so it opens offline and sends no request anywhere; every text that came from a user
(study description, model names, notes) is HTML-escaped. The tables are the same ones
``medeval scores`` and ``medeval agreement`` write.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from plotly.offline import get_plotlyjs

from medeval_ui.errors import MedevalError
from medeval_ui.exchange.export_writers import neutralize_cell
from medeval_ui.services.dashboard import CLINICIANS, Dashboard
from medeval_ui.services.dashboard_charts import all_figures

TABLE_FORMATS = ("csv", "parquet")
_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; color: #222; }
h1 { margin-bottom: .2rem; } .meta { color: #555; } .note { color: #8a4b00; }
table { border-collapse: collapse; font-size: .85rem; margin: .5rem 0 1.5rem; }
th, td { border: 1px solid #ccc; padding: .2rem .45rem; text-align: left; }
th { background: #f2f2f2; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
"""


def report_tables(d: Dashboard) -> dict[str, pd.DataFrame]:
    """The tables behind the report, by file stem."""
    return {"measures": d.measures(), "agreement": d.agreement, "clinicians": d.clinicians}


def _table_html(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "<p><em>No rows.</em></p>"
    shown = frame.copy()
    for column in shown.columns:
        if pd.api.types.is_float_dtype(shown[column]):
            shown[column] = shown[column].map(lambda x: "" if pd.isna(x) else f"{x:.3f}")
    return shown.to_html(index=False, escape=True, na_rep="", border=0)


def report_html(d: Dashboard, *, generated_at: datetime | None = None) -> str:
    """The whole report as one HTML document (charts embedded, no external resources)."""
    when = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    s, e = d.study, html.escape
    sources = [CLINICIANS, *sorted(set(d.correctness["source"]) - {CLINICIANS})]
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        # No request may leave the file: scripts inline only, nothing fetched.
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
        "script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:\">",
        f"<title>{e(s.title)} · medeval report</title><style>{_STYLE}</style>",
        f"<script>{get_plotlyjs()}</script></head><body>",
        f"<h1>{e(s.title)}</h1>",
        f"<p class='meta'>Study <code>{e(s.slug)}</code> · rubric <code>{e(s.rubric_id)}</code> "
        f"version {e(s.rubric_version)} · pivot language {e(s.pivot_language)} · "
        f"{d.n_ratings} ratings, {d.n_scores} automatic scores · generated {when}</p>",
        f"<p>{e(s.description)}</p>" if s.description else "",
        f"<p class='meta'>Filters: {e(_filters_text(d))}</p>",
        *(f"<p class='note'>⚠ {e(n)}</p>" for n in d.notes),
        "<p class='meta'>Intervals are 95%: Wilson for single judgments, otherwise "
        "percentile bootstrap clustered by case (correctness), by case group (language gap, "
        "consistency) or by item (agreement). Rows marked small have fewer than 30 units.</p>",
    ]
    first = True
    for source in sources:
        figures = all_figures(d, source)
        parts.append(f"<h2>{e(source)}</h2>")
        for name, fig in figures.items():
            if fig is None or (not first and name in ("sample_consistency", "agreement")):
                continue
            parts.append(fig.to_html(full_html=False, include_plotlyjs=False, div_id=None))
        first = False
    titles = {
        "measures": "Correctness, language gap, consistency and judges",
        "agreement": "Inter-rater agreement",
        "clinicians": "Clinicians",
    }
    for stem, frame in report_tables(d).items():
        parts += [f"<h2>{titles[stem]}</h2>", _table_html(frame)]
    parts.append("</body></html>")
    return "\n".join(parts)


def _filters_text(d: Dashboard) -> str:
    f = d.filters
    chosen = [
        f"{name} {', '.join(values)}"
        for name, values in (
            ("languages", f.languages),
            ("models", f.models),
            ("specialties", f.specialties),
            ("clinicians", f.clinicians),
        )
        if values
    ]
    if d.question is not None:
        chosen.append(f"correctness from question '{d.question.id}'")
    if f.since or f.until:
        chosen.append(f"ratings from {f.since or 'the start'} to {f.until or 'today'}")
    return "; ".join(chosen) or "none (the whole study)"


def write_report(d: Dashboard, path: Path) -> Path:
    if path.suffix.lower() not in (".html", ".htm"):
        raise MedevalError(f"{path.name}: the report is an HTML file; name it REPORT.html")
    try:
        path.write_text(report_html(d), encoding="utf-8")
    except OSError as exc:
        raise MedevalError(f"{path}: cannot be written ({exc.strerror})") from None
    return path


def write_table(frame: pd.DataFrame, path: Path) -> Path:
    """One table as CSV, JSON (records) or Parquet, chosen by the file's suffix."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":  # text cells a spreadsheet would run as formulas are defused
            safe = frame.copy()
            for column in safe.columns:
                if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
                    safe[column] = safe[column].map(
                        lambda v: neutralize_cell(v) if isinstance(v, str) else v
                    )
            safe.to_csv(path, index=False)
        elif suffix == ".json":
            frame.to_json(path, orient="records", indent=1, force_ascii=False)
        elif suffix == ".parquet":
            frame.to_parquet(path, index=False)
        else:
            raise MedevalError(f"{path.name}: write .csv, .json or .parquet")
    except OSError as exc:
        raise MedevalError(f"{path}: cannot be written ({exc.strerror})") from None
    return path


def write_tables(d: Dashboard, folder: Path, fmt: str = "csv") -> list[Path]:
    if fmt not in TABLE_FORMATS:
        raise MedevalError(f"table format must be one of {', '.join(TABLE_FORMATS)}")
    folder.mkdir(parents=True, exist_ok=True)
    return [write_table(t, folder / f"{stem}.{fmt}") for stem, t in report_tables(d).items()]
