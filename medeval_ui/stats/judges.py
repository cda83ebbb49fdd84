"""Human versus automatic judges: an imported LLM judge's verdicts against the clinicians'.

The clinicians' verdict on an output is their consensus (``consensus``: the majority of
their correctness scores); an automatic judge's verdict comes from the ``scores`` table.
Both are category codes (0/1 for incorrect/correct, or an answer option's code), NaN where
missing. Agreement is reported three ways, each with its own blind spot: accuracy (share of
outputs with the same verdict; flattered when one verdict dominates), Cohen's kappa
(corrected for chance) and macro-F1 (per-verdict F1 averaged, so a rare verdict weighs as
much as a common one).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from medeval_ui.stats.consistency import (
    code_count,
    confusion_tables,
    kappa_estimate,
    paired_codes,
)
from medeval_ui.stats.correctness import MIN_CASES
from medeval_ui.stats.estimate import Estimate, finite_or_none, undefined
from medeval_ui.stats.intervals import normal_quantile, wilson_interval
from medeval_ui.stats.resample import DEFAULT_ROUNDS, DEFAULT_SEED, percentile_interval

__all__ = [
    "KAPPA_SAME_VERDICT",
    "NO_PAIRS",
    "JudgeAgreement",
    "consensus",
    "judge_vs_human",
    "macro_f1_of_tables",
]

KAPPA_SAME_VERDICT = (
    "kappa undefined: the judge and the clinicians gave every output the same verdict"
)
NO_PAIRS = "no output has both a judge's verdict and a clinicians' consensus"
# Means this close to the threshold are ties: (0.1 + 0.6 + 0.6 + 0.7) / 4 is not exactly 0.5.
_TIE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class JudgeAgreement:
    """Agreement of an automatic judge with the clinicians on the same outputs.

    Each ``Estimate`` has ``n`` = outputs with both verdicts and ``n_obs`` = 2n verdicts.
    ``kappa``: Cohen's kappa with a bootstrap over outputs (``label``: Landis and Koch);
    ``macro_f1``: mean over verdicts of F1, with a bootstrap over outputs; ``accuracy``:
    share of outputs with the same verdict, Wilson interval.
    """

    kappa: Estimate
    macro_f1: Estimate
    accuracy: Estimate


def consensus(
    scores: ArrayLike, units: ArrayLike, n_units: int, threshold: float = 0.5
) -> NDArray[np.float64]:
    """Clinicians' majority verdict per unit (an output): 1 correct, 0 incorrect, NaN none.

    ``scores`` are correctness scores in 0..1, one per rating (NaN: not answered, left
    out); ``units`` the unit code 0..n_units-1 of each rating. A unit is 1 when its mean
    score is above ``threshold``, 0 when below, NaN when exactly at it ("no majority": one
    clinician each way) or when it has no scores. With partial-credit scores the mean is the
    average credit, so 0.5, 0.5, 1 is judged correct.

    Raises ``ValueError`` for a unit code outside 0..n_units-1, arrays of different lengths
    or scores outside 0..1.
    """
    s = np.asarray(scores, dtype=np.float64).reshape(-1)
    u = np.asarray(units).reshape(-1)
    if s.size != u.size:
        raise ValueError(f"scores and units must be aligned (got {s.size} and {u.size})")
    if u.size and (not np.issubdtype(u.dtype, np.integer) or u.min() < 0 or u.max() >= n_units):
        raise ValueError(f"unit codes must be integers in 0..{n_units - 1}")
    keep = ~np.isnan(s)
    s, u = s[keep], u[keep].astype(np.int64)
    if s.size and (s.min() < 0.0 or s.max() > 1.0):
        raise ValueError("correctness scores must lie in 0..1")
    count = np.bincount(u, minlength=n_units)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(u, weights=s, minlength=n_units) / count
    verdict = np.full(n_units, np.nan)
    verdict[mean > threshold + _TIE_TOLERANCE] = 1.0
    verdict[mean < threshold - _TIE_TOLERANCE] = 0.0
    return verdict


def judge_vs_human(
    judge: ArrayLike,
    human: ArrayLike,
    *,
    n_categories: int | None = None,
    rounds: int = DEFAULT_ROUNDS,
    seed: int = DEFAULT_SEED,
    confidence: float = 0.95,
) -> JudgeAgreement:
    """How well an automatic judge reproduces the clinicians' verdicts, output by output.

    ``judge`` and ``human`` are aligned per output; pairs with a NaN on either side are
    dropped. Macro-F1 follows scikit-learn's ``f1_score(human, judge, average="macro")``:
    the verdicts averaged over are those either side used, and a verdict's F1 is 0 where
    it is undefined (``zero_division=0``); it is symmetric in the two sides. Kappa and
    macro-F1 share one set of bootstrap draws over outputs.

    Edges: no pair gives three undefined estimates; kappa is undefined when both sides gave
    one and the same verdict throughout (accuracy and macro-F1 are then 1). ``small`` marks
    fewer than ``MIN_CASES`` outputs. Raises ``ValueError`` as ``crosslingual_agreement``.
    """
    normal_quantile(confidence)  # raises ValueError unless 0 < confidence < 1
    h, j = paired_codes(human, judge, n_categories)
    n = int(h.size)
    if n == 0:
        none = undefined(NO_PAIRS)
        return JudgeAgreement(none, none, none)
    small = n < MIN_CASES
    same = int(np.count_nonzero(h == j))
    a_lower, a_upper = wilson_interval(same, n, confidence)
    accuracy = Estimate(
        same / n, a_lower, a_upper, n=n, n_obs=2 * n, small=small, label="Wilson interval"
    )
    observed, boot = confusion_tables(
        h, j, code_count(h, j, n_categories), rounds=rounds, seed=seed
    )
    f1 = float(macro_f1_of_tables(observed))
    f_lower, f_upper = percentile_interval(macro_f1_of_tables(boot), confidence)
    macro_f1 = Estimate(
        finite_or_none(f1),
        finite_or_none(f_lower),
        finite_or_none(f_upper),
        n=n,
        n_obs=2 * n,
        small=small,
        label="bootstrap over outputs",
    )
    kappa = kappa_estimate(
        h,
        j,
        n_categories=n_categories,
        rounds=rounds,
        seed=seed,
        confidence=confidence,
        same_label_reason=KAPPA_SAME_VERDICT,
        tables=(observed, boot),
    )
    return JudgeAgreement(kappa=kappa, macro_f1=macro_f1, accuracy=accuracy)


def macro_f1_of_tables(tables: NDArray[np.float64]) -> NDArray[np.float64]:
    """Macro-F1 of each k x k count table (last two axes; rows reference, columns judge).

    A verdict's F1 is 2 TP / (2 TP + FP + FN) = 2 TP / (row total + column total); verdicts
    absent from both the row and the column are not averaged over. NaN for an empty table.
    """
    tp = np.diagonal(tables, axis1=-2, axis2=-1)
    seen = tables.sum(axis=-1) + tables.sum(axis=-2)
    present = seen > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(present, 2.0 * tp / seen, 0.0)
        return np.asarray(f1.sum(axis=-1) / present.sum(axis=-1))
