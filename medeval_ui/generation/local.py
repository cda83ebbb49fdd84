"""Generation with a local transformers model: batched, left-padded, seeded per output.

Text cases go through the tokenizer's chat template; cases with images through the
vision-language model's processor, the images passed as images. Tasks are batched by
kind (with or without images) and by prompt length, so little padding is wasted; which
tasks share a batch does not change any output's tokens (see sampling.py).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from medeval_ui.generation.errors import GenerationError, out_of_memory
from medeval_ui.generation.local_load import LoadedModel, load_local
from medeval_ui.generation.sampling import SeededSampler
from medeval_ui.generation.types import Completion, GenerationTask, SamplingSettings


class LocalGenerator:
    engine = "transformers"

    def __init__(
        self,
        path: Path,
        sampling: SamplingSettings,
        *,
        batch_size: int = 8,
        device: str = "auto",
        dtype: str = "auto",
    ) -> None:
        if batch_size < 1:
            raise GenerationError("--batch-size must be at least 1")
        started = time.perf_counter()
        self.loaded: LoadedModel = load_local(path, device=device, dtype=dtype)
        self.load_s = time.perf_counter() - started
        self.path = path
        self.sampling = sampling
        self.batch_size = batch_size
        self.commit_every = batch_size
        self.default_name = path.resolve().name
        self.supports_images: bool | None = self.loaded.vision

    def params(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "architecture": self.loaded.architecture,
            "device": self.loaded.device,
            "dtype": self.loaded.dtype,
            "batch_size": self.batch_size,
            **self.sampling.as_params(),
        }

    def run(self, tasks: Sequence[GenerationTask], stop: threading.Event) -> Iterator[Completion]:
        # Text and image cases apart (processors differ in how they take a mixed batch),
        # each by prompt length so that little padding is wasted.
        for with_images in (False, True):
            group = sorted(
                (t for t in tasks if bool(t.images) == with_images),
                key=lambda t: len(t.user) + len(t.system),
            )
            for start in range(0, len(group), self.batch_size):
                if stop.is_set():
                    return
                yield from self._batch(group[start : start + self.batch_size], stop)

    def close(self) -> None:
        self.loaded.model.to("cpu")
        del self.loaded
        _free_device_memory()

    # --- one batch ------------------------------------------------------------------------

    def _batch(
        self, batch: Sequence[GenerationTask], stop: threading.Event
    ) -> Iterator[Completion]:
        import torch

        lm = self.loaded
        started = time.perf_counter()
        try:
            inputs = self._inputs(batch).to(lm.device)
            prompt_len = inputs["input_ids"].shape[1]
            sampler = SeededSampler(
                [t.seed for t in batch],
                self.sampling.temperature,
                self.sampling.top_p,
                lm.device,
            )
            cancel = _StopWhenSet(stop)
            with torch.inference_mode():
                out = lm.model.generate(
                    **inputs,
                    max_new_tokens=self.sampling.max_new_tokens,
                    do_sample=False,
                    logits_processor=[sampler],
                    stopping_criteria=[cancel],
                )
        except torch.OutOfMemoryError:
            _free_device_memory()
            raise out_of_memory(
                f"generating a batch of {len(batch)}", len(batch), lm.device
            ) from None
        except RuntimeError as err:
            if _is_oom(err):
                _free_device_memory()
                raise out_of_memory(
                    f"generating a batch of {len(batch)}", len(batch), lm.device
                ) from None
            raise
        if cancel.fired:
            return  # a cut-short batch is not stored: a rerun generates it whole
        new = out[:, prompt_len:].tolist()
        prompt_tokens = inputs["attention_mask"].sum(dim=1).tolist()
        ms = round((time.perf_counter() - started) * 1000 / len(batch))
        for task, tokens, used in zip(batch, new, prompt_tokens, strict=True):
            n, reason = _used_tokens(tokens, lm.eos_ids)
            text = lm.tokenizer.decode(tokens[:n], skip_special_tokens=True).strip()
            yield Completion(task, text, n, reason, ms, {"prompt_tokens": int(used)})

    def _inputs(self, batch: Sequence[GenerationTask]) -> Any:
        lm = self.loaded
        if lm.processor is None:
            texts = [
                lm.tokenizer.apply_chat_template(
                    _messages(t), add_generation_prompt=True, tokenize=False
                )
                for t in batch
            ]
            return lm.tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False)
        texts = [
            lm.processor.apply_chat_template(
                _messages(t, vision=True), add_generation_prompt=True, tokenize=False
            )
            for t in batch
        ]
        images = [img for t in batch for img in _open_images(t)]
        return lm.processor(
            text=texts,
            images=images or None,
            return_tensors="pt",
            padding=True,
            add_special_tokens=False,
        )


def _messages(task: GenerationTask, *, vision: bool = False) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    if task.system:
        system: Any = [{"type": "text", "text": task.system}] if vision else task.system
        messages.append({"role": "system", "content": system})
    if not vision:
        messages.append({"role": "user", "content": task.user})
        return messages
    content: list[dict[str, Any]] = [{"type": "image"} for _ in task.images]
    content.append({"type": "text", "text": task.user})
    messages.append({"role": "user", "content": content})
    return messages


def _open_images(task: GenerationTask) -> list[Any]:
    from PIL import Image

    out = []
    for path in task.images:
        try:
            with Image.open(path) as im:
                out.append(im.convert("RGB"))
        except OSError as err:
            raise GenerationError(
                f"case '{task.external_id}': its image {path.name} cannot be read from the "
                f"media folder ({err}); re-import the case's images"
            ) from None
    return out


def _used_tokens(tokens: list[int], eos_ids: tuple[int, ...]) -> tuple[int, str]:
    """How many of a row's new tokens are the answer, and why it ended."""
    for i, token in enumerate(tokens):
        if token in eos_ids:
            return i, "stop"
    return len(tokens), "length"


class _StopWhenSet:
    """A stopping criterion: ends the batch early once the run is cancelled."""

    def __init__(self, stop: threading.Event) -> None:
        self.stop = stop
        self.fired = False

    def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
        import torch

        self.fired = self.fired or self.stop.is_set()
        return torch.full(
            (input_ids.shape[0],), self.fired, dtype=torch.bool, device=input_ids.device
        )


def _is_oom(err: RuntimeError) -> bool:
    text = str(err).lower()
    return "out of memory" in text or "can't allocate memory" in text


def _free_device_memory() -> None:
    import torch

    if torch.cuda.is_available():  # on CPU, memory is freed with the last reference
        import gc

        gc.collect()
        torch.cuda.empty_cache()
