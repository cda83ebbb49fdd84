"""Tiny transformers models built on the spot, for generation tests and the benchmark.

No model hub is reachable, so each builder makes a tokenizer locally (byte-level BPE, so
any language's text encodes), a randomly initialised model of a few layers, and saves
both with ``save_pretrained``: the code under test loads them through the real
``from_pretrained`` path. Weights are seeded, so a folder built twice is the same model.
Each one builds and loads in well under a second.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

EOS, PAD = "<|endoftext|>", "<|pad|>"
IMAGE = "<image>"
SPECIAL = [EOS, PAD, "<|user|>", "<|assistant|>", "<|system|>", IMAGE]  # ids 0..5
IMAGE_SIZE, PATCH = 32, 8

# Each turn: <|role|>content<|endoftext|>; images become <image> where they stand.
CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>"
    "{% if m['content'] is string %}{{ m['content'] }}"
    "{% else %}{% for c in m['content'] %}"
    "{% if c['type'] == 'image' %}<image>{% else %}{{ c['text'] }}{% endif %}"
    "{% endfor %}{% endif %}<|endoftext|>{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)

CORPUS = [
    "A patient has had chest pain for an hour. Call an ambulance and give aspirin.",
    "Fever and cough for three days: check oxygen saturation, consider pneumonia.",
    "Answer in English. Answer in Arabic. Answer in Spanish. Answer in Chinese.",
    "مريض يعاني من ألم في الصدر منذ ساعة. اتصل بالإسعاف.",
    "Paciente con fiebre y tos durante tres días. ¿Qué hacer?",
    "患者胸痛一小时。请叫救护车。",
    "The radiograph shows a consolidation in the right lower lobe.",
]


def build_tokenizer(vocab_size: int = 400) -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(CORPUS * 4, trainer=trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, eos_token=EOS, pad_token=PAD, extra_special_tokens={"image": IMAGE}
    )
    fast.chat_template = CHAT_TEMPLATE
    return fast


def _llama_config(vocab_size: int, **changes: Any) -> Any:
    from transformers import LlamaConfig

    values: dict[str, Any] = {
        "vocab_size": vocab_size,
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "max_position_embeddings": 1024,
        "bos_token_id": None,
        "eos_token_id": 0,
        "pad_token_id": 1,
        # wide initial weights: peaked next-token distributions, so greedy is well defined
        "initializer_range": 0.3,
        "tie_word_embeddings": False,
    }
    values.update(changes)
    return LlamaConfig(**values)


def build_text_model(folder: Path, *, seed: int = 0, silent: bool = False) -> Path:
    """A 2-layer Llama causal LM with a chat template. ``silent``: its output layer is
    zero, so every logit ties and greedy decoding picks token 0, the end of text: a model
    that answers nothing."""
    import torch
    from transformers import GenerationConfig, LlamaForCausalLM

    tok = build_tokenizer()
    torch.manual_seed(seed)
    model = LlamaForCausalLM(_llama_config(len(tok)))
    if silent:
        with torch.no_grad():
            model.lm_head.weight.zero_()
    model.generation_config = GenerationConfig(eos_token_id=0, pad_token_id=1)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    tok.save_pretrained(folder)
    return folder


def build_vision_model(folder: Path, *, seed: int = 0) -> Path:
    """A tiny LLaVA (1-layer CLIP vision tower on 32x32 images, 2-layer Llama) with its
    processor: an image-text-to-text model."""
    import torch
    from transformers import (
        CLIPImageProcessorPil,
        CLIPVisionConfig,
        GenerationConfig,
        LlavaConfig,
        LlavaForConditionalGeneration,
        LlavaProcessor,
    )

    tok = build_tokenizer()
    vision = CLIPVisionConfig(
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=1,
        num_attention_heads=4,
        image_size=IMAGE_SIZE,
        patch_size=PATCH,
        projection_dim=32,
    )
    config = LlavaConfig(
        vision_config=vision,
        text_config=_llama_config(len(tok)),
        image_token_index=tok.convert_tokens_to_ids(IMAGE),
        vision_feature_layer=-1,
        vision_feature_select_strategy="default",
        projector_hidden_act="gelu",
    )
    torch.manual_seed(seed)
    model = LlavaForConditionalGeneration(config)
    model.generation_config = GenerationConfig(eos_token_id=0, pad_token_id=1)
    processor = LlavaProcessor(
        image_processor=CLIPImageProcessorPil(
            size={"shortest_edge": IMAGE_SIZE},
            crop_size={"height": IMAGE_SIZE, "width": IMAGE_SIZE},
        ),
        tokenizer=tok,
        patch_size=PATCH,
        vision_feature_select_strategy="default",
        num_additional_image_tokens=1,  # CLIP's class token, which "default" drops again
        chat_template=CHAT_TEMPLATE,
    )
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    processor.save_pretrained(folder)
    return folder


def build_classifier(folder: Path) -> Path:
    """A tiny BERT sequence classifier: a transformers model that does not generate text."""
    from transformers import BertConfig, BertForSequenceClassification

    config = BertConfig(
        vocab_size=100,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=1,
        num_attention_heads=4,
    )
    BertForSequenceClassification(config).save_pretrained(folder)
    return folder


# --- a study to generate for -------------------------------------------------------------

PROMPTS = {
    "en": "A man of 60 has had chest pain for an hour. What should he do?",
    "ar": "رجل عمره ٦٠ عامًا يعاني من ألم في الصدر منذ ساعة. ماذا يفعل؟",
    "zh-Hans": "一名60岁男子胸痛一小时。他该怎么办？",
}


def write_png(path: Path, colour: tuple[int, int, int], size: tuple[int, int] = (48, 40)) -> Path:
    from PIL import Image

    Image.new("RGB", size, colour).save(path)
    return path


def make_generation_study(
    db: Any,
    settings: Any,
    folder: Path,
    *,
    slug: str = "gen",
    images: bool = False,
    modes: tuple[str, ...] = ("rating",),
) -> list[str]:
    """A study with one case per language of PROMPTS and no outputs; with ``images``,
    two more cases with the English prompt and an X-ray-like image each (``img-red``,
    ``img-blue``). Returns the external ids in import order."""
    from medeval_ui.services import studies
    from medeval_ui.services.import_cases import import_cases
    from tests.helpers import write_jsonl

    studies.create_study(db, slug, "Generation", "xlingeval_correctness", modes=modes)
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[dict[str, Any]] = [
        {"external_id": f"q1-{lang}", "group_id": "q1", "language": lang, "prompt": text}
        for lang, text in PROMPTS.items()
    ]
    if images:
        for name, colour in (("red", (220, 30, 30)), ("blue", (20, 40, 230))):
            write_png(folder / f"{name}.png", colour)
            cases.append(
                {
                    "external_id": f"img-{name}",
                    "group_id": f"img-{name}",
                    "language": "en",
                    "prompt": PROMPTS["en"],
                    "modality": "XR",
                    "images": [f"{name}.png"],
                }
            )
    import_cases(db, settings, slug, write_jsonl(folder / f"{slug}-cases.jsonl", cases))
    return [c["external_id"] for c in cases]


# --- shared by the generation tests ---------------------------------------------------

_BUILT: dict[str, Path] = {}


def one_thread() -> None:
    """Models this small run fastest on one CPU thread: with several, torch's threads spin
    waiting for each other, and on a shared machine a 32-wide matmul then takes ms."""
    import torch

    torch.set_num_threads(1)


def session_model(kind: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test session's tiny ``text`` or ``vision`` model, built on first use (each
    test module's session fixture calls this, so the models are built once)."""
    if kind not in _BUILT:
        one_thread()
        folder = tmp_path_factory.mktemp("models")
        build = build_text_model if kind == "text" else build_vision_model
        _BUILT[kind] = build(folder / ("tiny-llama" if kind == "text" else "tiny-llava"))
    return _BUILT[kind]


