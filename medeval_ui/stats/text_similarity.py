"""Automatic similarity of several sampled answers to the same case (DESIGN §4).

A cheap, language-independent signal of sample consistency, next to the clinicians'
judgments: token Jaccard overlap of unigrams and bigrams between every pair of samples, and
the spread of their lengths. Tokens are lower-cased words; scripts written without spaces
between words (Chinese, Japanese, Thai, Lao, Khmer, Myanmar) are split per character, so a
Japanese answer is many tokens and not one, and overlap of characters stands in for overlap
of words there. Figures are comparable across models within a language, not across
languages (a character overlaps more easily than a word).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import combinations, pairwise
from statistics import fmean, stdev

import numpy as np

from medeval_ui.stats.correctness import MIN_CASES, ratio_replicates
from medeval_ui.stats.estimate import Estimate, finite_or_none, undefined
from medeval_ui.stats.intervals import normal_quantile
from medeval_ui.stats.resample import DEFAULT_ROUNDS, DEFAULT_SEED, percentile_interval

__all__ = [
    "METRICS",
    "SampleSimilarity",
    "jaccard",
    "mean_over_units",
    "sample_similarity",
    "similarity_summary",
    "tokens",
]

METRICS = ("unigram_jaccard", "bigram_jaccard", "length_mean", "length_sd")

# Scripts written without spaces between words: one token per character.
_NO_SPACE = (
    (0x0E00, 0x0E7F),  # Thai
    (0x0E80, 0x0EFF),  # Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x2E80, 0x2FDF),  # CJK radicals, Kangxi radicals
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # half-width Katakana
    (0x20000, 0x3134F),  # CJK extensions B-G
)
# Zero-width (non-)joiners sit inside Persian and Indic words.
_JOINERS = "\u200c\u200d"


@dataclass(frozen=True)
class SampleSimilarity:
    """Similarity of the samples of one unit (one case, model and language).

    ``unigram_jaccard`` / ``bigram_jaccard``: mean over all pairs of samples of the
    Jaccard overlap of their token (or token-pair) sets, 1 identical vocabulary, 0 nothing
    shared; None with fewer than 2 samples, or when no pair has a token (bigram) at all.
    ``length_mean``: mean length in tokens; ``length_sd``: the sample standard deviation of
    the lengths (0.0 with fewer than 2 samples); both 0.0 without texts.
    """

    unigram_jaccard: float | None
    bigram_jaccard: float | None
    length_mean: float
    length_sd: float
    n_texts: int


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens of ``text``, in order.

    A word is a run of letters and digits in any script, with its combining marks (Hebrew
    points, Arabic harakat, Devanagari vowel signs stay inside the word); punctuation,
    spaces and underscores separate words. Characters of scripts written without spaces
    are one token each (with their marks): "CT検査" gives ["ct", "検", "査"].
    """
    return _token_pattern().findall(text.lower())


def jaccard(a: set[str], b: set[str]) -> float | None:
    """|a ∩ b| / |a ∪ b|: 1 the same set, 0 disjoint; None when both are empty (no
    evidence either way), 0.0 when only one is."""
    union = len(a | b)
    if union == 0:
        return None
    return len(a & b) / union


def sample_similarity(texts: Sequence[str]) -> SampleSimilarity:
    """Token similarity of the samples of one unit: see ``SampleSimilarity``.

    Pairs where both texts lack tokens (or bigrams) are left out of that mean.
    """
    toks = [tokens(t) for t in texts]
    unigrams = [set(t) for t in toks]
    bigrams = [{f"{x} {y}" for x, y in pairwise(t)} for t in toks]
    lengths = [float(len(t)) for t in toks]
    return SampleSimilarity(
        unigram_jaccard=_mean_pairwise(unigrams),
        bigram_jaccard=_mean_pairwise(bigrams),
        length_mean=fmean(lengths) if lengths else 0.0,
        length_sd=stdev(lengths) if len(lengths) >= 2 else 0.0,
        n_texts=len(texts),
    )


