"""The clinician's page at /app: home (languages, studies, progress) and the annotate view.

One Blocks with two views switched by visibility. The item's form is a ``gr.render`` driven
by the ``Work`` in ``gr.State`` (server side): a new Work re-renders it, so the number of
responses and questions can change from item to item. What reaches the browser is
neutral (see ``annotate_form``); the handlers and their checks are in
``clinician_handlers``.
"""

from __future__ import annotations

# isort: off
import medeval_ui.web.offline  # noqa: F401  (sets the offline variables before gradio)
# isort: on

from pathlib import Path
from typing import Any

import gradio as gr
from PIL import Image

from medeval_ui.config import Settings
from medeval_ui.services import annotation
from medeval_ui.storage.engine import Database
from medeval_ui.web.pages import annotate_form as form
from medeval_ui.web.pages import home
from medeval_ui.web.pages.clinician_handlers import (
    ITEM_OUTPUTS,
    Work,
    after_save,
    edit,
    flag,
    item_image,
    load_history,
    load_home,
    save,
    save_languages,
    skip,
    start_study,
)
from medeval_ui.web.pages.shortcuts import SHORTCUTS_HELP

NOTHING_LEFT = (
    "### Nothing left for you in this study. Thank you!\n\n"
    "Other clinicians may still free items up later. You can edit an earlier rating below, "
    "or go back home."
)


