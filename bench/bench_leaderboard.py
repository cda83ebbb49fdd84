"""Bradley-Terry leaderboard on 100k pairwise votes among 10 models, 1000 bootstrap rounds.

Prints medeval's timing (``medeval_ui.stats.bradley_terry.leaderboard``: fit on the win
matrix, bootstrap by multinomial draws of vote cells, all rounds fitted together) beside a
baseline measured in the same run on the same votes: a vote-level logistic regression
(scipy.optimize.minimize, BFGS, on every vote row; Chatbot Arena style) refitted on each of
``--baseline-rounds`` row-resampled rounds, scaled to 1000 rounds. Both methods are then
run on the same resampled rounds, and the largest differences in ratings and in interval
bounds are printed. Budget (issue: pairwise leaderboard): 1000 rounds in under 0.5 s.

    python bench/bench_leaderboard.py [--votes 100000] [--repeat 3] [--quick]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from medeval_ui.stats.bradley_terry import Votes, fit, leaderboard  # noqa: E402

LN10 = np.log(10.0)
BUDGET_S = 0.5


def make_votes(n_votes: int, n_models: int, seed: int = 0) -> Votes:
    """Random pairs; 10% ties and 5% both bad (0.5), else Bradley-Terry outcomes."""
    rng = np.random.default_rng(seed)
    true = np.linspace(850.0, 1300.0, n_models)
    a = rng.integers(0, n_models, n_votes)
    b = (a + rng.integers(1, n_models, n_votes)) % n_models
    p = 1.0 / (1.0 + 10.0 ** ((true[b] - true[a]) / 400.0))
    outcome = (rng.random(n_votes) < p).astype(float)
    outcome[rng.random(n_votes) < 0.15] = 0.5
    return Votes(a, b, outcome, tuple(f"model-{i}" for i in range(n_models)))


def logistic_fitter() -> tuple[str, Callable[[Votes], np.ndarray]]:
    """The baseline: maximum likelihood on every vote row (a tie is a row with y = 0.5,
    the same likelihood as two half-weighted rows), model 0 fixed at 0, then centred."""
    try:
        from scipy.optimize import minimize
    except ImportError:
        minimize = None

    def rows(votes: Votes) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        return votes.model_a, votes.model_b, votes.outcome, len(votes.names)

    def to_ratings(beta: np.ndarray) -> np.ndarray:
        r = 400.0 / LN10 * np.concatenate([[0.0], beta])
        return r - r.mean() + 1000.0

    def scipy_fit(votes: Votes) -> np.ndarray:
        a, b, y, m = rows(votes)
        n = len(y)

        def nll(beta: np.ndarray) -> tuple[float, np.ndarray]:
            full = np.concatenate([[0.0], beta])
            eta = full[a] - full[b]
            value = float(np.sum(np.logaddexp(0.0, eta) - y * eta)) / n
            r = (0.5 * (1.0 + np.tanh(0.5 * eta)) - y) / n
            grad = np.bincount(a, r, minlength=m) - np.bincount(b, r, minlength=m)
            return value, grad[1:]

        res = minimize(nll, np.zeros(m - 1), jac=True, method="BFGS", options={"gtol": 1e-10})
        return to_ratings(res.x)

    def numpy_fit(votes: Votes) -> np.ndarray:  # only when scipy is missing
        a, b, y, m = rows(votes)
        x = np.zeros((len(y), m))
        x[np.arange(len(y)), a] = 1.0
        x[np.arange(len(y)), b] = -1.0
        x = x[:, 1:]
        beta = np.zeros(m - 1)
        for _ in range(50):
            p = 0.5 * (1.0 + np.tanh(0.5 * (x @ beta)))
            step = np.linalg.solve(x.T @ (x * (p * (1 - p))[:, None]), x.T @ (y - p))
            beta += step
            if np.max(np.abs(step)) < 1e-12:
                break
        return to_ratings(beta)

    if minimize is None:
        return "numpy IRLS on vote rows (scipy not installed)", numpy_fit
    return "scipy.optimize.minimize BFGS on vote rows", scipy_fit


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--votes", type=int, default=100_000)
    parser.add_argument("--models", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--baseline-rounds", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    args = parser.parse_args()
    if args.quick:
        args.votes, args.baseline_rounds, args.repeat = 10_000, 10, 1

    votes = make_votes(args.votes, args.models)
    how, logistic = logistic_fitter()
    leaderboard(votes, rounds=20)  # warm-up (imports, first allocations)

    ours: list[float] = []
    for r in range(args.repeat):
        start = time.perf_counter()
        rows = leaderboard(votes, rounds=args.rounds, seed=r)
        ours.append(time.perf_counter() - start)
    fit_s: list[float] = []
    for _ in range(max(5, args.repeat)):
        start = time.perf_counter()
        point = fit(votes)
        fit_s.append(time.perf_counter() - start)
    start = time.perf_counter()
    reference = logistic(votes)
    logistic_one_s = time.perf_counter() - start

    rng = np.random.default_rng(12345)
    resamples = [rng.integers(0, len(votes), len(votes)) for _ in range(args.baseline_rounds)]
    start = time.perf_counter()
    base_samples = np.array([logistic(votes.select(idx)) for idx in resamples])
    base_s = time.perf_counter() - start
    our_samples = np.array([fit(votes.select(idx)) for idx in resamples])
    base_bounds = np.percentile(base_samples, [2.5, 97.5], axis=0)
    our_bounds = np.percentile(our_samples, [2.5, 97.5], axis=0)

    scale = args.rounds / args.baseline_rounds
    median = statistics.median(ours)
    base_scaled = base_s * scale
    print(
        f"leaderboard benchmark: {args.votes} votes, {args.models} models, "
        f"{args.rounds} bootstrap rounds, median of {args.repeat}; machine: {os.cpu_count()} cores"
    )
    print(f"baseline: {how}, {args.baseline_rounds} resampled rounds, scaled x{scale:g}")
    print(f"{'what':34} {'medeval s':>10} {'baseline s':>11} {'ratio':>8}")
    print(
        f"{'one fit':34} {statistics.median(fit_s):10.4f} {logistic_one_s:11.4f} "
        f"{logistic_one_s / statistics.median(fit_s):8.0f}"
    )
    print(
        f"{f'leaderboard, {args.rounds} rounds':34} {median:10.3f} {base_scaled:11.1f} "
        f"{base_scaled / median:8.0f}"
    )
    print(f"  medeval runs: {', '.join(f'{t:.3f}' for t in ours)} s")
    print(f"max |rating diff|, fit on all votes: {np.max(np.abs(point - reference)):.2e} points")
    print(
        f"same {args.baseline_rounds} resampled rounds: max |rating diff| "
        f"{np.max(np.abs(our_samples - base_samples)):.2e}, max |95% bound diff| "
        f"{np.max(np.abs(our_bounds - base_bounds)):.2e} points"
    )
    top = rows[0]
    print(
        f"top row: {top.model} {top.rating:.1f} [{top.lower:.1f}, {top.upper:.1f}] "
        f"rank {top.rank}, {top.votes} votes"
    )
    passed = median < BUDGET_S
    print(f"leaderboard {args.rounds} rounds < {BUDGET_S} s: {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
