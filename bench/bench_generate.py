"""Tokens per second of local generation: batches of 8 against one case at a time.

Both run in the same process on the same tiny text model (tests/gen_models.py: 2 layers,
hidden 32, a 400-token byte-level vocabulary), the same prompts and the same seeded
sampling, through medeval's own ``LocalGenerator`` (tokenize with the chat template,
left-padded batch, generate, decode). Each figure is the median of ``--repeat`` rounds
after a warm-up. Budget (issue 6): batched at least 3x one-at-a-time. On a machine with
a CUDA GPU the same figures are measured there too.

    python bench/bench_generate.py [--cases 32] [--new-tokens 32] [--repeat 3] [--threads 1]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from medeval_ui.generation.local import LocalGenerator  # noqa: E402
from medeval_ui.generation.seeds import sample_seed  # noqa: E402
from medeval_ui.generation.types import GenerationTask, SamplingSettings  # noqa: E402
from tests.gen_models import PROMPTS, build_text_model  # noqa: E402

BUDGET = 3.0


def tasks(n: int) -> list[GenerationTask]:
    langs = list(PROMPTS)
    out = []
    for i in range(n):
        lang = langs[i % len(langs)]
        external_id = f"q{i}-{lang}"
        out.append(
            GenerationTask(
                case_id=i,
                external_id=external_id,
                sample=0,
                system="",
                user=f"{PROMPTS[lang]} (case {i})\n\nAnswer in {lang}.",
                seed=sample_seed(0, external_id, 0),
            )
        )
    return out


def tokens_per_s(
    model: Path, device: str, batch: int, work: list[GenerationTask], new: int
) -> float:
    sampling = SamplingSettings(temperature=0.7, max_new_tokens=new, seed=0)
    gen = LocalGenerator(model, sampling, batch_size=batch, device=device, dtype="float32")
    try:
        started = time.perf_counter()
        made = sum(c.new_tokens for c in gen.run(work, threading.Event()))
        return made / (time.perf_counter() - started)
    finally:
        gen.close()


def measure(model: Path, device: str, args: argparse.Namespace) -> bool:
    work = tasks(args.cases)
    tokens_per_s(model, device, 8, work[:8], 4)  # warm-up: kernels, allocator, caches
    rounds: dict[int, list[float]] = {8: [], 1: []}
    for _ in range(args.repeat):
        for batch in (8, 1):
            rounds[batch].append(tokens_per_s(model, device, batch, work, args.new_tokens))
    batched, single = statistics.median(rounds[8]), statistics.median(rounds[1])
    ratio = batched / single
    verdict = "PASS" if ratio >= BUDGET else "FAIL"
    print(f"[{device}] {args.cases} cases x {args.new_tokens} new tokens, median of {args.repeat}")
    print(f"  one case at a time (baseline): {single:10.1f} tokens/s")
    print(f"  batches of 8:                  {batched:10.1f} tokens/s")
    print(f"  ratio: {ratio:.1f}x (budget >= {BUDGET:.0f}x) {verdict}")
    return ratio >= BUDGET


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=32)
    parser.add_argument("--new-tokens", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    args = parser.parse_args()

    import torch
    import transformers

    transformers.utils.logging.disable_progress_bar()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {args.threads} CPU thread(s)")
    with tempfile.TemporaryDirectory() as folder:
        model = build_text_model(Path(folder) / "tiny-llama")
        ok = measure(model, "cpu", args)
        if torch.cuda.is_available():
            print(f"GPU: {torch.cuda.get_device_name(0)}")
            ok = measure(model, "cuda", args) and ok
        else:
            print("no CUDA GPU here: GPU figures not measured")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
