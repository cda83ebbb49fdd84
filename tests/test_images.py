"""Image intake: validation before any write, clean display copies, DICOM windowing."""

from __future__ import annotations

import hashlib
from io import BytesIO
from pathlib import Path

import numpy as np
import pydicom
import pytest
from PIL import Image, PngImagePlugin
from pydicom.data import get_testdata_file
from pydicom.pixels import get_decoder

from medeval_ui.errors import ImageError
from medeval_ui.exchange.images import (
    DEFAULT_LIMITS,
    ImageLimits,
    display_path,
    original_path,
    prepare_image,
    render_display_png,
    render_window,
    store_image,
)

SECRET = "Jane Doe 1962"  # stands for identifying metadata that must not reach the display copy


def dicom(name: str) -> Path:
    path = get_testdata_file(name, download=False)
    if path is None:
        pytest.skip(f"pydicom test file {name} is not bundled")
    return Path(str(path))


def noise(size: tuple[int, int] = (40, 30)) -> Image.Image:
    rng = np.random.default_rng(0)
    return Image.fromarray(rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8))


def write_png(path: Path, size: tuple[int, int] = (40, 30)) -> Path:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET)
    noise(size).save(path, pnginfo=info)
    return path


def write_jpeg(path: Path) -> Path:
    exif = Image.Exif()
    exif[0x010E] = SECRET  # ImageDescription
    exif[0x0112] = 6  # Orientation: rotate 90°, so width and height swap on display
    noise((40, 30)).save(path, exif=exif.tobytes())
    return path


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(BytesIO(png)))


def error(path: Path, name: str, limits: ImageLimits = DEFAULT_LIMITS) -> str:
    with pytest.raises(ImageError) as err:
        prepare_image(path, name, limits)
    assert name in str(err.value)
    return str(err.value)


def assert_clean(png: bytes) -> None:
    assert SECRET.encode() not in png
    for chunk in (b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"iCCP"):
        assert chunk not in png
    im = Image.open(BytesIO(png))
    assert im.info == {} or set(im.info) <= {"dpi"}
    assert len(im.getexif()) == 0


def test_png_is_stored_with_clean_display_copy(tmp_path: Path) -> None:
    src = write_png(tmp_path / "in.png")
    stored = store_image(src, tmp_path / "media", "case 1 / scan.png")
    assert stored.kind == "png"
    assert stored.sha256 == hashlib.sha256(src.read_bytes()).hexdigest()
    assert (stored.width, stored.height, stored.modality, stored.window) == (40, 30, None, None)
    assert original_path(tmp_path / "media", stored.sha256, "png").read_bytes() == src.read_bytes()
    display = display_path(tmp_path / "media", stored.display_sha256).read_bytes()
    assert hashlib.sha256(display).hexdigest() == stored.display_sha256
    assert_clean(display)
    assert (pixels(display) == np.asarray(Image.open(src))).all()


def test_jpeg_exif_is_applied_then_stripped(tmp_path: Path) -> None:
    prepared = prepare_image(write_jpeg(tmp_path / "in.jpg"), "photo.jpg")
    assert prepared.meta.kind == "jpeg"
    assert (prepared.meta.width, prepared.meta.height) == (30, 40)
    assert_clean(prepared.display_png)


def test_ct_presets_give_different_pixels() -> None:
    data = dicom("CT_small.dcm").read_bytes()
    limits = ImageLimits()
    default, w, h, modality, window = render_display_png(data, "dicom", "ct.dcm", limits)
    assert (w, h, modality, window) == (128, 128, "CT", "soft_tissue")
    soft = render_display_png(data, "dicom", "ct.dcm", limits, "soft_tissue")
    bone = render_display_png(data, "dicom", "ct.dcm", limits, "bone")
    assert soft[0] == default and soft[4] == "soft_tissue"
    assert bone[4] == "bone"
    assert not np.array_equal(pixels(soft[0]), pixels(bone[0]))
    assert pixels(default).dtype == np.uint8 and pixels(default).ndim == 2


def test_dicom_own_window_is_used_when_present() -> None:
    prepared = prepare_image(dicom("MR_small.dcm"), "mr.dcm")
    assert (prepared.meta.modality, prepared.meta.window) == ("MR", "voi_lut")
    data = dicom("MR_small.dcm").read_bytes()
    minmax = render_display_png(data, "dicom", "mr.dcm", ImageLimits(), "minmax")[0]
    assert not np.array_equal(pixels(prepared.display_png), pixels(minmax))


def test_mr_without_window_is_scaled_min_max(tmp_path: Path) -> None:
    ds = pydicom.dcmread(dicom("MR_small.dcm"))
    del ds.WindowCenter, ds.WindowWidth
    ds.save_as(tmp_path / "mr.dcm")
    prepared = prepare_image(tmp_path / "mr.dcm", "mr.dcm")
    assert prepared.meta.window == "minmax"
    grey = pixels(prepared.display_png)
    assert (grey.min(), grey.max()) == (0, 255)

    ds.PhotometricInterpretation = "MONOCHROME1"
    ds.save_as(tmp_path / "mono1.dcm")
    inverted = pixels(prepare_image(tmp_path / "mono1.dcm", "mono1.dcm").display_png)
    assert np.abs(inverted.astype(int) + grey - 255).max() <= 1  # rounding only


def test_rgb_dicom_stays_rgb() -> None:
    path = dicom("SC_rgb_jpeg_dcmtk.dcm")
    syntax = pydicom.dcmread(path, stop_before_pixels=True).file_meta.TransferSyntaxUID
    if not get_decoder(syntax).is_available:
        pytest.skip(f"no decoder for {syntax.name} installed")
    prepared = prepare_image(path, "rgb.dcm")
    assert prepared.meta.window is None
    assert pixels(prepared.display_png).shape == (100, 100, 3)


