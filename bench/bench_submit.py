"""Submitting a rating through Gradio's browser protocol, against a no-op event of the same app.

Starts the real app (``create_app`` with a temporary SQLite database, media folder and secret
key; a study of ``--cases`` English cases x 2 models imported through the services, k = 3),
serves it with uvicorn in a thread, logs in over HTTP (POST /login, keeps the session cookie)
and speaks the browser protocol with httpx: POST <page>/gradio_api/queue/join, then
GET <page>/gradio_api/queue/data (server-sent events) until process_completed.

The clinician page (/app) is driven as a browser drives it: page load events, Start, then the
@gr.render event that the ``work`` state change triggers, which builds the form and its
Submit event (its fn id comes from the render's config). Each round, interleaved:
- no-op: a trivial click (echo a textbox) on a tiny Blocks mounted, by this benchmark only,
  at /bench-noop with the app's own mount options (same FastAPI app, middlewares, process);
- submit: the Submit click, which records the ratings and answers "Saved";
- next item: the event the browser chains to it (claims the next item, redraws the screen);
- re-render: the render event that state change triggers (the next item's form);
  a clinician waits for all three before the next form is usable ("submit to next form").
Times are from join to process_completed, in ms; "handler" is Gradio's own ``duration`` of
the function (the rest is protocol, queue, middlewares). A service-level line (submit_item +
next_item called directly, another clinician) shows the database part alone.
Budget: submit median / no-op median <= 1.5.

    python bench/bench_submit.py [--quick] [--rounds 200] [--cases 400]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import peak_rss_kb, percentile  # noqa: E402
from load.protocol import apply_render  # noqa: E402

PASSWORD = "bench-password-123"


def make_study(db, settings, folder: Path, n_cases: int) -> None:
    from medeval_ui.services.import_cases import import_cases
    from medeval_ui.services.import_outputs import import_outputs
    from medeval_ui.services.studies import create_study
    from medeval_ui.services.users import add_user

    create_study(db, "bench", "Bench study", "xlingeval_correctness", ratings_per_output=3)
    cases, outputs = folder / "cases.csv", folder / "outputs.jsonl"
    lines = ["external_id,group_id,language,prompt,reference_answer"]
    lines += [
        f"c{i},g{i},en,Patient {i}: fever for {i % 9 + 1} days. Next?,Check SpO2."
        for i in range(n_cases)
    ]
    cases.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with outputs.open("w", encoding="utf-8") as fh:
        for i in range(n_cases):
            for model in ("alpha", "beta"):
                text = f"{model}: consider a chest X-ray for case {i}, and **oxygen**."
                row = {"case_id": f"c{i}", "model": model, "sample": 0, "text": text}
                fh.write(json.dumps(row) + "\n")
    import_cases(db, settings, "bench", cases)
    import_outputs(db, "bench", outputs)
    for name in ("doc-web", "doc-service"):
        add_user(db, name, "clinician", password=PASSWORD, languages=["en"])


def start_server(folder: Path):
    import gradio as gr
    import uvicorn
    from fastapi import Request
    from starlette.concurrency import run_in_threadpool

    from medeval_ui.config import Settings
    from medeval_ui.services.setup import open_database, prepare
    from medeval_ui.web import server
    from medeval_ui.web.auth import session_user

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = Settings(
        database_url=f"sqlite:///{folder / 'medeval.sqlite3'}",
        media_dir=str(folder / "media"),
        secret_key_file=str(folder / "secret_key"),
        port=port,
        load_demo=False,
    )
    db = open_database(settings)
    prepare(settings, db, load_demo=False)
    app = server.create_app(settings, db)

    async def user(request: Request) -> str | None:  # the same check as server.gradio_user
        info = await run_in_threadpool(
            session_user, request.session, db, settings.session_max_age_s
        )
        return info.username if info is not None else None

    with gr.Blocks() as noop:
        box, out = gr.Textbox(value="x"), gr.Textbox()
        gr.Button("No-op").click(lambda x: x, box, out, api_name="noop")
    noop.queue(default_concurrency_limit=8)
    server._mount(app, noop, "/bench-noop", user, settings)
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=uv.run, daemon=True).start()
    while not uv.started:
        time.sleep(0.05)
    return uv, settings, db


class Page:
    """One browser tab on a mounted Gradio page: its config and its session hash."""

    def __init__(self, client, path: str) -> None:
        self.client, self.path = client, path
        self.session_hash = uuid.uuid4().hex[:11]
        config = client.get(f"{path}/config")
        config.raise_for_status()
        self.config = config.json()
        self.components = {c["id"]: c for c in self.config["components"]}
        self.deps = {d["id"]: d for d in self.config["dependencies"]}
        self.rendered: dict[int, tuple[list, list]] = {}  # render id -> its (components, deps)

    def add_render(self, render_config: dict) -> None:
        apply_render(self, render_config)

    def elem(self, elem_id: str) -> int:
        return next(i for i, c in self.components.items() if c["props"].get("elem_id") == elem_id)

    def triggered_by(self, target: int | None, event: str) -> list[dict]:
        return [
            d
            for d in self.deps.values()
            if any(t[1] == event and (target is None or t[0] == target) for t in d["targets"])
        ]

    def call(self, dep: dict, data: list, trigger: int | None = None) -> tuple[float, dict]:
        """One event: (ms from join to process_completed, its output)."""
        body = {
            "data": data,
            "fn_index": dep["id"],
            "session_hash": self.session_hash,
            "event_data": None,
            "trigger_id": trigger,
        }
        start = time.perf_counter()
        joined = self.client.post(f"{self.path}/gradio_api/queue/join", json=body)
        joined.raise_for_status()
        event_id, ms, output = joined.json()["event_id"], None, None
        params = {"session_hash": self.session_hash}
        with self.client.stream("GET", f"{self.path}/gradio_api/queue/data", params=params) as r:
            for line in r.iter_lines():
                if not line.startswith("data:"):
                    continue
                msg = json.loads(line[5:])
                if msg["msg"] == "process_completed" and msg.get("event_id") == event_id:
                    ms, output = (time.perf_counter() - start) * 1000, msg
                if msg["msg"] in ("close_stream", "unexpected_error"):
                    break
        if output is None or not output.get("success"):
            raise RuntimeError(f"event {dep['id']} ({dep.get('api_name')}) failed: {output}")
        return ms, output["output"]

    def chained(self, dep: dict) -> list[dict]:
        """Events the browser starts when ``dep`` completes (``.then`` / ``.success``)."""
        return [d for d in self.deps.values() if d.get("trigger_after") == dep["id"]]

    def follow(self, output: dict) -> tuple[float, dict]:
        """Fire the change events of the states an event changed, as the browser does."""
        total, last = 0.0, {}
        for state_id in output.get("changed_state_ids") or []:
            for dep in self.triggered_by(state_id, "change"):
                ms, last = self.call(dep, [None] * len(dep["inputs"]), state_id)
                total += ms
                if last.get("render_config"):
                    self.add_render(last["render_config"])
        return total, last


def form_values(page: Page, dep: dict) -> list:
    """Values for the submit event's inputs: the state (server side) then one per widget."""
    values = []
    for cid in dep["inputs"]:
        comp = page.components[cid]
        kind, choices = comp["type"], comp["props"].get("choices") or []
        if kind == "state":
            values.append(None)
        elif kind == "radio":
            values.append(choices[-1][1])  # e.g. "similar_less", confidence "5"
        elif kind == "checkboxgroup":
            values.append([choices[0][1]])
        else:
            values.append("" if kind == "textbox" else None)
    return values


