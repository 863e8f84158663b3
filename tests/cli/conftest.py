"""Bad inputs as real files, the way a clerk's folder might hold them."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def write_huge_png(path: Path, side: int) -> None:
    """A real, valid side×side 1-bit grey PNG, streamed so it never exists in memory whole."""
    row = b"\x00" + bytes((side + 7) // 8)  # filter byte + packed zero pixels
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(row * 1000) for _ in range(side // 1000)]
    parts.append(compressor.compress(row * (side % 1000)))
    parts.append(compressor.flush())
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr)
                     + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b""))


@pytest.fixture(scope="session")
def bad_inputs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bad-inputs")
    files = {
        "missing": folder / "no-such-file.jpg",
        "directory": folder / "a-folder.jpg",
        "pdf": folder / "scan.pdf",
        "empty": folder / "empty.jpg",
        "huge_png": folder / "synthetic-30000x30000.png",
        "corrupt_jpeg": folder / "synthetic-corrupt.jpg",
    }
    files["directory"].mkdir()
    files["pdf"].write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n")
    files["empty"].write_bytes(b"")
    write_huge_png(files["huge_png"], 30000)
    image = np.full((400, 600, 3), 200, np.uint8)
    cv2.putText(image, "SYNTHETIC 123", (40, 200), cv2.FONT_HERSHEY_SIMPLEX, 2, (0, 0, 0), 3)
    ok, jpeg = cv2.imencode(".jpg", image)
    assert ok
    data = jpeg.tobytes()
    files["corrupt_jpeg"].write_bytes(data[: len(data) // 2])  # cut mid-scan, no EOI
    return files
