"""The Generate tab of the lead page: produce a study's outputs with a local model or an
OpenAI-compatible server, in the background, with progress and cancel.

For leads and admins (the /lead mount lets no one else in, and every handler here checks
the role again from the database). A run is a background job (services.generate_jobs),
one per study at a time, so the page stays responsive; a timer polls its progress while
it runs. An endpoint's API key is never typed into the page: the page names the
environment variable of the server process that holds it.

A lead's browser must not turn the server into a file reader or a proxy: model folders are
loaded only from inside ``settings.models_dir`` and servers called only when their URL is
in ``settings.generation_endpoints`` (``allowed``). The CLI has no such limit: whoever runs
it already has a shell on the machine.
"""

from __future__ import annotations

# isort: off
import medeval_ui.web.offline  # noqa: F401  (sets the offline variables before gradio)
# isort: on

import dataclasses
import html
from pathlib import Path
from typing import Any

import gradio as gr

from medeval_ui.config import Settings
from medeval_ui.errors import MedevalError
from medeval_ui.generation.prompts import DEFAULT_TEMPLATE, FIELDS
from medeval_ui.generation.spec import GeneratorSpec
from medeval_ui.generation.types import DEVICES, DTYPES, SamplingSettings
from medeval_ui.services import studies
from medeval_ui.services.generate import get_prompt_template, set_prompt_template
from medeval_ui.services.generate_jobs import GenerationJobs, JobStatus
from medeval_ui.storage.engine import Database
from medeval_ui.web.guard import md_escape, require_user, shown_to_user

LEAD_ROLES = ("lead", "admin")
LOCAL, SERVER = "Local model folder", "OpenAI-compatible server"
POLL_S = 1.0
FORM = (
    "source",
    "model",
    "endpoint",
    "api_key_env",
    "name",
    "version",
    "samples",
    "temperature",
    "top_p",
    "max_new_tokens",
    "batch_size",
    "seed",
    "device",
    "dtype",
    "concurrency",
    "text_cases_only",
)
STATES = {"running": "Running", "finished": "Finished", "stopped": "Stopped", "failed": "Failed"}
FIELD_HELP = ", ".join("`{" + f + "}`" for f in FIELDS)


def _number(value: Any, what: str, *, whole: bool = True) -> Any:
    if value in (None, ""):
        raise MedevalError(f"{what} is missing")
    number = float(value)
    if whole and number != int(number):
        raise MedevalError(f"{what} must be a whole number")
    return int(number) if whole else number


def spec_from_form(form: dict[str, Any]) -> tuple[GeneratorSpec, bool]:
    """(generator spec, text cases only) from the tab's widget values."""
    endpoint = (form.get("endpoint") or "").strip() if form.get("source") == SERVER else ""
    if form.get("source") == SERVER and not endpoint:
        raise MedevalError("give the server's URL, such as http://127.0.0.1:8000/v1")
    spec = GeneratorSpec(
        model=(form.get("model") or "").strip(),
        endpoint=endpoint,
        name=(form.get("name") or "").strip(),
        version=(form.get("version") or "").strip(),
        samples=_number(form.get("samples"), "samples"),
        sampling=SamplingSettings(
            temperature=_number(form.get("temperature"), "temperature", whole=False),
            top_p=_number(form.get("top_p"), "top-p", whole=False),
            max_new_tokens=_number(form.get("max_new_tokens"), "max new tokens"),
            seed=_number(form.get("seed"), "the seed"),
        ),
        batch_size=_number(form.get("batch_size"), "batch size"),
        device=form.get("device") or "auto",
        dtype=form.get("dtype") or "auto",
        concurrency=_number(form.get("concurrency"), "concurrency"),
        api_key_env=(form.get("api_key_env") or "").strip() if endpoint else "",
    )
    spec.check()
    return spec, bool(form.get("text_cases_only"))


