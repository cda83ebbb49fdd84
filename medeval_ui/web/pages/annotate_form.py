"""The rating form of one item: what it shows, and how its values come back.

Everything a component here carries reaches the browser (labels, choices, values,
``elem_id``s), so it is built only from neutral things: "Response 2", rubric question ids
and texts, the case's prompt, images as pixels. Output ids and model names stay in the
``ItemView`` held in ``gr.State`` (server side); a model label is shown only when the
service gives one (studies that are not blind).
"""

from __future__ import annotations

# isort: off
import medeval_ui.web.offline  # noqa: F401  (sets the offline variables before gradio)
# isort: on

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import gradio as gr
from PIL import Image

from medeval_ui.domain.rubric import CONFIDENCE_SCALE, Question
from medeval_ui.errors import MedevalError
from medeval_ui.exchange.images import WINDOW_PRESETS
from medeval_ui.services.annotation_views import ImageView, ItemView, ResponseView
from medeval_ui.web.guard import md_escape
from medeval_ui.web.untrusted import inert_markdown

CONFIDENCE = "confidence"
COMMENT = "comment"
CONFIDENCE_CHOICES = [(f"{n} · {label}", str(n)) for n, label in CONFIDENCE_SCALE.items()]
WINDOW_LABELS = {
    **{
        name: f"{name.replace('_', ' ').capitalize()} ({center:g}/{width:g})"
        for name, (center, width) in WINDOW_PRESETS.items()
    },
    "voi_lut": "The file's own window",
    "minmax": "Full range",
}
_BAR = 20
_RTL_CHARS = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_LTR_CHARS = re.compile(r"[A-Za-z\u00c0-\u04ff\u0900-\u0dff\u3040-\u30ff\u4e00-\u9fff]")


@dataclass(frozen=True)
class Field:
    """One input of the form, in the order the components are handed to the submit event."""

    position: int  # response position, 1-based
    key: str  # a rubric question id, CONFIDENCE or COMMENT

    @property
    def elem_id(self) -> str:
        if self.key == COMMENT:
            return f"comment-{self.position}"
        return f"q-{self.position}-{self.key}"


def form_fields(item: ItemView) -> list[Field]:
    """Every input, response by response: the rubric's questions, confidence, comment."""
    keys = [q.id for q in item.rubric.questions] + [CONFIDENCE, COMMENT]
    return [Field(r.position, key) for r in item.responses for key in keys]


def error_keys(item: ItemView) -> list[tuple[int, str]]:
    """Where a message can appear: under each question and under confidence."""
    keys = [q.id for q in item.rubric.questions] + [CONFIDENCE]
    return [(r.position, key) for r in item.responses for key in keys]


def collect(
    item: ItemView, values: Sequence[Any]
) -> tuple[dict[int, dict[str, Any]], dict[int, int | None], dict[int, str]]:
    """Form values (in ``form_fields`` order) -> (answers, confidence, comments) per position.

    Values are passed on as the widgets give them; the service normalizes and judges them.
    """
    fields = form_fields(item)
    if len(values) != len(fields):
        raise gr.Error("The form is out of date. Reload the page and open the item again.")
    answers: dict[int, dict[str, Any]] = {r.position: {} for r in item.responses}
    confidence: dict[int, int | None] = {}
    comments: dict[int, str] = {}
    for field, value in zip(fields, values, strict=True):
        if field.key == CONFIDENCE:
            confidence[field.position] = int(value) if value not in (None, "") else None
        elif field.key == COMMENT:
            comments[field.position] = (value or "").strip()
        else:
            answers[field.position][field.key] = _from_widget(value)
    return answers, confidence, comments


