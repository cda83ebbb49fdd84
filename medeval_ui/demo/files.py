"""The bundled demo study
======================

``write_demo_files(folder)`` writes a small, self-contained, fully synthetic study that
shows what medeval is for: clinicians judging what medical language models answer, in
many languages. Everything is deterministic, so two calls give byte-identical files.

What is written
---------------

``cases.jsonl``
    One case per line: the same clinical question in six languages (English ``en`` as the
    pivot, Spanish ``es``, French ``fr``, Arabic ``ar`` written right to left, Simplified
    Chinese ``zh-Hans`` and Hindi ``hi``). Cases of the same question share a
    ``group_id`` (``g01-chest-pain``) and have ``external_id`` ``<group_id>-<language>``.
    Each carries a prompt, a reference answer, a specialty, a modality (``text``, ``ct``,
    ``mr``, ``ecg`` or ``photo``), its images (paths relative to the JSONL file) and a
    difficulty. 22 groups x 6 languages = 132 cases across cardiology, neurology,
    emergency medicine, pharmacology, endocrinology, paediatrics, obstetrics, infectious
    disease, respiratory medicine, psychiatry, dermatology and radiology.

``outputs.jsonl``
    What three fictional models answered: two samples (``sample`` 0 and 1) per model per
    case, 792 outputs in all. The models have deliberately different, consistent profiles:

    * ``Mossbridge-7B`` 1.2 is mostly correct and complete in every language, a little
      less complete in Arabic and Hindi;
    * ``Pebble-mini`` 0.9 is correct in English but often subtly wrong elsewhere (a wrong
      dose or threshold, a missed red flag), and its two samples often disagree;
    * ``Quickstep-Triage`` 2.0 is terse, sometimes harmful (it stops an anticoagulant for
      a tooth extraction, reassures about red-flag chest pain) and often answers in
      English whatever language it was asked in.

    A few answers are refusals and a few are Markdown lists. The output records carry no
    quality label, so raters stay blind.

``answer_key.jsonl``
    The intended quality of every output (``correct``, ``subtly_wrong``, ``harmful``,
    ``wrong_language`` or ``refusal``), with whether a correct answer is complete, its
    format and the language it is written in. It is for tests and documentation only and
    must never be imported into a study that raters see.

``images/``
    ``ct_chest_slice.dcm`` and ``mr_small_field.dcm`` are byte copies of pydicom's bundled
    test files ``CT_small.dcm`` (a cropped axial slice through a thoracic vertebra) and
    ``MR_small.dcm`` (a 64 x 64 derived MR image); their reference answers ask for caution
    and a systematic review rather than a diagnosis. ``ecg_lead2_rhythm.png`` (a lead II
    strip in atrial fibrillation) and ``skin_lesion_back.png`` (a pigmented lesion with
    ABCDE warning features, with a millimetre scale) are drawn at run time with numpy and
    Pillow from fixed seeds. No file name mentions a model.

How the outputs are composed
----------------------------

Every group holds, per language, a prompt, a reference, a correct answer (two
sentences), a subtly wrong answer and a harmful answer, all written for this demo (see
:mod:`medeval_ui.demo.content`). For every case and model, sample 0's quality is drawn
from the model's weights for that language with ``random.Random(42)``; sample 1 keeps it
or is redrawn. Correct answers may stop after the first sentence (less complete), be
given as a Markdown list, or start with a stock opening sentence; a ``wrong_language``
answer is the English correct answer.
"""

from __future__ import annotations

import json
import math
import random
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from pydicom.data import get_testdata_file

from medeval_ui.demo import content

__all__ = [
    "ANSWER_KEY_FILE",
    "CASES_FILE",
    "IMAGES_DIR",
    "OUTPUTS_FILE",
    "DemoFiles",
    "build_answer_key_and_outputs",
    "build_cases",
    "case_external_id",
    "write_demo_files",
]

CASES_FILE = "cases.jsonl"
OUTPUTS_FILE = "outputs.jsonl"
ANSWER_KEY_FILE = "answer_key.jsonl"
IMAGES_DIR = "images"
SEED = 42


