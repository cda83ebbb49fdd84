"""A small pairwise study with distinctive model names and neutral answer texts.

Built through the real services. The answers never name their model (unlike
``tests/study_builder.py``, whose texts quote it on purpose), so any model name that
reaches a clinician's browser is a leak. ``make_pair_study`` has no browser imports: the
handler tests use it too. ``compare_study`` is a fixture for the browser tests (import it
into the test module).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from medeval_ui.config import Settings
from medeval_ui.services import studies, users
from medeval_ui.services.import_cases import import_cases
from medeval_ui.services.import_outputs import import_outputs
from medeval_ui.storage.engine import Database
from tests.helpers import write_jsonl

# Names, versions and an image file name that must never reach a clinician before a reveal.
MODELS = (("ZebraMed-7B", "v9.1.4417"), ("OkapiCare-13B", "r31.4.2"), ("NarwhalDoc-2", "k77"))
IMAGE_NAME = "ZebraMed_lesion_scan.png"
SECRET_WORDS = (
    *(name for name, _ in MODELS),
    *(version for _, version in MODELS),
    "ZebraMed",
    "OkapiCare",
    "NarwhalDoc",
    IMAGE_NAME,
    "lesion_scan",
)
PW = "correct horse battery"


def make_pair_study(
    db: Database,
    settings: Settings,
    folder: Path,
    *,
    slug: str = "duel",
    title: str = "Blind duel",
    rubric: str = "xlingeval_correctness",
    languages: tuple[str, ...] = ("en",),
    groups: int = 2,
    models: tuple[tuple[str, str], ...] = MODELS,
    image: bool = True,
    reveal_policy: str = "after_vote",
    votes_per_pair: int = 1,
    **options: Any,
) -> str:
    """``groups`` cases per language, each answered once by every model (so 3 pairs per
    case with 3 models); the first case carries a PNG under a revealing file name."""
    studies.create_study(
        db,
        slug,
        title,
        rubric,
        modes=("pairwise",),
        guidelines="Which answer would you rather give a patient?",
        show_reference=True,
        votes_per_pair=votes_per_pair,
        reveal_policy=reveal_policy,
        **options,
    )
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[dict[str, Any]] = []
    for g in range(groups):
        for lang in languages:
            cases.append(
                {
                    "external_id": f"{slug}-g{g}-{lang}",
                    "group_id": f"g{g}",
                    "language": lang,
                    "prompt": f"Case {g}: fever and a cough for three days. What now?",
                    "reference_answer": "Rest, fluids; see a doctor if breathing is hard.",
                }
            )
    if image:
        Image.new("RGB", (24, 16), (30, 120, 200)).save(folder / IMAGE_NAME)
        cases[0]["images"] = [IMAGE_NAME]
    import_cases(db, settings, slug, write_jsonl(folder / f"{slug}-cases.jsonl", cases))
    outputs = [
        {
            "case_id": c["external_id"],
            "model": name,
            "model_version": version,
            "sample": 0,
            "text": f"Answer number {i + 1} for case {c['external_id']}: rest and drink water.",
        }
        for c in cases
        for i, (name, version) in enumerate(models)
    ]
    import_outputs(db, slug, write_jsonl(folder / f"{slug}-outputs.jsonl", outputs))
    return slug


def leaks(text: str) -> list[str]:
    """The secret words in ``text``, also behind Markdown or JSON escapes."""
    plain = text.replace("\\\\", "\\").replace("\\", "")
    return [w for w in SECRET_WORDS if w.lower() in text.lower() or w.lower() in plain.lower()]


@pytest.fixture(scope="module")
def compare_study(live_app: Any, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The study in the live app, and a clinician 'sven' who reads only Swedish cases, so
    the demo study (in other languages) never hands him a pair."""
    folder = tmp_path_factory.mktemp("compare")
    slug = make_pair_study(
        live_app.db,
        live_app.settings,
        folder,
        slug="duell",
        title="Blind duel (sv)",
        languages=("sv",),
        groups=1,
    )
    users.add_user(live_app.db, "sven", "clinician", password=PW, languages=["sv"])
    return slug