def model_folders(settings: Settings) -> list[str]:
    """The model folders (with a config.json) directly inside ``models_dir``, by name."""
    root = Path(settings.models_dir)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "config.json").is_file())


def allowed(spec: GeneratorSpec, settings: Settings) -> GeneratorSpec:
    """The spec, its model folder made absolute, if the page may run it; else MedevalError."""
    if spec.is_endpoint:
        url = spec.endpoint.strip().rstrip("/")
        if url not in settings.allowed_endpoints:
            listed = ", ".join(settings.allowed_endpoints) or "none is allowed yet"
            raise MedevalError(
                f"the server {url} is not one this app may call ({listed}); whoever runs "
                "medeval lists servers in MEDEVAL_GENERATION_ENDPOINTS"
            )
        return spec
    root = Path(settings.models_dir).resolve()
    # A name from the list, or a path: either way it must resolve inside the models folder
    # (resolve() follows symlinks and "..", so neither can lead out of it).
    folder = (root / Path(spec.model).expanduser()).resolve()
    if not folder.is_relative_to(root) or folder == root:
        raise MedevalError(
            f"model folders must be inside {root} (MEDEVAL_MODELS_DIR); "
            f"pick one of: {', '.join(model_folders(settings)) or 'none there yet'}"
        )
    return dataclasses.replace(spec, model=str(folder))


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    s = round(seconds)
    return f"{s // 3600} h {s % 3600 // 60} min" if s >= 3600 else f"{s // 60} min {s % 60} s"


def render_status(status: JobStatus | None) -> tuple[str, str]:
    """(progress bar HTML, status Markdown) for a study's job, or empty ones."""
    if status is None:
        return "", "No generation has run for this study since the app started."
    p = status.progress
    bar = (
        f'<div class="medeval-generate-progress"><progress max="{max(p.total, 1)}" '
        f'value="{p.done if p.total else 1}" style="width: 100%"></progress>'
        f"<div>{p.done} of {p.total} outputs · {p.tokens_per_s:.1f} tokens/s · "
        f"elapsed {html.escape(_duration(p.elapsed_s))} · "
        f"ETA {html.escape(_duration(p.eta_s if status.running else 0))}</div></div>"
    )
    head = f"**{STATES[status.state]}**: {md_escape(status.model)} on {md_escape(status.slug)}"
    if status.running:
        head += f" ({md_escape(status.phase)})"
    lines = [head, f"{p.stored} stored · {p.empty} empty"]
    if status.message:
        lines.append("\n".join(f"    {line}" for line in status.message.splitlines()))
    return bar, "\n\n".join(lines)


def _timer(status: JobStatus | None) -> Any:
    return gr.Timer(POLL_S, active=bool(status and status.running))


# --- handlers ---------------------------------------------------------------------------


def generate_studies(db: Database, request: gr.Request | None) -> dict[str, Any]:
    require_user(db, request, LEAD_ROLES)
    choices = [(f"{s.title} ({s.slug})", s.slug) for s in studies.list_studies(db)]
    return gr.update(choices=choices, interactive=bool(choices))


def generation_sources(db: Database, settings: Settings, request: gr.Request | None) -> str:
    """Which model folders and servers the tab may use, as Markdown (no other path works)."""
    require_user(db, request, LEAD_ROLES)
    folders = model_folders(settings)
    where = md_escape(str(Path(settings.models_dir).resolve()))
    local = (
        "Model folders in " + where + ": " + ", ".join(f"`{md_escape(f)}`" for f in folders)
        if folders
        else f"No model folder in {where} yet: copy one there (a folder that "
        "`save_pretrained` wrote), or set MEDEVAL_MODELS_DIR."
    )
    urls = settings.allowed_endpoints
    server = (
        "Servers: " + ", ".join(f"`{md_escape(u)}`" for u in urls)
        if urls
        else "No server may be called: list them in MEDEVAL_GENERATION_ENDPOINTS."
    )
    return f"{local}\n\n{server}"


