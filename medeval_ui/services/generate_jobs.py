"""Generation runs in the background, for the lead's page: one per study at a time.

A job is a thread running ``generate_outputs`` with a stop event (Cancel sets it; the
run ends within a batch, and what was generated stays stored). Jobs live in
this process's memory, in the ``GenerationJobs`` the web app creates: the page polls
``status`` for progress. After a restart no job runs, and starting again resumes.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field, replace

from medeval_ui.config import Settings
from medeval_ui.errors import ConflictError, MedevalError
from medeval_ui.generation.progress import GenerationProgress, GenerationSummary
from medeval_ui.generation.spec import GeneratorSpec
from medeval_ui.services.generate import generate_outputs
from medeval_ui.storage.engine import Database

log = logging.getLogger(__name__)

RUNNING, FINISHED, STOPPED, FAILED = "running", "finished", "stopped", "failed"


@dataclass(frozen=True)
class JobStatus:
    slug: str
    model: str
    state: str  # running | finished | stopped | failed
    phase: str  # loading the model, generating, stopping, done
    progress: GenerationProgress
    message: str = ""  # the summary lines when done, or the error
    started_at: float = 0.0

    @property
    def running(self) -> bool:
        return self.state == RUNNING


@dataclass
class _Job:
    slug: str
    model: str
    stop: threading.Event = field(default_factory=threading.Event)
    state: str = RUNNING
    phase: str = "loading the model"
    progress: GenerationProgress = field(default_factory=lambda: GenerationProgress(0))
    message: str = ""
    started_at: float = field(default_factory=time.time)
    thread: threading.Thread | None = None

    def snapshot(self) -> JobStatus:
        phase = "stopping" if self.stop.is_set() and self.state == RUNNING else self.phase
        return JobStatus(
            self.slug,
            self.model,
            self.state,
            phase,
            replace(self.progress),
            self.message,
            self.started_at,
        )


class GenerationJobs:
    """The background generation jobs of one app (one per study at a time)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[str, _Job] = {}

    def start(
        self,
        db: Database,
        settings: Settings,
        slug: str,
        spec: GeneratorSpec,
        *,
        text_cases_only: bool = False,
        actor: str = "web",
    ) -> JobStatus:
        spec.check()
        with self._lock:
            current = self._jobs.get(slug)
            if current is not None and current.state == RUNNING:
                raise ConflictError(
                    f"a generation with {current.model} is already running for study "
                    f"'{slug}'; wait for it or cancel it first"
                )
            job = _Job(slug, f"{spec.model_name()} {spec.version}".strip())
            self._jobs[slug] = job
        job.thread = threading.Thread(
            target=self._run,
            args=(job, db, settings, spec, text_cases_only, actor),
            name=f"medeval-generate-{slug}",
            daemon=True,
        )
        job.thread.start()
        return job.snapshot()

    def status(self, slug: str) -> JobStatus | None:
        with self._lock:
            job = self._jobs.get(slug)
        return job.snapshot() if job is not None else None

    def cancel(self, slug: str) -> JobStatus | None:
        with self._lock:
            job = self._jobs.get(slug)
        if job is None:
            return None
        job.stop.set()
        return job.snapshot()

    def wait(self, slug: str, timeout_s: float | None = None) -> JobStatus | None:
        """Block until the study's job ends (tests, shutdown)."""
        with self._lock:
            job = self._jobs.get(slug)
        if job is None:
            return None
        if job.thread is not None:
            job.thread.join(timeout_s)
        return job.snapshot()

    def _run(
        self,
        job: _Job,
        db: Database,
        settings: Settings,
        spec: GeneratorSpec,
        text_cases_only: bool,
        actor: str,
    ) -> None:
        def on_start(summary: GenerationSummary) -> None:
            job.progress = summary.progress
            job.phase = "generating" if summary.progress.total else "nothing to do"

        def on_progress(progress: GenerationProgress) -> None:
            job.phase = "generating"
            job.progress = progress

        try:
            summary = generate_outputs(
                db,
                settings,
                job.slug,
                spec,
                text_cases_only=text_cases_only,
                stop=job.stop,
                on_start=on_start,
                on_progress=on_progress,
                actor=actor,
            )
        except MedevalError as err:
            job.message, job.state = str(err), FAILED
        except Exception as err:  # a bug, not a user mistake: keep the page alive, log it
            log.exception("generation for study %s failed", job.slug)
            job.message, job.state = f"unexpected error: {type(err).__name__}: {err}", FAILED
        else:
            job.progress = summary.progress
            job.message = "\n".join(summary.lines())
            job.state = STOPPED if summary.stopped else FINISHED
        job.phase = "done"