def local_spec(model: Path, **changes: Any) -> Any:
    """A GeneratorSpec for a tiny local model on CPU: short answers, batches of 4."""
    from medeval_ui.generation.spec import GeneratorSpec
    from medeval_ui.generation.types import SamplingSettings

    sampling = SamplingSettings(
        temperature=changes.pop("temperature", 0.7),
        top_p=changes.pop("top_p", 1.0),
        max_new_tokens=changes.pop("max_new_tokens", 12),
        seed=changes.pop("seed", 0),
    )
    values: dict[str, Any] = {"model": str(model), "device": "cpu", "batch_size": 4}
    values.update(changes)
    return GeneratorSpec(sampling=sampling, **values)


def stored_outputs(db: Any, slug: str) -> dict[tuple[str, str, int], dict[str, Any]]:
    """(case external id, model name, sample) -> the stored output's columns."""
    from sqlalchemy import select

    from medeval_ui.storage.tables import Case, Model, Output, Study

    with db.read() as session:
        rows = session.execute(
            select(
                Case.external_id,
                Model.name,
                Output.sample_index,
                Output.text,
                Output.params,
                Output.origin,
                Output.generation_ms,
            )
            .join(Output, Output.case_id == Case.id)
            .join(Model, Model.id == Output.model_id)
            .join(Study, Study.id == Case.study_id)
            .where(Study.slug == slug)
        ).all()
    return {
        (c, m, s): {"text": t, "params": p, "origin": o, "ms": ms} for c, m, s, t, p, o, ms in rows
    }
