"""What a dashboard is restricted to, and applying it to a frame of judgments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd

from medeval_ui.domain.languages import within


@dataclass(frozen=True)
class Filters:
    """What the dashboard is restricted to; empty means everything.

    ``question`` picks the scored question correctness is read from (default: the first
    question whose options carry scores) and restricts the agreement table to it.
    ``clinicians`` are usernames or pseudonyms; dates are inclusive, by rating time (UTC).
    """

    languages: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    specialties: tuple[str, ...] = ()
    question: str | None = None
    clinicians: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None


def _matches_language(values: pd.Series, wanted: tuple[str, ...]) -> pd.Series:
    """Tags equal to a wanted tag or inside it ("pt" keeps "pt-BR"), as ``within`` says:
    decided once per distinct tag, then mapped onto the rows."""
    text = values.astype(str)
    keep = {t: any(within(t, w) for w in wanted) for t in text.unique()}
    return text.map(keep).astype(bool)


def filter_frame(frame: pd.DataFrame, f: Filters, *, by_time: bool) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    if f.languages:
        mask &= _matches_language(frame["language"], f.languages)
    if f.models:
        mask &= frame["model"].isin(f.models)
    if f.specialties:
        mask &= frame["specialty"].isin(f.specialties)
    if by_time and f.since:
        mask &= pd.to_datetime(frame["created_at"]) >= datetime.combine(f.since, time())
    if by_time and f.until:
        end = datetime.combine(f.until + timedelta(days=1), time())
        mask &= pd.to_datetime(frame["created_at"]) < end
    return frame[mask]