def load_study(
    db: Database, jobs: GenerationJobs, slug: str | None, request: gr.Request | None
) -> tuple[str, str, str, str, Any]:
    """(template, system prompt, progress bar, status, timer) for the chosen study."""
    require_user(db, request, LEAD_ROLES)
    if not slug:
        return "", "", "", "Choose a study.", _timer(None)
    with shown_to_user():
        template, system = get_prompt_template(db, slug)
    status = jobs.status(slug)
    return (template or DEFAULT_TEMPLATE, system, *render_status(status), _timer(status))


def save_template(
    db: Database, slug: str | None, template: str, system: str, request: gr.Request | None
) -> str:
    user = require_user(db, request, LEAD_ROLES)
    with shown_to_user():
        if not slug:
            raise MedevalError("choose a study")
        chosen = "" if (template or "").strip() == DEFAULT_TEMPLATE else (template or "")
        set_prompt_template(db, slug, chosen, system or "", actor=user.username)
    return f"Saved the prompt template of **{md_escape(slug)}**."


def start_generation(
    db: Database,
    settings: Settings,
    jobs: GenerationJobs,
    slug: str | None,
    form: dict[str, Any],
    request: gr.Request | None,
) -> tuple[str, str, Any]:
    """Start the study's job: (progress bar, status, timer)."""
    user = require_user(db, request, LEAD_ROLES)
    with shown_to_user():
        if not slug:
            raise MedevalError("choose a study")
        studies.get_study(db, slug)
        spec, text_only = spec_from_form(form)
        spec = allowed(spec, settings)
        status = jobs.start(
            db, settings, slug, spec, text_cases_only=text_only, actor=user.username
        )
    return (*render_status(status), _timer(status))


def generation_status(
    db: Database, jobs: GenerationJobs, slug: str | None, request: gr.Request | None
) -> tuple[str, str, Any]:
    """What the timer shows: (progress bar, status, timer, stopped once the job ends)."""
    require_user(db, request, LEAD_ROLES)
    status = jobs.status(slug) if slug else None
    return (*render_status(status), _timer(status))


def cancel_generation(
    db: Database, jobs: GenerationJobs, slug: str | None, request: gr.Request | None
) -> tuple[str, str, Any]:
    require_user(db, request, LEAD_ROLES)
    status = jobs.cancel(slug) if slug else None
    if status is None:
        raise gr.Error("No generation is running for this study.")
    return (*render_status(status), _timer(status))


# --- the tab ----------------------------------------------------------------------------


