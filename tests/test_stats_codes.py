"""stats.codes.unique_inverse: the same answer as np.unique(return_inverse=True), by bins
when the keys are small and by np.unique's sort otherwise."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from medeval_ui.stats import codes
from medeval_ui.stats.codes import distinct, unique_inverse


def same_as_numpy(keys: np.ndarray) -> None:
    uniques, inverse = unique_inverse(keys)
    want_uniques, want_inverse = np.unique(keys, return_inverse=True)
    np.testing.assert_array_equal(uniques, want_uniques)
    np.testing.assert_array_equal(inverse, want_inverse.reshape(-1))
    assert inverse.dtype == np.int64
    np.testing.assert_array_equal(uniques[inverse], keys.reshape(-1))


@settings(max_examples=200, deadline=None)
@given(
    arrays(
        st.sampled_from([np.int64, np.int32, np.uint8, np.bool_]),
        st.integers(0, 300),
        elements=st.integers(0, 1),
    )
    | arrays(np.int64, st.integers(0, 300), elements=st.integers(-(2**62), 2**62))
    | arrays(np.int64, st.integers(0, 300), elements=st.integers(0, 5000))
)
def test_matches_numpy_on_any_integer_keys(keys: np.ndarray) -> None:
    same_as_numpy(keys)


@pytest.mark.parametrize(
    "keys",
    [
        np.array([], dtype=np.int64),
        np.array([7]),
        np.array([3, -1, 3, 0]),  # a negative key: the sort
        np.array([0, 2**40, 5]),  # widely spread: the sort, not 2**40 bins
        np.array([1.5, 0.5, 1.5]),  # not integers: the sort
    ],
)
def test_edges(keys: np.ndarray) -> None:
    if keys.dtype.kind == "f":
        uniques, inverse = unique_inverse(keys)
        np.testing.assert_array_equal(uniques[inverse], keys)
        return
    same_as_numpy(keys)


def test_bins_are_used_only_within_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spread keys must not allocate one bin per possible value."""
    calls: list[int] = []
    real = np.bincount

    def counting(x: np.ndarray, *args: object, **kwargs: object) -> np.ndarray:
        calls.append(int(kwargs.get("minlength", 0) or 0))
        return real(x, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(codes.np, "bincount", counting)
    unique_inverse(np.array([0, codes.DENSE_MIN + 10]))
    assert calls == []
    unique_inverse(np.arange(1000) * 3)
    assert calls == [2998]


@settings(max_examples=100, deadline=None)
@given(
    arrays(np.int64, st.integers(0, 300), elements=st.integers(0, 5000))
    | arrays(np.int64, st.integers(0, 50), elements=st.integers(-(2**62), 2**62))
)
def test_distinct_matches_numpy(keys: np.ndarray) -> None:
    np.testing.assert_array_equal(distinct(keys), np.unique(keys))
