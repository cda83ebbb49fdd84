"""Loading a local transformers model from a folder, with errors a user can act on.

The folder is what ``save_pretrained`` wrote (config.json, weights, tokenizer or
processor). Nothing is downloaded: loading is ``local_files_only`` and remote code is not
run. Which kind of model it is comes from its config: an image-text-to-text architecture
with an image processor is a vision-language model, a causal language model is a text
model, anything else (an encoder, a classifier) is refused.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medeval_ui.generation.errors import GenerationError, out_of_memory
from medeval_ui.generation.types import DEVICES, DTYPES

PROCESSOR_FILES = ("preprocessor_config.json", "processor_config.json")


@dataclass
class LoadedModel:
    model: Any
    tokenizer: Any  # the tokenizer (text) or the processor's tokenizer (vision)
    processor: Any | None  # vision models only
    architecture: str
    device: str
    dtype: str
    eos_ids: tuple[int, ...]
    pad_id: int

    @property
    def vision(self) -> bool:
        return self.processor is not None


def model_kind(path: Path) -> tuple[str, str]:
    """("text" | "vision", architecture) for a model folder, or a GenerationError."""
    if not path.exists():
        raise GenerationError(
            f"model folder {path} does not exist; give the folder that "
            "save_pretrained wrote (with config.json)"
        )
    if not path.is_dir():
        raise GenerationError(f"{path} is a file; give the model's folder (with config.json)")
    config_file = path / "config.json"
    if not config_file.is_file():
        raise GenerationError(
            f"{path} has no config.json: it is not a transformers model folder; give the "
            "folder that save_pretrained wrote"
        )
    try:
        config = json.loads(config_file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise GenerationError(f"{config_file} is not valid JSON: {err}") from None
    from transformers.models.auto import modeling_auto as auto

    causal = auto.MODEL_FOR_CAUSAL_LM_MAPPING_NAMES
    vision = auto.MODEL_FOR_IMAGE_TEXT_TO_TEXT_MAPPING_NAMES
    model_type = str(config.get("model_type", ""))
    architectures = [str(a) for a in config.get("architectures") or []]
    arch = architectures[0] if architectures else ""
    has_processor = any((path / f).is_file() for f in PROCESSOR_FILES)
    vision_classes, causal_classes = _classes(vision), _classes(causal)
    if has_processor and (arch in vision_classes or (not arch and model_type in vision)):
        return "vision", arch or vision[model_type]
    if arch in causal_classes or (not arch and model_type in causal):
        return "text", arch or causal[model_type]
    if arch in vision_classes:
        raise GenerationError(
            f"{path} holds a vision-language model ({arch}) but no image processor "
            f"({' or '.join(PROCESSOR_FILES)}); save its processor into the folder too"
        )
    raise GenerationError(
        f"{path} holds a {arch or model_type or 'model of unknown type'}, which does not "
        "generate text; give a causal language model or an image-text-to-text model"
    )


def _classes(mapping: Any) -> set[str]:
    out: set[str] = set()
    for value in mapping.values():
        out.update([value] if isinstance(value, str) else value)
    return out


def resolve_device(device: str) -> str:
    import torch

    if device not in DEVICES:
        raise GenerationError(f"--device must be one of {', '.join(DEVICES)}, not '{device}'")
    if device == "cuda" and not torch.cuda.is_available():
        raise GenerationError(
            f"--device cuda: torch {torch.__version__} sees no CUDA GPU here; use --device cpu"
        )
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return device


def resolve_dtype(dtype: str, device: str) -> str:
    import torch

    if dtype not in DTYPES:
        raise GenerationError(f"--dtype must be one of {', '.join(DTYPES)}, not '{dtype}'")
    if dtype != "auto":
        return dtype
    if device.startswith("cuda"):
        return "bfloat16" if torch.cuda.is_bf16_supported() else "float16"
    return "float32"


def load_local(path: Path, *, device: str = "auto", dtype: str = "auto") -> LoadedModel:
    kind, arch = model_kind(path)
    import torch
    import transformers

    transformers.utils.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    where = resolve_device(device)
    chosen = resolve_dtype(dtype, where)
    options: dict[str, Any] = {
        "local_files_only": True,
        "trust_remote_code": False,
        "dtype": getattr(torch, chosen),
    }
    try:
        if kind == "vision":
            processor = transformers.AutoProcessor.from_pretrained(
                path, local_files_only=True, trust_remote_code=False
            )
            tokenizer = processor.tokenizer
            model = transformers.AutoModelForImageTextToText.from_pretrained(path, **options)
        else:
            processor = None
            tokenizer = transformers.AutoTokenizer.from_pretrained(
                path, local_files_only=True, trust_remote_code=False
            )
            model = transformers.AutoModelForCausalLM.from_pretrained(path, **options)
        model = model.to(where)  # type: ignore[arg-type]  # (transformers types `to` oddly)
    except torch.OutOfMemoryError:
        raise out_of_memory("loading the model", 1, where) from None
    except (OSError, ValueError, KeyError) as err:
        raise GenerationError(f"could not load the model in {path}: {_first_line(err)}") from None
    model.eval()
    tokenizer.padding_side = "left"
    if processor is not None and not processor.chat_template and tokenizer.chat_template:
        processor.chat_template = tokenizer.chat_template
    template = getattr(processor, "chat_template", None) or tokenizer.chat_template
    if not template:
        raise GenerationError(
            f"{path} has no chat template (chat_template in tokenizer_config.json or "
            "chat_template.jinja): it is probably a base model; give an instruction-tuned "
            "(chat) model"
        )
    eos_ids, pad_id = _special_ids(model, tokenizer)
    # Decoding is ours (see sampling.py): drop the checkpoint's sampling defaults
    # (temperature, top_k, repetition_penalty ...) so every output's parameters are
    # exactly the ones stored with it.
    model.generation_config = transformers.GenerationConfig(
        eos_token_id=list(eos_ids), pad_token_id=pad_id
    )
    return LoadedModel(model, tokenizer, processor, arch, where, chosen, eos_ids, pad_id)


def _special_ids(model: Any, tokenizer: Any) -> tuple[tuple[int, ...], int]:
    eos: list[int] = []
    for source in (model.generation_config.eos_token_id, tokenizer.eos_token_id):
        if source is None:
            continue
        for token in [source] if isinstance(source, int) else source:
            if token not in eos:
                eos.append(int(token))
    if not eos:
        raise GenerationError(
            "the model defines no end-of-text token (eos_token_id in generation_config.json "
            "or the tokenizer), so it would never stop; add one"
        )
    pad = model.generation_config.pad_token_id
    if pad is None:
        pad = tokenizer.pad_token_id
    if pad is None:
        pad = eos[0]
    if tokenizer.pad_token_id is None:  # batches need one: many chat models pad with eos
        tokenizer.pad_token = tokenizer.convert_ids_to_tokens(int(pad))
    return tuple(eos), int(pad if isinstance(pad, int) else pad[0])


def _first_line(err: BaseException) -> str:
    text = str(err).strip() or type(err).__name__
    return text.splitlines()[0]
