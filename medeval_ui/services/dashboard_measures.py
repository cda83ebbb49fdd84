"""The dashboard's model tables in one long shape: correctness, language gap, cross-lingual
and sample consistency, and automatic judges against clinicians.

Every row is (table, source, model, language, measure, value, lower, upper, n, n_obs,
small, note): ``n`` counts what the interval resamples (cases, case groups, outputs),
``n_obs`` the judgments behind it, ``note`` says why a value is missing or that the sample
is small. The statistics come from ``medeval_ui.stats``; this module only groups, on the
integer codes of services/judgment_codes.py (names appear only in the output rows).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from medeval_ui.services.judgment_codes import Rows, Vocabulary
from medeval_ui.stats.codes import distinct, unique_inverse
from medeval_ui.stats.consistency import (
    all_languages_agree,
    crosslingual_agreement,
    sample_consistency,
)
from medeval_ui.stats.correctness import correctness_by_group
from medeval_ui.stats.estimate import Estimate, undefined
from medeval_ui.stats.judges import judge_vs_human
from medeval_ui.stats.language_gap import language_gap
from medeval_ui.stats.text_similarity import mean_over_units, similarity_summary

MEASURE_COLUMNS = ["table", "source", "model", "language", "measure", "value", "lower"]
MEASURE_COLUMNS += ["upper", "n", "n_obs", "small", "note"]
ALL = "all"
SMALL = "small sample"


@dataclass(frozen=True)
class Judged:
    """One source's judgments: a row per rating (clinicians) or per score (a judge), each
    with a correctness score 0..1 and, for judges that give one, an answer-label code."""

    source: str
    rows: Rows
    memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, source: str, rows: Rows) -> Judged:
        return cls(source, rows.take(np.isfinite(rows.score)))

    @cached_property
    def frame(self) -> pd.DataFrame:
        """The rows' codes as columns, for the groupings done in pandas."""
        r = self.rows
        return pd.DataFrame(
            {
                "model": r.model,
                "language": r.language,
                "group": r.group,
                "case": r.case,
                "output": r.output,
                "sample": r.sample,
                "score": r.score,
                "label": r.label,
            }
        )

    def cells(self, vocab: Vocabulary, pivot: str) -> Cells:
        """Score sums per (model, language, case group): kept, the gap and consistency
        tables both read them."""
        key = ("cells", pivot)
        if key not in self.memo:
            self.memo[key] = Cells.of(self.rows, vocab, pivot)
        return self.memo[key]

    @property
    def has_labels(self) -> bool:
        return bool((self.rows.label >= 0).any())


def row(
    table: str, source: str, model: str, language: str, measure: str, e: Estimate
) -> dict[str, Any]:
    note = e.undefined or (SMALL if e.small else "")
    values = (table, source, model, language, measure, e.value, e.lower, e.upper, e.n)
    return dict(zip(MEASURE_COLUMNS, (*values, e.n_obs, e.small, note), strict=True))


def _table(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=MEASURE_COLUMNS)


def consensus(values: pd.Series) -> pd.Series:
    """1 when most judgments say correct (mean above 0.5), 0 below, NaN on an exact tie."""
    labels = np.where(values > 0.5, 1.0, np.where(values < 0.5, 0.0, np.nan))
    return pd.Series(labels, index=values.index)


