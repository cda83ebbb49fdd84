"""What the user asked for (a local folder or a server, and how to decode), checked
before anything heavy happens, and the generator it opens."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medeval_ui.generation.errors import GenerationError
from medeval_ui.generation.types import DEVICES, DTYPES, Generator, SamplingSettings


@dataclass(frozen=True)
class GeneratorSpec:
    """``model`` is a folder (local) or, with ``endpoint``, the served model id."""

    model: str
    endpoint: str = ""
    name: str = ""  # the model name stored with the outputs; default: folder name / id
    version: str = ""
    samples: int = 1
    sampling: SamplingSettings = field(default_factory=SamplingSettings)
    batch_size: int = 8
    device: str = "auto"
    dtype: str = "auto"
    concurrency: int = 4
    timeout_s: float = 120.0
    retries: int = 5
    api_key_env: str = ""
    backoff_s: float = 1.0

    @property
    def is_endpoint(self) -> bool:
        return bool(self.endpoint.strip())

    def check(self) -> None:
        """Refuse values that cannot work, naming the option."""
        s = self.sampling
        if not self.model.strip():
            raise GenerationError(
                "--model is required: a model folder, or the served model id with --endpoint"
            )
        if self.samples < 1:
            raise GenerationError("--samples must be at least 1")
        if s.temperature < 0:
            raise GenerationError("--temperature must be 0 (greedy) or more")
        if not 0 < s.top_p <= 1:
            raise GenerationError("--top-p must be more than 0 and at most 1")
        if s.max_new_tokens < 1:
            raise GenerationError("--max-new-tokens must be at least 1")
        if self.batch_size < 1:
            raise GenerationError("--batch-size must be at least 1")
        if self.device not in DEVICES:
            raise GenerationError(f"--device must be one of {', '.join(DEVICES)}")
        if self.dtype not in DTYPES:
            raise GenerationError(f"--dtype must be one of {', '.join(DTYPES)}")

    def model_name(self) -> str:
        if self.name.strip():
            return self.name.strip()
        if self.is_endpoint:
            return self.model.strip()
        return Path(self.model).expanduser().resolve().name

    def supports_images(self) -> bool | None:
        """From the model's config, without loading it; None for a server (unknown)."""
        if self.is_endpoint:
            return None
        from medeval_ui.generation.local_load import model_kind

        kind, _arch = model_kind(Path(self.model).expanduser())
        return kind == "vision"

    def describe(self) -> dict[str, Any]:
        """A one-line-able summary for logs and the page (never an API key)."""
        where = self.endpoint.strip() if self.is_endpoint else str(Path(self.model).expanduser())
        return {"model": self.model_name(), "version": self.version, "source": where}


def open_generator(spec: GeneratorSpec) -> Generator:
    """Load the local model or connect to the server (the slow step)."""
    spec.check()
    if spec.is_endpoint:
        from medeval_ui.generation.endpoint import EndpointGenerator

        return EndpointGenerator(
            spec.endpoint,
            spec.model.strip(),
            spec.sampling,
            concurrency=spec.concurrency,
            timeout_s=spec.timeout_s,
            retries=spec.retries,
            api_key_env=spec.api_key_env.strip() or None,
            backoff_s=spec.backoff_s,
        )
    from medeval_ui.generation.local import LocalGenerator

    return LocalGenerator(
        Path(spec.model).expanduser(),
        spec.sampling,
        batch_size=spec.batch_size,
        device=spec.device,
        dtype=spec.dtype,
    )
