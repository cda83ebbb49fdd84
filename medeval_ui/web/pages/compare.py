"""The clinician's compare page, mounted at /compare: blind pairwise votes.

One Blocks with two views switched by visibility: the picker (pairwise studies) and the
pair. The pair is a ``gr.render`` driven by the ``Duel`` in ``gr.State`` (server side): a
new Duel re-renders it (the case as on the annotate page, Response A left and B right,
the per-axis questions of the study's rubric, the reason box and the vote buttons).
What reaches the browser is neutral: "Response A/B", the case, pixels. The reveal button
sits in the hidden "voted" area and its text starts empty: model names travel only in
the reply to the reveal event, which the service refuses before the vote. Handlers and
their checks are in ``compare_handlers``; keyboard shortcuts in ``compare_shortcuts``.
"""

from __future__ import annotations

# isort: off
import medeval_ui.web.offline  # noqa: F401  (sets the offline variables before gradio)
# isort: on

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import gradio as gr
from PIL import Image

from medeval_ui.config import Settings
from medeval_ui.storage.engine import Database
from medeval_ui.web.pages import annotate_form as form
from medeval_ui.web.pages.compare_handlers import (
    CHOICE_LABELS,
    PAIR_OUTPUTS,
    PICKER_OUTPUTS,
    REASON_NEEDED,
    Duel,
    after_vote,
    axis_questions,
    load_pair_image,
    load_picker,
    next_after_vote,
    pair_image,
    reveal,
    skip,
    start_comparing,
    vote,
)
from medeval_ui.web.pages.compare_shortcuts import COMPARE_HELP
from medeval_ui.web.untrusted import inert_markdown

NOTHING_LEFT = (
    "### No pair is left for you in this study. Thank you!\n\n"
    "Other clinicians' pairs may free up later. Choose another study, or go back home."
)


def vote_elem_id(choice: str) -> str:
    return "vote-" + choice.replace("_", "-")


@dataclass
class RenderedPair:
    """The components one render created, in the orders the vote events need."""

    inputs: list[gr.Component]  # the reason box, then one Radio per axis question
    errors: list[gr.Markdown]  # the reason's message slot, then one per axis question
    buttons: list[tuple[gr.Button, str]]  # (button, choice); empty once the vote is stored


def render_pair_view(
    db: Database, settings: Settings, current: Duel, on_window: form.WindowHook
) -> RenderedPair:
    """The pair: the case as on the annotate page, Response A (left) and B (right) as
    sanitized Markdown, then (until the vote is stored) the per-axis questions, the
    reason box and the four vote buttons. Built only from neutral things."""
    pair = current.pair
    assert pair is not None

    def load_image(index: int, window: str | None) -> Image.Image:
        return load_pair_image(db, settings, current.owner, pair, index, window)

    # PairView carries the case fields the annotate page's case view reads.
    form.render_case(pair, on_window, load_image)  # type: ignore[arg-type]
    with gr.Row(equal_height=False):
        for letter, text in (("A", pair.text_a), ("B", pair.text_b)):
            with gr.Column(min_width=320, elem_id=f"response-{letter.lower()}"):
                gr.Markdown(f"### Response {letter}")
                gr.Markdown(
                    inert_markdown(text),
                    rtl=form.mostly_rtl(text),
                    container=True,
                    max_height=520,
                    elem_classes=["response-text"],
                )
    if current.voted is not None:
        return RenderedPair([], [], [])
    axis_inputs: list[gr.Component] = []
    axis_errors: list[gr.Markdown] = []
    questions = axis_questions(pair)
    if questions:
        optional = all(not q.required for q in questions)
        heading = "Per-axis questions" + (" (optional)" if optional else "")
        with gr.Accordion(heading, open=True, elem_id="axes"):
            for q in questions:
                axis_inputs.append(
                    gr.Radio(
                        choices=[(o.label, o.id) for o in q.options],
                        value=None,
                        label=q.text if q.required else f"{q.text} (optional)",
                        info=form.short_help(q.help),
                        elem_id=f"axis-{q.id}",
                        elem_classes=["question"],
                    )
                )
                axis_errors.append(
                    gr.Markdown(visible=False, elem_id=f"err-axis-{q.id}", elem_classes=["q-error"])
                )
    reason = gr.Textbox(
        label="Reason (required)" if pair.reason_required else "Reason (optional)",
        info=REASON_NEEDED if pair.reason_required else "Why, in a line.",
        lines=2,
        html_attributes=gr.InputHTMLAttributes(lang=pair.language),
        elem_id="vote-reason",
    )
    reason_error = gr.Markdown(visible=False, elem_id="reason-error", elem_classes=["q-error"])
    with gr.Row(elem_classes=["vote-row"]):
        buttons = [
            (
                gr.Button(
                    label,
                    variant="primary" if choice in ("a", "b") else "secondary",
                    elem_id=vote_elem_id(choice),
                ),
                choice,
            )
            for choice, label in CHOICE_LABELS.items()
        ]
    return RenderedPair([reason, *axis_inputs], [reason_error, *axis_errors], buttons)


