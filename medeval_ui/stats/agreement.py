"""Inter-rater agreement per rubric question (and language), as the dashboard shows it.

``agreement_table`` turns an items x raters matrix of answers into one ``Estimate`` per
statistic of ``AGREEMENT_STATISTICS`` (DESIGN §4), each with a percentile bootstrap
interval that resamples items (clustered: ratings of one item are correlated), its ``n``
(items rated by 2 or more clinicians) and ``n_obs`` (the ratings on those items). Where a
statistic cannot be computed, its ``undefined`` says why in words; no field is ever NaN.

How to read the rows:
- ``percent_agreement``: raw share of agreeing clinician pairs (no chance correction);
- ``krippendorff_alpha``: the reference reliability coefficient, at the question's scale
  level, missing ratings allowed; >= 0.8 is commonly required, < 0.667 is unreliable;
- ``fleiss_kappa`` and ``randolph_kappa``: multi-rater kappas with chance from the observed
  answer shares (Fleiss) or from equally likely options (Randolph, "free-marginal");
- ``cohen_kappa`` (and weighted ``_linear``/``_quadratic``, ordinal and number questions
  only): only when exactly two clinicians rated the items;
- ``gwet_ac1``: stays meaningful when one answer dominates (e.g. "no harm"), where kappa
  and alpha fall towards 0 or are undefined despite near-perfect raw agreement.
The chance-corrected rows carry the Landis and Koch word for their value as ``label``.

The coefficients themselves live in ``agreement_coefficients`` (re-exported here) and the
pattern bootstrap in ``agreement_bootstrap``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

import numpy as np
from numpy.typing import NDArray

from medeval_ui.stats.agreement_bootstrap import (
    FloatArray,
    PairCells,
    RoundStatistic,
    bootstrap,
    code_index,
    code_patterns,
    interval_patterns,
    pair_cells,
    row_sum,
)
from medeval_ui.stats.agreement_coefficients import (
    Level,
    alpha_rounds,
    cohen_rounds,
    count_table,
    disagreement_weights,
    fleiss_kappa,
    fleiss_rounds,
    gwet_ac1,
    gwet_rounds,
    interval_rounds,
    krippendorff_alpha,
    landis_koch,
    percent_agreement,
    percent_rounds,
    randolph_kappa,
    randolph_rounds,
)
from medeval_ui.stats.estimate import Estimate, finite_or_none, undefined
from medeval_ui.stats.resample import DEFAULT_ROUNDS, DEFAULT_SEED, percentile_interval

__all__ = [
    "AGREEMENT_STATISTICS",
    "MAX_DISTINCT_VALUES",
    "MIN_ITEMS",
    "AgreementRow",
    "agreement_table",
    "count_table",
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "landis_koch",
    "percent_agreement",
    "randolph_kappa",
]

AGREEMENT_STATISTICS = (
    "percent_agreement",
    "krippendorff_alpha",
    "fleiss_kappa",
    "randolph_kappa",
    "cohen_kappa",
    "cohen_kappa_linear",
    "cohen_kappa_quadratic",
    "gwet_ac1",
)
MIN_ITEMS = 30  # fewer items with >= 2 ratings: Estimate.small = True
# A number question's distinct values are treated as categories up to this many.
MAX_DISTINCT_VALUES = 20

NEEDS_ITEMS = "needs at least 2 items rated by 2 or more clinicians"
WEIGHTS_NOMINAL = "weights apply to ordinal scales only"
_COHEN_WEIGHTS: dict[str, str | None] = {
    "cohen_kappa": None,
    "cohen_kappa_linear": "linear",
    "cohen_kappa_quadratic": "quadratic",
}


@dataclass(frozen=True)
class AgreementRow:
    """One statistic of the agreement table: its name (from ``AGREEMENT_STATISTICS``) and
    its value with interval, sample size and, where undefined, the reason."""

    statistic: str
    estimate: Estimate


@dataclass(frozen=True)
class _Sample:
    """What every row of one table shares: sizes and bootstrap settings."""

    n: int
    n_obs: int
    rounds: int
    seed: int
    confidence: float
    unit: str  # "category" or "value", for the no-variation reason

    @property
    def small(self) -> bool:
        return self.n < MIN_ITEMS

    def undefined(self, reason: str) -> Estimate:
        return undefined(reason, self.n, self.n_obs, small=self.small)

    def no_variation(self) -> Estimate:
        return self.undefined(
            f"no variation: every rating is the same {self.unit} (percent agreement 100%)"
        )

    def estimates(
        self, weights: FloatArray, statistics: dict[str, RoundStatistic]
    ) -> dict[str, Estimate]:
        """Point value (the observed round) and percentile interval of each statistic,
        all on the same bootstrap rounds of the patterns behind ``weights``."""
        names = list(statistics)
        points = [statistics[s](weights[None, :])[0] for s in names]
        samples = bootstrap(weights, list(statistics.values()), self.rounds, self.seed)
        out: dict[str, Estimate] = {}
        for name, point, sample in zip(names, points, samples, strict=True):
            value = finite_or_none(float(point))
            if value is None:
                # Given >= 2 pairable items, each coefficient here is 0/0 only when the
                # ratings have a single category (or value): chance agreement is complete.
                out[name] = self.no_variation()
                continue
            lower, upper = (None, None)
            if len(sample):
                lower, upper = percentile_interval(sample, self.confidence)
            label = "" if name == "percent_agreement" else landis_koch(value)
            out[name] = Estimate(
                value,
                finite_or_none(lower),
                finite_or_none(upper),
                n=self.n,
                n_obs=self.n_obs,
                small=self.small,
                label=label,
            )
        return out


def agreement_table(
    codes: NDArray[np.float64],
    *,
    level: Level,
    n_categories: int | None,
    rounds: int = DEFAULT_ROUNDS,
    seed: int = DEFAULT_SEED,
    confidence: float = 0.95,
) -> list[AgreementRow]:
    """Every agreement statistic of one question, in ``AGREEMENT_STATISTICS`` order.

    ``codes``: items x raters (one column per clinician; sparse is fine), NaN where a
    clinician did not rate the item. For "nominal"/"ordinal" the answers are category codes
    0..``n_categories``-1 (in scale order for ordinal; None takes the largest code seen + 1,
    which understates Randolph's q if the top options were never chosen). For "interval"
    they are the numbers themselves and ``n_categories`` is ignored: alpha is computed on the
    values, and the category statistics treat each distinct value as a category (Randolph's
    q = the distinct values seen; Cohen's weights use the values' distances) when there are
    at most ``MAX_DISTINCT_VALUES`` of them, otherwise they are undefined with the reason.

    Intervals: ``rounds`` bootstrap rounds (0: no interval) resample the items that have any
    rating; an item with one rating counts only in Fleiss' and Gwet's answer shares. Seeded:
    the same call gives the same table. Cost follows distinct item patterns x rounds, not
    items: ~10 ms for 100k items x 3 raters at 1000 rounds; numbers with many distinct
    values make a pattern per item (seconds at 100k items: pass fewer rounds there).

    Edges: fewer than 2 items with 2 ratings (empty matrix, one rater per item, everything
    missing, a single item): every row undefined, ``NEEDS_ITEMS``. Every rating the same:
    percent agreement, Randolph and AC1 are defined (and high), the others undefined with
    "no variation". Raises ``ValueError`` for a bad level, a matrix that is not 2-D, infinite
    values, or category codes outside 0..n_categories-1.
    """
    if level not in get_args(Level):
        raise ValueError(f"level must be one of {get_args(Level)}, got {level!r}")
    data = np.asarray(codes, dtype=np.float64)
    if data.ndim != 2:
        raise ValueError("codes must be a 2-D array (items x raters)")
    if np.any(np.isinf(data)):
        raise ValueError("ratings must be finite numbers (NaN for missing)")
    present = ~np.isnan(data)
    if level != "interval":
        seen = int(np.nanmax(data)) + 1 if present.any() else 1
        q = int(n_categories) if n_categories is not None else max(seen, 1)
        if q < 1:
            raise ValueError(f"n_categories must be at least 1, got {n_categories}")
        index = code_index(data, q)  # a bad code raises, however few items there are
    per_item = row_sum(present)
    pairable = per_item >= 2
    sample = _Sample(
        n=int(np.count_nonzero(pairable)),
        n_obs=int(per_item[pairable].sum()),
        rounds=max(int(rounds), 0),
        seed=int(seed),
        confidence=float(confidence),
        unit="value" if level == "interval" else "category",
    )
    if sample.n < 2:
        return [AgreementRow(s, sample.undefined(NEEDS_ITEMS)) for s in AGREEMENT_STATISTICS]

    results: dict[str, Estimate] = {}
    if level == "interval":
        distinct = np.unique(data[present])
        ip = interval_patterns(data, distinct)
        results |= sample.estimates(
            ip.weights,
            {"krippendorff_alpha": lambda w: interval_rounds(ip.feature_weights(w), ip.features)},
        )
        if len(distinct) > MAX_DISTINCT_VALUES:
            reason = (
                f"treats each distinct number as a category only up to {MAX_DISTINCT_VALUES} "
                f"distinct values; these ratings have {len(distinct)} "
                "(read Krippendorff's interval alpha)"
            )
            others = [s for s in AGREEMENT_STATISTICS if s != "krippendorff_alpha"]
            return _rows(results | {s: sample.undefined(reason) for s in others})
        categories = np.where(present, np.searchsorted(distinct, data), np.nan)
        points = distinct
        q = len(points)
        index = code_index(categories, q)
    else:
        categories, points = data, np.arange(q, dtype=np.float64)

    patterns = code_patterns(index, q, per_item)
    rows = patterns.rows
    category_statistics: dict[str, RoundStatistic] = {
        "percent_agreement": lambda w: percent_rounds(w, rows),
        "fleiss_kappa": lambda w: fleiss_rounds(w, rows),
        "randolph_kappa": lambda w: randolph_rounds(w, rows, q),
        "gwet_ac1": lambda w: gwet_rounds(w, rows),
    }
    if level != "interval":
        category_statistics["krippendorff_alpha"] = lambda w: alpha_rounds(w, rows, level)
    results |= sample.estimates(patterns.weights, category_statistics)
    results |= _cohen(categories, present, pairable, points, level, sample)
    return _rows(results)


def _cohen(
    categories: FloatArray,
    present: NDArray[np.bool_],
    pairable: NDArray[np.bool_],
    points: FloatArray,
    level: Level,
    sample: _Sample,
) -> dict[str, Estimate]:
    """The three Cohen rows: defined only for exactly two clinicians on the paired items."""
    out: dict[str, Estimate] = {}
    wanted = dict(_COHEN_WEIGHTS)
    if level == "nominal":
        out |= {s: sample.undefined(WEIGHTS_NOMINAL) for s, wt in wanted.items() if wt}
        wanted = {s: wt for s, wt in wanted.items() if not wt}
    raters = np.flatnonzero(pairable @ present)  # who rated any item rated twice or more
    if len(raters) != 2:
        reason = (
            f"Cohen's kappa needs exactly two raters; {len(raters)} clinicians rated these "
            "items (read Fleiss' kappa or Krippendorff's alpha)"
        )
        return out | {s: sample.undefined(reason) for s in wanted}
    cells = pair_cells(categories[:, raters[0]], categories[:, raters[1]], len(points))
    statistics: dict[str, RoundStatistic] = {
        s: _cohen_statistic(cells, disagreement_weights(points, wt)) for s, wt in wanted.items()
    }
    return out | sample.estimates(cells.weights, statistics)


def _cohen_statistic(cells: PairCells, disagreement: FloatArray) -> RoundStatistic:
    # A factory, so that each lambda keeps its own weights (not the loop's last ones).
    return lambda w: cohen_rounds(w, cells, disagreement)


def _rows(results: dict[str, Estimate]) -> list[AgreementRow]:
    return [AgreementRow(s, results[s]) for s in AGREEMENT_STATISTICS]
