"""Bytes → image: format by magic bytes, a header pass (dimensions, EXIF orientation, structural
completeness) that runs before any decoding, then OpenCV decoding into 8-bit BGR.

Why the header pass: ``cv2.imdecode`` allocates the full raster before it notices anything, so a
small file claiming 100 000 × 100 000 pixels (a decompression bomb) must be refused from its
header. The same pass finds the EXIF orientation (``IMREAD_UNCHANGED`` ignores it) and refuses
truncated files instead of letting a decoder pad them with grey.

Colour notes (OpenCV 5):
- CMYK/YCCK JPEG (Adobe APP14, as Pillow and Photoshop write them) decode to correct BGR.
- CMYK TIFF decodes through libtiff's RGBA path to correct BGRA (opaque alpha); we accept it.
- The TIFF decoder applies tag 274 itself (OpenCV PR #14609); we probe that once at run time
  so an image is never rotated twice.
"""

from __future__ import annotations

import os
import stat
import struct
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import cv2
import numpy as np

from dlscan_gui.core.errors import ImageError

MAX_FILE_BYTES = 100 * 1024 * 1024  # refuse bigger files before reading them whole
MAX_PIXELS = 120_000_000  # decompression-bomb guard, checked from the header
FORMATS = ("jpeg", "png", "bmp", "tiff")

_PNG_SIG = b"\x89PNG\r\n\x1a\n"
# Standalone JPEG markers (no length field): TEM, RST0-7.
_JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}
# SOFn markers carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range.
_JPEG_SOF = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# Formats we recognise only to name them in the error.
_KNOWN_OTHER = {b"%PDF": "PDF", b"GIF8": "GIF", b"II+\x00": "BigTIFF", b"MM\x00+": "BigTIFF"}


@dataclass(frozen=True, eq=False)  # eq=False: numpy arrays do not compare/hash as a value
class LoadedImage:
    """A decoded image and the bytes it came from. ``pixels`` is always uint8 H×W×3 BGR,
    upright (orientation applied), opaque (alpha composited over white), 8-bit."""

    data: bytes
    format: str  # one of FORMATS, from the magic bytes
    pixels: np.ndarray
    width: int
    height: int
    source_grayscale: bool = False  # the file stores no colour (gray, or gray + alpha)
    orientation: int = 1  # EXIF/TIFF orientation found in the file (1 = none)
    name: str = ""  # display name, e.g. the file name
    source_cmyk: bool = False  # the file is CMYK (some services mis-read it: re-encode)
    source_alpha: bool = False  # the file had a non-opaque alpha channel (composited)


class ImageHeader(NamedTuple):
    format: str
    width: int
    height: int
    orientation: int
    grayscale: bool
    cmyk: bool


def load_image(source: str | os.PathLike[str] | bytes, *, name: str | None = None) -> LoadedImage:
    """Read and decode an image from a path or from bytes. Raises ``ImageError`` with a
    ``DLSCAN.*`` code for anything that is not a usable JPEG/PNG/BMP/TIFF image."""
    if isinstance(source, bytes | bytearray | memoryview):
        data, display = bytes(source), name or ""
    else:
        path = os.fspath(source)
        display = name if name is not None else os.path.basename(path)
        data = _read_file(path, display)
    return decode_image(data, name=display)


def _read_file(path: str, display: str) -> bytes:
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise ImageError("DLSCAN.FILE_NOT_FOUND") from None
    except OSError:
        raise ImageError("DLSCAN.FILE_UNREADABLE") from None
    if not stat.S_ISREG(st.st_mode):  # folders, but also FIFOs and devices (/dev/zero)
        raise ImageError("DLSCAN.NOT_A_FILE")
    if st.st_size > MAX_FILE_BYTES:
        raise ImageError("DLSCAN.IMAGE_TOO_LARGE", detail="file over 100 MB")
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat()
    except FileNotFoundError:
        raise ImageError("DLSCAN.FILE_NOT_FOUND") from None
    except IsADirectoryError:
        raise ImageError("DLSCAN.NOT_A_FILE") from None
    except OSError:
        raise ImageError("DLSCAN.FILE_UNREADABLE") from None
    if len(data) > MAX_FILE_BYTES:
        raise ImageError("DLSCAN.IMAGE_TOO_LARGE", detail="file over 100 MB")
    return data


