"""Seeded sampling, one random stream per batch row.

``transformers``' own sampling draws every row of a batch from torch's one global random
generator, so a row's tokens would depend on its batch neighbours. Here generation runs in
greedy mode and this logits processor makes greedy *sample*: each row adds Gumbel noise
drawn from its own ``torch.Generator`` (seeded per case and sample) to its temperature-
scaled, top-p-filtered logits, and the arg max of that is a draw from the softmax
(the Gumbel-max trick). Temperature 0 adds nothing: plain greedy decoding.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class SeededSampler:
    """A ``LogitsProcessor`` (called as ``processor(input_ids, scores)``)."""

    def __init__(self, seeds: Sequence[int], temperature: float, top_p: float, device: Any):
        import torch

        self.temperature = temperature
        self.top_p = top_p
        self.generators = [torch.Generator(device=device).manual_seed(s) for s in seeds]

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        import torch

        if self.temperature <= 0:
            return scores
        logits = scores.float() / self.temperature
        if self.top_p < 1.0:
            logits = _top_p(logits, self.top_p)
        vocab = logits.shape[-1]
        uniform = torch.stack(
            [
                torch.rand(vocab, generator=g, device=logits.device, dtype=torch.float32)
                for g in self.generators
            ]
        )
        gumbel = -torch.log(-torch.log(uniform.clamp(min=1e-20, max=1.0 - 1e-7)))
        return logits + gumbel


def _top_p(logits: Any, top_p: float) -> Any:
    """Keep the smallest set of most likely tokens whose probability reaches top_p."""
    import torch

    ordered, order = torch.sort(logits, descending=True, dim=-1)
    cumulative = ordered.softmax(dim=-1).cumsum(dim=-1)
    drop = cumulative - ordered.softmax(dim=-1) >= top_p  # mass before this token suffices
    drop[..., 0] = False
    mask = torch.zeros_like(drop).scatter(-1, order, drop)
    return logits.masked_fill(mask, float("-inf"))