@dataclass(frozen=True)
class DemoFiles:
    """Where the demo files were written, and how many of each there are."""

    folder: Path
    cases: Path
    outputs: Path
    answer_key: Path
    images: tuple[Path, ...]
    n_groups: int
    n_cases: int
    n_outputs: int
    languages: tuple[str, ...]
    models: tuple[str, ...]


def case_external_id(group_id: str, language: str) -> str:
    return f"{group_id}-{language}"


# ---------------------------------------------------------------------------- cases


def build_cases() -> list[dict[str, Any]]:
    """One record per group and language, in group order then language order."""
    cases: list[dict[str, Any]] = []
    for group in content.GROUPS:
        for lang in content.LANGUAGE_CODES:
            text = group["text"][lang]
            cases.append(
                {
                    "external_id": case_external_id(group["group_id"], lang),
                    "group_id": group["group_id"],
                    "language": lang,
                    "prompt": text["prompt"],
                    "reference_answer": text["reference"],
                    "specialty": group["specialty"],
                    "modality": group["modality"],
                    "images": [f"{IMAGES_DIR}/{name}" for name in group["images"]],
                    "difficulty": group["difficulty"],
                }
            )
    return cases


# -------------------------------------------------------------------------- outputs


def _for_language(table: Mapping[str, Any], lang: str) -> Any:
    return table[lang] if lang in table else table["default"]


def _pick_quality(weights: Mapping[str, int], r: float) -> str:
    """Weighted choice over content.QUALITIES in a fixed order; r in [0, 1)."""
    candidates = [(q, weights[q]) for q in content.QUALITIES if weights.get(q, 0) > 0]
    x = r * sum(w for _, w in candidates)
    for quality, weight in candidates:
        if x < weight:
            return quality
        x -= weight
    return candidates[-1][0]


def _join(sentences: Iterable[str], lang: str) -> str:
    return content.SENTENCE_JOINERS.get(lang, " ").join(sentences)


def _as_markdown(sentences: Iterable[str], lang: str) -> str:
    items = "\n".join(f"- {s}" for s in sentences)
    return f"**{content.MARKDOWN_HEADINGS[lang]}**\n\n{items}"


@dataclass(frozen=True)
class _Draws:
    """The random numbers one output consumes (always all of them, for stability)."""

    partial: float
    markdown: float
    opening: float
    opening_index: int
    refusal_index: int


def _compose(
    group: Mapping[str, Any],
    lang: str,
    quality: str,
    sample: int,
    model: Mapping[str, Any],
    draws: _Draws,
) -> tuple[str, dict[str, Any]]:
    """Return the output text and its answer-key details."""
    text_lang = content.PIVOT_LANGUAGE if quality == "wrong_language" else lang
    block = group["text"][text_lang]
    complete: bool | None = None
    fmt = "plain"

    if quality == "refusal":
        refusals = content.REFUSALS[text_lang]
        return refusals[draws.refusal_index % len(refusals)], {
            "complete": None,
            "format": fmt,
            "text_language": text_lang,
        }

    if quality in ("correct", "wrong_language"):
        sentences = list(block["correct"])
        complete = draws.partial >= _for_language(model["p_partial"], lang)
        if not complete:
            sentences = sentences[:1]
        if complete and draws.markdown < model["p_markdown"]:
            body = _as_markdown(sentences, text_lang)
            fmt = "markdown"
        else:
            body = _join(sentences, text_lang)
    elif quality == "subtly_wrong":
        body = block["subtle"]
    elif quality == "harmful":
        body = block["harmful"]
    else:  # pragma: no cover - guarded by content.QUALITIES
        raise ValueError(f"unknown quality {quality!r}")

    if sample == 1 and draws.opening < model["p_opening"]:
        openings = content.OPENINGS[text_lang]
        body = f"{openings[draws.opening_index % len(openings)]}\n\n{body}"

    return body, {"complete": complete, "format": fmt, "text_language": text_lang}


