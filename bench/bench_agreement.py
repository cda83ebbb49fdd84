"""Inter-rater agreement on 100k items x 3 raters (5 ordered categories, 10% missing).

Prints, each beside a baseline measured in the same run on the same ratings:
- Krippendorff's alpha, ordinal and nominal: ``medeval_ui.stats.agreement`` (count table
  from the raw codes, then coincidences from the distinct count rows) against the
  ``krippendorff`` package (``krippendorff.alpha`` on the raters x items matrix with the
  value domain given); medians of ``--repeat`` runs, their ratio, and the largest value
  difference (must be under 1e-9). Budget: at least as fast as the package.
- ``agreement_table`` with 1000 bootstrap rounds (every statistic with its interval),
  against the naive item bootstrap of one statistic (alpha by the package on resampled
  items), run for ``--baseline-rounds`` rounds and scaled to 1000.
- the dashboard's load: 10 questions x 6 languages recomputed on 1M ratings in all (60
  tables of about 6.2k items x 3 raters each, 1000 rounds each). Budget: under 1 s.
- for the record, a number question with many distinct values (interval alpha only), where
  patterns do not compress and the bootstrap costs rounds x items.

    python bench/bench_agreement.py [--items 100000] [--repeat 5] [--quick]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Literal, TypeVar

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from medeval_ui.stats.agreement import agreement_table, count_table, krippendorff_alpha  # noqa: E402

K = 5
T = TypeVar("T")
DASHBOARD_TABLES = 60  # 10 questions x 6 languages
DASHBOARD_RATINGS = 1_000_000
DASHBOARD_BUDGET_S = 1.0


def make_codes(n_items: int, raters: int = 3, missing: float = 0.1, seed: int = 0) -> np.ndarray:
    """Each item has a true category; raters are off by one a third of the time."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, K, n_items)
    noise = rng.choice([-1, 0, 0, 0, 0, 1], size=(n_items, raters))
    codes = np.clip(truth[:, None] + noise, 0, K - 1).astype(np.float64)
    codes[rng.random(codes.shape) < missing] = np.nan
    return codes


def median_time(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Median wall time of ``repeat`` calls, and the last call's result."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def package_alpha(codes: np.ndarray, level: Literal["nominal", "ordinal"]) -> float:
    import krippendorff

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return float(
            krippendorff.alpha(
                reliability_data=codes.T, level_of_measurement=level, value_domain=range(K)
            )
        )


def alpha_from_codes(codes: np.ndarray, level: Literal["nominal", "ordinal"]) -> float | None:
    """medeval's path from the same raw codes: count table, then alpha."""
    return krippendorff_alpha(count_table(codes, K), level)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--baseline-rounds", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    args = parser.parse_args()
    if args.quick:
        args.items, args.baseline_rounds, args.repeat = 10_000, 3, 2

    codes = make_codes(args.items)
    n_ratings = int(np.count_nonzero(~np.isnan(codes)))
    agreement_table(codes[:1000], level="ordinal", n_categories=K, rounds=20)  # warm-up
    package_alpha(codes[:1000], "ordinal")
    print(
        f"agreement benchmark: {args.items} items x 3 raters, {n_ratings} ratings, {K} "
        f"categories; medians of {args.repeat}; machine: {os.cpu_count()} cores"
    )
    print(f"{'what':44} {'medeval s':>10} {'baseline s':>11} {'ratio':>7}")
    passed = True
    levels: tuple[Literal["ordinal", "nominal"], ...] = ("ordinal", "nominal")
    for level in levels:
        ours_s, ours = median_time(partial(alpha_from_codes, codes, level), args.repeat)
        base_s, base = median_time(partial(package_alpha, codes, level), args.repeat)
        diff = abs((ours or 0.0) - base)
        ok = ours_s <= base_s and diff < 1e-9
        passed &= ok
        print(
            f"{f'Krippendorff alpha, {level}':44} {ours_s:10.4f} {base_s:11.4f} "
            f"{base_s / ours_s:7.1f}  alpha {ours or 0.0:.6f}, |diff| {diff:.1e}  "
            f"{'PASS' if ok else 'FAIL'} (at least as fast, same to 1e-9)"
        )

    table_s, rows = median_time(
        lambda: agreement_table(codes, level="ordinal", n_categories=K, rounds=args.rounds),
        args.repeat,
    )
    rng = np.random.default_rng(1)
    start = time.perf_counter()
    for _ in range(args.baseline_rounds):
        package_alpha(codes[rng.integers(0, len(codes), len(codes))], "ordinal")
    naive_s = (time.perf_counter() - start) * args.rounds / args.baseline_rounds
    print(
        f"{f'agreement_table, {args.rounds} rounds (8 rows)':44} {table_s:10.4f} "
        f"{naive_s:11.1f} {naive_s / table_s:7.0f}  baseline: package alpha on "
        f"{args.baseline_rounds} resampled rounds, x{args.rounds / args.baseline_rounds:g}"
    )
    for row in rows:
        e = row.estimate
        shown = f"{e.value:.4f} [{e.lower:.4f}, {e.upper:.4f}]" if e.defined else e.undefined
        print(f"    {row.statistic:24} {shown}")
    for rounds in (0, 200):
        t, _ = median_time(
            partial(agreement_table, codes, level="ordinal", n_categories=K, rounds=rounds),
            args.repeat,
        )
        print(f"{f'agreement_table, {rounds} rounds':44} {t:10.4f}")

    per_table = round(DASHBOARD_RATINGS / DASHBOARD_TABLES / (3 * 0.9))  # 3 raters, 10% missing
    tables = [make_codes(per_table, seed=s) for s in range(DASHBOARD_TABLES)]
    total = sum(int(np.count_nonzero(~np.isnan(t))) for t in tables)

    def dashboard() -> None:
        for t in tables:
            agreement_table(t, level="ordinal", n_categories=K, rounds=args.rounds)

    cpu_start = time.process_time()
    dash_repeat = max(3, args.repeat // 2)
    dash_s, _ = median_time(dashboard, dash_repeat)
    dash_cpu_s = (time.process_time() - cpu_start) / dash_repeat  # wall minus waiting for a core
    ok = dash_s < DASHBOARD_BUDGET_S
    passed &= ok
    print(
        f"{f'dashboard: {DASHBOARD_TABLES} tables, {total} ratings':44} {dash_s:10.3f} "
        f"{'':11} {'':7}  {1000 * dash_s / DASHBOARD_TABLES:.1f} ms a table, cpu "
        f"{dash_cpu_s:.3f} s  "
        f"{'PASS' if ok else 'FAIL'} (< {DASHBOARD_BUDGET_S} s)"
    )

    numbers = np.round(codes + np.random.default_rng(2).normal(0, 0.3, codes.shape), 3)
    for rounds in (args.rounds, 100):
        t, rows = median_time(
            partial(agreement_table, numbers, level="interval", n_categories=None, rounds=rounds),
            1,
        )
        alpha = rows[1].estimate
        print(
            f"{f'number question, many values, {rounds} rounds':44} {t:10.3f}  "
            f"interval alpha {alpha.value:.4f} [{alpha.lower:.4f}, {alpha.upper:.4f}]"
        )
    print(f"overall: {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
