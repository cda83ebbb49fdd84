"""Wilson intervals and position bias (DESIGN §4): share of decisive votes won on the left."""

from __future__ import annotations

import math

import numpy as np
import pytest

from medeval_ui.stats.intervals import normal_quantile, wilson_interval, wilson_intervals
from medeval_ui.stats.position_bias import position_bias, position_bias_by


@pytest.mark.parametrize(
    ("k", "n", "lower", "upper"),
    # Newcombe (1998), Statistics in Medicine 17:857, table II, method 3 (Wilson score).
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_published_values(k: int, n: int, lower: float, upper: float) -> None:
    lo, hi = wilson_interval(k, n)
    assert lo == pytest.approx(lower, abs=6e-5) and hi == pytest.approx(upper, abs=6e-5)


def test_wilson_edges_and_vectorised_form() -> None:
    assert all(math.isnan(x) for x in wilson_interval(0, 0))
    assert normal_quantile(0.95) == pytest.approx(1.959964, abs=1e-6)
    lo, hi = wilson_intervals([81, 0, 3.5], [263, 0, 7])
    assert lo[0] == pytest.approx(0.2553, abs=6e-5) and np.isnan(lo[1]) and np.isnan(hi[1])
    assert lo[2] < 0.5 < hi[2] and hi[2] - 0.5 == pytest.approx(0.5 - lo[2])
    narrow = wilson_interval(50, 100, level=0.5)
    assert narrow[1] - narrow[0] < np.subtract(*reversed(wilson_interval(50, 100)))
    with pytest.raises(ValueError):
        wilson_interval(5, 3)
    with pytest.raises(ValueError):
        normal_quantile(1.0)


def test_balanced_votes_show_no_bias() -> None:
    winners = ["left"] * 52 + ["right"] * 48 + ["tie"] * 30 + ["both_bad"] * 20
    result = position_bias(winners)
    assert (result.left_wins, result.right_wins, result.ties, result.both_bad) == (52, 48, 30, 20)
    assert result.n == 100 and result.share == pytest.approx(0.52)
    assert (result.lower, result.upper) == pytest.approx(wilson_interval(52, 100))
    assert result.reading.startswith("no evidence of position bias")
    assert "52.0% of 100 decisive votes" in result.reading and result.biased is False


def test_favoured_side_is_named() -> None:
    left = position_bias(np.array(["left"] * 70 + ["right"] * 30))
    assert left.lower > 0.5 and left.biased and left.reading.startswith("left position favoured")
    right = position_bias(["left"] * 30 + ["right"] * 70 + ["tie"] * 100)
    assert right.upper < 0.5 and right.n == 100
    assert right.reading.startswith("right position favoured")


def test_no_decisive_votes_and_bad_labels() -> None:
    result = position_bias(["tie", "both_bad"])
    assert result.n == 0 and math.isnan(result.share) and math.isnan(result.lower)
    assert result.biased is None and "cannot be assessed" in result.reading
    assert position_bias([]).n == 0
    with pytest.raises(ValueError, match="model_a"):
        position_bias(["left", "model_a"])


def test_per_language() -> None:
    winners = ["left"] * 40 + ["right"] * 40 + ["left"] * 90 + ["right"] * 10
    languages = ["en"] * 80 + ["sw"] * 100
    result = position_bias_by(winners, languages)
    assert list(result) == ["en", "sw"]
    assert result["en"].biased is False and result["sw"].biased is True
    with pytest.raises(ValueError):
        position_bias_by(["left"], ["en", "fr"])