def build_generate_tab(db: Database, settings: Settings) -> gr.Tab:
    """The Generate tab, inside the lead page's tabs (being built)."""
    jobs = GenerationJobs()
    with gr.Tab("Generate", elem_id="generate-tab") as tab:
        study = gr.Dropdown(label="Study", choices=[], elem_id="gen-study")
        with gr.Row():
            source = gr.Radio([LOCAL, SERVER], value=LOCAL, label="Model", elem_id="gen-source")
            model = gr.Textbox(
                label="Model folder (local) or served model id (server)",
                placeholder="Qwen2.5-7B-Instruct",
                elem_id="gen-model",
            )
            name = gr.Textbox(label="Name stored (default: folder name or id)")
            version = gr.Textbox(label="Version stored")
        sources = gr.Markdown(elem_id="gen-sources")
        with gr.Row():
            endpoint = gr.Textbox(label="Server URL", placeholder="http://127.0.0.1:8000/v1")
            api_key_env = gr.Textbox(
                label="Environment variable holding the server's API key (never the key)",
                placeholder="MY_SERVER_API_KEY",
            )
            concurrency = gr.Number(4, label="Requests at once", precision=0, minimum=1)
        with gr.Row():
            samples = gr.Number(1, label="Samples per case", precision=0, minimum=1)
            temperature = gr.Number(0.7, label="Temperature (0 = greedy)", minimum=0)
            top_p = gr.Number(1.0, label="Top-p", minimum=0, maximum=1)
            max_new = gr.Number(512, label="Max new tokens", precision=0, minimum=1)
            seed = gr.Number(0, label="Seed", precision=0)
        with gr.Row():
            batch = gr.Number(8, label="Batch size (local)", precision=0, minimum=1)
            device = gr.Dropdown(list(DEVICES), value="auto", label="Device (local)")
            dtype = gr.Dropdown(list(DTYPES), value="auto", label="Dtype (local)")
            text_only = gr.Checkbox(False, label="Only cases without images")
        with gr.Accordion("Prompt template of the study", open=False):
            gr.Markdown(f"Fields: {FIELD_HELP}. Outputs already made keep their prompt.")
            template = gr.Textbox(label="Template", lines=4, value=DEFAULT_TEMPLATE)
            system = gr.Textbox(label="System prompt (optional)", lines=2)
            save = gr.Button("Save template")
            saved = gr.Markdown()
        with gr.Row():
            start = gr.Button("Start generating", variant="primary", elem_id="gen-start")
            cancel = gr.Button("Cancel", variant="stop", elem_id="gen-cancel")
        # Markdown, not gr.HTML: gr.HTML evaluates its template with Function(), which the
        # Content-Security-Policy (no unsafe-eval) blocks, so the bar never showed
        bar = gr.Markdown(elem_id="gen-progress")
        status = gr.Markdown(elem_id="gen-status")
        timer = gr.Timer(POLL_S, active=False)

        form = [source, model, endpoint, api_key_env, name, version, samples, temperature]
        form += [top_p, max_new, batch, seed, device, dtype, concurrency, text_only]

        def on_open(request: gr.Request) -> dict[str, Any]:
            return generate_studies(db, request)

        def on_sources(request: gr.Request) -> str:
            return generation_sources(db, settings, request)

        def on_study(slug: str | None, request: gr.Request) -> tuple[Any, ...]:
            return load_study(db, jobs, slug, request)

        def on_save(slug: str | None, tpl: str, sys_: str, request: gr.Request) -> str:
            return save_template(db, slug, tpl, sys_, request)

        def on_start(
            slug: str | None,
            source_: str,
            model_: str,
            endpoint_: str,
            api_key_env_: str,
            name_: str,
            version_: str,
            samples_: Any,
            temperature_: Any,
            top_p_: Any,
            max_new_: Any,
            batch_: Any,
            seed_: Any,
            device_: str,
            dtype_: str,
            concurrency_: Any,
            text_only_: bool,
            request: gr.Request,
        ) -> tuple[Any, ...]:
            values = [source_, model_, endpoint_, api_key_env_, name_, version_, samples_]
            values += [temperature_, top_p_, max_new_, batch_, seed_, device_, dtype_]
            values += [concurrency_, text_only_]
            form_values = dict(zip(FORM, values, strict=True))
            return start_generation(db, settings, jobs, slug, form_values, request)

        def on_tick(slug: str | None, request: gr.Request) -> tuple[Any, ...]:
            return generation_status(db, jobs, slug, request)

        def on_cancel(slug: str | None, request: gr.Request) -> tuple[Any, ...]:
            return cancel_generation(db, jobs, slug, request)

        tab.select(on_open, outputs=[study], api_name="generate_studies")
        tab.select(on_sources, outputs=[sources], api_name="gen_sources")
        study.input(on_study, study, [template, system, bar, status, timer], api_name="gen_study")
        save.click(on_save, [study, template, system], saved, api_name="gen_template")
        start.click(on_start, [study, *form], [bar, status, timer], api_name="gen_start")
        timer.tick(on_tick, study, [bar, status, timer], api_name="gen_status")
        cancel.click(on_cancel, study, [bar, status, timer], api_name="gen_cancel")
    return tab
