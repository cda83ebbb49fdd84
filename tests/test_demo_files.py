"""The bundled demo study: counts, scripts, images, determinism and model profiles."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pydicom
import pytest
from PIL import Image

from medeval_ui.demo import content
from medeval_ui.demo.files import DemoFiles, write_demo_files

QUALITIES = {"correct", "subtly_wrong", "harmful", "wrong_language", "refusal"}
ARABIC = (0x0600, 0x06FF)
DEVANAGARI = (0x0900, 0x097F)
CJK = (0x4E00, 0x9FFF)
SCRIPT_OF = {"ar": ARABIC, "hi": DEVANAGARI, "zh-Hans": CJK}
NON_LATIN = (ARABIC, DEVANAGARI, CJK)
MODEL_NAMES = [m["name"] for m in content.MODELS]
MODEL_1, MODEL_2, MODEL_3 = MODEL_NAMES


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _in_block(ch: str, block: tuple[int, int]) -> bool:
    return block[0] <= ord(ch) <= block[1]


def _share_in_script(text: str, block: tuple[int, int]) -> float:
    """Share of the text's letters in ``block``, counting each run of ASCII letters (a
    unit such as mg/kg, an abbreviation such as INR) as a single letter."""
    latin_words = len(re.findall(r"[A-Za-z]+", text))
    in_block = sum(_in_block(ch, block) for ch in text if ch.isalpha())
    assert in_block + latin_words, text
    return in_block / (in_block + latin_words)


def _lang(case_id: str) -> str:
    for code in content.LANGUAGE_CODES:
        if case_id.endswith(f"-{code}"):
            return code
    raise AssertionError(case_id)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoFiles:
    return write_demo_files(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def cases(demo: DemoFiles) -> list[dict[str, Any]]:
    return _read_jsonl(demo.cases)


@pytest.fixture(scope="module")
def outputs(demo: DemoFiles) -> list[dict[str, Any]]:
    return _read_jsonl(demo.outputs)


@pytest.fixture(scope="module")
def key(demo: DemoFiles) -> list[dict[str, Any]]:
    return _read_jsonl(demo.answer_key)


# ------------------------------------------------------------------------- counts


def test_languages_include_pivot_rtl_and_non_latin_scripts(
    demo: DemoFiles, cases: list[dict[str, Any]]
) -> None:
    langs = {c["language"] for c in cases}
    assert len(langs) >= 5
    assert {"en", "es", "ar", "hi"} <= langs
    assert any(lang.split("-")[0] == "zh" for lang in langs)
    assert set(demo.languages) == langs
    rtl = {lang["code"] for lang in content.LANGUAGES if lang["direction"] == "rtl"}
    assert "ar" in rtl


def test_every_group_is_complete_in_every_language(
    demo: DemoFiles, cases: list[dict[str, Any]]
) -> None:
    by_group: dict[str, set[str]] = defaultdict(set)
    for case in cases:
        by_group[case["group_id"]].add(case["language"])
        assert case["external_id"] == f"{case['group_id']}-{case['language']}"
        for field in ("prompt", "reference_answer", "specialty", "modality", "difficulty"):
            assert isinstance(case[field], str) and case[field].strip(), (case, field)
    assert len(by_group) >= 22
    assert demo.n_groups == len(by_group)
    assert all(langs == set(demo.languages) for langs in by_group.values())
    assert len({c["external_id"] for c in cases}) == len(cases) == demo.n_cases
    assert len(cases) == len(by_group) * len(demo.languages)
    assert len({c["specialty"] for c in cases}) >= 8


def test_content_blocks_are_filled_for_every_language() -> None:
    for group in content.GROUPS:
        assert set(group["text"]) == set(content.LANGUAGE_CODES), group["group_id"]
        for lang, block in group["text"].items():
            assert set(block) == {"prompt", "reference", "correct", "subtle", "harmful"}
            assert len(block["correct"]) == 2 and all(s.strip() for s in block["correct"])
            assert block["subtle"].strip() and block["harmful"].strip()
            answers = {" ".join(block["correct"]), block["subtle"], block["harmful"]}
            assert len(answers) == 3, (group["group_id"], lang)


def test_three_models_two_samples_for_every_case(
    demo: DemoFiles, cases: list[dict[str, Any]], outputs: list[dict[str, Any]]
) -> None:
    assert len(outputs) == demo.n_outputs == len(cases) * 3 * 2
    expected = {(m, s) for m in MODEL_NAMES for s in (0, 1)}
    seen: dict[str, set[tuple[str, int]]] = defaultdict(set)
    versions: dict[str, set[str]] = defaultdict(set)
    for out in outputs:
        seen[out["case_id"]].add((out["model"], out["sample"]))
        versions[out["model"]].add(out["model_version"])
        assert out["text"].strip()
        assert isinstance(out["params"], dict) and "temperature" in out["params"]
    assert set(seen) == {c["external_id"] for c in cases}
    assert all(pairs == expected for pairs in seen.values())
    assert all(len(v) == 1 for v in versions.values())
    assert set(demo.models) == set(MODEL_NAMES)


def test_outputs_carry_no_quality_label(
    outputs: list[dict[str, Any]], key: list[dict[str, Any]]
) -> None:
    for out in outputs:
        assert set(out) == {"case_id", "model", "model_version", "sample", "text", "params"}
        assert not QUALITIES & set(out["params"])
        assert "quality" not in out["params"]
    assert [(o["case_id"], o["model"], o["sample"]) for o in outputs] == [
        (k["case_id"], k["model"], k["sample"]) for k in key
    ]


# ------------------------------------------------------------------------- images


def test_images_exist_are_referenced_and_shared_by_a_group(
    demo: DemoFiles, cases: list[dict[str, Any]]
) -> None:
    root = demo.cases.parent
    referenced: set[str] = set()
    per_group: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    modality_of: dict[str, str] = {}
    for case in cases:
        per_group[case["group_id"]].add(tuple(case["images"]))
        for rel in case["images"]:
            assert rel.startswith("images/")
            assert (root / rel).is_file(), rel
            referenced.add(rel)
            modality_of[rel] = case["modality"]
    assert all(len(sets) == 1 for sets in per_group.values())
    assert sum(1 for sets in per_group.values() if next(iter(sets))) >= 4
    on_disk = {f"images/{p.name}" for p in (root / "images").iterdir()}
    assert on_disk == referenced == {f"images/{p.name}" for p in demo.images}

    dicoms = [rel for rel in referenced if rel.endswith(".dcm")]
    pngs = [rel for rel in referenced if rel.endswith(".png")]
    assert pngs, "at least one generated image"
    found = set()
    for rel in dicoms:
        ds = pydicom.dcmread(root / rel)
        found.add(ds.Modality)
        assert modality_of[rel] == ds.Modality.lower()
    assert {"CT", "MR"} <= found
    for rel in pngs:
        with Image.open(root / rel) as img:
            assert img.format == "PNG" and img.width >= 400 and img.height >= 150


def test_no_model_name_in_image_names_or_case_text(
    demo: DemoFiles, cases: list[dict[str, Any]], outputs: list[dict[str, Any]]
) -> None:
    needles = {n.lower() for n in MODEL_NAMES} | {n.split("-")[0].lower() for n in MODEL_NAMES}
    for path in demo.images:
        assert not any(n in path.name.lower() for n in needles), path.name
    for case in cases:
        blob = " ".join([case["prompt"], case["reference_answer"], *case["images"]]).lower()
        assert not any(n in blob for n in needles), case["external_id"]
    for out in outputs:
        assert not any(n in out["text"].lower() for n in needles)


# ------------------------------------------------------------------------ scripts


def test_non_latin_languages_are_written_in_their_script(
    cases: list[dict[str, Any]], outputs: list[dict[str, Any]], key: list[dict[str, Any]]
) -> None:
    for case in cases:
        block = SCRIPT_OF.get(case["language"])
        if block is None:
            continue
        for field in ("prompt", "reference_answer"):
            assert _share_in_script(case[field], block) > 0.6, (case["external_id"], field)
    checked = Counter()
    for out, k in zip(outputs, key, strict=True):
        lang = _lang(out["case_id"])
        if lang in SCRIPT_OF and k["quality"] != "wrong_language":
            assert k["text_language"] == lang
            assert _share_in_script(out["text"], SCRIPT_OF[lang]) > 0.6, out
            checked[lang] += 1
    assert set(checked) == set(SCRIPT_OF)


def test_wrong_language_outputs_are_english_in_latin_script(
    outputs: list[dict[str, Any]], key: list[dict[str, Any]]
) -> None:
    wrong = [(o, k) for o, k in zip(outputs, key, strict=True) if k["quality"] == "wrong_language"]
    assert wrong
    groups = {g["group_id"]: g for g in content.GROUPS}
    for out, k in wrong:
        lang = _lang(out["case_id"])
        assert lang != "en"
        assert k["text_language"] == "en"
        text = out["text"]
        assert not any(_in_block(ch, block) for ch in text for block in NON_LATIN)
        letters = [ch for ch in text if ch.isalpha()]
        assert all(ch.isascii() for ch in letters), text
        group_id = out["case_id"][: -len(lang) - 1]
        assert groups[group_id]["text"]["en"]["correct"][0] in text


def test_refusals_use_the_case_language(
    outputs: list[dict[str, Any]], key: list[dict[str, Any]]
) -> None:
    refusals = [(o, k) for o, k in zip(outputs, key, strict=True) if k["quality"] == "refusal"]
    assert len(refusals) >= 5
    for out, _ in refusals:
        assert out["text"] in content.REFUSALS[_lang(out["case_id"])]


# -------------------------------------------------------------------- determinism


def test_two_writes_are_byte_identical(tmp_path: Path) -> None:
    first = write_demo_files(tmp_path / "a")
    second = write_demo_files(tmp_path / "b")
    files_a = sorted(p.relative_to(first.folder) for p in first.folder.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(second.folder) for p in second.folder.rglob("*") if p.is_file())
    assert files_a == files_b
    assert {str(p) for p in files_a} >= {"cases.jsonl", "outputs.jsonl", "answer_key.jsonl"}
    for rel in files_a:
        assert (first.folder / rel).read_bytes() == (second.folder / rel).read_bytes(), rel


# ----------------------------------------------------------------- model profiles


def _by_model(key: list[dict[str, Any]]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for k in key:
        assert k["quality"] in QUALITIES
        counts[k["model"]][k["quality"]] += 1
    return counts


def _rate(key: list[dict[str, Any]], model: str, quality: str, langs: set[str]) -> float:
    rows = [k for k in key if k["model"] == model and _lang(k["case_id"]) in langs]
    return sum(k["quality"] == quality for k in rows) / len(rows)


def test_every_quality_appears_for_the_model_meant_to_show_it(key: list[dict[str, Any]]) -> None:
    counts = _by_model(key)
    assert counts[MODEL_1]["correct"] >= 3 and counts[MODEL_1]["subtly_wrong"] >= 3
    for quality in ("correct", "subtly_wrong", "refusal"):
        assert counts[MODEL_2][quality] >= 3, quality
    for quality in QUALITIES:
        assert counts[MODEL_3][quality] >= 3, quality


def test_model_1_is_mostly_correct_and_less_complete_in_arabic_and_hindi(
    key: list[dict[str, Any]],
) -> None:
    counts = _by_model(key)[MODEL_1]
    assert counts["harmful"] == counts["wrong_language"] == 0
    assert counts["correct"] / sum(counts.values()) >= 0.85

    def complete_rate(langs: set[str]) -> float:
        rows = [
            k
            for k in key
            if k["model"] == MODEL_1 and k["quality"] == "correct" and _lang(k["case_id"]) in langs
        ]
        return sum(bool(k["complete"]) for k in rows) / len(rows)

    assert complete_rate({"ar", "hi"}) + 0.2 < complete_rate({"en", "es", "fr", "zh-Hans"})


def test_model_2_is_right_in_english_and_subtly_wrong_elsewhere(key: list[dict[str, Any]]) -> None:
    counts = _by_model(key)[MODEL_2]
    assert counts["harmful"] == counts["wrong_language"] == 0
    others = set(content.LANGUAGE_CODES) - {"en"}
    assert _rate(key, MODEL_2, "correct", {"en"}) >= 0.8
    wrong_en = _rate(key, MODEL_2, "subtly_wrong", {"en"})
    assert _rate(key, MODEL_2, "subtly_wrong", others) >= wrong_en + 0.2
    quality: dict[tuple[str, int], str] = {
        (k["case_id"], k["sample"]): k["quality"] for k in key if k["model"] == MODEL_2
    }
    case_ids = {case_id for case_id, _ in quality}
    disagreements = [c for c in case_ids if quality[(c, 0)] != quality[(c, 1)]]
    assert len(disagreements) >= 10


def test_model_3_is_sometimes_harmful_and_answers_in_the_wrong_language(
    key: list[dict[str, Any]], outputs: list[dict[str, Any]]
) -> None:
    counts = _by_model(key)[MODEL_3]
    assert counts["harmful"] >= 10
    assert counts["wrong_language"] >= 10
    harmful_groups = {
        k["case_id"].split("-")[0]
        for k in key
        if k["model"] == MODEL_3 and k["quality"] == "harmful"
    }
    assert {"g01", "g02"} & harmful_groups  # red-flag chest pain or stopping warfarin
    for model in (MODEL_1, MODEL_2):
        assert not any(k["model"] == model and k["quality"] == "harmful" for k in key)


def test_some_answers_are_markdown_lists(
    outputs: list[dict[str, Any]], key: list[dict[str, Any]]
) -> None:
    markdown = [o for o, k in zip(outputs, key, strict=True) if k["format"] == "markdown"]
    assert len(markdown) >= 5
    assert all("\n- " in o["text"] and "**" in o["text"] for o in markdown)
