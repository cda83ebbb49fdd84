"""Correctness per model x language on 1M ratings, with 1000-round clustered bootstrap intervals.

Prints medeval's timing (``medeval_ui.stats.correctness.correctness_by_group``: case sums by
dense bins, intervals by multinomial draws of distinct (sum, count) case patterns) beside a
baseline measured in the same run on the same ratings: a pandas ``groupby(...).mean()`` of
the scores, which gives the point estimates only (no interval). Both are medians of
``--repeat`` runs; the point estimates of the two are then compared. 10 models x 6
languages, each case answered by every model and rated by 3 clinicians, scores 0, 0.5 or 1.
Budget (issue: correctness statistics): well under 200 ms for the 60 groups, 1000 rounds.

    python bench/bench_correctness.py [--ratings 1000000] [--repeat 5] [--quick]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from medeval_ui.stats.correctness import correctness_by_group  # noqa: E402

BUDGET_S = 0.2


def make_ratings(
    n_ratings: int, models: int, languages: int, raters: int, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scores, group codes (model * languages + language) and case ids, in random order.

    Each case is in one language and answered once by every model; a model's answer to a
    case has a true quality (Beta around the model's skill) that its raters' scores share.
    """
    rng = np.random.default_rng(seed)
    n_cases = max(1, n_ratings // (models * raters))
    case_language = rng.integers(0, languages, n_cases)
    case = np.repeat(np.arange(n_cases), models)
    model = np.tile(np.arange(models), n_cases)
    skill = np.linspace(0.45, 0.85, models)[model]
    quality = rng.beta(4 * skill, 4 * (1 - skill))
    group = model * languages + case_language[case]
    quality, group, case = (np.repeat(x, raters) for x in (quality, group, case))
    u = rng.random(quality.size)
    scores = np.where(u < quality * 0.9, 1.0, np.where(u < quality, 0.5, 0.0))
    order = rng.permutation(scores.size)
    return scores[order], group[order].astype(np.int64), case[order].astype(np.int64)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--ratings", type=int, default=1_000_000)
    parser.add_argument("--models", type=int, default=10)
    parser.add_argument("--languages", type=int, default=6)
    parser.add_argument("--raters", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    args = parser.parse_args()
    if args.quick:
        args.ratings, args.repeat = 60_000, 1

    n_groups = args.models * args.languages
    scores, groups, cases = make_ratings(args.ratings, args.models, args.languages, args.raters)
    frame = pd.DataFrame({"group": groups, "case": cases, "score": scores})
    correctness_by_group(scores, groups, cases, n_groups, rounds=20)  # warm-up
    frame.groupby("group")["score"].mean()

    ours: list[float] = []
    for r in range(args.repeat):
        start = time.perf_counter()
        estimates = correctness_by_group(
            scores, groups, cases, n_groups, rounds=args.rounds, seed=r
        )
        ours.append(time.perf_counter() - start)
    base: list[float] = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        means = frame.groupby("group")["score"].mean()
        base.append(time.perf_counter() - start)

    values = np.array([e.value for e in estimates], dtype=np.float64)
    reference = means.reindex(range(n_groups)).to_numpy()
    max_diff = float(np.max(np.abs(values - reference)))
    widths = np.array(
        [e.upper - e.lower for e in estimates if e.upper is not None and e.lower is not None]
    )
    median, base_median = statistics.median(ours), statistics.median(base)
    print(
        f"correctness benchmark: {scores.size} ratings, {args.models} models x "
        f"{args.languages} languages, {args.raters} ratings per output, {args.rounds} rounds, "
        f"median of {args.repeat}; machine: {os.cpu_count()} cores"
    )
    print("baseline: pandas groupby(group).score.mean(), point estimates only (no interval)")
    print(f"{'what':44} {'seconds':>9}")
    print(f"{'medeval: means + clustered bootstrap CIs':44} {median:9.4f}")
    print(f"{'pandas: means only':44} {base_median:9.4f}")
    print(f"ratio medeval / pandas: {median / base_median:.2f}")
    print(f"  medeval runs: {', '.join(f'{t:.3f}' for t in ours)} s")
    print(
        f"point estimates equal to pandas: {max_diff <= 1e-12} (max |diff| {max_diff:.1e}); "
        f"interval method: {estimates[0].label}; 95% widths {widths.min():.3f}-{widths.max():.3f}"
    )
    first = estimates[0]
    print(
        f"group 0: {first.value:.4f} [{first.lower:.4f}, {first.upper:.4f}], "
        f"{first.n} cases, {first.n_obs} ratings"
    )
    passed = median < BUDGET_S and max_diff <= 1e-12
    print(
        f"correctness_by_group {args.rounds} rounds < {BUDGET_S} s: {'PASS' if passed else 'FAIL'}"
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
