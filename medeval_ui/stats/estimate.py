"""One number as a dashboard shows it: value, interval, n, and why it may be missing.

Every statistic of DESIGN.md section 4 returns an ``Estimate``. A statistic that cannot be
computed (no variation, one rater, an empty group) is ``value=None`` with a reason a lead
can read: never a silent NaN on screen.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Estimate:
    """A statistic with its interval and sample size.

    ``n`` counts the units the interval resamples (items, cases, case groups); ``n_obs`` the
    judgments behind it (ratings, votes). ``small`` marks a sample under the statistic's
    minimum, ``label`` is an interpretation (Landis and Koch for agreement), ``undefined``
    says why ``value`` is None. Bounds are None when no interval could be formed.
    """

    value: float | None
    lower: float | None = None
    upper: float | None = None
    n: int = 0
    n_obs: int = 0
    small: bool = False
    label: str = ""
    undefined: str = ""

    @property
    def defined(self) -> bool:
        return self.value is not None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def finite_or_none(x: float | None) -> float | None:
    """A float for display, or None for NaN/inf (which must never reach a screen)."""
    return None if x is None or not math.isfinite(x) else float(x)


def undefined(reason: str, n: int = 0, n_obs: int = 0, *, small: bool = False) -> Estimate:
    """A statistic that cannot be computed here, with the reason shown in its place."""
    return Estimate(None, n=n, n_obs=n_obs, small=small, undefined=reason)