def test_multi_frame_dicom_shows_one_frame() -> None:
    prepared = prepare_image(dicom("SC_rgb_rle_2frame.dcm"), "two frames.dcm")
    assert pixels(prepared.display_png).shape == (100, 100, 3)


def test_truncated_png_is_rejected_by_name(tmp_path: Path) -> None:
    data = write_png(tmp_path / "full.png", (200, 200)).read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    assert "truncated or corrupt" in error(tmp_path / "cut.png", "case 3 / cut.png")


def test_truncated_dicom_is_rejected_by_name(tmp_path: Path) -> None:
    assert "truncated" in error(dicom("MR_truncated.dcm"), "case 4 / mr.dcm")
    data = dicom("CT_small.dcm").read_bytes()
    (tmp_path / "header.dcm").write_bytes(data[:5000])  # cut before the pixel data starts
    assert "no pixel data" in error(tmp_path / "header.dcm", "case 4 / ct.dcm")


def test_dicom_without_pixels_is_rejected() -> None:
    assert "no pixel data" in error(dicom("rtplan.dcm"), "plan.dcm")


def test_dicom_without_file_header_is_rejected() -> None:
    # no_meta.dcm starts with a stray byte, so even a forced read finds no DICOM in it.
    assert "not a readable DICOM file" in error(dicom("no_meta.dcm"), "case 5 / old.dcm")
    message = error(dicom("ExplVR_LitEndNoMeta.dcm"), "case 5 / plan.dcm")
    assert "without the standard file header" in message


@pytest.mark.parametrize(
    ("mode", "fmt", "expected"),
    [
        ("I;16", "PNG", "L"),
        ("RGBA", "PNG", "RGB"),
        ("LA", "PNG", "L"),
        ("P", "PNG", "RGB"),
        ("1", "PNG", "L"),
        ("L", "JPEG", "L"),
        ("CMYK", "JPEG", "RGB"),
    ],
)
def test_raster_modes_become_8_bit_l_or_rgb(mode: str, fmt: str, expected: str) -> None:
    buf = BytesIO()
    Image.new(mode, (8, 6)).save(buf, fmt)
    png, width, height, _, _ = render_display_png(buf.getvalue(), fmt.lower(), "m", ImageLimits())
    assert (Image.open(BytesIO(png)).mode, width, height) == (expected, 8, 6)


def test_undecodable_transfer_syntax_is_named() -> None:
    path = dicom("JPEGLSNearLossless_08.dcm")
    syntax = pydicom.dcmread(path, stop_before_pixels=True).file_meta.TransferSyntaxUID
    if get_decoder(syntax).is_available:
        pytest.skip("a JPEG-LS decoder is installed")
    assert "cannot decode" in error(path, "ls.dcm")


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "e.png").write_bytes(b"")
    assert "is empty" in error(tmp_path / "e.png", "case 6 / empty.png")


def test_text_named_png_is_unknown(tmp_path: Path) -> None:
    (tmp_path / "t.png").write_text("not an image at all\n")
    assert "not a PNG, JPEG or DICOM" in error(tmp_path / "t.png", "notes.png")


def test_oversized_by_bytes(tmp_path: Path) -> None:
    src = write_png(tmp_path / "big.png")
    assert "over the 100 bytes limit" in error(src, "big.png", ImageLimits(max_bytes=100))


def test_oversized_by_pixels(tmp_path: Path) -> None:
    src = write_png(tmp_path / "wide.png")
    assert "1,200 pixels" in error(src, "wide.png", ImageLimits(max_pixels=1000))
    assert "16,384 pixels" in error(dicom("CT_small.dcm"), "ct.dcm", ImageLimits(max_pixels=1000))


def test_unknown_window_lists_valid_names() -> None:
    data = dicom("CT_small.dcm").read_bytes()
    with pytest.raises(ImageError) as err:
        render_display_png(data, "dicom", "ct.dcm", ImageLimits(), "bones")
    message = str(err.value)
    assert "ct.dcm" in message and "'bones'" in message
    assert "soft_tissue" in message and "lung" in message


def test_store_is_idempotent_and_names_leak_nothing(tmp_path: Path) -> None:
    media = tmp_path / "media"
    src = write_png(tmp_path / "doe_jane_1962.png")
    first = store_image(src, media, "doe_jane_1962.png")
    second = store_image(src, media, "doe_jane_1962.png")
    assert first == second
    files = sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())
    assert len(files) == 2  # one original, one display copy, no temp files left
    assert not any(part in f for f in files for part in ("doe", "jane", "1962"))


def test_bad_input_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "t.png").write_text("text")
    with pytest.raises(ImageError):
        store_image(tmp_path / "t.png", tmp_path / "media", "t.png")
    assert not (tmp_path / "media").exists()


def test_render_window(tmp_path: Path) -> None:
    media = tmp_path / "media"
    ct = store_image(dicom("CT_small.dcm"), media, "ct.dcm")
    bone = render_window(media, ct.sha256, "dicom", "bone")
    data = dicom("CT_small.dcm").read_bytes()
    assert bone == render_display_png(data, "dicom", "ct.dcm", ImageLimits(), "bone")[0]
    png = store_image(write_png(tmp_path / "p.png"), media, "p.png")
    assert (
        render_window(media, png.sha256, "png", "bone")
        == display_path(media, png.display_sha256).read_bytes()
    )
