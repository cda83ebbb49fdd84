"""A language filter keeps the tag and its variants: "pt" keeps "pt-BR", not "ptx"."""

from __future__ import annotations

import pandas as pd

from medeval_ui.domain.languages import within
from medeval_ui.services.dashboard_filters import _matches_language


def test_within_compares_whole_subtags() -> None:
    assert within("pt", "pt") and within("pt-BR", "pt") and within("zh-Hans-CN", "zh-Hans")
    assert not within("ptx", "pt") and not within("pt", "pt-BR") and not within("en", "pt")


def test_the_dashboard_filter_keeps_variants_rows_in_place() -> None:
    tags = pd.Series(["pt-BR", "en", "ptx", "pt", "zh-Hans", "pt-BR"], index=[5, 3, 9, 1, 0, 2])
    kept = _matches_language(tags, ("pt", "zh"))
    assert kept.tolist() == [True, False, False, True, True, True]
    assert kept.index.tolist() == tags.index.tolist() and kept.dtype == bool
    assert not _matches_language(tags, ("ar",)).any()
