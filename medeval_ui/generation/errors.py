"""Generation errors a user can act on (a wrong path, a model that does not fit ...)."""

from __future__ import annotations

from medeval_ui.errors import MedevalError


class GenerationError(MedevalError):
    """Generation cannot go on; the message says what to change."""


class ModelOutOfMemoryError(GenerationError):
    """The model or a batch did not fit in memory."""


def out_of_memory(where: str, batch_size: int, device: str) -> ModelOutOfMemoryError:
    smaller = max(1, batch_size // 2)
    hints = [f"a smaller batch (--batch-size {smaller})"] if batch_size > 1 else []
    if device.startswith("cuda"):
        hints.append("a smaller dtype (--dtype bfloat16 or float16)")
    else:
        hints.append("--dtype bfloat16")
    hints.append("fewer new tokens (--max-new-tokens)")
    return ModelOutOfMemoryError(
        f"out of memory {where} on {device}; outputs already generated are stored, so "
        f"rerun with {', or '.join(hints)} to resume"
    )
