"""`medeval generate` with local transformers models: tiny models built in the test, saved,
and loaded through the real ``from_pretrained`` path (tests/gen_models.py)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from medeval_ui.config import Settings
from medeval_ui.generation.errors import GenerationError, ModelOutOfMemoryError
from medeval_ui.generation.progress import GenerationProgress
from medeval_ui.generation.types import Completion
from medeval_ui.services.generate import generate_outputs
from medeval_ui.storage.engine import Database
from tests.gen_models import (
    build_classifier,
    build_text_model,
    local_spec,
    make_generation_study,
    session_model,
    stored_outputs,
)
from tests.helpers import db_snapshot

pytestmark = pytest.mark.usefixtures("cheap_hasher")  # accounts are set-up here (conftest)


@pytest.fixture(scope="session")
def text_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return session_model("text", tmp_path_factory)


@pytest.fixture(scope="session")
def vision_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return session_model("vision", tmp_path_factory)


def texts(db: Database, slug: str = "gen") -> dict[tuple[str, str, int], str]:
    return {k: v["text"] for k, v in stored_outputs(db, slug).items()}


def test_text_outputs_are_stored_like_imports_with_parameters_and_timings(
    db: Database, settings: Settings, tmp_path: Path, text_model: Path
) -> None:
    ids = make_generation_study(db, settings, tmp_path, modes=("rating", "pairwise"))
    summary = generate_outputs(db, settings, "gen", local_spec(text_model, samples=2))
    assert (summary.progress.stored, summary.present, summary.stopped) == (6, 0, False)
    out = stored_outputs(db, "gen")
    assert set(out) == {(i, "tiny-llama", s) for i in ids for s in (0, 1)}
    first = out["q1-ar", "tiny-llama", 0]
    assert first["origin"] == "generated" and first["text"] and first["ms"] >= 0
    params = first["params"]
    assert params["engine"] == "transformers" and params["device"] == "cpu"
    assert (params["temperature"], params["max_new_tokens"], params["seed"]) == (0.7, 12, 0)
    assert params["dtype"] == "float32" and params["architecture"] == "LlamaForCausalLM"
    assert params["prompt"].endswith("Answer in Arabic.") and params["new_tokens"] > 0
    assert params["finish_reason"] in ("stop", "length") and "sample_seed" in params
    # the two samples of a case draw from different streams
    assert out["q1-en", "tiny-llama", 0]["text"] != out["q1-en", "tiny-llama", 1]["text"]
    assert "summary" not in first and summary.lines()[0].startswith("gen: 6 outputs generated")


def test_generated_outputs_become_rating_work(
    db: Database, settings: Settings, tmp_path: Path, text_model: Path
) -> None:
    from medeval_ui.services import users
    from medeval_ui.services.annotation import next_item

    make_generation_study(db, settings, tmp_path)
    generate_outputs(db, settings, "gen", local_spec(text_model))
    users.add_user(db, "amy", "clinician", password="correct horse battery", languages=["ar"])
    item = next_item(db, "amy", "gen")
    assert item is not None and item.case_label == "q1-ar"
    assert [r.text for r in item.responses] == [texts(db)["q1-ar", "tiny-llama", 0]]


def test_a_rerun_resumes_and_regenerates_the_same_text(
    db: Database, settings: Settings, tmp_path: Path, text_model: Path
) -> None:
    make_generation_study(db, settings, tmp_path)
    generate_outputs(db, settings, "gen", local_spec(text_model, samples=2))
    full = texts(db)
    again = generate_outputs(db, settings, "gen", local_spec(text_model, samples=2))
    assert (again.progress.stored, again.present, again.progress.total) == (0, 6, 0)
    # lose two outputs (as an interrupted run would), then resume with another batch size
    _delete_outputs(db, [("q1-ar", 1), ("q1-zh-Hans", 0)])
    resumed = generate_outputs(db, settings, "gen", local_spec(text_model, samples=2, batch_size=1))
    assert (resumed.progress.stored, resumed.present) == (2, 4)
    assert texts(db) == full


def _delete_outputs(db: Database, keys: list[tuple[str, int]]) -> None:
    from sqlalchemy import delete, select

    from medeval_ui.storage.tables import Case, Output, WorkItem

    with db.write() as session:
        for external_id, sample in keys:
            case_id = session.scalar(select(Case.id).where(Case.external_id == external_id))
            session.execute(
                delete(WorkItem).where(WorkItem.case_id == case_id, WorkItem.sample_index == sample)
            )
            session.execute(
                delete(Output).where(Output.case_id == case_id, Output.sample_index == sample)
            )


def test_same_seed_same_text_whatever_the_batch_another_seed_other_text(
    db: Database, settings: Settings, tmp_path: Path, text_model: Path
) -> None:
    make_generation_study(db, settings, tmp_path)
    for name, batch, seed in (("a", 4, 7), ("b", 1, 7), ("c", 4, 8)):
        generate_outputs(
            db, settings, "gen", local_spec(text_model, name=name, batch_size=batch, seed=seed)
        )
    out = texts(db)
    ids = ["q1-en", "q1-ar", "q1-zh-Hans"]
    assert [out[i, "a", 0] for i in ids] == [out[i, "b", 0] for i in ids]
    assert [out[i, "a", 0] for i in ids] != [out[i, "c", 0] for i in ids]


def test_greedy_decoding_ignores_the_seed(
    db: Database, settings: Settings, tmp_path: Path, text_model: Path
) -> None:
    make_generation_study(db, settings, tmp_path)
    for name, seed in (("a", 1), ("b", 2)):
        generate_outputs(
            db, settings, "gen", local_spec(text_model, name=name, seed=seed, temperature=0)
        )
    out = texts(db)
    assert out["q1-en", "a", 0] == out["q1-en", "b", 0]


def test_vision_model_is_given_the_case_images(
    db: Database, settings: Settings, tmp_path: Path, vision_model: Path
) -> None:
    make_generation_study(db, settings, tmp_path, images=True)
    summary = generate_outputs(db, settings, "gen", local_spec(vision_model, temperature=0))
    assert summary.progress.stored == 5
    out = stored_outputs(db, "gen")
    text_case = out["q1-en", "tiny-llava", 0]
    red, blue = out["img-red", "tiny-llava", 0], out["img-blue", "tiny-llava", 0]
    # same prompt text: the image cases' prompts hold 4x4 = 16 image tokens more
    assert red["params"]["prompt"] == text_case["params"]["prompt"]
    assert red["params"]["prompt_tokens"] == text_case["params"]["prompt_tokens"] + 16
    assert red["params"]["architecture"] == "LlavaForConditionalGeneration"
    # greedy, same prompt: only the pixels differ, and so do the answers
    assert red["text"] != blue["text"]


def test_text_only_model_refuses_image_cases_unless_told_to_skip_them(
    db: Database, settings: Settings, tmp_path: Path, text_model: Path
) -> None:
    make_generation_study(db, settings, tmp_path, images=True)
    before = db_snapshot(db)
    with pytest.raises(GenerationError, match=r"2 cases of study 'gen' have images") as err:
        generate_outputs(db, settings, "gen", local_spec(text_model))
    assert "img-blue, img-red" in str(err.value) and "--text-cases-only" in str(err.value)
    assert db_snapshot(db) == before
    summary = generate_outputs(db, settings, "gen", local_spec(text_model), text_cases_only=True)
    assert summary.progress.stored == 3 and summary.skipped_image_cases == 2
    assert {k[0] for k in texts(db)} == {"q1-en", "q1-ar", "q1-zh-Hans"}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "nowhere", r"model folder .*nowhere does not exist"),
        (lambda p: _file(p / "weights.bin"), r"weights.bin is a file; give the model's folder"),
        (lambda p: _folder(p / "empty"), r"has no config.json: it is not a transformers model"),
        (build_classifier, r"holds a BertForSequenceClassification, which does not generate"),
    ],
    ids=["missing", "file", "no-config", "classifier"],
)
def test_a_wrong_model_path_is_a_clear_error_and_changes_nothing(
    db: Database, settings: Settings, tmp_path: Path, make: Any, message: str
) -> None:
    make_generation_study(db, settings, tmp_path / "study")
    before = db_snapshot(db)
    with pytest.raises(GenerationError, match=message):
        generate_outputs(db, settings, "gen", local_spec(make(tmp_path)))
    assert db_snapshot(db) == before


def _file(path: Path) -> Path:
    path.write_bytes(b"\0")
    return path


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


def test_a_model_that_produces_nothing_is_an_error(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    silent = build_text_model(tmp_path / "silent", silent=True)
    make_generation_study(db, settings, tmp_path / "study")
    with pytest.raises(GenerationError, match=r"silent produced no text for any of the 3 cases"):
        generate_outputs(db, settings, "gen", local_spec(silent, temperature=0))
    assert texts(db) == {}


def test_out_of_memory_names_a_smaller_batch_and_dtype(
    db: Database,
    settings: Settings,
    tmp_path: Path,
    text_model: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import torch

    from medeval_ui.generation import local

    make_generation_study(db, settings, tmp_path)

    def no_memory(self: Any, **kwargs: Any) -> Any:
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB")

    opened = local.LocalGenerator(text_model, local_spec(text_model).sampling, batch_size=4)
    monkeypatch.setattr(type(opened.loaded.model), "generate", no_memory)
    with pytest.raises(ModelOutOfMemoryError) as err:
        generate_outputs(db, settings, "gen", local_spec(text_model), generator=opened)
    assert "out of memory generating a batch of 3 on cpu" in str(err.value)
    assert "--batch-size 1" in str(err.value) and "--dtype bfloat16" in str(err.value)


def test_ctrl_c_keeps_finished_batches_and_a_rerun_completes_the_same_texts(
    db: Database, settings: Settings, tmp_path: Path, text_model: Path
) -> None:
    make_generation_study(db, settings, tmp_path)
    spec = local_spec(text_model, samples=3, batch_size=2)
    generate_outputs(db, settings, "gen", spec)
    reference = texts(db)
    _delete_outputs(db, [(k[0], k[2]) for k in reference])

    def interrupt_after_two_batches(progress: GenerationProgress) -> None:
        if progress.done == 4:
            raise KeyboardInterrupt

    stopped = generate_outputs(db, settings, "gen", spec, on_progress=interrupt_after_two_batches)
    assert stopped.stopped and stopped.progress.stored == 4
    assert "rerun the same command to resume" in stopped.lines()[-1]
    assert len(texts(db)) == 4
    generate_outputs(db, settings, "gen", spec)
    assert texts(db) == reference


def test_a_stop_event_ends_the_run_keeping_what_was_generated(
    db: Database, settings: Settings, tmp_path: Path, text_model: Path
) -> None:
    make_generation_study(db, settings, tmp_path)
    stop = threading.Event()

    def cancel(progress: GenerationProgress) -> None:
        stop.set()

    summary = generate_outputs(
        db, settings, "gen", local_spec(text_model, batch_size=2), stop=stop, on_progress=cancel
    )
    assert summary.stopped and summary.progress.stored == 2 and len(texts(db)) == 2


class ScriptedGenerator:
    """A stand-in model that answers each case from a script."""

    engine, default_name, commit_every = "scripted", "scripted", 2
    supports_images: bool | None = False

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers

    def params(self) -> dict[str, Any]:
        return {"engine": self.engine}

    def run(self, tasks: Any, stop: threading.Event) -> Any:
        for t in tasks:
            yield Completion(t, self.answers[t.external_id], 4, "stop", 1)

    def close(self) -> None:
        pass


def test_nul_characters_are_dropped_and_empty_answers_are_not_stored(
    db: Database, settings: Settings, tmp_path: Path, text_model: Path
) -> None:
    make_generation_study(db, settings, tmp_path)
    answers = {
        "q1-en": "\x00 Call an\x00 ambulance.\n",
        "q1-ar": "اتصل بالإسعاف",
        "q1-zh-Hans": " \x00 ",
    }
    summary = generate_outputs(
        db, settings, "gen", local_spec(text_model), generator=ScriptedGenerator(answers)
    )
    assert texts(db) == {
        ("q1-en", "tiny-llama", 0): "Call an ambulance.",
        ("q1-ar", "tiny-llama", 0): "اتصل بالإسعاف",
    }
    assert summary.empty == ["q1-zh-Hans#0"]
    assert "empty answers, not stored: 1 (q1-zh-Hans#0)" in "\n".join(summary.lines())


def test_a_batch_cut_short_by_cancel_is_not_stored(
    db: Database,
    settings: Settings,
    tmp_path: Path,
    text_model: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from medeval_ui.generation import sampling

    make_generation_study(db, settings, tmp_path)
    stop, steps = threading.Event(), []
    real = sampling.SeededSampler.__call__

    def cancel_at_third_token(self: Any, input_ids: Any, scores: Any) -> Any:
        steps.append(1)
        if len(steps) == 3:
            stop.set()  # as the page's Cancel does, from another thread
        return real(self, input_ids, scores)

    monkeypatch.setattr(sampling.SeededSampler, "__call__", cancel_at_third_token)
    spec = local_spec(text_model, max_new_tokens=60, temperature=1.5)
    summary = generate_outputs(db, settings, "gen", spec, stop=stop)
    assert summary.stopped and summary.progress.done == 0 and texts(db) == {}
    assert len(steps) <= 4  # it stopped at the next token, not after 60