def _from_widget(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        return value or None
    return value


def problem_updates(item: ItemView, problems: dict[tuple[int, str], str]) -> list[dict[str, Any]]:
    """One update per ``error_keys`` slot: the message where there is one, hidden elsewhere."""
    updates = []
    for key in error_keys(item):
        message = problems.get(key)
        text = f"⚠️ {md_escape(message)}" if message else ""
        updates.append(gr.update(value=text, visible=bool(message)))
    return updates


def progress_text(done: int, total: int) -> str:
    """'12 of 40' with a bar of plain characters (Markdown, no HTML)."""
    filled = round(_BAR * done / total) if total > 0 else 0
    bar = "█" * filled + "░" * (_BAR - filled)
    return f"**{done} of {total}** rated  `{bar}`"


def language_badge(item: ItemView) -> str:
    return f"Language: **{md_escape(item.language_name)}** · {md_escape(item.language)}"


def mostly_rtl(text: str) -> bool:
    """Whether a text is written mostly in a right-to-left script (an answer given in
    English to an Arabic question stays left to right)."""
    rtl = len(_RTL_CHARS.findall(text))
    return rtl > 0 and rtl >= len(_LTR_CHARS.findall(text))


def to_image(png: bytes) -> Image.Image:
    """A PIL image from PNG bytes, with no text chunk or EXIF to carry along."""
    with Image.open(BytesIO(png)) as opened:
        opened.load()
        image = opened.copy()
    image.info = {}
    return image


def short_help(text: str | None, limit: int = 160) -> str | None:
    """The first sentence of a question's help, for the line under it (the whole help is in
    the "How to answer" section above the responses)."""
    if not text:
        return None
    first = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def questions_help(item: ItemView) -> str:
    """Every question's full help, once for the item (not once per response)."""
    parts = [
        f"**{md_escape(q.text)}**  \n{md_escape(q.help)}" for q in item.rubric.questions if q.help
    ]
    return "\n\n".join(parts)


def _question_label(question: Question) -> str:
    return question.text if question.required else f"{question.text} (optional)"


def _fresh(item: ItemView, elem_id: str) -> dict[str, Any]:
    """Options every form widget gets. A key unique to this item and revision: without it
    gr.render reuses the previous item's widgets and their chosen values, so the next item
    opened with the last one's answers. ``interactive`` explicitly: a Radio rendered with a
    value is otherwise shown disabled (the edit form)."""
    return {"key": f"{item.client_token}-{elem_id}", "interactive": True, "elem_id": elem_id}


def _answer_widget(question: Question, position: int, value: Any, item: ItemView) -> gr.Component:
    elem_id = Field(position, question.id).elem_id
    language = item.language
    common: dict[str, Any] = {
        "label": _question_label(question),
        "info": short_help(question.help),
        "elem_classes": ["question", "q-required"] if question.required else ["question"],
        **_fresh(item, elem_id),
    }
    choices = [(o.label, o.id) for o in question.options]
    ids = {o.id for o in question.options}
    if question.type == "multiple_choice":
        chosen = [v for v in value or [] if v in ids] if isinstance(value, list) else []
        return gr.CheckboxGroup(choices=choices, value=chosen, **common)
    if question.type in ("single_choice", "likert", "pairwise"):
        return gr.Radio(choices=choices, value=value if value in ids else None, **common)
    if question.type == "number":
        return gr.Number(
            value=value if isinstance(value, int | float) else None,
            minimum=question.min,
            maximum=question.max,
            **common,
        )
    return gr.Textbox(
        value=value if isinstance(value, str) else "",
        lines=2,
        html_attributes=gr.InputHTMLAttributes(lang=language),
        **common,
    )


@dataclass
class RenderedForm:
    """The components one render created, in the orders the events need."""

    inputs: list[gr.Component]  # form_fields order
    errors: list[gr.Markdown]  # error_keys order
    submit: gr.Button


ImageLoader = Callable[[int, str | None], Image.Image]
# Wires a window Radio to its slider: (radio, slider, image index).
WindowHook = Callable[[gr.Radio, gr.ImageSlider, int], None]


def render_case(
    item: ItemView,
    on_window: WindowHook,
    load_image: ImageLoader,
) -> None:
    """The case: language badge, prompt, images (with window presets for DICOM), reference."""
    gr.Markdown(
        f"**Case {md_escape(item.case_label)}** · {language_badge(item)}", elem_id="case-header"
    )
    gr.Markdown(
        inert_markdown(item.prompt),
        rtl=item.rtl,
        elem_id="case-prompt",
        container=True,
        elem_classes=["case-prompt"],
    )
    if item.images:
        with gr.Row():
            for image in item.images:
                with gr.Column(min_width=280):
                    _render_image(image, on_window, load_image)
    if item.reference_answer is not None:
        with gr.Accordion("Reference answer", open=True, elem_id="reference"):
            gr.Markdown(
                inert_markdown(item.reference_answer), rtl=item.rtl, elem_id="reference-text"
            )


def image_label(image: ImageView) -> str:
    n = image.index + 1
    if image.is_dicom and len(image.windows) > 1:
        first = WINDOW_LABELS.get(image.windows[0], image.windows[0]).lower()
        return f"Image {n}: left {first}, right the window chosen below; scroll to zoom"
    return f"Image {n}: scroll to zoom, drag to move"


def _render_image(image: ImageView, on_window: WindowHook, load_image: ImageLoader) -> None:
    window = image.windows[0] if image.windows else None
    try:
        picture = load_image(image.index, window)
    except MedevalError as err:
        gr.Markdown(f"⚠️ Image {image.index + 1} cannot be shown: {md_escape(str(err))}")
        return
    slider = gr.ImageSlider(
        value=(picture, picture),
        format="png",
        type="pil",
        label=image_label(image),
        interactive=False,
        max_height=560,
        elem_id=f"image-{image.index + 1}",
        buttons=["fullscreen"],
    )
    if image.is_dicom and len(image.windows) > 1:
        radio = gr.Radio(
            choices=[(WINDOW_LABELS.get(w, w), w) for w in image.windows],
            value=window,
            label="Window",
            interactive=True,
            elem_id=f"window-{image.index + 1}",
        )
        on_window(radio, slider, image.index)


def render_responses(item: ItemView) -> RenderedForm:
    """The responses side by side, each with its rubric form, confidence and comment."""
    inputs: dict[Field, gr.Component] = {}
    errors: dict[tuple[int, str], gr.Markdown] = {}
    if help_text := questions_help(item):
        with gr.Accordion("How to answer the questions", open=False, elem_id="questions-help"):
            gr.Markdown(help_text)
    with gr.Row(equal_height=False):
        for response in item.responses:
            with gr.Column(min_width=320, elem_id=f"response-{response.position}"):
                _render_response(item, response, inputs, errors)
    submit = gr.Button(
        "Save a new revision" if item.editing else "Submit",
        variant="primary",
        elem_id="submit-btn",
    )
    return RenderedForm(
        inputs=[inputs[f] for f in form_fields(item)],
        errors=[errors[k] for k in error_keys(item)],
        submit=submit,
    )


def _render_response(
    item: ItemView,
    response: ResponseView,
    inputs: dict[Field, gr.Component],
    errors: dict[tuple[int, str], gr.Markdown],
) -> None:
    pos = response.position
    gr.Markdown(f"### Response {pos}")
    if response.model_label is not None:
        gr.Markdown(f"Model: **{md_escape(response.model_label)}**")
    gr.Markdown(
        inert_markdown(response.text),
        rtl=mostly_rtl(response.text),
        container=True,
        max_height=520,
        elem_classes=["response-text"],
    )
    for question in item.rubric.questions:
        widget = _answer_widget(question, pos, response.answers.get(question.id), item)
        inputs[Field(pos, question.id)] = widget
        errors[(pos, question.id)] = _error_slot(pos, question.id)
    inputs[Field(pos, CONFIDENCE)] = gr.Radio(
        choices=CONFIDENCE_CHOICES,
        value=str(response.confidence) if response.confidence is not None else None,
        label="How confident are you in your judgment of this response?",
        info="1 = an educated guess, 5 = you checked every aspect.",
        elem_classes=["question"],
        **_fresh(item, Field(pos, CONFIDENCE).elem_id),
    )
    errors[(pos, CONFIDENCE)] = _error_slot(pos, CONFIDENCE)
    inputs[Field(pos, COMMENT)] = gr.Textbox(
        value=response.comment,
        label="Comment (optional)",
        lines=2,
        html_attributes=gr.InputHTMLAttributes(lang=item.language),
        **_fresh(item, Field(pos, COMMENT).elem_id),
    )


def _error_slot(position: int, key: str) -> gr.Markdown:
    return gr.Markdown(visible=False, elem_id=f"err-{position}-{key}", elem_classes=["q-error"])