def similarity_summary(
    units: Sequence[Sequence[str]],
    *,
    rounds: int = DEFAULT_ROUNDS,
    seed: int = DEFAULT_SEED,
    confidence: float = 0.95,
) -> dict[str, Estimate]:
    """Mean of each ``SampleSimilarity`` figure over units with at least 2 texts.

    Keys are ``METRICS``. Each value is the mean over the units where the figure is defined,
    with a percentile bootstrap over those units; ``n`` counts them, ``n_obs`` their texts,
    ``small`` marks fewer than ``MIN_CASES`` units.

    Edges: no unit with 2 texts leaves every figure undefined; the Jaccard figures are
    undefined when no unit has a pair of texts with tokens (bigrams); when every unit gives
    the same figure the interval is a point and ``label`` says so.
    """
    normal_quantile(confidence)  # raises ValueError unless 0 < confidence < 1
    per_unit = [(sample_similarity(texts), len(texts)) for texts in units if len(texts) >= 2]
    if not per_unit:
        reason = "fewer than 2 samples in every unit: similarity needs two answers to one case"
        return {name: undefined(reason) for name in METRICS}
    out: dict[str, Estimate] = {}
    for name in METRICS:
        found = [(getattr(sim, name), n) for sim, n in per_unit if getattr(sim, name) is not None]
        if not found:
            what = "bigrams" if name == "bigram_jaccard" else "tokens"
            out[name] = undefined(f"no pair of samples has {what}: every answer is too short")
            continue
        out[name] = mean_over_units(
            [v for v, _ in found],
            sum(n for _, n in found),
            rounds=rounds,
            seed=seed,
            confidence=confidence,
        )
    return out


def mean_over_units(
    values: Sequence[float],
    n_obs: int,
    *,
    rounds: int = DEFAULT_ROUNDS,
    seed: int = DEFAULT_SEED,
    confidence: float = 0.95,
) -> Estimate:
    """The mean of one figure per unit (a case's samples), with a percentile bootstrap over
    the units; ``n`` counts the units, ``n_obs`` the texts behind them (given), ``small``
    marks fewer than ``MIN_CASES`` units.

    Edges: no values gives an undefined estimate; when every unit gives the same figure the
    interval is a point and ``label`` says so.
    """
    array = np.asarray(values, dtype=np.float64)
    if array.size == 0:
        return undefined("no unit to average", n_obs=n_obs)
    replicates = ratio_replicates(array, np.ones(array.size), rounds=rounds, seed=seed)
    lower, upper = percentile_interval(replicates, confidence)
    point = lower is not None and lower == upper
    return Estimate(
        finite_or_none(float(array.mean())),
        finite_or_none(lower),
        finite_or_none(upper),
        n=array.size,
        n_obs=n_obs,
        small=array.size < MIN_CASES,
        label="no variation between units: the interval is a single point"
        if point
        else "bootstrap over units",
    )


def _mean_pairwise(sets: list[set[str]]) -> float | None:
    scores = [s for a, b in combinations(sets, 2) if (s := jaccard(a, b)) is not None]
    return fmean(scores) if scores else None


def _ranges(pairs: Sequence[tuple[int, int]]) -> str:
    return "".join(f"{chr(lo)}-{chr(hi)}" if hi > lo else chr(lo) for lo, hi in pairs)


@cache
def _token_pattern() -> re.Pattern[str]:
    """Built once, on first use: the set of combining marks comes from the Unicode data of
    this Python (re has no \\p{M}), scanned over the planes that have marks (0, 1, 14)."""
    marks: list[tuple[int, int]] = []
    for plane in (range(0x20000), range(0xE0000, min(0xE1000, sys.maxunicode + 1))):
        for cp in plane:
            if unicodedata.category(chr(cp)).startswith("M"):
                if marks and marks[-1][1] == cp - 1:
                    marks[-1] = (marks[-1][0], cp)
                else:
                    marks.append((cp, cp))
    mark = f"[{_ranges(marks)}{_JOINERS}]"
    no_space = f"[{_ranges(_NO_SPACE)}]"
    word_char = rf"(?:(?!{no_space})[^\W_]|{mark})"
    return re.compile(rf"{no_space}{mark}*|{word_char}+")