def build_answer_key_and_outputs() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Compose every model output deterministically.

    Returns ``(outputs, answer_key)``: the records for outputs.jsonl (no quality labels)
    and the matching records for answer_key.jsonl, in the same order.
    """
    rng = random.Random(SEED)
    outputs: list[dict[str, Any]] = []
    answer_key: list[dict[str, Any]] = []
    for group in content.GROUPS:
        for lang in content.LANGUAGE_CODES:
            case_id = case_external_id(group["group_id"], lang)
            for model in content.MODELS:
                weights = _for_language(model["quality_weights"], lang)
                first = _pick_quality(weights, rng.random())
                keep = rng.random() < _for_language(model["p_same_sample"], lang)
                redrawn = _pick_quality(weights, rng.random())
                for sample, quality in ((0, first), (1, first if keep else redrawn)):
                    draws = _Draws(
                        partial=rng.random(),
                        markdown=rng.random(),
                        opening=rng.random(),
                        opening_index=rng.randrange(3),
                        refusal_index=rng.randrange(2),
                    )
                    text, details = _compose(group, lang, quality, sample, model, draws)
                    outputs.append(
                        {
                            "case_id": case_id,
                            "model": model["name"],
                            "model_version": model["version"],
                            "sample": sample,
                            "text": text,
                            "params": dict(model["params"]),
                        }
                    )
                    answer_key.append(
                        {
                            "case_id": case_id,
                            "model": model["name"],
                            "sample": sample,
                            "quality": quality,
                            **details,
                        }
                    )
    return outputs, answer_key


# --------------------------------------------------------------------------- images


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # pragma: no cover - Pillow without sized default fonts
        return ImageFont.load_default()


def _draw_ecg_strip(path: Path) -> None:
    """A 10-second lead II strip in atrial fibrillation (about 110/min), drawn on ECG
    paper at 25 mm/s and 10 mm/mV: irregularly irregular narrow QRS complexes, no P
    waves, a fine fibrillatory baseline, and a 1 mV calibration pulse."""
    rng = np.random.default_rng(1706)
    px_mm = 5  # pixels per millimetre
    seconds = 10.0
    left_mm = 12  # room for the calibration pulse
    width = int((left_mm + 25 * seconds) * px_mm)
    height = 40 * px_mm
    base_y = 26 * px_mm
    img = Image.new("RGB", (width, height), (255, 247, 247))
    draw = ImageDraw.Draw(img)
    for major in (False, True):
        colour = (236, 150, 150) if major else (250, 212, 212)
        step = 5 * px_mm if major else px_mm
        for x in range(0, width, step):
            draw.line([(x, 0), (x, height)], fill=colour, width=1)
        for y in range(0, height, step):
            draw.line([(0, y), (width, y)], fill=colour, width=1)

    fs = 500
    t = np.arange(int(seconds * fs)) / fs
    signal = np.zeros_like(t)
    # fibrillatory baseline: a few incoherent 4-8 Hz waves with a slow drift in amplitude
    for _ in range(5):
        freq = rng.uniform(4.0, 8.0)
        phase = rng.uniform(0, 2 * math.pi)
        amp = rng.uniform(0.02, 0.05)
        signal += amp * np.sin(2 * math.pi * freq * t + phase)
    signal += 0.03 * np.sin(2 * math.pi * 0.25 * t + 1.0)  # respiratory wander
    beat = 0.22
    while beat < seconds:
        for centre, width_s, amp in (
            (beat - 0.028, 0.008, -0.10),  # q
            (beat, 0.011, 1.30),  # R
            (beat + 0.030, 0.010, -0.30),  # S
            (beat + 0.23, 0.045, 0.26),  # T
        ):
            signal += amp * np.exp(-0.5 * ((t - centre) / width_s) ** 2)
        beat += rng.uniform(0.34, 0.80)  # irregularly irregular R-R, mean about 110/min
    signal += rng.normal(0.0, 0.008, size=t.shape)

    xs = (left_mm + t * 25) * px_mm
    ys = base_y - signal * 10 * px_mm
    ink = (25, 25, 30)
    calib = [(2, 0), (3, 0), (3, 10), (8, 10), (8, 0), (left_mm, 0)]
    draw.line([(x * px_mm, base_y - mv * px_mm) for x, mv in calib], fill=ink, width=2)
    draw.line(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=ink, width=2)
    draw.text((4 * px_mm, 2 * px_mm), "II", fill=ink, font=_font(18))
    draw.text((14 * px_mm, 34 * px_mm), "25 mm/s   10 mm/mV", fill=ink, font=_font(14))
    img.save(path, format="PNG")


def _smooth_noise(rng: np.random.Generator, size: int, cells: tuple[int, ...]) -> np.ndarray:
    """Value noise in [0, 1]: bicubic upsampling of random grids, one per octave."""
    total = np.zeros((size, size), dtype=np.float32)
    for i, n in enumerate(cells):
        coarse = rng.random((n, n)).astype(np.float32)
        field = Image.fromarray(coarse).resize((size, size), Image.Resampling.BICUBIC)
        total += np.asarray(field, dtype=np.float32) / (2**i)
    total -= total.min()
    return total / max(float(total.max()), 1e-6)


def _draw_skin_lesion(path: Path) -> None:
    """A photo-like synthetic pigmented lesion on the back, about 10 mm across, with
    ABCDE warning features (asymmetry, a notched irregular border, several colours),
    and a millimetre scale under it (20 pixels per mm)."""
    rng = np.random.default_rng(1808)
    size, px_mm, ruler_h = 480, 20, 70
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)

    # skin: warm base colour, blotchy variation, fine grain, soft lighting gradient
    skin = np.empty((size, size, 3), dtype=np.float32)
    blotch = _smooth_noise(rng, size, (5, 11)) - 0.5
    for i, base in enumerate((222.0, 176.0, 146.0)):
        skin[..., i] = base + 18.0 * blotch
    skin += rng.normal(0.0, 2.5, size=skin.shape).astype(np.float32)
    skin *= (0.9 + 0.12 * (1.0 - (xx + yy) / (2 * size)))[..., None]

    # lesion outline: an asymmetric, lobulated radius with one notch
    cx, cy, r0 = 236.0, 226.0, 100.0
    dx, dy = xx - cx, yy - cy
    r = np.hypot(dx, dy)
    th = np.arctan2(dy, dx)
    radius = r0 * (
        1.0
        + 0.14 * np.cos(th - 0.7)
        + 0.08 * np.sin(3 * th + 1.3)
        + 0.05 * np.sin(7 * th + 0.4)
        + 0.025 * np.sin(13 * th + 2.0)
    )
    notch = np.angle(np.exp(1j * (th - 2.4)))
    radius *= 1.0 - 0.2 * np.exp(-0.5 * (notch / 0.12) ** 2)
    edge_noise = _smooth_noise(rng, size, (24,)) - 0.5
    radius *= 1.0 + 0.06 * edge_noise
    alpha = np.clip((radius - r) / 4.0 + 0.5, 0.0, 1.0)
    depth = np.clip(r / radius, 0.0, 1.0)  # 0 at the centre, 1 at the border

    # pigment: light-brown base, darker brown and black zones placed off-centre (to the
    # upper left), a reddish zone at the lower right, dark globules, fine mottling
    n_dark = _smooth_noise(rng, size, (6, 13))
    n_black = _smooth_noise(rng, size, (7, 15))
    n_red = _smooth_noise(rng, size, (6, 12))
    mottle = _smooth_noise(rng, size, (60,)) - 0.5
    colour = np.empty_like(skin)
    colour[...] = (168.0, 112.0, 76.0)

    def blend(weight: np.ndarray, rgb: tuple[float, float, float]) -> None:
        w = np.clip(weight, 0.0, 1.0)[..., None]
        colour[...] = colour * (1.0 - w) + np.array(rgb, dtype=np.float32) * w

    black_zone = np.exp(-0.5 * ((xx - (cx - 38.0)) ** 2 + (yy - (cy - 12.0)) ** 2) / 38.0**2)
    lower_right = np.clip((dx + dy) / (1.4 * r0), 0.0, 1.0)
    blend((0.25 + 1.1 * n_dark) * (1.0 - depth**2), (96.0, 58.0, 38.0))
    blend(black_zone * (0.35 + 1.0 * n_black) * (1.0 - depth**4), (34.0, 26.0, 26.0))
    blend(lower_right * depth * (0.3 + 0.9 * n_red), (188.0, 98.0, 92.0))
    for _ in range(18):
        angle = rng.uniform(-math.pi, math.pi)
        dist = rng.uniform(0.15, 0.8) * r0
        gx, gy = cx + dist * math.cos(angle), cy + dist * math.sin(angle)
        spread = rng.uniform(6.0, 16.0)
        dot = np.exp(-0.5 * ((xx - gx) ** 2 + (yy - gy) ** 2) / spread)
        blend(dot * 0.75, (48.0, 32.0, 28.0))
    colour *= (1.0 + 0.18 * mottle)[..., None]
    colour += rng.normal(0.0, 3.0, size=colour.shape).astype(np.float32)

    photo = skin * (1.0 - alpha[..., None]) + colour * alpha[..., None]
    photo_img = Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8))
    photo_img = photo_img.filter(ImageFilter.GaussianBlur(radius=1.0))

    img = Image.new("RGB", (size, size + ruler_h), (243, 241, 234))
    img.paste(photo_img, (0, 0))
    draw = ImageDraw.Draw(img)
    ink = (30, 30, 30)
    x0, top, n_mm = 20, size + 4, 21
    draw.line([(x0, top), (x0 + n_mm * px_mm, top)], fill=ink, width=2)
    font = _font(14)
    for mm in range(n_mm + 1):
        x = x0 + mm * px_mm
        length = 22 if mm % 5 == 0 else 11
        draw.line([(x, top), (x, top + length)], fill=ink, width=2 if mm % 5 == 0 else 1)
        if mm % 5 == 0:
            draw.text((x - 4, top + 26), str(mm), fill=ink, font=font)
    draw.text((x0 + n_mm * px_mm + 10, top + 26), "mm", fill=ink, font=font)
    img.save(path, format="PNG")


_GENERATORS = {"ecg_strip": _draw_ecg_strip, "skin_lesion": _draw_skin_lesion}


def _write_images(folder: Path) -> tuple[Path, ...]:
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, spec in content.IMAGES.items():
        target = folder / name
        if spec["kind"] == "pydicom":
            source = get_testdata_file(spec["source"], download=False)
            if source is None:  # pragma: no cover - pydicom always bundles these two
                raise FileNotFoundError(f"pydicom test file {spec['source']} not found")
            shutil.copyfile(source, target)
        else:
            _GENERATORS[spec["source"]](target)
        written.append(target)
    return tuple(written)


# --------------------------------------------------------------------------- write


def _write_jsonl(path: Path, records: Iterable[Mapping[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_demo_files(folder: Path) -> DemoFiles:
    """Write cases.jsonl, outputs.jsonl, answer_key.jsonl and images/ into ``folder``
    (created if needed; files of the same names are overwritten)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    images = _write_images(folder / IMAGES_DIR)
    cases = build_cases()
    outputs, answer_key = build_answer_key_and_outputs()
    cases_path = folder / CASES_FILE
    outputs_path = folder / OUTPUTS_FILE
    key_path = folder / ANSWER_KEY_FILE
    _write_jsonl(cases_path, cases)
    _write_jsonl(outputs_path, outputs)
    _write_jsonl(key_path, answer_key)
    return DemoFiles(
        folder=folder,
        cases=cases_path,
        outputs=outputs_path,
        answer_key=key_path,
        images=images,
        n_groups=len(content.GROUPS),
        n_cases=len(cases),
        n_outputs=len(outputs),
        languages=content.LANGUAGE_CODES,
        models=tuple(model["name"] for model in content.MODELS),
    )
