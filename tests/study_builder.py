"""A small rating study built through the real import services, for annotation tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from pydicom.data import get_testdata_file

from medeval_ui.config import Settings
from medeval_ui.services import studies, users
from medeval_ui.services.import_cases import import_cases
from medeval_ui.services.import_outputs import import_outputs
from medeval_ui.storage.engine import Database
from tests.helpers import write_jsonl

MODELS = ("Asclepius-9", "Hygieia-2")
PW = "correct horse battery"


def make_rating_study(
    db: Database,
    settings: Settings,
    folder: Path,
    *,
    slug: str = "chest",
    languages: tuple[str, ...] = ("en", "ar"),
    groups: int = 3,
    samples: int = 1,
    k: int = 2,
    blind: bool = True,
    dicom: bool = False,
    models: tuple[str, ...] = MODELS,
    modes: tuple[str, ...] = ("rating",),
    **study_options: object,
) -> None:
    """``groups`` questions in each language, each answered by both MODELS ``samples``
    times. With ``dicom``, the first case carries pydicom's CT_small.dcm."""
    studies.create_study(
        db,
        slug,
        "Chest pain",
        "xlingeval_correctness",
        ratings_per_output=k,
        blind=blind,
        guidelines="Compare with the **reference**.",
        show_reference=True,
        modes=modes,
        **study_options,  # type: ignore[arg-type]
    )
    folder.mkdir(parents=True, exist_ok=True)
    cases = []
    for g in range(groups):
        for lang in languages:
            case = {
                "external_id": f"q{g}-{lang}",
                "group_id": f"q{g}",
                "language": lang,
                "prompt": f"Question {g} in {lang}: chest pain for an hour?",
                "reference_answer": "Call an ambulance.",
            }
            cases.append(case)
    if dicom:
        src = get_testdata_file("CT_small.dcm", download=False)
        assert src is not None
        shutil.copy(src, folder / "scan.dcm")
        cases[0]["images"] = ["scan.dcm"]
    import_cases(db, settings, slug, write_jsonl(folder / f"{slug}-cases.jsonl", cases))
    outputs = [
        {
            "case_id": c["external_id"],
            "model": m,
            "sample": s,
            "text": f"{m} answer {s} to {c['external_id']}",
        }
        for c in cases
        for m in models
        for s in range(samples)
    ]
    import_outputs(db, slug, write_jsonl(folder / f"{slug}-outputs.jsonl", outputs))


def clinician(db: Database, name: str, languages: list[str]) -> str:
    users.add_user(db, name, "clinician", password=PW, languages=languages)
    return name
