"""What a generator is given and what it gives back (plain data, no torch)."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

DEVICES = ("auto", "cpu", "cuda")
DTYPES = ("auto", "float32", "bfloat16", "float16")


@dataclass(frozen=True)
class SamplingSettings:
    """How to decode. ``temperature`` 0 is greedy; above 0, each (case, sample) draws its
    tokens from its own random stream seeded from ``seed`` (see ``seeds.sample_seed``)."""

    temperature: float = 0.7
    top_p: float = 1.0
    max_new_tokens: int = 512
    seed: int = 0

    def as_params(self) -> dict[str, Any]:
        return {
            "temperature": self.temperature,
            "top_p": self.top_p,
            "max_new_tokens": self.max_new_tokens,
            "seed": self.seed,
        }


@dataclass(frozen=True)
class GenerationTask:
    """One output to produce: a case's prompt, rendered, for one sample index."""

    case_id: int
    external_id: str
    sample: int
    system: str
    user: str
    images: tuple[Path, ...] = ()
    seed: int = 0  # this (case, sample)'s own seed


@dataclass(frozen=True)
class Completion:
    task: GenerationTask
    text: str
    new_tokens: int
    finish_reason: str  # "stop" (the model ended) or "length" (max_new_tokens reached)
    ms: int  # this output's share of the wall time that produced it
    extra: dict[str, Any] = field(default_factory=dict)  # engine-specific, stored in params


class Generator(Protocol):
    """A loaded model or a connection to a server."""

    engine: str  # "transformers" or "openai"
    default_name: str  # the model name stored when the user gives none
    supports_images: bool | None  # None: unknown until the server answers (endpoints)
    commit_every: int  # how many completions to store per transaction

    def params(self) -> dict[str, Any]:
        """What to record with every output (engine, device, dtype, server ...)."""
        ...

    def run(self, tasks: Sequence[GenerationTask], stop: threading.Event) -> Iterator[Completion]:
        """Completions as they are ready; returns early once ``stop`` is set."""
        ...

    def close(self) -> None: ...
