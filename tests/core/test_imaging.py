"""imaging: real files written by OpenCV or Pillow into tmp_path, decoded through load_image."""

from __future__ import annotations

import base64
import io
import os
import struct
import zlib

import cv2
import numpy as np
import pytest
from PIL import Image, ImageOps

from dlscan_gui.core import imaging
from dlscan_gui.core.errors import ImageError
from dlscan_gui.core.imaging import (
    LoadedImage,
    apply_orientation,
    base64_size,
    decode_image,
    downscale,
    encode_jpeg,
    fit_size,
    load_image,
)


def code_of(excinfo: pytest.ExceptionInfo[ImageError]) -> str:
    return excinfo.value.code


def sample_bgr(w: int = 60, h: int = 40) -> np.ndarray:
    """A picture whose orientation is unambiguous: a red block top left, blue bottom right."""
    img = np.full((h, w, 3), 200, np.uint8)
    img[: h // 4, : w // 4] = (0, 0, 255)
    img[-h // 4 :, -w // 4 :] = (255, 0, 0)
    return img


def cv_bytes(ext: str, img: np.ndarray, params: list[int] | None = None) -> bytes:
    ok, buf = cv2.imencode(ext, img, params or [])
    assert ok
    return buf.tobytes()


def pil_bytes(img: Image.Image, fmt: str, **kw) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **kw)
    return out.getvalue()


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def sof_components(jpeg: bytes) -> tuple[int, int]:
    """(SOF marker, number of components) of a JPEG."""
    pos = 2
    while pos < len(jpeg):
        marker = jpeg[pos + 1]
        length = struct.unpack_from(">H", jpeg, pos + 2)[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return marker, jpeg[pos + 9]
        pos += 2 + length
    raise AssertionError("no SOF")


def mm_tiff(img: np.ndarray) -> bytes:
    """A big-endian ("MM") uncompressed RGB TIFF, written by hand (Pillow and OpenCV write
    little-endian only)."""
    h, w = img.shape[:2]
    pixels = img[:, :, ::-1].tobytes()
    tags = [(256, 3, w), (257, 3, h), (259, 3, 1), (262, 3, 2), (273, 4, 0), (277, 3, 3)]
    tags += [(278, 3, h), (279, 4, len(pixels))]
    ifd_size = 2 + 12 * (len(tags) + 1) + 4
    bits_at, data_at = 8 + ifd_size, 8 + ifd_size + 6
    tags.append((258, 3, bits_at))  # BitsPerSample 8,8,8 stored at an offset
    tags.sort()
    entries = b""
    for tag, typ, value in tags:
        count = 3 if tag == 258 else 1
        if typ == 3 and tag != 258:
            entries += struct.pack(">HHIHH", tag, typ, count, value, 0)
        else:
            value = data_at if tag == 273 else value
            entries += struct.pack(">HHII", tag, 4 if tag != 258 else 3, count, value)
    ifd = struct.pack(">H", len(tags)) + entries + b"\0\0\0\0"
    return b"MM\x00*" + struct.pack(">I", 8) + ifd + struct.pack(">HHH", 8, 8, 8) + pixels


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@pytest.fixture(scope="session")
def png_bomb() -> bytes:
    """A structurally valid PNG whose IHDR says 12000×12000, with an IDAT holding a zlib stream
    of zero rows: tiny on disk, 432 MB once decoded."""
    ihdr = struct.pack(">IIBBBBB", 12000, 12000, 8, 2, 0, 0, 0)
    idat = zlib.compressobj().flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


@pytest.fixture
def no_decode(monkeypatch):
    """Fail the test if anything reaches cv2.imdecode."""

    def boom(*_a, **_k):
        raise AssertionError("cv2.imdecode was reached")

    monkeypatch.setattr(imaging.cv2, "imdecode", boom)


# ---------------------------------------------------------------------------- formats
@pytest.mark.parametrize(
    ("fmt", "ext"), [("jpeg", ".jpg"), ("png", ".png"), ("bmp", ".bmp"), ("tiff", ".tiff")]
)
def test_each_accepted_format_loads(tmp_path, fmt, ext):
    img = sample_bgr()
    path = write(tmp_path, f"card{ext}", cv_bytes(ext, img, [cv2.IMWRITE_JPEG_QUALITY, 98]))
    loaded = load_image(path)
    assert loaded.format == fmt
    assert (loaded.width, loaded.height) == (60, 40)
    assert loaded.pixels.shape == (40, 60, 3) and loaded.pixels.dtype == np.uint8
    assert loaded.name == f"card{ext}"
    assert loaded.data == path.read_bytes()
    assert loaded.orientation == 1 and not loaded.source_grayscale
    if fmt == "jpeg":  # lossy: the same as OpenCV's own colour decode, colours in place
        reference = cv2.imdecode(np.frombuffer(loaded.data, np.uint8), cv2.IMREAD_COLOR)
        np.testing.assert_array_equal(loaded.pixels, reference)
        assert np.abs(loaded.pixels[2, 2].astype(int) - (0, 0, 255)).max() <= 12
        assert np.abs(loaded.pixels[-2, -2].astype(int) - (255, 0, 0)).max() <= 12
    else:
        np.testing.assert_array_equal(loaded.pixels, img)


def test_big_endian_tiff_loads(tmp_path):
    img = sample_bgr()
    data = mm_tiff(img)
    assert data[:4] == b"MM\x00*"
    loaded = load_image(write(tmp_path, "scan.tif", data))
    assert loaded.format == "tiff"
    np.testing.assert_array_equal(loaded.pixels, img)


def test_format_is_decided_by_content_not_name(tmp_path):
    img = sample_bgr()
    jpeg_as_png = load_image(write(tmp_path, "photo.png", cv_bytes(".jpg", img)))
    png_as_jpg = load_image(write(tmp_path, "scan.jpg", cv_bytes(".png", img)))
    assert jpeg_as_png.format == "jpeg"
    assert png_as_jpg.format == "png"
    np.testing.assert_array_equal(png_as_jpg.pixels, img)


def test_bytes_source_and_names(tmp_path):
    data = cv_bytes(".png", sample_bgr())
    assert load_image(data).name == ""
    assert load_image(data, name="upload").name == "upload"
    assert load_image(bytearray(data)).format == "png"
    path = write(tmp_path, "a.png", data)
    assert load_image(str(path), name="shown").name == "shown"


# ---------------------------------------------------------------------------- orientation
@pytest.mark.parametrize("orientation", [1, 2, 3, 4, 5, 6, 7, 8])
def test_exif_orientation_matches_pillow(tmp_path, orientation):
    rgb = Image.fromarray(sample_bgr()[:, :, ::-1].copy())
    exif = Image.Exif()
    exif[274] = orientation
    data = pil_bytes(rgb, "JPEG", quality=98, exif=exif)
    loaded = load_image(write(tmp_path, f"o{orientation}.jpg", data))
    expected = np.asarray(ImageOps.exif_transpose(Image.open(io.BytesIO(data))))[:, :, ::-1]
    assert loaded.orientation == orientation
    assert loaded.pixels.shape == expected.shape
    assert np.abs(loaded.pixels.astype(int) - expected).mean() < 2


@pytest.mark.parametrize(
    ("orientation", "size", "red_at", "blue_at"),
    [
        (3, (60, 40), (-2, -2), (2, 2)),  # rotated 180°
        (6, (40, 60), (2, -2), (-2, 2)),  # stored turned left: shown rotated clockwise
        (8, (40, 60), (-2, 2), (2, -2)),
    ],
)
def test_orientation_dimensions_and_placement(tmp_path, orientation, size, red_at, blue_at):
    rgb = Image.fromarray(sample_bgr()[:, :, ::-1].copy())
    exif = Image.Exif()
    exif[274] = orientation
    loaded = load_image(write(tmp_path, "o.jpg", pil_bytes(rgb, "JPEG", quality=98, exif=exif)))
    assert (loaded.width, loaded.height) == size
    assert loaded.pixels[red_at][2] > 200 and loaded.pixels[red_at][0] < 60
    assert loaded.pixels[blue_at][0] > 200 and loaded.pixels[blue_at][2] < 60


@pytest.mark.parametrize("orientation", [3, 6])
def test_tiff_orientation_applied_exactly_once(tmp_path, orientation):
    rgb = Image.fromarray(sample_bgr()[:, :, ::-1].copy())
    data = pil_bytes(rgb, "TIFF", tiffinfo={274: orientation})
    loaded = load_image(write(tmp_path, "o.tif", data))
    expected = np.asarray(ImageOps.exif_transpose(Image.open(io.BytesIO(data))))[:, :, ::-1]
    assert loaded.orientation == orientation
    np.testing.assert_array_equal(loaded.pixels, expected)


def test_png_exif_orientation(tmp_path):
    exif = Image.Exif()
    exif[274] = 6
    rgb = Image.fromarray(sample_bgr()[:, :, ::-1].copy())
    loaded = load_image(write(tmp_path, "o.png", pil_bytes(rgb, "PNG", exif=exif)))
    assert loaded.orientation == 6 and (loaded.width, loaded.height) == (40, 60)


def test_broken_exif_does_not_break_the_photo(tmp_path):
    data = cv_bytes(".jpg", sample_bgr())
    app1 = b"Exif\x00\x00II*\x00\xff\xff\xff\x00garbage"
    data = data[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + data[2:]
    loaded = load_image(data)
    assert loaded.orientation == 1 and loaded.width == 60


def test_apply_orientation_identity_and_inverse():
    img = sample_bgr()
    assert apply_orientation(img, 1) is img
    np.testing.assert_array_equal(apply_orientation(apply_orientation(img, 6), 8), img)
    np.testing.assert_array_equal(apply_orientation(apply_orientation(img, 5), 5), img)


# ---------------------------------------------------------------------------- guards
def test_png_bomb_refused_before_decoding(png_bomb, no_decode, tmp_path):
    with pytest.raises(ImageError) as exc:
        load_image(write(tmp_path, "bomb.png", png_bomb))
    assert code_of(exc) == "DLSCAN.IMAGE_TOO_LARGE"
    assert "12000×12000" in exc.value.detail


def test_png_bomb_with_garbage_idat_is_too_large_not_corrupt(png_bomb):
    # Were the decoder reached, this IDAT would make it fail (CORRUPT). TOO_LARGE proves the
    # guard answered from the header alone.
    head = png_bomb[:33]
    data = head + png_chunk(b"IDAT", b"not zlib at all" * 4) + png_chunk(b"IEND", b"")
    with pytest.raises(ImageError) as exc:
        load_image(data)
    assert code_of(exc) == "DLSCAN.IMAGE_TOO_LARGE"


def test_the_same_garbage_at_a_small_size_is_corrupt():
    ihdr = struct.pack(">IIBBBBB", 50, 50, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
    data += png_chunk(b"IDAT", b"not zlib at all" * 4) + png_chunk(b"IEND", b"")
    with pytest.raises(ImageError) as exc:
        load_image(data)
    assert code_of(exc) == "DLSCAN.IMAGE_CORRUPT"


def test_jpeg_bmp_tiff_bombs_refused_from_header(no_decode):
    jpeg = bytearray(cv_bytes(".jpg", sample_bgr()))
    sof = jpeg.find(b"\xff\xc0")
    struct.pack_into(">HH", jpeg, sof + 5, 20000, 20000)
    bmp = bytearray(cv_bytes(".bmp", sample_bgr()))
    struct.pack_into("<ii", bmp, 18, 11000, -11000)  # negative height: top-down rows
    tiff = bytearray(mm_tiff(sample_bgr()))
    tiff[8 + 2 + 8 : 8 + 2 + 10] = struct.pack(">H", 65000)  # tag 256 (width), value
    tiff[8 + 2 + 12 + 8 : 8 + 2 + 12 + 10] = struct.pack(">H", 65000)  # tag 257 (height)
    for data in (jpeg, bmp, tiff):
        with pytest.raises(ImageError) as exc:
            load_image(bytes(data))
        assert code_of(exc) == "DLSCAN.IMAGE_TOO_LARGE", data[:4]


def test_huge_file_refused_without_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.jpg"
    with open(path, "wb") as f:
        f.truncate(imaging.MAX_FILE_BYTES + 1)  # sparse: costs no disk

    def no_open(*_a, **_k):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(imaging, "open", no_open, raising=False)
    with pytest.raises(ImageError) as exc:
        load_image(path)
    assert code_of(exc) == "DLSCAN.IMAGE_TOO_LARGE"


def test_zero_bytes(tmp_path):
    with pytest.raises(ImageError) as exc:
        load_image(write(tmp_path, "empty.jpg", b""))
    assert code_of(exc) == "DLSCAN.IMAGE_EMPTY"
    with pytest.raises(ImageError) as exc:
        load_image(b"")
    assert code_of(exc) == "DLSCAN.IMAGE_EMPTY"


def test_truncated_files_are_corrupt(tmp_path):
    img = np.random.default_rng(0).integers(0, 255, (120, 160, 3), np.uint8)
    jpeg, png = cv_bytes(".jpg", img), cv_bytes(".png", img)
    bmp, tiff = cv_bytes(".bmp", img), cv_bytes(".tiff", img)
    cases = {
        "half.jpg": jpeg[: len(jpeg) // 2],
        "no_eoi.jpg": jpeg[:-2],
        "header_only.jpg": jpeg[:200],
        "half.png": png[: len(png) // 2],
        "no_iend.png": png[:-12],
        "short.bmp": bmp[:-100],
        "half.tiff": tiff[: len(tiff) // 2],
    }
    for name, data in cases.items():
        with pytest.raises(ImageError) as exc:
            load_image(write(tmp_path, name, data))
        assert code_of(exc) == "DLSCAN.IMAGE_CORRUPT", name


def test_truncation_is_found_in_the_structure_before_decoding(no_decode):
    # Some decoders pad a truncated image with grey; ours must not even get the chance.
    img = np.random.default_rng(0).integers(0, 255, (120, 160, 3), np.uint8)
    jpeg, png, bmp = cv_bytes(".jpg", img), cv_bytes(".png", img), cv_bytes(".bmp", img)
    tiff = mm_tiff(img)
    for data in (jpeg[:-2], jpeg[: len(jpeg) - 500], png[:-12], bmp[:-1], tiff[:-10]):
        with pytest.raises(ImageError) as exc:
            load_image(data)
        assert code_of(exc) == "DLSCAN.IMAGE_CORRUPT"
        assert "truncated" in exc.value.detail or "shorter" in exc.value.detail


def test_data_after_the_end_marker_is_fine():
    jpeg = cv_bytes(".jpg", sample_bgr()) + b"\x00" * 64  # some cameras append padding
    assert load_image(jpeg).width == 60


def test_undecodable_jpeg_is_corrupt():
    # Complete on the outside (SOF, SOS, EOI), but the decoder rejects it: imdecode → None.
    jpeg = bytearray(cv_bytes(".jpg", sample_bgr()))
    sof = jpeg.find(b"\xff\xc0")
    jpeg[sof + 4] = 7  # sample precision 7 bits: no JPEG decoder supports it
    with pytest.raises(ImageError) as exc:
        load_image(bytes(jpeg))
    assert code_of(exc) == "DLSCAN.IMAGE_CORRUPT"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("doc.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"),
        ("notes.txt", "驾驶证 licence number 12345\n".encode()),
        ("anim.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
        ("photo.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 24),
        ("random.jpg", bytes(np.random.default_rng(1).integers(0, 256, 4096, np.uint8))),
    ],
)
def test_other_formats_are_refused(tmp_path, name, data):
    with pytest.raises(ImageError) as exc:
        load_image(write(tmp_path, name, data))
    assert code_of(exc) == "DLSCAN.IMAGE_FORMAT"


def test_real_gif_written_by_pillow_is_refused(tmp_path):
    data = pil_bytes(Image.new("RGB", (20, 20), (255, 0, 0)), "GIF")
    with pytest.raises(ImageError) as exc:
        load_image(write(tmp_path, "x.jpg", data))
    assert code_of(exc) == "DLSCAN.IMAGE_FORMAT" and "GIF" in exc.value.detail


def test_missing_path_and_directory(tmp_path):
    with pytest.raises(ImageError) as exc:
        load_image(tmp_path / "nope.jpg")
    assert code_of(exc) == "DLSCAN.FILE_NOT_FOUND" and exc.value.detail == ""
    with pytest.raises(ImageError) as exc:
        load_image(tmp_path)
    assert code_of(exc) == "DLSCAN.NOT_A_FILE"


def test_unreadable_file(tmp_path, monkeypatch):
    path = write(tmp_path, "locked.jpg", cv_bytes(".jpg", sample_bgr()))

    def denied(*_a, **_k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(imaging, "open", denied, raising=False)
    with pytest.raises(ImageError) as exc:
        load_image(path)
    assert code_of(exc) == "DLSCAN.FILE_UNREADABLE"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_by_permissions(tmp_path):
    path = write(tmp_path, "locked.jpg", cv_bytes(".jpg", sample_bgr()))
    path.chmod(0)
    try:
        with pytest.raises(ImageError) as exc:
            load_image(path)
        assert code_of(exc) == "DLSCAN.FILE_UNREADABLE"
    finally:
        path.chmod(0o600)


# ---------------------------------------------------------------------------- pixel kinds
def test_grayscale_png(tmp_path):
    gray = np.tile(np.arange(0, 250, 5, dtype=np.uint8), (30, 1))
    loaded = load_image(write(tmp_path, "g.png", cv_bytes(".png", gray)))
    assert loaded.source_grayscale
    assert loaded.pixels.shape == (30, 50, 3)
    for c in range(3):
        np.testing.assert_array_equal(loaded.pixels[:, :, c], gray)


def test_gray_alpha_png_is_composited_over_white(tmp_path):
    la = np.zeros((10, 30, 2), np.uint8)
    la[:, :, 0] = 40
    la[:, :10, 1] = 255  # opaque
    la[:, 10:20, 1] = 0  # transparent → white
    la[:, 20:, 1] = 128  # half → between
    loaded = load_image(write(tmp_path, "la.png", pil_bytes(Image.fromarray(la, "LA"), "PNG")))
    assert loaded.source_grayscale and loaded.source_alpha
    assert (loaded.pixels[:, :10] == 40).all()
    assert (loaded.pixels[:, 10:20] == 255).all()
    assert np.abs(loaded.pixels[:, 20:].astype(int) - (40 * 128 + 255 * 127) / 255).max() <= 1


def test_bgra_png_is_composited_over_white(tmp_path):
    bgra = np.zeros((10, 30, 4), np.uint8)
    bgra[:, :, :3] = (200, 50, 10)
    bgra[:, :10, 3] = 255
    bgra[:, 10:20, 3] = 0
    bgra[:, 20:, 3] = 64
    loaded = load_image(write(tmp_path, "a.png", cv_bytes(".png", bgra)))
    assert loaded.source_alpha and not loaded.source_grayscale
    assert (loaded.pixels[:, :10] == (200, 50, 10)).all()
    assert (loaded.pixels[:, 10:20] == 255).all()
    expected = np.array([200, 50, 10]) * 64 / 255 + 255 * 191 / 255
    assert np.abs(loaded.pixels[:, 20:].astype(float) - expected).max() <= 1


def test_opaque_alpha_is_not_flagged(tmp_path):
    bgra = np.dstack([sample_bgr(), np.full((40, 60), 255, np.uint8)])
    loaded = load_image(write(tmp_path, "a.png", cv_bytes(".png", bgra)))
    assert not loaded.source_alpha
    np.testing.assert_array_equal(loaded.pixels, sample_bgr())


@pytest.mark.parametrize("ext", [".png", ".tiff"])
def test_16_bit_is_scaled_to_8_bit(tmp_path, ext):
    img16 = np.zeros((20, 30, 3), np.uint16)
    img16[:, :10] = (65535, 0, 32896)
    img16[:, 10:] = (257 * 100, 257 * 200, 257 * 50)
    loaded = load_image(write(tmp_path, f"deep{ext}", cv_bytes(ext, img16)))
    assert loaded.pixels.dtype == np.uint8
    assert (loaded.pixels[:, :10] == (255, 0, 128)).all()
    assert (loaded.pixels[:, 10:] == (100, 200, 50)).all()


def test_16_bit_gray_png(tmp_path):
    gray16 = np.full((20, 30), 257 * 77, np.uint16)
    loaded = load_image(write(tmp_path, "g16.png", cv_bytes(".png", gray16)))
    assert loaded.source_grayscale and (loaded.pixels == 77).all()


def test_cmyk_jpeg_colours_are_right(tmp_path):
    rgb = np.zeros((32, 64, 3), np.uint8)
    rgb[:, :32] = (200, 30, 40)  # red
    rgb[:, 32:] = (30, 60, 180)  # blue
    cmyk = Image.fromarray(rgb).convert("CMYK")
    data = pil_bytes(cmyk, "JPEG", quality=95)
    assert b"Adobe" in data[:200]  # Pillow writes an Adobe (inverted) CMYK JPEG
    loaded = load_image(write(tmp_path, "cmyk.jpg", data))
    assert loaded.source_cmyk
    assert np.abs(loaded.pixels[16, 8].astype(int) - (40, 30, 200)).max() <= 12
    assert np.abs(loaded.pixels[16, 56].astype(int) - (180, 60, 30)).max() <= 12


def test_cmyk_tiff_colours_are_right(tmp_path):
    rgb = np.zeros((16, 32, 3), np.uint8)
    rgb[:, :16] = (200, 30, 40)
    rgb[:, 16:] = (30, 60, 180)
    data = pil_bytes(Image.fromarray(rgb).convert("CMYK"), "TIFF")
    loaded = load_image(write(tmp_path, "cmyk.tif", data))
    assert loaded.source_cmyk and loaded.pixels.shape == (16, 32, 3)
    assert np.abs(loaded.pixels[8, 4].astype(int) - (40, 30, 200)).max() <= 3
    assert np.abs(loaded.pixels[8, 28].astype(int) - (180, 60, 30)).max() <= 3


def test_pixels_are_contiguous_bgr_uint8():
    loaded = load_image(cv_bytes(".png", np.dstack([sample_bgr(), np.full((40, 60), 9, np.uint8)])))
    assert isinstance(loaded, LoadedImage)
    assert loaded.pixels.flags.c_contiguous and loaded.pixels.shape[2] == 3


# ---------------------------------------------------------------------------- helpers
def test_encode_jpeg_is_baseline_without_metadata():
    img = np.random.default_rng(2).integers(0, 255, (50, 70, 3), np.uint8)
    data = encode_jpeg(img, 85)
    marker, comps = sof_components(data)
    assert data[:2] == b"\xff\xd8" and marker == 0xC0 and comps == 3  # SOF0: baseline
    assert b"Exif" not in data and b"\xff\xe1" not in data
    back = decode_image(data)
    assert (back.width, back.height) == (70, 50)


def test_encode_jpeg_strips_source_metadata():
    exif = Image.Exif()
    exif[274] = 6
    src = pil_bytes(Image.fromarray(sample_bgr()[:, :, ::-1].copy()), "JPEG", exif=exif)
    loaded = load_image(src)
    out = encode_jpeg(loaded.pixels)
    assert b"Exif" not in out
    assert decode_image(out).orientation == 1 and decode_image(out).width == 40


def test_encode_jpeg_gray_input_is_single_channel():
    gray = cv2.cvtColor(np.tile(np.arange(100, dtype=np.uint8), (60, 1)), cv2.COLOR_GRAY2BGR)
    assert sof_components(encode_jpeg(gray))[1] == 1
    assert sof_components(encode_jpeg(gray, grayscale=False))[1] == 3
    assert sof_components(encode_jpeg(sample_bgr()))[1] == 3
    assert sof_components(encode_jpeg(sample_bgr(), grayscale=True))[1] == 1
    assert decode_image(encode_jpeg(gray)).source_grayscale


def test_quality_changes_size():
    img = cv2.GaussianBlur(
        np.random.default_rng(3).integers(0, 255, (200, 300, 3), np.uint8), (0, 0), 1
    )
    assert len(encode_jpeg(img, 60)) < len(encode_jpeg(img, 95))


def test_downscale_fit_size_and_base64_size():
    img = np.random.default_rng(4).integers(0, 255, (300, 400, 3), np.uint8)
    for w, h in ((100, 75), (133, 100), (399, 299), (400, 300)):
        assert downscale(img, w, h).shape == (h, w, 3)
    flat = np.full((300, 400, 3), 77, np.uint8)
    assert (downscale(flat, 123, 92) == 77).all()
    assert fit_size(4000, 3000, 1000) == (1000, 750)
    assert fit_size(3000, 4000, 1000) == (750, 1000)
    for n in (0, 1, 2, 3, 4, 100, 1001):
        assert base64_size(n) == len(base64.b64encode(b"x" * n))