def decode_image(data: bytes, *, name: str = "") -> LoadedImage:
    """Decode encoded bytes (see ``load_image``)."""
    if not data:
        raise ImageError("DLSCAN.IMAGE_EMPTY")
    if len(data) > MAX_FILE_BYTES:
        raise ImageError("DLSCAN.IMAGE_TOO_LARGE", detail="file over 100 MB")
    header = read_header(data, name=name)
    try:
        raw = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    except cv2.error:
        raw = None
    if raw is None or raw.size == 0:
        raise ImageError("DLSCAN.IMAGE_CORRUPT")
    grayscale = header.grayscale or raw.ndim == 2
    pixels, had_alpha = _to_bgr8(raw, name)
    if not (header.format == "tiff" and _tiff_decoder_orients()):
        pixels = apply_orientation(pixels, header.orientation)
    return LoadedImage(
        data=data,
        format=header.format,
        pixels=pixels,
        width=pixels.shape[1],
        height=pixels.shape[0],
        source_grayscale=grayscale,
        orientation=header.orientation,
        name=name,
        source_cmyk=header.cmyk,
        source_alpha=had_alpha,
    )


# ---------------------------------------------------------------------------- header pass
def read_header(data: bytes, *, name: str = "") -> ImageHeader:
    """Format, stored dimensions and orientation from the header alone. Raises IMAGE_FORMAT,
    IMAGE_CORRUPT or IMAGE_TOO_LARGE (over ``MAX_PIXELS``) without decoding any pixel."""
    if data[:3] == b"\xff\xd8\xff":
        return _jpeg_header(data, name)
    if data[:8] == _PNG_SIG:
        return _png_header(data, name)
    if data[:2] == b"BM":
        return _bmp_header(data, name)
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return _tiff_header(data, name)
    kind = _KNOWN_OTHER.get(data[:4], "")
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        kind = "WebP"
    elif data[4:8] == b"ftyp":
        kind = "HEIF/MP4"
    raise ImageError("DLSCAN.IMAGE_FORMAT", detail=kind)


def _corrupt(why: str) -> ImageError:
    return ImageError("DLSCAN.IMAGE_CORRUPT", detail=why)


def _guard(width: int, height: int, name: str) -> None:
    if width <= 0 or height <= 0:
        raise _corrupt("no image size in header")
    if width * height > MAX_PIXELS:
        raise ImageError("DLSCAN.IMAGE_TOO_LARGE", detail=f"{width}×{height}")


def _jpeg_header(d: bytes, name: str) -> ImageHeader:
    n, pos, orientation, sof = len(d), 2, 1, None
    while True:
        pos = d.find(b"\xff", pos)  # like libjpeg, skip stray bytes between segments
        if pos < 0 or pos + 4 > n:
            raise _corrupt("JPEG header truncated")
        while pos < n and d[pos] == 0xFF:  # fill bytes may precede a marker
            pos += 1
        marker = d[pos] if pos < n else 0xD9
        pos += 1
        if marker in _JPEG_STANDALONE:
            continue
        if marker == 0xD9:
            raise _corrupt("JPEG ends before its image data")
        (length,) = struct.unpack_from(">H", d, pos) if pos + 2 <= n else (0,)
        if length < 2 or pos + length > n:
            raise _corrupt("JPEG segment truncated")
        seg = memoryview(d)[pos + 2 : pos + length]
        if marker in _JPEG_SOF and len(seg) >= 6:
            _bits, height, width, comps = struct.unpack_from(">BHHB", seg)
            if height == 0:  # height defined later by a DNL marker: nothing to guard with
                raise ImageError("DLSCAN.IMAGE_FORMAT", detail="JPEG without height")
            _guard(width, height, name)
            sof = (width, height, comps)
        elif marker == 0xE1 and bytes(seg[:6]) == b"Exif\x00\x00":
            orientation = _exif_orientation(bytes(seg[6:]))
        elif marker == 0xDA:  # start of scan: the header is over
            break
        pos += length
    if sof is None:
        raise _corrupt("JPEG has no frame header")
    # Scan data byte-stuffs 0xFF, so FFD9 after the first SOS can only be the EOI marker.
    if d.find(b"\xff\xd9", pos) < 0:
        raise _corrupt("JPEG truncated (no end marker)")
    width, height, comps = sof
    return ImageHeader("jpeg", width, height, orientation, comps == 1, comps == 4)


