"""`medeval generate ...` and `medeval prompt-template ...`: outputs made by a local
transformers model or an OpenAI-compatible server.

Registered on the ``cli`` group of ``medeval_ui.cli``, which imports this module. Nothing
here imports torch: the generation layer does, once a local model is actually loaded.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from medeval_ui.cli import Ctx, cli, pass_ctx
from medeval_ui.errors import MedevalError
from medeval_ui.generation.progress import GenerationProgress, GenerationSummary
from medeval_ui.generation.prompts import DEFAULT_TEMPLATE, FIELDS
from medeval_ui.generation.spec import GeneratorSpec
from medeval_ui.generation.types import DEVICES, DTYPES, SamplingSettings
from medeval_ui.services.generate import (
    generate_outputs,
    get_prompt_template,
    set_prompt_template,
)


@cli.command("generate")
@click.option("--study", required=True, help="Study slug.")
@click.option(
    "--model",
    required=True,
    help="A local model folder (what save_pretrained wrote); with --endpoint, the served model id.",
)
@click.option(
    "--endpoint", default="", help="An OpenAI-compatible server, e.g. http://host:8000/v1."
)
@click.option("--name", default="", help="Model name stored with the outputs [folder name / id].")
@click.option("--version", "model_version", default="", help="Model version stored with them.")
@click.option("--samples", type=int, default=1, show_default=True, help="Answers per case.")
@click.option("--temperature", type=float, default=0.7, show_default=True, help="0 = greedy.")
@click.option("--top-p", type=float, default=1.0, show_default=True)
@click.option("--max-new-tokens", type=int, default=512, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--batch-size", type=int, default=8, show_default=True, help="Local models.")
@click.option("--device", type=click.Choice(DEVICES), default="auto", show_default=True)
@click.option("--dtype", type=click.Choice(DTYPES), default="auto", show_default=True)
@click.option(
    "--concurrency", type=int, default=4, show_default=True, help="Endpoint: requests at once."
)
@click.option(
    "--timeout", type=float, default=120.0, show_default=True, help="Endpoint: seconds/request."
)
@click.option("--retries", type=int, default=5, show_default=True, help="Endpoint: on 429/5xx.")
@click.option(
    "--api-key-env",
    default="",
    metavar="VAR",
    help="Endpoint: the environment variable holding the API key (none is sent without it).",
)
@click.option("--text-cases-only", is_flag=True, help="Answer only the cases without images.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@pass_ctx
def generate(
    c: Ctx,
    study: str,
    model: str,
    endpoint: str,
    name: str,
    model_version: str,
    samples: int,
    temperature: float,
    top_p: float,
    max_new_tokens: int,
    seed: int,
    batch_size: int,
    device: str,
    dtype: str,
    concurrency: int,
    timeout: float,
    retries: int,
    api_key_env: str,
    text_cases_only: bool,
    quiet: bool,
) -> None:
    """Generate the study's missing outputs; a rerun resumes where the last one stopped."""
    spec = GeneratorSpec(
        model=model,
        endpoint=endpoint,
        name=name,
        version=model_version,
        samples=samples,
        sampling=SamplingSettings(temperature, top_p, max_new_tokens, seed),
        batch_size=batch_size,
        device=device,
        dtype=dtype,
        concurrency=concurrency,
        timeout_s=timeout,
        retries=retries,
        api_key_env=api_key_env,
    )
    bar = _ProgressBar(quiet)
    try:
        summary = generate_outputs(
            c.db,
            c.settings,
            study,
            spec,
            text_cases_only=text_cases_only,
            on_start=bar.start,
            on_progress=bar.update,
        )
    finally:
        bar.close()
    click.echo("\n".join(summary.lines()))
    if summary.stopped:
        raise click.Abort()  # main() says "aborted" and exits 130, as for Ctrl-C elsewhere


class _ProgressBar:
    """tqdm on stderr: outputs done, their rate and ETA, and tokens per second."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Any = None
        self.shown = 0

    def start(self, summary: GenerationSummary) -> None:
        from tqdm import tqdm

        total = summary.progress.total
        if self.quiet or total == 0:
            return
        click.echo(
            f"{summary.study}: {total} outputs to generate with {summary.model} "
            f"({summary.present} already present)",
            err=True,
        )
        self.bar = tqdm(total=total, unit="output", file=sys.stderr, dynamic_ncols=True)

    def update(self, progress: GenerationProgress) -> None:
        if self.bar is None:
            return
        self.bar.update(progress.done - self.shown)
        self.shown = progress.done
        self.bar.set_postfix_str(f"{progress.tokens_per_s:.1f} tokens/s", refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@cli.command("prompt-template")
@click.option("--study", required=True, help="Study slug.")
@click.option("--set", "template", default=None, help="The new template (must use {prompt}).")
@click.option(
    "--file",
    "template_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the new template from a UTF-8 file.",
)
@click.option("--system", default=None, help="The system prompt ('' for none).")
@click.option("--reset", is_flag=True, help="Back to the default template, no system prompt.")
@pass_ctx
def prompt_template(
    c: Ctx,
    study: str,
    template: str | None,
    template_file: Path | None,
    system: str | None,
    reset: bool,
) -> None:
    """Show or set the study's prompt template for `medeval generate`."""
    if template is not None and template_file is not None:
        raise MedevalError("give the template with --set or --file, not both")
    if template_file is not None:
        template = template_file.read_text(encoding="utf-8")
    current, current_system = get_prompt_template(c.db, study)
    if reset:
        set_prompt_template(c.db, study, "", "")
        current, current_system = "", ""
    elif template is not None or system is not None:
        current = current if template is None else template.replace("\\n", "\n")
        current_system = current_system if system is None else system
        set_prompt_template(c.db, study, current, current_system)
    click.echo(f"template{'' if current else ' (default)'}:\n{current or DEFAULT_TEMPLATE}")
    click.echo(f"system prompt: {current_system or '(none)'}")
    click.echo("fields: " + ", ".join("{" + f + "}" for f in FIELDS))
