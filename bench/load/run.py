"""Load, scale-out and crash run: simulated clinicians speak the browser protocol over HTTP
to real app processes, then the database is checked in SQL.

    python bench/load/run.py --engine sqlite --clients 50 --seconds 60
    python bench/load/run.py --engine postgres --clients 50 --seconds 60 --instances 2
    python bench/load/run.py --crash                 # both engines, SIGKILL mid-run

Before any server starts, the script makes a fresh database (SQLite file in a temporary
folder, or a new PostgreSQL database on the server ``--pg-url`` names, dropped at the end),
a blind study that collects ratings (k per output) and pairwise votes (k per pair), big
enough not to run dry, and one clinician account per client, through the services the CLI
uses. Each instance is ``python -m medeval_ui serve`` on its own port; clients are split
between instances and stay on theirs (sticky sessions). Half the clients rate on /app,
half vote on /compare, each with think time between actions, for ``--seconds``.

With ``--crash``, instance 1 is killed with SIGKILL at ``--crash-at`` of the run and started
again at once; clients wait for it, reload their page and continue.

Printed: per action the count, rate, p50/p95/p99 latency (ms) and errors; failures
caused by the crash separately; acknowledged writes against what is stored (by client
token), k never overshot, no duplicates, and the database's integrity check. Exit status 0
only when there were no errors and every check passed. ``--json FILE`` writes the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import resource
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load import check, servers  # noqa: E402
from bench.load.clients import ACTIONS, BOTH, RATE, VOTE, Clinician, Clock, Stats  # noqa: E402


@dataclass
class Options:
    engine: str = "sqlite"
    clients: int = 50
    seconds: float = 60.0
    think_s: float = 1.0
    instances: int = 1
    crash: bool = False
    crash_at: float = 0.4
    # ...and not before this many writes were acknowledged: on a loaded machine the clients
    # may still be logging in at crash_at, and a kill then proves nothing (CI saw 0 acks).
    crash_after_acks: int = 5
    ramp_s: float = -1.0  # clients arrive spread over this; -1: a quarter of the run, <= 15 s
    after_crash_s: float = 10.0  # the run goes on at least this long after the restart
    limit_s: float = 600.0  # hard stop (a run "until exhausted" that never ends fails)
    cases: int = 0  # 0: sized from clients, seconds and think time
    k: int = 3
    mode: str = "split"  # split (half rate, half vote), rate, vote, both
    until_exhausted: bool = False  # no deadline: work until nothing is left
    pg_url: str = servers.DEFAULT_PG_URL
    seed: int = 1
    cheap_hash: bool = False
    keep: bool = False
    quiet: bool = False


@dataclass
class CrashLog:
    killed_at: float = 0.0  # seconds into the run
    up_again_at: float = 0.0
    restart_s: float = 0.0
    acks_before: int = 0  # writes acknowledged before the kill
    acks_last_2s: int = 0  # of those, in the 2 seconds before it
    acks_after: int = 0  # writes acknowledged after the restart


@dataclass
class Result:
    options: Options
    elapsed_s: float
    stats: Stats
    verdict: check.Verdict
    crash: CrashLog | None
    startup_s: list[float]
    db_url: str = ""  # where the run wrote (kept only with keep=True on PostgreSQL)
    cpu_s: dict[str, float] = field(default_factory=dict)  # clients, and each instance

    @property
    def ok(self) -> bool:
        return self.verdict.ok and not self.stats.errors

    def summary(self) -> dict[str, Any]:
        """The figures, for --json and for the tests."""
        actions = {}
        for action in ACTIONS:
            ms = [m for _, m in self.stats.times[action]]
            errors = sum(1 for f in self.stats.errors if f.action == action)
            if not ms and not errors:
                continue
            actions[action] = {
                "n": len(ms),
                "per_s": round(len(ms) / self.elapsed_s, 2),
                "p50_ms": round(percentile(ms, 0.50), 1),
                "p95_ms": round(percentile(ms, 0.95), 1),
                "p99_ms": round(percentile(ms, 0.99), 1),
                "errors": errors,
            }
        writes = len(self.stats.times["submit"]) + len(self.stats.times["vote"])
        events = sum(len(v) for v in self.stats.times.values())
        v = self.verdict
        return {
            "options": asdict(self.options) | {"pg_url": None},
            "cores": os.cpu_count(),
            "elapsed_s": round(self.elapsed_s, 1),
            "startup_s": [round(s, 1) for s in self.startup_s],
            "cpu_s": {k: round(v, 1) for k, v in self.cpu_s.items()},
            "actions": actions,
            "actions_per_s": round(events / self.elapsed_s, 2),
            "writes_per_s": round(writes / self.elapsed_s, 2),
            "errors": len(self.stats.errors),
            "error_samples": [f.message for f in self.stats.errors[:5]],
            "crash_failures": sum(1 for f in self.stats.failures if f.crash),
            "reloads": self.stats.reloads,
            "crash": asdict(self.crash) if self.crash else None,
            "ran_dry": {k: len(s) for k, s in self.stats.exhausted.items()},
            "check": asdict(v) | {"ok": v.ok},
            "ok": self.ok,
        }


def percentile(values: list[float], q: float) -> float:
    """Nearest rank, as bench/common.py: p99 of 2000 calls is the 20th worst."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def size_study(opts: Options) -> int:
    """Cases enough for the run not to run dry: every rater could rate each item once, and
    k places per item must outlast all raters' submissions (with room to spare)."""
    if opts.cases:
        return opts.cases
    per_client = opts.seconds / max(opts.think_s, 0.2)
    return max(60, math.ceil(2.0 * opts.clients * per_client / opts.k), math.ceil(2 * per_client))


