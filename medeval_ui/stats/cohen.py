"""Cohen's kappa between two raters (or two judges, or two languages), unweighted or weighted.

Pure numpy. The agreement, consistency and judge-versus-human statistics all use this one.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

Weights = Literal["linear", "quadratic"] | None


def cohen_kappa(
    a: ArrayLike, b: ArrayLike, *, n_categories: int | None = None, weights: Weights = None
) -> float | None:
    """Cohen's kappa of paired category codes ``a`` and ``b`` (ints 0..k-1; NaN pairs dropped).

    How to read it: 1 is perfect agreement, 0 is what chance alone would give, below 0 is
    systematic disagreement. ``weights`` ("linear", "quadratic") give partial credit to near
    misses on an ordinal scale; the codes must then be in scale order.

    Edges: None when no pair remains, or when chance agreement is already perfect (both
    raters used one and the same category throughout: kappa is 0/0, undefined).
    """
    x = np.asarray(a, dtype=np.float64)
    y = np.asarray(b, dtype=np.float64)
    if x.shape != y.shape:
        raise ValueError("cohen_kappa needs two arrays of the same length")
    keep = ~(np.isnan(x) | np.isnan(y))
    xi, yi = x[keep].astype(np.int64), y[keep].astype(np.int64)
    if xi.size == 0:
        return None
    k = int(n_categories) if n_categories else int(max(xi.max(), yi.max())) + 1
    observed = np.bincount(xi * k + yi, minlength=k * k).reshape(k, k) / xi.size
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    i, j = np.indices((k, k))
    if weights is None:
        disagreement = (i != j).astype(np.float64)
    elif weights == "linear":
        disagreement = np.abs(i - j).astype(np.float64)
    elif weights == "quadratic":
        disagreement = ((i - j) ** 2).astype(np.float64)
    else:
        raise ValueError(f"weights must be None, 'linear' or 'quadratic', got {weights!r}")
    chance = float((disagreement * expected).sum())
    if chance <= 1e-15:
        return None
    return 1.0 - float((disagreement * observed).sum()) / chance