def _png_header(d: bytes, name: str) -> ImageHeader:
    if len(d) < 33 or d[12:16] != b"IHDR":
        raise _corrupt("PNG header truncated")
    width, height, _depth, colour = struct.unpack_from(">IIBB", d, 16)
    _guard(width, height, name)
    orientation, pos, n = 1, 8, len(d)
    while True:  # walk the chunks: an image without IEND is truncated
        if pos + 12 > n:
            raise _corrupt("PNG truncated (no IEND chunk)")
        length, ctype = struct.unpack_from(">I4s", d, pos)
        if pos + 12 + length > n:
            raise _corrupt("PNG chunk truncated")
        if ctype == b"eXIf":
            orientation = _exif_orientation(d[pos + 8 : pos + 8 + length])
        elif ctype == b"IEND":
            break
        pos += 12 + length
    return ImageHeader("png", width, height, orientation, colour in (0, 4), False)


def _bmp_header(d: bytes, name: str) -> ImageHeader:
    if len(d) < 26:
        raise _corrupt("BMP header truncated")
    offset, dib = struct.unpack_from("<II", d, 10)
    if dib == 12:  # OS/2 BITMAPCOREHEADER
        width, height, _planes, bpp = struct.unpack_from("<HHHH", d, 18)
        compression = 0
    elif dib >= 40 and len(d) >= 34:
        width, height, _planes, bpp, compression = struct.unpack_from("<iiHHI", d, 18)
    else:
        raise _corrupt("BMP header unknown")
    height = abs(height)  # negative height = rows stored top-down
    _guard(width, height, name)
    # Uncompressed rows (BI_RGB, BI_BITFIELDS, BI_ALPHABITFIELDS) have a known size.
    if compression in (0, 3, 6) and len(d) < offset + ((width * bpp + 31) // 32) * 4 * height:
        raise _corrupt("BMP shorter than its pixel data")
    return ImageHeader("bmp", width, height, 1, False, False)


def _tiff_header(d: bytes, name: str) -> ImageHeader:
    tags = _tiff_ifd0(d)
    if tags is None:
        raise _corrupt("TIFF directory unreadable")
    width, height = _first(tags, 256, 0), _first(tags, 257, 0)
    _guard(width, height, name)
    for offsets, counts in ((273, 279), (324, 325)):  # strips or tiles must be in the file
        ends = [o + c for o, c in zip(tags.get(offsets, []), tags.get(counts, []), strict=False)]
        if ends and max(ends) > len(d):
            raise _corrupt("TIFF truncated")
    orientation = _first(tags, 274, 1)
    photometric, samples = _first(tags, 262, 2), _first(tags, 277, 1)
    orientation = orientation if 1 <= orientation <= 8 else 1
    grayscale = photometric in (0, 1) and samples <= 2  # min-is-white/black, maybe + alpha
    return ImageHeader("tiff", width, height, orientation, grayscale, photometric == 5)


def _tiff_ifd0(buf: bytes) -> dict[int, list[int]] | None:
    """Integer tags (BYTE/SHORT/LONG) of a TIFF structure's first directory, or None."""
    try:
        order = {b"II": "<", b"MM": ">"}[buf[:2]]
        (ifd,) = struct.unpack_from(order + "I", buf, 4)
        (count,) = struct.unpack_from(order + "H", buf, ifd)
        if count > 1000:
            return None
        tags: dict[int, list[int]] = {}
        for i in range(count):
            entry = ifd + 2 + 12 * i
            tag, typ, num = struct.unpack_from(order + "HHI", buf, entry)
            code = {1: "B", 3: "H", 4: "I"}.get(typ)
            if code is None or num > 1_000_000:
                continue
            where = entry + 8
            if num * struct.calcsize(code) > 4:  # values that do not fit sit at an offset
                (where,) = struct.unpack_from(order + "I", buf, entry + 8)
            tags[tag] = list(struct.unpack_from(f"{order}{num}{code}", buf, where))
        return tags
    except (KeyError, struct.error):
        return None


def _first(tags: dict[int, list[int]], tag: int, default: int) -> int:
    return (tags.get(tag) or [default])[0]


def _exif_orientation(exif: bytes) -> int:
    """Orientation (tag 274) from an EXIF TIFF block; 1 when absent or unreadable (broken EXIF
    must not make an otherwise good photo unusable)."""
    value = _first(_tiff_ifd0(exif) or {}, 274, 1)
    return value if 1 <= value <= 8 else 1


# ---------------------------------------------------------------------------- pixels
def _to_bgr8(raw: np.ndarray, name: str) -> tuple[np.ndarray, bool]:
    """Any decoded array → uint8 H×W×3 BGR; also says whether a real alpha was composited."""
    if raw.dtype == np.uint16:
        raw = cv2.convertScaleAbs(raw, alpha=1 / 257)  # 65535 → 255, rounded
    elif raw.dtype in (np.float32, np.float64):
        scale = 255.0 if float(np.nanmax(raw)) <= 1.0 else 1.0  # float TIFFs are usually 0..1
        raw = cv2.convertScaleAbs(np.nan_to_num(raw), alpha=scale)
    elif raw.dtype != np.uint8:
        raise ImageError("DLSCAN.IMAGE_FORMAT", detail=f"{raw.dtype} samples")
    if raw.ndim == 2:
        return cv2.cvtColor(raw, cv2.COLOR_GRAY2BGR), False
    channels = raw.shape[2]
    if channels == 1:
        return cv2.cvtColor(raw[:, :, 0], cv2.COLOR_GRAY2BGR), False
    if channels == 3:
        return raw, False
    colour = raw[:, :, :1] if channels == 2 else raw[:, :, :3]
    alpha = raw[:, :, -1]
    lo, hi = int(alpha.min()), int(alpha.max())
    # All-opaque alpha is no alpha; all-zero alpha is an unused BMP/TIFF channel, not a blank.
    if lo == 255 or hi == 0:
        out = colour
        had_alpha = False
    else:
        a = alpha.astype(np.float32)[:, :, None] * (1 / 255)
        out = (colour.astype(np.float32) * a + 255.0 * (1.0 - a) + 0.5).astype(np.uint8)
        had_alpha = True
    if out.shape[2] == 1:
        out = cv2.cvtColor(out[:, :, 0], cv2.COLOR_GRAY2BGR)
    return np.ascontiguousarray(out), had_alpha


def apply_orientation(pixels: np.ndarray, orientation: int) -> np.ndarray:
    """Turn stored pixels upright for an EXIF orientation value (1–8)."""
    if orientation == 2:
        return cv2.flip(pixels, 1)
    if orientation == 3:
        return cv2.rotate(pixels, cv2.ROTATE_180)
    if orientation == 4:
        return cv2.flip(pixels, 0)
    if orientation == 5:
        return cv2.transpose(pixels)
    if orientation == 6:
        return cv2.rotate(pixels, cv2.ROTATE_90_CLOCKWISE)
    if orientation == 7:
        return cv2.flip(cv2.transpose(pixels), -1)
    if orientation == 8:
        return cv2.rotate(pixels, cv2.ROTATE_90_COUNTERCLOCKWISE)
    return pixels


@cache
def _tiff_decoder_orients() -> bool:
    """Does this OpenCV's TIFF decoder apply tag 274 itself? Decodes a 2×1 TIFF tagged
    orientation 6 and looks whether it came out 1×2."""
    entries = [(256, 2), (257, 1), (258, 8), (259, 1), (262, 1), (273, 0), (274, 6), (277, 1)]
    entries += [(278, 1), (279, 2)]
    data_at = 8 + 2 + 12 * len(entries) + 4
    ifd = struct.pack("<H", len(entries)) + b"".join(
        struct.pack("<HHII", tag, 4 if tag in (273, 279) else 3, 1, value or data_at)
        for tag, value in entries
    )
    tiff = b"II*\x00" + struct.pack("<I", 8) + ifd + b"\x00\x00\x00\x00" + b"\x00\xff"
    img = cv2.imdecode(np.frombuffer(tiff, np.uint8), cv2.IMREAD_UNCHANGED)
    return img is not None and img.shape[:2] == (2, 1)


# ---------------------------------------------------------------------------- helpers
def is_grayscale_pixels(pixels: np.ndarray, tolerance: int = 2) -> bool:
    """True if B, G and R are (nearly) equal everywhere, judged on a sparse sample."""
    if pixels.ndim == 2 or pixels.shape[2] == 1:
        return True
    sample = pixels[::7, ::7].astype(np.int16)
    spread = np.abs(sample[:, :, 0] - sample[:, :, 1]) + np.abs(sample[:, :, 1] - sample[:, :, 2])
    return int(spread.max(initial=0)) <= tolerance


def encode_jpeg(pixels: np.ndarray, quality: int = 90, *, grayscale: bool | None = None) -> bytes:
    """Baseline (non-progressive) JPEG with no metadata. ``grayscale`` None = encode as one
    channel if the pixels look gray; True/False forces it."""
    if grayscale is None:
        grayscale = is_grayscale_pixels(pixels)
    if grayscale and pixels.ndim == 3:
        pixels = cv2.cvtColor(pixels, cv2.COLOR_BGR2GRAY)
    params = [cv2.IMWRITE_JPEG_QUALITY, int(quality), cv2.IMWRITE_JPEG_PROGRESSIVE, 0]
    ok, buf = cv2.imencode(".jpg", pixels, params)
    if not ok:
        raise ImageError("DLSCAN.IMAGE_CORRUPT", detail="JPEG encoding failed")
    return buf.tobytes()


def downscale(pixels: np.ndarray, width: int, height: int) -> np.ndarray:
    """Shrink with INTER_AREA. An integer-factor pass first: OpenCV has a fast path for it
    (about 3× quicker on a 12 MP photo), the small remainder is then cheap."""
    h, w = pixels.shape[:2]
    if (width, height) == (w, h):
        return pixels
    k = min(w // width, h // height)
    if k >= 2:
        pixels = cv2.resize(
            pixels[: h - h % k, : w - w % k], (w // k, h // k), interpolation=cv2.INTER_AREA
        )
        if pixels.shape[1] == width and pixels.shape[0] == height:
            return pixels
    return cv2.resize(pixels, (width, height), interpolation=cv2.INTER_AREA)


def fit_size(width: int, height: int, long_side: int) -> tuple[int, int]:
    """(w, h) scaled so the long side is ``long_side``, aspect kept, each at least 1."""
    scale = long_side / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def base64_size(n: int) -> int:
    """Length of the base64 text of ``n`` bytes (what the API limits)."""
    return 4 * ((n + 2) // 3)