def correctness_rows(
    sources: list[Judged], vocab: Vocabulary, *, rounds: int, seed: int
) -> pd.DataFrame:
    """Correctness per model x language and per model over all languages."""
    rows = []
    n_lang = len(vocab.languages)
    for s in sources:
        r = s.rows
        if not len(r):
            continue
        for by_language in (True, False):
            groups = r.model * n_lang + r.language if by_language else r.model
            size = len(vocab.models) * (n_lang if by_language else 1)
            estimates = correctness_by_group(
                r.score, groups, r.case, size, rounds=rounds, seed=seed
            )
            for g in distinct(groups):
                model = vocab.models[g // n_lang if by_language else g]
                language = vocab.languages[g % n_lang] if by_language else ALL
                rows.append(row("correctness", s.source, model, language, "correct", estimates[g]))
    return _table(sorted(rows, key=lambda r: (r["source"], r["model"], r["language"])))


@dataclass(frozen=True)
class Cells:
    """Score sums and counts per (model, language, case group), sorted by that key, with
    every pivot-language tag ("en", "en-GB") folded into one pivot code."""

    model: np.ndarray
    language: np.ndarray
    group: np.ndarray
    total: np.ndarray
    count: np.ndarray
    pivot: int  # the pivot's language code, -1 when no judgment is in the pivot language

    @classmethod
    def of(cls, rows: Rows, vocab: Vocabulary, pivot: str) -> Cells:
        pivots = vocab.language_codes(pivot)
        language = rows.language
        present = [c for c in pivots if (language == c).any()]
        code = present[0] if present else -1
        if len(present) > 1:
            language = np.where(np.isin(language, present), code, language)
        n_lang, n_group = len(vocab.languages), int(rows.group.max()) + 1
        key = (rows.model * n_lang + language) * n_group + rows.group
        keys, inverse = unique_inverse(key)
        total = np.bincount(inverse, weights=rows.score, minlength=len(keys))
        count = np.bincount(inverse, minlength=len(keys)).astype(np.float64)
        return cls(
            keys // (n_lang * n_group), keys // n_group % n_lang, keys % n_group, total, count, code
        )

    def of_model(self, model: int) -> Cells:
        keep = self.model == model
        return Cells(
            self.model[keep],
            self.language[keep],
            self.group[keep],
            self.total[keep],
            self.count[keep],
            self.pivot,
        )

    def paired(self, language: int) -> tuple[np.ndarray, np.ndarray]:
        """Positions of (pivot, other) cells of the same case groups (one model's cells)."""
        at_pivot = np.flatnonzero(self.language == self.pivot)
        at_other = np.flatnonzero(self.language == language)
        _, i, k = np.intersect1d(
            self.group[at_pivot], self.group[at_other], assume_unique=True, return_indices=True
        )
        return at_pivot[i], at_other[k]


def gap_rows(
    sources: list[Judged], vocab: Vocabulary, pivot: str, *, rounds: int, seed: int
) -> pd.DataFrame:
    """Each language against the pivot on the same case groups, per model (paired)."""
    rows = []
    for s in sources:
        if not len(s.rows):
            continue
        cells = s.cells(vocab, pivot)
        if cells.pivot < 0:
            missing = undefined(f"no judgments in the pivot language '{pivot}'")
            rows.append(row("language_gap", s.source, ALL, pivot, "difference", missing))
            continue
        for model in np.unique(cells.model):
            mine = cells.of_model(model)
            for language in np.unique(mine.language):
                if language == cells.pivot:
                    continue
                p, o = mine.paired(language)
                gap = language_gap(
                    mine.total[p],
                    mine.count[p],
                    mine.total[o],
                    mine.count[o],
                    rounds=rounds,
                    seed=seed,
                )
                names = (vocab.models[model], vocab.languages[language])
                for measure, e in (("difference", gap.difference), ("relative", gap.relative)):
                    rows.append(row("language_gap", s.source, *names, measure, e))
    return _table(rows)


def _label_table(d: pd.DataFrame) -> pd.DataFrame:
    """groups x languages: the answer label of each (case group, language)'s first sample."""
    first = d[d["label"] >= 0].sort_values("sample").groupby(["group", "language"])["label"]
    return first.first().astype(np.float64).unstack("language")


def _judgment_table(cells: Cells) -> tuple[np.ndarray, np.ndarray]:
    """(groups x languages majority judgments of one model, the language codes)."""
    groups, g = unique_inverse(cells.group)
    languages, lang = unique_inverse(cells.language)
    table = np.full((len(groups), len(languages)), np.nan)
    mean = cells.total / cells.count
    table[g, lang] = np.where(mean > 0.5, 1.0, np.where(mean < 0.5, 0.0, np.nan))
    return table, languages


def crosslingual_rows(
    sources: list[Judged], vocab: Vocabulary, pivot: str, *, rounds: int, seed: int
) -> pd.DataFrame:
    """Per model: does each language get the same judgment (or the same answer) as the
    pivot on the same case group, and do all languages agree."""
    rows = []
    for s in sources:
        if not len(s.rows):
            continue
        cells = s.cells(vocab, pivot)
        for model in np.unique(cells.model):
            tables = [
                ("same judgment", "judgment kappa", *_judgment_table(cells.of_model(model)), 2)
            ]
            if s.has_labels:
                labels = _label_table(s.frame[s.frame["model"] == model])
                n_cat = max(2, int(s.rows.label.max()) + 1)
                codes = labels.columns.to_numpy()
                if cells.pivot >= 0:  # the pivot's other tags fold into its code, as in cells
                    codes = np.where(
                        np.isin(codes, vocab.language_codes(pivot)), cells.pivot, codes
                    )
                tables.append(("same answer", "answer kappa", labels.to_numpy(), codes, n_cat))
            name = vocab.models[model]
            for same, kappa, table, languages, n_cat in tables:
                at_pivot = np.flatnonzero(languages == cells.pivot)
                for column, language in enumerate(languages):
                    if not len(at_pivot) or language == cells.pivot:
                        continue
                    agree, k = crosslingual_agreement(
                        table[:, at_pivot[0]],
                        table[:, column],
                        n_categories=n_cat,
                        rounds=rounds,
                        seed=seed,
                    )
                    lang = vocab.languages[language]
                    rows.append(row("crosslingual", s.source, name, lang, same, agree))
                    rows.append(row("crosslingual", s.source, name, lang, kappa, k))
                every = all_languages_agree(table)
                measure = f"all languages: {same}"
                rows.append(row("crosslingual", s.source, name, ALL, measure, every))
    return _table(rows)


def sample_rows(
    sources: list[Judged],
    vocab: Vocabulary,
    texts: pd.DataFrame | None,
    *,
    rounds: int,
    seed: int,
    embeddings: bool = False,
) -> pd.DataFrame:
    """With several samples per case: do the judgments agree across samples, and how alike
    are the texts (token Jaccard, length, embedding cosine when asked for and available)."""
    rows = []
    for s in sources:
        if not len(s.rows) or s.rows.sample.min() == s.rows.sample.max():
            continue  # one sample per case: nothing to compare (and no frame to build)
        d = s.frame
        per_output = d.groupby(["model", "case", "sample"])["score"].mean()
        labels = consensus(per_output).unstack("sample")
        for model, table in labels.groupby(level="model"):
            e = sample_consistency(table.to_numpy(np.float64), rounds=rounds, seed=seed)
            name = vocab.models[int(model)]
            rows.append(row("sample_consistency", s.source, name, ALL, "same judgment", e))
    if texts is not None and not texts.empty:
        for model, part in texts.groupby("model"):
            units = [list(g["text"]) for _, g in part.groupby("case_id")]
            for measure, e in similarity_summary(units, rounds=rounds, seed=seed).items():
                rows.append(row("sample_consistency", "texts", str(model), ALL, measure, e))
            if embeddings:
                rows.extend(_embedding_rows(str(model), units, rounds=rounds, seed=seed))
    return _table(rows)


def _embedding_rows(
    model: str, units: list[list[str]], *, rounds: int, seed: int
) -> list[dict[str, Any]]:
    from medeval_ui.generation import embeddings

    if not embeddings.embeddings_available():
        missing = undefined("no embedding model installed (pip install 'medeval[embeddings]')")
        return [row("sample_consistency", "texts", model, ALL, "embedding cosine", missing)]
    cosines = embeddings.mean_pairwise_cosine(units)
    found = [(v, len(u)) for v, u in zip(cosines, units, strict=True) if v is not None]
    if not found:
        return []
    n_obs = sum(n for _, n in found)
    e = mean_over_units([v for v, _ in found], n_obs, rounds=rounds, seed=seed)
    return [row("sample_consistency", "texts", model, ALL, "embedding cosine", e)]


def judge_rows(
    sources: list[Judged],
    clinicians: Judged | None,
    vocab: Vocabulary,
    *,
    rounds: int,
    seed: int,
) -> pd.DataFrame:
    """Each automatic judge against the clinicians' majority judgment, per language."""
    rows: list[dict[str, Any]] = []
    judges = [s for s in sources if s is not clinicians and len(s.rows)]
    if clinicians is None or not len(clinicians.rows) or not judges:
        return _table(rows)
    human = consensus(clinicians.frame.groupby("output")["score"].mean()).rename("human")
    for s in judges:
        judged = s.frame.groupby("output").agg(
            score=("score", "mean"), language=("language", "first")
        )
        both = judged.join(human, how="inner")
        if both.empty:
            continue
        both["judge"] = (both["score"] >= 0.5).astype(np.float64)
        parts = [(ALL, both)]
        parts += [(vocab.languages[c], p) for c, p in both.groupby("language")]
        for language, part in parts:
            result = judge_vs_human(
                part["judge"].to_numpy(np.float64),
                part["human"].to_numpy(np.float64),
                n_categories=2,
                rounds=rounds,
                seed=seed,
            )
            measures = (("kappa", result.kappa), ("macro F1", result.macro_f1))
            for measure, e in (*measures, ("accuracy", result.accuracy)):
                rows.append(row("judges", s.source, ALL, language, measure, e))
    return _table(rows)