def build_compare_page(db: Database, settings: Settings) -> gr.Blocks:
    with gr.Blocks(title="medeval · Compare") as blocks:
        duel = gr.State(None)
        saved = gr.State("")  # the last vote's label; "" when it saved nothing
        with gr.Column(visible=True, elem_id="compare-picker") as picker_view:
            with gr.Row(equal_height=True):
                gr.Markdown("# Compare answers (blind)")
                who = gr.Markdown(elem_id="signed-in")
                gr.Button(
                    "← Home",
                    link="/app/",
                    variant="secondary",
                    scale=0,
                    min_width=120,
                    elem_id="app-home-link",
                )
                gr.Button(
                    "Log out",
                    link="/logout",
                    variant="secondary",
                    scale=0,
                    min_width=120,
                    elem_id="logout-btn",
                )
            note = gr.Markdown(elem_id="compare-note")
            with gr.Row(equal_height=True):
                study = gr.Dropdown(
                    label="Pairwise study", choices=[], scale=4, elem_id="compare-study"
                )
                start = gr.Button(
                    "Start", variant="primary", scale=1, interactive=False, elem_id="compare-start"
                )

        with gr.Column(visible=False, elem_id="compare-view") as compare_view:
            with gr.Row(equal_height=True):
                title = gr.Markdown(elem_id="compare-title")
                back = gr.Button(
                    "← Studies", variant="secondary", scale=0, min_width=120, elem_id="compare-back"
                )
            progress = gr.Markdown(elem_id="compare-progress")
            status = gr.Markdown(elem_id="compare-status")
            with gr.Accordion("Guidelines", open=False, elem_id="compare-guidelines"):
                guidelines = gr.Markdown()
            with gr.Column(visible=True, elem_id="pair-area") as pair_area:

                @gr.render(inputs=[duel])
                def render_pair(current: Any) -> None:
                    if not isinstance(current, Duel) or current.pair is None:
                        return

                    def on_window(radio: gr.Radio, slider: gr.ImageSlider, index: int) -> None:
                        radio.change(
                            window_handler(current, index),
                            inputs=[duel, radio],
                            outputs=[slider],
                            show_progress="minimal",
                        )

                    rendered = render_pair_view(db, settings, current, on_window)
                    for button, choice in rendered.buttons:
                        button.click(
                            vote_handler(choice),
                            inputs=[duel, *rendered.inputs],
                            outputs=[
                                status,
                                saved,
                                *rendered.errors,
                                *(b for b, _ in rendered.buttons),
                            ],
                            trigger_mode="once",
                            scroll_to_output=False,
                        ).success(on_after_vote, inputs=[duel, saved], outputs=pair_outputs)

                with gr.Row(equal_height=True, elem_id="skip-row") as skip_row:
                    skip_reason = gr.Textbox(
                        label="Skip this pair: why?",
                        scale=3,
                        placeholder="e.g. outside my specialty",
                        elem_id="skip-reason",
                    )
                    skip_btn = gr.Button("Skip", scale=1, elem_id="skip-btn")
            with gr.Column(visible=False, elem_id="voted-area") as voted_area:
                voted_msg = gr.Markdown(elem_id="voted-msg")
                with gr.Row(equal_height=True):
                    reveal_btn = gr.Button(
                        "Show which models these were", visible=False, elem_id="reveal-btn"
                    )
                    next_btn = gr.Button("Next pair", variant="primary", elem_id="next-pair-btn")
                reveal_text = gr.Markdown(visible=False, elem_id="reveal-text")
            with gr.Column(visible=False, elem_id="compare-done") as done_area:
                gr.Markdown(NOTHING_LEFT)
                done_back = gr.Button("Choose another study", elem_id="compare-done-back")
            gr.Markdown(COMPARE_HELP, elem_id="compare-help")

        picker_outputs = [duel, who, note, study, start, picker_view, compare_view]
        assert len(picker_outputs) == PICKER_OUTPUTS
        pair_outputs = [
            duel,
            picker_view,
            compare_view,
            pair_area,
            skip_row,
            voted_area,
            done_area,
            title,
            progress,
            guidelines,
            status,
            skip_reason,
            voted_msg,
            reveal_btn,
            reveal_text,
        ]
        assert len(pair_outputs) == PAIR_OUTPUTS

        def window_handler(current: Duel, index: int) -> Callable[..., Any]:
            def rewindow(d: Any, window: str, request: gr.Request) -> Any:
                pair = current.pair
                images = {i.index: i for i in pair.images} if pair is not None else {}
                first = images[index].windows[0] if index in images else None
                left = pair_image(db, settings, d, index, first, request)
                return (left, pair_image(db, settings, d, index, window, request))

            return rewindow

        # The request first: Gradio does not fill a keyword after *values.
        def vote_handler(choice: str) -> Callable[..., tuple[Any, ...]]:
            def on_vote(request: gr.Request, d: Any, why: str, *axes: Any) -> tuple[Any, ...]:
                return vote(db, d, choice, why, *axes, request=request)

            return on_vote

        def on_load(d: Any, request: gr.Request) -> tuple[Any, ...]:
            return load_picker(db, d, request)

        def on_start(d: Any, slug: Any, request: gr.Request) -> tuple[Any, ...]:
            return start_comparing(db, d, slug, request)

        def on_after_vote(d: Any, message: str, request: gr.Request) -> tuple[Any, ...]:
            return after_vote(db, d, message, request)

        def on_next(d: Any, request: gr.Request) -> tuple[Any, ...]:
            return next_after_vote(db, d, request)

        def on_skip(d: Any, why: str, request: gr.Request) -> tuple[Any, ...]:
            return skip(db, d, why, request)

        def on_reveal(d: Any, request: gr.Request) -> dict[str, Any]:
            return reveal(db, d, request)

        blocks.load(on_load, inputs=[duel], outputs=picker_outputs, api_name="compare_home")
        for trigger in (back.click, done_back.click):
            trigger(on_load, inputs=[duel], outputs=picker_outputs)
        start.click(on_start, inputs=[duel, study], outputs=pair_outputs, api_name="start")
        for trigger in (skip_btn.click, skip_reason.submit):
            trigger(on_skip, inputs=[duel, skip_reason], outputs=pair_outputs)
        next_btn.click(on_next, inputs=[duel], outputs=pair_outputs, trigger_mode="once")
        reveal_btn.click(
            on_reveal, inputs=[duel], outputs=[reveal_text], trigger_mode="once", api_name="reveal"
        )
    return blocks
