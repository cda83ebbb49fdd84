"""Generate a study's missing outputs with a local model or an OpenAI-compatible server.

One run: plan which (case, sample) the model has not answered yet (a rerun resumes),
refuse image cases for a text-only model before loading anything, load the model, and
store what comes back in small transactions (one per batch), so that an interruption
loses at most the batch in flight. Outputs are stored like imported ones (same tables,
work items and pair items added, memoized counts dropped), with origin ``generated``,
their parameters (sampling, seed, prompt, engine, device) and timings.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from medeval_ui.config import Settings
from medeval_ui.errors import MedevalError
from medeval_ui.exchange.images import display_path
from medeval_ui.generation.errors import GenerationError
from medeval_ui.generation.progress import GenerationProgress, GenerationSummary
from medeval_ui.generation.prompts import CaseText, check_template, render
from medeval_ui.generation.seeds import sample_seed
from medeval_ui.generation.spec import GeneratorSpec, open_generator
from medeval_ui.generation.types import Completion, GenerationTask, Generator
from medeval_ui.services import audit
from medeval_ui.services.annotation_memo import forget_counts
from medeval_ui.services.new_outputs import add_outputs
from medeval_ui.services.studies import find_study
from medeval_ui.storage.engine import Database
from medeval_ui.storage.repos.generation import (
    answered,
    cases_to_answer,
    find_model_id,
    model_id_for,
    prompt_settings,
    set_prompt_settings,
)

ProgressCallback = Callable[[GenerationProgress], None]


def _image_paths(settings: Settings, shas: Sequence[str]) -> tuple[Path, ...]:
    return tuple(display_path(Path(settings.media_dir), sha) for sha in shas)


def plan_generation(
    db: Database,
    settings: Settings,
    slug: str,
    spec: GeneratorSpec,
    *,
    text_cases_only: bool = False,
) -> tuple[list[GenerationTask], GenerationSummary]:
    """The tasks still to do, and a summary counting what is already there."""
    spec.check()
    name = spec.model_name()
    summary = GenerationSummary(slug, f"{name} {spec.version}".strip())
    with db.read() as session:
        study = find_study(session, slug)
        template, system = prompt_settings(session, study.id)
        cases = cases_to_answer(session, study.id)
        model_id = find_model_id(session, name, spec.version)
        done = answered(session, study.id, model_id) if model_id is not None else set()
    images_ok = spec.supports_images()  # for a local model this also checks its folder
    if not cases:
        raise MedevalError(f"study '{slug}' has no cases yet; import cases first")
    if text_cases_only:
        summary.skipped_image_cases = sum(1 for c in cases if c.display_images)
        cases = [c for c in cases if not c.display_images]
    tasks: list[GenerationTask] = []
    for case in cases:
        user = render(
            template,
            CaseText(case.external_id, case.language, case.prompt, case.specialty, case.modality),
        )
        for sample in range(spec.samples):
            summary.wanted += 1
            if (case.id, sample) in done:
                summary.present += 1
                continue
            tasks.append(
                GenerationTask(
                    case_id=case.id,
                    external_id=case.external_id,
                    sample=sample,
                    system=system,
                    user=user,
                    images=_image_paths(settings, case.display_images),
                    seed=sample_seed(spec.sampling.seed, case.external_id, sample),
                )
            )
    _check_images(tasks, spec, slug, images_ok)
    summary.progress = GenerationProgress(total=len(tasks))
    return tasks, summary


def _check_images(
    tasks: Sequence[GenerationTask], spec: GeneratorSpec, slug: str, images_ok: bool | None
) -> None:
    with_images = sorted({t.external_id for t in tasks if t.images})
    if not with_images or images_ok is not False:
        return
    shown = ", ".join(with_images[:5]) + (" ..." if len(with_images) > 5 else "")
    raise GenerationError(
        f"{len(with_images)} cases of study '{slug}' have images ({shown}) but "
        f"{spec.model_name()} is a text-only model; use a vision-language "
        "(image-text-to-text) model, or --text-cases-only to answer only the cases without "
        "images"
    )


def generate_outputs(
    db: Database,
    settings: Settings,
    slug: str,
    spec: GeneratorSpec,
    *,
    text_cases_only: bool = False,
    stop: threading.Event | None = None,
    on_start: Callable[[GenerationSummary], None] | None = None,
    on_progress: ProgressCallback | None = None,
    actor: str = "cli",
    generator: Generator | None = None,
) -> GenerationSummary:
    """Generate and store the study's missing outputs; see the module docstring.

    ``stop`` (set from another thread) ends the run soon, as Ctrl-C does: a local batch
    cut short is dropped, a server's answers in flight are kept; either way the summary
    says ``stopped`` and a rerun resumes. ``generator`` replaces opening ``spec``'s
    (tests, benchmarks).
    """
    tasks, summary = plan_generation(db, settings, slug, spec, text_cases_only=text_cases_only)
    if not tasks:
        if on_start is not None:
            on_start(summary)
        return summary
    stop = stop or threading.Event()
    gen = generator or open_generator(spec)
    if on_start is not None:
        on_start(summary)  # after loading: the progress bar's rate and ETA are generation's
    progress = summary.progress
    started = time.perf_counter()
    buffer: list[Completion] = []
    params = gen.params()
    try:
        for completion in gen.run(tasks, stop):
            completion = _cleaned(completion)
            progress.done += 1
            progress.new_tokens += completion.new_tokens
            if completion.text:
                buffer.append(completion)
            else:
                summary.empty.append(f"{completion.task.external_id}#{completion.task.sample}")
                progress.empty += 1
                _fail_if_silent(progress, summary, spec)
            if len(buffer) >= gen.commit_every:
                progress.stored += _store(db, slug, spec, params, buffer)
                buffer.clear()
            progress.elapsed_s = time.perf_counter() - started
            if on_progress is not None:
                on_progress(progress)
        summary.stopped = stop.is_set()
    except KeyboardInterrupt:
        summary.stopped = True
    finally:
        if buffer:
            progress.stored += _store(db, slug, spec, params, buffer)
        progress.elapsed_s = time.perf_counter() - started
        if generator is None:
            gen.close()
        _record(db, slug, summary, params, actor)
    if progress.stored == 0 and progress.empty and not summary.stopped:
        raise GenerationError(_silent_message(summary, spec))
    return summary


def _cleaned(completion: Completion) -> Completion:
    """Model output is untrusted text: NUL characters (which a byte-level model can emit,
    and PostgreSQL refuses in text) are dropped, and surrounding whitespace."""
    text = completion.text.replace("\x00", "").strip()
    return completion if text == completion.text else replace(completion, text=text)


def _fail_if_silent(
    progress: GenerationProgress, summary: GenerationSummary, spec: GeneratorSpec
) -> None:
    """Every answer so far empty, over a first batch's worth: the model or template is
    broken, and generating the rest would only waste the time."""
    if progress.stored == 0 and progress.empty == progress.done >= min(8, progress.total):
        raise GenerationError(_silent_message(summary, spec))


def _silent_message(summary: GenerationSummary, spec: GeneratorSpec) -> str:
    return (
        f"{spec.model_name()} produced no text for any of the {summary.progress.empty} cases "
        "it answered (it ended its answer at once); check that it is a chat model whose chat "
        "template matches it, the study's prompt template, and --max-new-tokens"
    )


def _store(
    db: Database,
    slug: str,
    spec: GeneratorSpec,
    params: dict[str, Any],
    completions: Sequence[Completion],
) -> int:
    with db.write() as session:
        study = find_study(session, slug)
        model_id = model_id_for(session, spec.model_name(), spec.version)
        # another run (the web page and the CLI at once) may have stored some meanwhile
        taken = answered(session, study.id, model_id, {c.task.case_id for c in completions})
        rows = [
            {
                "case_id": c.task.case_id,
                "model_id": model_id,
                "sample_index": c.task.sample,
                "text": c.text,
                "params": _output_params(params, c),
                "origin": "generated",
                "generation_ms": c.ms,
            }
            for c in completions
            if (c.task.case_id, c.task.sample) not in taken
        ]
        add_outputs(session, study, rows)
    forget_counts()
    return len(rows)


def _output_params(params: dict[str, Any], c: Completion) -> dict[str, Any]:
    out = {
        **params,
        "sample_seed": c.task.seed,
        "new_tokens": c.new_tokens,
        "finish_reason": c.finish_reason,
        "prompt": c.task.user,
        **c.extra,
    }
    if c.task.system:
        out["system"] = c.task.system
    return out


def _record(
    db: Database, slug: str, summary: GenerationSummary, params: dict[str, Any], actor: str
) -> None:
    with db.write() as session:
        audit.record(
            session,
            "generate",
            actor=actor,
            study_id=find_study(session, slug).id,
            model=summary.model,
            created=summary.progress.stored,
            present=summary.present,
            empty=len(summary.empty),
            stopped=summary.stopped,
            **{k: v for k, v in params.items() if k in ("engine", "endpoint", "device", "dtype")},
        )


# --- the study's prompt template --------------------------------------------------------


def get_prompt_template(db: Database, slug: str) -> tuple[str, str]:
    """(template, system prompt) of a study; empty strings mean the defaults."""
    with db.read() as session:
        return prompt_settings(session, find_study(session, slug).id)


def set_prompt_template(
    db: Database, slug: str, template: str, system: str, *, actor: str = "cli"
) -> None:
    """Save a study's template (checked first) and system prompt; "" restores a default.

    Outputs already generated keep the prompt they were made with (stored in their
    parameters); a rerun answers only what is missing, with the new template.
    """
    if template.strip():
        check_template(template)
        if "{prompt}" not in template:
            raise MedevalError("a prompt template must contain {prompt}, the case's question")
    with db.write() as session:
        study = find_study(session, slug)
        set_prompt_settings(session, study.id, template, system)
        audit.record(session, "prompt_template", actor=actor, study_id=study.id)
