"""Images attached to cases: validate, store by content hash, make a clean display PNG.

Everything that can fail happens in `prepare_image`, before a byte is written, so an import
that stops on a bad image leaves the media folder as it was. Stored names are hashes only:
an original name such as "doe_jane_1962_ct.dcm" must never reach the disk or a URL.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import warnings
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
from PIL import Image, ImageOps
from pydicom.dataset import Dataset
from pydicom.pixels import (
    apply_color_lut,
    apply_modality_lut,
    apply_voi,
    apply_windowing,
    get_decoder,
    pixel_array,
)

from medeval_ui.errors import ImageError

# (center, width) in Hounsfield units.
WINDOW_PRESETS: dict[str, tuple[float, float]] = {
    "soft_tissue": (40, 400),
    "bone": (400, 1800),
    "lung": (-600, 1500),
    "brain": (40, 80),
    "liver": (60, 160),
    "mediastinum": (50, 350),
}
# Not presets, but a viewer may ask for them by name too.
OTHER_WINDOWS = ("voi_lut", "minmax")

_EXTENSIONS = {"png": ".png", "jpeg": ".jpg", "dicom": ".dcm"}
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class ImageLimits:
    max_bytes: int = 50 * 1024 * 1024
    max_pixels: int = 50_000_000  # width * height * frames, checked before decoding


DEFAULT_LIMITS = ImageLimits()


@dataclass(frozen=True)
class StoredImage:
    sha256: str  # of the original file bytes
    kind: str  # "png" | "jpeg" | "dicom"
    display_sha256: str  # of the display PNG bytes
    width: int
    height: int
    modality: str | None  # DICOM Modality (CT, MR, ...)
    window: str | None  # preset name, "voi_lut", "minmax"; None when no windowing applied


@dataclass(frozen=True)
class PreparedImage:
    """A validated image held in memory, ready for `write_prepared`."""

    original: bytes = field(repr=False)
    display_png: bytes = field(repr=False)
    meta: StoredImage


def sniff_kind(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[128:132] == b"DICM":
        return "dicom"
    return None


def read_image_file(path: Path, display_name: str, limits: ImageLimits) -> tuple[bytes, str]:
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise ImageError(
                f"{display_name}: is {_size(size)}, over the {_size(limits.max_bytes)} limit"
            )
        with path.open("rb") as f:
            data = f.read(limits.max_bytes + 1)  # +1: the file may have grown since stat
    except OSError as e:
        raise ImageError(f"{display_name}: cannot be read ({e.strerror or e})") from e
    if len(data) > limits.max_bytes:
        raise ImageError(f"{display_name}: is over the {_size(limits.max_bytes)} limit")
    if not data:
        raise ImageError(f"{display_name}: is empty")
    kind = sniff_kind(data)
    if kind is not None:
        return data, kind
    if path.suffix.lower() == ".dcm" or display_name.lower().endswith(".dcm"):
        raise ImageError(_headerless_dicom_message(data, display_name))
    raise ImageError(f"{display_name}: is not a PNG, JPEG or DICOM image (contents not recognised)")


def render_display_png(
    data: bytes, kind: str, display_name: str, limits: ImageLimits, window: str | None = None
) -> tuple[bytes, int, int, str | None, str | None]:
    """Return (png_bytes, width, height, modality, window_used) for an image's display copy."""
    if window is not None and window not in WINDOW_PRESETS and window not in OTHER_WINDOWS:
        names = ", ".join([*WINDOW_PRESETS, *OTHER_WINDOWS])
        raise ImageError(f"{display_name}: unknown window '{window}'; choose one of: {names}")
    modality: str | None = None
    used: str | None = None
    if kind == "dicom":
        pixels, modality, used = _render_dicom(data, display_name, limits, window)
    elif kind in ("png", "jpeg"):
        pixels = _decode_raster(data, kind, display_name, limits)
    else:
        raise ImageError(f"{display_name}: unsupported image kind '{kind}'")
    # A fresh image has an empty info dict, so no text, EXIF or ICC chunk can follow along.
    clean = Image.fromarray(np.ascontiguousarray(pixels))
    buf = BytesIO()
    clean.save(buf, format="PNG")
    return buf.getvalue(), clean.width, clean.height, modality, used


def prepare_image(
    path: Path, display_name: str, limits: ImageLimits = DEFAULT_LIMITS
) -> PreparedImage:
    data, kind = read_image_file(path, display_name, limits)
    png, width, height, modality, window = render_display_png(data, kind, display_name, limits)
    meta = StoredImage(
        sha256=hashlib.sha256(data).hexdigest(),
        kind=kind,
        display_sha256=hashlib.sha256(png).hexdigest(),
        width=width,
        height=height,
        modality=modality,
        window=window,
    )
    return PreparedImage(original=data, display_png=png, meta=meta)


