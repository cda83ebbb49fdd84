"""Run every benchmark of the project and write bench/README.md from what they printed.

Each benchmark prints its figures beside a baseline measured in the same run, the ratio,
and a PASS or FAIL line per budget; this script runs them one after the other (never two
at once: they would measure each other), keeps their whole output, and writes one page:
the machine, the date, a summary table of every budget line, and each benchmark's output
as printed. Nothing is edited by hand, so the page can always be regenerated.

    python bench/run_all.py                 # everything, full size (tens of minutes)
    python bench/run_all.py --quick         # the benchmarks' smoke sizes (minutes)
    python bench/run_all.py --only dashboard,agreement
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


@dataclass(frozen=True)
class Benchmark:
    name: str
    script: str
    what: str
    args: tuple[str, ...] = ()
    quick: tuple[str, ...] = ("--quick",)


BENCHMARKS = (
    Benchmark(
        "import",
        "bench_import.py",
        "importing 100k cases and their outputs",
        (),
        ("--cases", "20000", "--repeat", "1"),
    ),
    Benchmark(
        "export",
        "bench_export.py",
        "exporting 1M ratings as CSV, JSONL, Parquet",
        (),
        ("--rows", "200000", "--repeat", "1"),
    ),
    Benchmark("next_item", "bench_next_item.py", "handing out the next item to rate"),
    Benchmark("submit", "bench_submit.py", "saving a rating through the web app"),
    Benchmark("leaderboard", "bench_leaderboard.py", "Bradley-Terry on 100k votes, 1000 rounds"),
    Benchmark("agreement", "bench_agreement.py", "Krippendorff's alpha and the agreement table"),
    Benchmark("correctness", "bench_correctness.py", "correctness intervals on 1M ratings"),
    Benchmark(
        "dashboard",
        "bench_dashboard.py",
        "full dashboard recompute on 1M ratings",
        (),
        ("--ratings", "200000", "--repeat", "1"),
    ),
    Benchmark(
        "generate",
        "bench_generate.py",
        "batched against one-at-a-time generation",
        (),
        ("--cases", "16", "--repeat", "1"),
    ),
    Benchmark(
        "load_sqlite",
        "load/run.py",
        "50 clinicians over HTTP on SQLite",
        ("--engine", "sqlite", "--clients", "50", "--seconds", "60"),
        ("--engine", "sqlite", "--clients", "50", "--seconds", "20"),
    ),
    Benchmark(
        "load_postgres",
        "load/run.py",
        "50 clinicians over HTTP on PostgreSQL",
        ("--engine", "postgres", "--clients", "50", "--seconds", "60"),
        ("--engine", "postgres", "--clients", "50", "--seconds", "20"),
    ),
    Benchmark(
        "crash",
        "load/run.py",
        "SIGKILL during load, restart, nothing acknowledged lost",
        ("--engine", "sqlite", "--crash", "--clients", "50", "--seconds", "40"),
        ("--engine", "sqlite", "--crash", "--clients", "50", "--seconds", "20"),
    ),
)
VERDICT = re.compile(r"\b(PASS|FAIL)\b")


def machine() -> list[str]:
    """What the figures were measured on."""
    lines = [f"- Python {platform.python_version()} on {platform.platform()}"]
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        cpu = platform.processor() or "unknown CPU"
    lines.append(f"- {os.cpu_count()} CPU cores: {cpu}")
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        lines.append(f"- {kib / 1024 / 1024:.1f} GiB memory")
    except (OSError, ValueError, IndexError):
        pass
    try:
        load = os.getloadavg()
        lines.append(
            f"- load average when the run started: {load[0]:.2f} (shared machines are noisy:"
            " read ratios, not single timings)"
        )
    except OSError:
        pass
    import sqlite3

    lines.append(f"- SQLite {sqlite3.sqlite_version}")
    try:
        import torch

        gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no CUDA GPU"
        lines.append(f"- torch {torch.__version__}, {gpu}")
    except ImportError:
        lines.append("- torch not installed")
    return lines


def run(b: Benchmark, quick: bool, timeout_s: int) -> tuple[int, float, str]:
    command = [sys.executable, str(BENCH / b.script), *(b.quick if quick else b.args)]
    start = time.monotonic()
    try:
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=timeout_s, check=False
        )
        output, code = done.stdout + done.stderr, done.returncode
    except subprocess.TimeoutExpired as exc:
        output = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        output, code = output + f"\n(stopped after {timeout_s} s)", 124
    return code, time.monotonic() - start, output


def page(results: list[tuple[Benchmark, int, float, str]], quick: bool, started: datetime) -> str:
    out = [
        "# Benchmarks",
        "",
        "Generated by `python bench/run_all.py"
        + (" --quick" if quick else "")
        + f"` on {started:%Y-%m-%d %H:%M} UTC. Do not edit: run it again.",
        "Every figure is printed beside a baseline measured in the same run; the ratio is what",
        "to read, the machine is shared and noisy.",
        "",
        "## Machine",
        "",
        *machine(),
        "",
        "## Budgets",
        "",
        "| benchmark | what | verdict line | exit | seconds |",
        "|---|---|---|---|---|",
    ]
    for b, code, seconds, output in results:
        verdicts = [line.strip() for line in output.splitlines() if VERDICT.search(line)]
        for line in verdicts or ["(no budget line)"]:
            cell = " ".join(line.split()).replace("|", "\\|")
            out.append(f"| {b.name} | {b.what} | {cell} | {code} | {seconds:.0f} |")
    for b, code, seconds, output in results:
        args = " ".join(b.quick if quick else b.args)
        out += [
            "",
            f"## {b.name}",
            "",
            f"`python bench/{b.script} {args}`".replace(" `", "`"),
            f"(exit {code}, {seconds:.0f} s)",
            "",
            "```",
            output.rstrip(),
            "```",
        ]
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the benchmarks' smoke sizes")
    parser.add_argument(
        "--only", help="comma-separated names: " + ", ".join(b.name for b in BENCHMARKS)
    )
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per benchmark")
    parser.add_argument("-o", "--output", type=Path, default=BENCH / "README.md")
    args = parser.parse_args()
    wanted = {n.strip() for n in (args.only or "").split(",") if n.strip()}
    unknown = wanted - {b.name for b in BENCHMARKS}
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    started = datetime.now(UTC)
    results = []
    for b in BENCHMARKS:
        if wanted and b.name not in wanted:
            continue
        if not (BENCH / b.script).exists():
            results.append((b, 127, 0.0, f"bench/{b.script} is missing"))
            continue
        print(f"running {b.name} ...", flush=True)
        code, seconds, output = run(b, args.quick, args.timeout)
        print(f"  exit {code} in {seconds:.0f} s", flush=True)
        results.append((b, code, seconds, output))
    args.output.write_text(page(results, args.quick, started), encoding="utf-8")
    print(f"wrote {args.output}")
    return 0 if all(code == 0 for _, code, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