def modes_for(opts: Options, n: int) -> list[str]:
    """Client i goes to instance i % instances; "split" alternates rating and voting
    within each instance's clients, so every instance gets both."""
    if opts.mode == "split":
        per = max(opts.instances, 1)
        return [RATE if (i // per) % 2 == 0 else VOTE for i in range(n)]
    return [{"rate": RATE, "vote": VOTE, "both": BOTH}[opts.mode]] * n


async def drive(
    opts: Options, instances: list[servers.ServerProcess], usernames: list[str]
) -> tuple[Stats, CrashLog | None, float]:
    """Run the clients (and the crash); returns what they saw, the crash log, seconds."""
    stats = Stats()
    t0 = time.monotonic()
    clock = Clock(None if opts.until_exhausted else t0 + opts.seconds, t0 + opts.limit_s)
    rng = random.Random(opts.seed)
    ramp = opts.ramp_s if opts.ramp_s >= 0 else min(15.0, opts.seconds / 4)
    if opts.until_exhausted:
        ramp = 0.5
    people = [
        Clinician(
            name,
            instances[i % len(instances)],
            stats,
            mode=mode,
            think_s=opts.think_s,
            clock=clock,
            rng=random.Random(rng.random()),
        )
        for i, (name, mode) in enumerate(
            zip(usernames, modes_for(opts, len(usernames)), strict=True)
        )
    ]

    async def one(i: int, person: Clinician) -> None:
        await asyncio.sleep(ramp * i / max(len(people), 1))
        await person.run()

    crash_log = CrashLog() if opts.crash else None

    async def crash() -> None:
        assert crash_log is not None
        await asyncio.sleep(opts.seconds * opts.crash_at)
        patience = time.monotonic() + opts.limit_s / 3
        while len(stats.acks) < opts.crash_after_acks and time.monotonic() < patience:
            await asyncio.sleep(0.1)
        if clock.deadline is not None:  # the clients must still be at work when it dies
            clock.deadline = max(clock.deadline, time.monotonic() + 2.0)
        victim = instances[0]
        clock.held = True
        await asyncio.to_thread(victim.kill)
        killed = time.time()
        crash_log.killed_at = time.monotonic() - t0
        crash_log.acks_before = sum(1 for a in stats.acks if a.at < killed)
        crash_log.acks_last_2s = sum(1 for a in stats.acks if killed - 2 <= a.at < killed)
        _say(opts, f"  SIGKILL {victim.name} at {crash_log.killed_at:.1f} s; restarting")
        await asyncio.to_thread(victim.start)
        crash_log.restart_s = await asyncio.to_thread(victim.wait_ready)
        crash_log.up_again_at = time.monotonic() - t0
        if clock.deadline is not None:
            clock.deadline = max(clock.deadline, time.monotonic() + opts.after_crash_s)
        clock.held = False
        _say(opts, f"  {victim.name} answers again at {crash_log.up_again_at:.1f} s")

    tasks = [asyncio.create_task(one(i, p)) for i, p in enumerate(people)]
    if crash_log is not None:
        tasks.append(asyncio.create_task(crash()))
    await asyncio.gather(*tasks)
    if crash_log is not None and crash_log.up_again_at:
        up = time.time() - (time.monotonic() - t0 - crash_log.up_again_at)
        crash_log.acks_after = sum(1 for a in stats.acks if a.at >= up)
    return stats, crash_log, time.monotonic() - t0


def run(opts: Options, folder: Path | None = None) -> Result:
    """One run on one engine: prepare, serve, drive, stop, check."""
    with tempfile.TemporaryDirectory(prefix=f"medeval-load-{opts.engine}-") as tmp:
        where = folder or Path(tmp)
        if opts.engine == "sqlite":
            dep = servers.sqlite_deployment(where)
        else:
            dep = servers.postgres_deployment(where, opts.pg_url)
        instances: list[servers.ServerProcess] = []
        try:
            usernames = [f"load{i:03d}" for i in range(opts.clients)]
            shape = servers.StudyShape(
                cases=size_study(opts), ratings_per_output=opts.k, votes_per_pair=opts.k
            )
            t = time.monotonic()
            servers.prepare_deployment(dep, shape, usernames, cheap_hash=opts.cheap_hash)
            _say(
                opts,
                f"{opts.engine}: study of {shape.cases} cases x {len(shape.models)} models "
                f"(k = {opts.k}), {opts.clients} clinicians, ready in "
                f"{time.monotonic() - t:.1f} s",
            )
            instances = [
                servers.ServerProcess(dep, name=f"instance{i + 1}") for i in range(opts.instances)
            ]
            for s in instances:
                s.start()
            startup = [s.wait_ready() for s in instances]
            _say(opts, f"  {len(instances)} instance(s) up: {[s.url for s in instances]}")
            cpu0 = _own_cpu_s()
            stats, crash_log, elapsed = asyncio.run(drive(opts, instances, usernames))
            cpu = {"clients": _own_cpu_s() - cpu0}
            cpu |= {
                s.name + (" (since restart)" if s.starts > 1 else ""): s.cpu_s() for s in instances
            }
            for s in instances:
                s.stop()
            verdict = check.verify(dep.url, stats.acks, servers.SLUG)
            if opts.crash and (crash_log is None or not crash_log.up_again_at):
                verdict.problems.append("the server was not restarted")
            return Result(opts, elapsed, stats, verdict, crash_log, startup, dep.url, cpu)
        finally:
            for s in instances:
                s.stop()
            if not opts.keep:
                dep.drop()
            elif dep.db_name:
                _say(opts, f"  kept database {dep.db_name}")


def _own_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _say(opts: Options, line: str) -> None:
    if not opts.quiet:
        print(line, flush=True)


def report(result: Result) -> list[str]:
    s = result.summary()
    o = result.options
    lines = [
        f"== {o.engine}: {o.clients} clients on {o.instances} instance(s), {s['elapsed_s']} s, "
        f"think {o.think_s} s, {s['cores']} cores"
        + (f", SIGKILL at {result.crash.killed_at:.1f} s" if result.crash else ""),
        f"{'action':10} {'n':>6} {'per s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>6}",
    ]
    for action, a in s["actions"].items():
        lines.append(
            f"{action:10} {a['n']:6} {a['per_s']:7.2f} {a['p50_ms']:8.1f} {a['p95_ms']:8.1f} "
            f"{a['p99_ms']:8.1f} {a['errors']:6}"
        )
    lines.append(
        f"all actions {s['actions_per_s']:.2f}/s; writes (submits + votes) "
        f"{s['writes_per_s']:.2f}/s; errors {s['errors']}"
        + (f" (e.g. {s['error_samples'][0]})" if s["error_samples"] else "")
    )
    if result.crash:
        c = result.crash
        lines.append(
            f"crash: killed at {c.killed_at:.1f} s, answering again at {c.up_again_at:.1f} s "
            f"(restart {c.restart_s:.1f} s); {s['crash_failures']} requests failed because of "
            f"it, {s['reloads']} page reloads; writes acknowledged before the kill "
            f"{c.acks_before} ({c.acks_last_2s} in its last 2 s), after the restart "
            f"{c.acks_after}"
        )
    lines.append(
        "CPU seconds used: "
        + ", ".join(f"{k} {v:.1f}" for k, v in s["cpu_s"].items())
        + f" (of {s['elapsed_s'] * (s['cores'] or 1):.0f} core-seconds)"
    )
    dry = {k: n for k, n in s["ran_dry"].items() if n}
    if dry:
        lines.append(f"clients that ran out of work: {dry}")
    lines += result.verdict.lines()
    return lines


def parse(argv: list[str] | None = None) -> tuple[list[str], Options, Path | None]:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--seconds", type=float, default=60.0)
    p.add_argument("--think", type=float, default=1.0, help="mean think time per action (s)")
    p.add_argument("--ramp", type=float, default=-1.0, help="clients arrive over this (s)")
    p.add_argument("--instances", type=int, default=0, help="default: 1 on SQLite, 2 on PG")
    p.add_argument("--crash", action="store_true", help="SIGKILL instance 1 mid-run")
    p.add_argument("--crash-at", type=float, default=0.4, help="fraction of the run")
    p.add_argument("--cases", type=int, default=0)
    p.add_argument("--k", type=int, default=3, help="ratings per output and votes per pair")
    p.add_argument("--mode", choices=["split", "rate", "vote", "both"], default="split")
    p.add_argument("--pg-url", default=os.environ.get("MEDEVAL_TEST_DATABASE_URL") or None)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    p.add_argument("--json", type=Path, help="write the figures of every run here")
    a = p.parse_args(argv)
    engines = ["sqlite", "postgres"] if a.engine == "both" else [a.engine]
    opts = Options(
        clients=a.clients,
        seconds=a.seconds,
        think_s=a.think,
        ramp_s=a.ramp,
        instances=a.instances,
        crash=a.crash,
        crash_at=a.crash_at,
        cases=a.cases,
        k=a.k,
        mode=a.mode,
        pg_url=a.pg_url or servers.DEFAULT_PG_URL,
        seed=a.seed,
        keep=a.keep,
    )
    return engines, opts, a.json


def main(argv: list[str] | None = None) -> int:
    engines, base, json_path = parse(argv)
    results = []
    for engine in engines:
        instances = base.instances or (1 if engine == "sqlite" else 2)
        opts = Options(**(asdict(base) | {"engine": engine, "instances": instances}))
        result = run(opts)
        print("\n".join(report(result)), flush=True)
        results.append(result)
    if json_path is not None:
        json_path.write_text(json.dumps([r.summary() for r in results], indent=2) + "\n")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