def write_prepared(prepared: PreparedImage, media_dir: Path) -> StoredImage:
    meta = prepared.meta
    _write_once(original_path(media_dir, meta.sha256, meta.kind), prepared.original)
    _write_once(display_path(media_dir, meta.display_sha256), prepared.display_png)
    return meta


def store_image(
    path: Path, media_dir: Path, display_name: str, limits: ImageLimits = DEFAULT_LIMITS
) -> StoredImage:
    return write_prepared(prepare_image(path, display_name, limits), media_dir)


def display_path(media_dir: Path, display_sha256: str) -> Path:
    _check_sha(display_sha256)
    return media_dir / "display" / display_sha256[:2] / f"{display_sha256}.png"


def original_path(media_dir: Path, sha256: str, kind: str) -> Path:
    _check_sha(sha256)
    if kind not in _EXTENSIONS:
        raise ValueError(f"unknown image kind {kind!r}")
    return media_dir / "original" / sha256[:2] / f"{sha256}{_EXTENSIONS[kind]}"


def render_window(
    media_dir: Path, sha256: str, kind: str, window: str, limits: ImageLimits = DEFAULT_LIMITS
) -> bytes:
    """PNG of a stored original under another window; non-DICOM images get their display copy.

    Rendering is deterministic, so re-rendering a non-DICOM original gives the stored display
    bytes without needing to know their hash.
    """
    name = f"image {sha256[:12]}"
    try:
        data = original_path(media_dir, sha256, kind).read_bytes()
    except FileNotFoundError as e:
        raise ImageError(f"{name}: the stored original is missing") from e
    chosen = window if kind == "dicom" else None
    return render_display_png(data, kind, name, limits, chosen)[0]


