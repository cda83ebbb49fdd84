"""Confidence intervals for proportions.

Pure numpy and the standard library; every function takes counts, not rows.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
from numpy.typing import ArrayLike, NDArray


def normal_quantile(level: float) -> float:
    """The two-sided standard-normal critical value for a confidence level: 1.95996 for 0.95.

    Raises ``ValueError`` unless 0 < level < 1.
    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence level must be between 0 and 1, got {level!r}")
    return NormalDist().inv_cdf(0.5 + level / 2.0)


def wilson_intervals(
    successes: ArrayLike, n: ArrayLike, level: float = 0.95
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Wilson score intervals for ``successes`` out of ``n``, element-wise.

    How to read it: the range of true proportions the data do not contradict at ``level``.
    Unlike the plain ``p +- z*se`` interval it stays inside [0, 1] and keeps its coverage for
    small ``n`` and for proportions near 0 or 1 (8 of 10 gives 0.490-0.943 at 95%).

    Edges: ``n == 0`` gives NaN for both bounds (nothing is known); ``successes`` may be
    fractional (half-counted wins). Raises ``ValueError`` for negative counts or
    ``successes > n``.
    """
    k = np.asarray(successes, dtype=np.float64)
    total = np.asarray(n, dtype=np.float64)
    if np.any(total < 0) or np.any(k < 0) or np.any(k > total):
        raise ValueError("need 0 <= successes <= n")
    z = normal_quantile(level)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / total
        z2n = z * z / total
        centre = (p + z2n / 2.0) / (1.0 + z2n)
        half = z / (1.0 + z2n) * np.sqrt(p * (1.0 - p) / total + z2n / (4.0 * total))
    empty = total == 0
    lower = np.where(empty, np.nan, np.clip(centre - half, 0.0, 1.0))
    upper = np.where(empty, np.nan, np.clip(centre + half, 0.0, 1.0))
    return lower, upper


def wilson_interval(successes: float, n: float, level: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval for one proportion, as ``(lower, upper)``.

    See ``wilson_intervals``: NaN bounds when ``n == 0``.
    """
    lower, upper = wilson_intervals(successes, n, level)
    return float(lower), float(upper)