def build_clinician_page(db: Database, settings: Settings) -> gr.Blocks:
    with gr.Blocks(title="medeval") as blocks:
        work = gr.State(None)
        saved = gr.State("")  # the last save's message; "" when it saved nothing
        with gr.Column(visible=True, elem_id="home-view") as home_view:
            with gr.Row(equal_height=True):
                gr.Markdown("# medeval")
                who = gr.Markdown(elem_id="signed-in")
                lead_link = gr.Button(
                    "Lead dashboard",
                    link="/lead",
                    visible=False,
                    scale=0,
                    min_width=160,
                    elem_id="lead-link",
                )
                gr.Button(
                    "Compare answers (blind)",
                    link="/compare/",
                    variant="secondary",
                    scale=0,
                    min_width=200,
                    elem_id="compare-link",
                )
                gr.Button(
                    "Log out",
                    link="/logout",
                    variant="secondary",
                    scale=0,
                    min_width=120,
                    elem_id="logout-btn",
                )
            with gr.Group():
                languages_note = gr.Markdown(elem_id="languages-note", padding=True)
                with gr.Row(equal_height=True):
                    languages = gr.Textbox(
                        label="My languages",
                        info="BCP-47 tags, separated by commas: en, ar, es, fr, hi, zh-Hans ...",
                        elem_id="languages-input",
                        scale=4,
                    )
                    save_langs = gr.Button("Save languages", scale=1, elem_id="languages-save")
            gr.Markdown("## My studies")
            studies = gr.DataFrame(
                headers=home.STUDY_HEADERS,
                interactive=False,
                datatype=["str", "str", "str", "str"],
                label="My studies",
                elem_id="studies-table",
            )
            with gr.Row(equal_height=True):
                study = gr.Dropdown(label="Study", choices=[], scale=4, elem_id="study-select")
                start = gr.Button(
                    "Start", variant="primary", scale=1, interactive=False, elem_id="study-start"
                )

        with gr.Column(visible=False, elem_id="annotate-view") as annotate_view:
            with gr.Row(equal_height=True):
                title = gr.Markdown(elem_id="study-title")
                back = gr.Button(
                    "← Home", variant="secondary", scale=0, min_width=120, elem_id="home-btn"
                )
            progress = gr.Markdown(elem_id="progress-text")
            status = gr.Markdown(elem_id="status")
            with gr.Accordion("Guidelines", open=False, elem_id="guidelines"):
                guidelines = gr.Markdown()
            with gr.Column(visible=True, elem_id="item-area") as item_area:

                @gr.render(inputs=[work])
                def render_item(current: Any) -> None:
                    if not isinstance(current, Work) or current.item is None:
                        return
                    item = current.item

                    def load_image(index: int, window: str | None) -> Image.Image:
                        png = annotation.item_image_png(
                            db,
                            Path(settings.media_dir),
                            current.owner,
                            item.assignment_id,
                            index,
                            window,
                        )
                        return form.to_image(png)

                    def on_window(radio: gr.Radio, slider: gr.ImageSlider, index: int) -> None:
                        def rewindow(w: Any, window: str, request: gr.Request) -> Any:
                            images = {i.index: i for i in item.images}
                            first = images[index].windows[0] if index in images else None
                            left = item_image(db, settings, w, index, first, request)
                            return (left, item_image(db, settings, w, index, window, request))

                        radio.change(
                            rewindow,
                            inputs=[work, radio],
                            outputs=[slider],
                            show_progress="minimal",
                        )

                    form.render_case(item, on_window, load_image)
                    rendered = form.render_responses(item)

                    # The request first: Gradio does not fill a keyword after *values.
                    def on_submit(request: gr.Request, w: Any, *values: Any) -> tuple[Any, ...]:
                        return save(db, w, *values, request=request)

                    # Two events: the save answers "Saved" as soon as the row is committed,
                    # then the next item loads (bench/bench_submit.py times both).
                    rendered.submit.click(
                        on_submit,
                        inputs=[work, *rendered.inputs],
                        outputs=[status, saved, *rendered.errors],
                        trigger_mode="once",
                        scroll_to_output=False,
                    ).then(on_after_save, inputs=[work, saved], outputs=item_outputs)

                with gr.Row(equal_height=True):
                    skip_reason = gr.Textbox(
                        label="Skip this item: why?",
                        scale=3,
                        placeholder="e.g. outside my specialty",
                        elem_id="skip-reason",
                    )
                    skip_btn = gr.Button("Skip", scale=1, elem_id="skip-btn")
                    flag_note = gr.Textbox(
                        label="Flag for the lead: what is wrong?",
                        scale=3,
                        placeholder="e.g. the reference answer is outdated",
                        elem_id="flag-note",
                    )
                    flag_btn = gr.Button("Flag for lead", scale=1, elem_id="flag-btn")
            with gr.Column(visible=False, elem_id="done-area") as done_area:
                gr.Markdown(NOTHING_LEFT)
                done_home = gr.Button("Back to home", elem_id="done-home-btn")
            with (
                gr.Accordion(
                    "My earlier items in this study", open=False, elem_id="history"
                ) as history_section,
                gr.Row(equal_height=True),
            ):
                history = gr.Dropdown(
                    label="Submitted items", choices=[], scale=4, elem_id="history-select"
                )
                edit_btn = gr.Button("Edit", scale=1, elem_id="edit-btn")
            gr.Markdown(SHORTCUTS_HELP, elem_id="shortcuts-help")

        home_outputs = [
            work,
            who,
            lead_link,
            languages,
            languages_note,
            studies,
            study,
            start,
            home_view,
            annotate_view,
        ]
        item_outputs = [
            work,
            home_view,
            annotate_view,
            item_area,
            done_area,
            title,
            progress,
            guidelines,
            status,
            history,
            skip_reason,
            flag_note,
        ]
        assert len(item_outputs) == ITEM_OUTPUTS

        def on_home(w: Any, request: gr.Request) -> tuple[Any, ...]:
            return load_home(db, w, request)

        def on_languages(w: Any, text: str, slug: Any, request: gr.Request) -> tuple[Any, ...]:
            return save_languages(db, w, text, slug, request)

        def on_pick(slug: Any, request: gr.Request) -> dict[str, Any]:
            return home.pick_study(db, slug, request)

        def on_start(w: Any, slug: Any, request: gr.Request) -> tuple[Any, ...]:
            return start_study(db, w, slug, request)

        def on_after_save(w: Any, message: str, request: gr.Request) -> tuple[Any, ...]:
            return after_save(db, w, message, request)

        def on_history(w: Any, request: gr.Request) -> dict[str, Any]:
            return load_history(db, w, request)

        def on_skip(w: Any, reason: str, request: gr.Request) -> tuple[Any, ...]:
            return skip(db, w, reason, request)

        def on_flag(w: Any, note: str, request: gr.Request) -> tuple[Any, ...]:
            return flag(db, w, note, request)

        def on_edit(w: Any, assignment_id: Any, request: gr.Request) -> tuple[Any, ...]:
            return edit(db, w, assignment_id, request)

        blocks.load(on_home, inputs=[work], outputs=home_outputs, api_name="home")
        for trigger in (back.click, done_home.click):
            trigger(on_home, inputs=[work], outputs=home_outputs)
        for trigger in (save_langs.click, languages.submit):
            trigger(on_languages, inputs=[work, languages, study], outputs=home_outputs)
        study.input(on_pick, inputs=[study], outputs=[start])
        start.click(on_start, inputs=[work, study], outputs=item_outputs)
        for trigger in (skip_btn.click, skip_reason.submit):
            trigger(on_skip, inputs=[work, skip_reason], outputs=item_outputs)
        for trigger in (flag_btn.click, flag_note.submit):
            trigger(on_flag, inputs=[work, flag_note], outputs=item_outputs)
        edit_btn.click(on_edit, inputs=[work, history], outputs=item_outputs)
        history_section.expand(on_history, inputs=[work], outputs=[history])
    return blocks