def service_rounds(db, n: int) -> list[float]:
    from medeval_ui.services.annotation import next_item, submit_item

    times, item = [], next_item(db, "doc-service", "bench")
    for _ in range(n):
        answers = {r.position: {"correctness": "neither"} for r in item.responses}
        conf = {r.position: 4 for r in item.responses}
        start = time.perf_counter()
        submit_item(db, "doc-service", item.assignment_id, answers, conf, {}, item.client_token)
        item = next_item(db, "doc-service", "bench")
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--cases", type=int, default=400)
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.cases = 30, 60
    import httpx

    from medeval_ui.services import annotation

    results: dict[str, list[float]] = {"no-op": [], "submit": [], "next item": [], "re-render": []}
    handler: dict[str, list[float]] = {k: [] for k in results}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        uv, settings, db = start_server(folder)
        make_study(db, settings, folder, args.cases)
        base = f"http://127.0.0.1:{settings.port}"
        with httpx.Client(base_url=base, timeout=60) as client:
            login = client.post("/login", data={"username": "doc-web", "password": PASSWORD})
            if login.status_code != 303 or "medeval_session" not in client.cookies:
                raise RuntimeError(f"login failed: {login.status_code}")
            app, noop = Page(client, "/app"), Page(client, "/bench-noop")
            for dep in app.triggered_by(None, "load"):  # what the page does when it opens
                app.follow(app.call(dep, [None] * len(dep["inputs"]))[1])
            start_btn = app.elem("study-start")
            (dep,) = app.triggered_by(start_btn, "click")
            app.follow(app.call(dep, [None, "bench"], start_btn)[1])
            (noop_dep,) = noop.triggered_by(None, "click")
            t0 = time.perf_counter()
            for i in range(args.rounds + 5):  # 5 warm-up rounds, not counted
                ms_noop, out_noop = noop.call(noop_dep, ["x"], noop_dep["targets"][0][0])
                submit_btn = app.elem("submit-btn")  # a new id after every render
                (dep,) = app.triggered_by(submit_btn, "click")
                ms_submit, out = app.call(dep, form_values(app, dep), submit_btn)
                (then,) = app.chained(dep)  # the next item, started when the save answered
                ms_next, out_next = app.call(then, [None] * len(then["inputs"]), submit_btn)
                ms_render, out_render = app.follow(out_next)
                if i >= 5:
                    for key, ms, o in (
                        ("no-op", ms_noop, out_noop),
                        ("submit", ms_submit, out),
                        ("next item", ms_next, out_next),
                        ("re-render", ms_render, out_render),
                    ):
                        results[key].append(ms)
                        handler[key].append((o.get("duration") or 0) * 1000)
            web_s = time.perf_counter() - t0
        service = service_rounds(db, args.rounds)
        mine = {s.slug: s for s in annotation.my_studies(db, "doc-web")}["bench"]
        if mine.done != args.rounds + 5:  # every submit went through and was recorded
            raise RuntimeError(f"{mine.done} items recorded, expected {args.rounds + 5}")
        uv.should_exit = True
        db.dispose()
    print(
        f"submit benchmark: {args.rounds} interleaved rounds over HTTP (uvicorn thread, httpx),"
        f" SQLite, {args.cases} cases x 2 models, k=3; {web_s:.1f} s; machine: "
        f"{os.cpu_count()} cores; peak RSS {peak_rss_kb() / 1024:.0f} MB"
    )
    print(f"{'event':22} {'median ms':>10} {'p95 ms':>8} {'handler ms':>11} {'x no-op':>8}")
    noop50 = statistics.median(results["no-op"])
    rows = [
        *results.items(),
        (
            "submit to next form",
            [
                a + b + c
                for a, b, c in zip(
                    results["submit"], results["next item"], results["re-render"], strict=True
                )
            ],
        ),
    ]
    for key, values in rows:
        med = statistics.median(values)
        hand = f"{statistics.median(handler[key]):11.2f}" if key in handler else f"{'-':>11}"
        print(f"{key:22} {med:10.2f} {percentile(values, 0.95):8.2f} {hand} {med / noop50:8.2f}")
    first, last = results["submit"][:50], results["submit"][-50:]
    print(
        f"submit median, first 50 rounds {statistics.median(first):.2f} ms, last 50 "
        f"{statistics.median(last):.2f} ms"
    )
    print(
        f"{'service submit+next':22} {statistics.median(service):10.2f} "
        f"{percentile(service, 0.95):8.2f}  (submit_item + next_item, no HTTP)"
    )
    ratio = statistics.median(results["submit"]) / noop50
    print(f"  budget submit / no-op <= 1.5: {'PASS' if ratio <= 1.5 else 'FAIL'} ({ratio:.2f})")
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