def _render_dicom(
    data: bytes, name: str, limits: ImageLimits, window: str | None
) -> tuple[np.ndarray, str | None, str | None]:
    try:
        ds = pydicom.dcmread(BytesIO(data))
    except Exception as e:
        raise ImageError(f"{name}: is not a readable DICOM file ({_one_line(e)})") from e
    modality = str(ds.get("Modality") or "").strip() or None
    if not any(k in ds for k in ("PixelData", "FloatPixelData", "DoubleFloatPixelData")):
        # A header cut short also ends up here: pydicom stops quietly at the end of the data.
        raise ImageError(
            f"{name}: contains no image (no pixel data); it is truncated, "
            "or not an image (e.g. a report or a structure set)"
        )
    syntax = ds.file_meta.get("TransferSyntaxUID")
    if syntax is None:
        raise ImageError(f"{name}: has no transfer syntax in its header, so it cannot be decoded")
    try:
        decodable = get_decoder(syntax).is_available
    except NotImplementedError:
        decodable = False
    if not decodable:
        raise ImageError(
            f"{name}: uses '{syntax.name}' encoding, which this server cannot decode; "
            "export it uncompressed or as baseline JPEG"
        )
    frames = max(_as_int(ds.get("NumberOfFrames"), 1), 1)
    _check_pixels(_as_int(ds.get("Rows"), 0) * _as_int(ds.get("Columns"), 0) * frames, name, limits)
    try:
        arr = pixel_array(ds, index=frames // 2)  # one frame decoded: the middle of a series
    except Exception as e:
        raise ImageError(
            f"{name}: pixel data cannot be decoded; the file is truncated, corrupt "
            f"or of an unsupported variant ({_one_line(e)})"
        ) from e

    photometric = str(ds.get("PhotometricInterpretation", "")).strip().upper()
    try:
        if photometric == "PALETTE COLOR":
            rgb = apply_color_lut(arr, ds)
            return _scale_bits(rgb, rgb.dtype.itemsize * 8), modality, None
        if _as_int(ds.get("SamplesPerPixel"), 1) > 1:  # pixel_array has already made YBR into RGB
            return _scale_bits(arr, _as_int(ds.get("BitsStored"), 8)), modality, None
        grey, used = _window_grey(arr, ds, modality, window, name)
    except ImageError:
        raise
    except Exception as e:
        raise ImageError(f"{name}: pixel values cannot be displayed ({_one_line(e)})") from e
    if photometric == "MONOCHROME1":  # low values are white
        grey = 1.0 - grey
    return _to_uint8(grey * 255), modality, used


def _window_grey(
    arr: np.ndarray, ds: Dataset, modality: str | None, window: str | None, name: str
) -> tuple[np.ndarray, str]:
    """Greyscale scaled to 0..1 and the name of the window that did it."""
    values = np.asarray(apply_modality_lut(arr, ds), dtype=np.float64)  # HU for CT
    if window in (None, "voi_lut"):
        own = _own_voi(values, ds)
        if own is not None:
            return own, "voi_lut"
        if window == "voi_lut":
            raise ImageError(f"{name}: has no window of its own (VOI LUT); choose a preset")
        window = "soft_tissue" if modality == "CT" else "minmax"
    if window == "minmax":
        low, high = float(np.nanmin(values)), float(np.nanmax(values))
    else:
        center, width = WINDOW_PRESETS[window]
        low, high = center - width / 2, center + width / 2
    return (values - low) / max(high - low, 1e-9), window


def _own_voi(values: np.ndarray, ds: Dataset) -> np.ndarray | None:
    try:
        if ds.get("VOILUTSequence"):
            bits = int(ds.VOILUTSequence[0].LUTDescriptor[2])
            out = apply_voi(np.rint(values).astype(np.int64), ds)
            return np.asarray(out, dtype=np.float64) / (2**bits - 1)
        if "WindowCenter" in ds and "WindowWidth" in ds:
            # pydicom maps onto the stored-value range; where ±inf land tells us that range.
            low, high = apply_windowing(np.array([-np.inf, np.inf]), ds)
            return (apply_windowing(values, ds) - low) / (high - low)
    except (ValueError, TypeError, IndexError, KeyError, AttributeError, NotImplementedError):
        pass  # a malformed window counts as none: the fallback still shows the image
    return None


def _decode_raster(data: bytes, kind: str, name: str, limits: ImageLimits) -> np.ndarray:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # own limit below
            with Image.open(BytesIO(data), formats=["PNG" if kind == "png" else "JPEG"]) as im:
                _check_pixels(im.width * im.height, name, limits)  # size comes from the header
                im.load()
                # Apply EXIF orientation before the EXIF is dropped, or the image turns sideways.
                return _raster_to_8bit(ImageOps.exif_transpose(im))
    except ImageError:
        raise
    except Image.DecompressionBombError as e:
        raise ImageError(f"{name}: has too many pixels to open safely") from e
    except Exception as e:
        raise ImageError(f"{name}: is truncated or corrupt ({_one_line(e)})") from e


def _raster_to_8bit(im: Image.Image) -> np.ndarray:
    if im.mode.startswith(("I", "F")):  # 16-bit greyscale PNG
        return _to_uint8(np.asarray(im, dtype=np.float64) / 257)
    if "A" in im.getbands() or "transparency" in im.info:
        # Dropping alpha would reveal whatever colour hides under transparent pixels.
        white = Image.new("RGBA", im.size, (255, 255, 255, 255))
        flat = Image.alpha_composite(white, im.convert("RGBA"))
        im = flat.convert("L" if im.mode in ("LA", "La") else "RGB")
    elif im.mode not in ("L", "RGB"):
        im = im.convert("L" if im.mode == "1" else "RGB")
    return np.asarray(im)


def _scale_bits(arr: np.ndarray, bits: int) -> np.ndarray:
    if arr.dtype == np.uint8:
        return arr
    return _to_uint8(arr.astype(np.float64) * (255 / (2**bits - 1)))


def _to_uint8(values: np.ndarray) -> np.ndarray:
    return np.clip(np.nan_to_num(values), 0, 255).round().astype(np.uint8)


def _headerless_dicom_message(data: bytes, name: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            # force=True "reads" anything; a standard tag shows it really is DICOM.
            bare = any(elem.keyword for elem in pydicom.dcmread(BytesIO(data), force=True))
        except Exception:
            bare = False
    if bare:
        return (
            f"{name}: is a DICOM dataset without the standard file header ('DICM' prefix); "
            "export it again as a standard DICOM (Part 10) file"
        )
    return f"{name}: is named .dcm but is not a readable DICOM file (no 'DICM' header)"


def _write_once(target: Path, data: bytes) -> None:
    if target.exists():
        return  # the name is the content's hash, so the bytes are already there
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)  # readers see the whole file or none of it
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _check_pixels(count: int, name: str, limits: ImageLimits) -> None:
    if count > limits.max_pixels:
        raise ImageError(f"{name}: has {count:,} pixels, over the {limits.max_pixels:,} limit")


def _check_sha(value: str) -> None:
    if not _SHA256.fullmatch(value):
        raise ImageError(f"'{value[:80]}' is not an image id")


def _as_int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _size(n: int) -> str:
    return f"{n:,} bytes" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MiB"


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split())[:300] or type(e).__name__
