"""Draw dlscan's icon: a blue licence card with a white 驾 (the first character of 驾驶证) and,
from 48 px up, a photo and text lines like a real licence. Writes dlscan-<N>.png for every
size in packaging/bundle.ICON_SIZES, dlscan.ico (Windows: the executables and the installer)
and dlscan.svg (Linux icon themes). The outputs are in git; rerun after changing the design:

    .venv/bin/python resources/icons/make_icons.py

Qt only (offscreen), with the bundled Noto Sans SC Bold for the glyph, which is drawn as a path
so the SVG needs no font.
"""

from __future__ import annotations

import os
import re
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
    QTransform,
)
from PySide6.QtSvg import QSvgGenerator

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FONT = ROOT / "resources" / "fonts" / "NotoSansSC-Bold-GB2312.otf"
sys.path.insert(0, str(ROOT / "packaging"))
from bundle import ICON_SIZES  # noqa: E402

UNIT = 256.0  # the design is drawn in a 256×256 space and scaled
BLUE_TOP = QColor("#2f7de1")
BLUE_BOTTOM = QColor("#1a4f9e")
EDGE = QColor("#143d7a")
PAPER = QColor("#eef4fc")
GLYPH = "驾"


def glyph_path(family: str, box: QRectF) -> QPainterPath:
    """驾 as an outline, scaled to fill ``box`` (keeping its proportions) and centred in it."""
    font = QFont(family)
    font.setPixelSize(200)
    path = QPainterPath()
    path.addText(QPointF(0, 0), font, GLYPH)
    bounds = path.boundingRect()
    scale = min(box.width() / bounds.width(), box.height() / bounds.height())
    path.translate(-bounds.center())
    transform = QTransform()
    transform.translate(box.center().x(), box.center().y())
    transform.scale(scale, scale)
    return transform.map(path)


def paint(painter: QPainter, family: str, size: int) -> None:
    """The icon in the 256-unit space; ``size`` picks the level of detail."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    small = size <= 32
    # Small sizes: a squarer card so the glyph can be big enough to read.
    card = QRectF(8, 28, 240, 200) if small else QRectF(6, 42, 244, 172)
    radius = 30 if small else 22
    gradient = QLinearGradient(card.topLeft(), card.bottomLeft())
    gradient.setColorAt(0.0, BLUE_TOP)
    gradient.setColorAt(1.0, BLUE_BOTTOM)
    edge = QPen(EDGE, 8 if small else 5)
    edge.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(edge)
    painter.setBrush(gradient)
    painter.drawRoundedRect(card.adjusted(2, 2, -2, -2), radius, radius)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("white"))
    if small:
        painter.drawPath(glyph_path(family, card.adjusted(28, 16, -28, -16)))
        return
    # 驾 on the left, where the licence prints its title; a photo on the right, as on the card.
    painter.drawPath(glyph_path(family, QRectF(24, 62, 112, 112)))
    photo = QRectF(156, 62, 74, 92)
    painter.setBrush(PAPER)
    painter.drawRoundedRect(photo, 8, 8)
    painter.setBrush(BLUE_BOTTOM)
    painter.drawEllipse(QPointF(photo.center().x(), photo.top() + 34), 15, 17)
    shoulders = QPainterPath()
    shoulders.moveTo(photo.left() + 10, photo.bottom())
    shoulders.cubicTo(photo.left() + 12, photo.top() + 56, photo.right() - 12,
                      photo.top() + 56, photo.right() - 10, photo.bottom())
    shoulders.closeSubpath()
    painter.drawPath(shoulders)
    # Text lines under the title and the photo.
    painter.setBrush(PAPER)
    painter.drawRoundedRect(QRectF(24, 186, 206, 12), 6, 6)
    if size >= 64:
        painter.drawRoundedRect(QRectF(156, 164, 74, 10), 5, 5)


def render(family: str, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.scale(size / UNIT, size / UNIT)
    paint(painter, family, size)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def write_ico(path: Path, images: list[QImage]) -> None:
    """A multi-size .ico with PNG entries (read by Windows Vista and later)."""
    blobs = [png_bytes(image) for image in images]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries = b""
    for image, blob in zip(images, blobs, strict=True):
        side = image.width() if image.width() < 256 else 0  # 0 means 256 in the format
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
    path.write_bytes(header + entries + b"".join(blobs))


def write_svg(path: Path, family: str) -> None:
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(256, 256))
    generator.setViewBox(QRectF(0, 0, UNIT, UNIT))
    generator.setTitle("dlscan")
    generator.setDescription("dlscan application icon")
    painter = QPainter(generator)
    paint(painter, family, 256)
    painter.end()
    # QSvgGenerator sizes the drawing in mm; icon themes want pixels.
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'width="[\d.]+mm" height="[\d.]+mm"', 'width="256" height="256"', text, count=1)
    path.write_text(text, encoding="utf-8")


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841  (fonts need an application)
    font_id = QFontDatabase.addApplicationFont(str(FONT))
    if font_id < 0:
        print(f"make_icons: cannot load {FONT}")
        return 1
    family = QFontDatabase.applicationFontFamilies(font_id)[0]
    images = []
    for size in ICON_SIZES:
        image = render(family, size)
        image.save(str(HERE / f"dlscan-{size}.png"))
        images.append(image)
    write_ico(HERE / "dlscan.ico", images)
    write_svg(HERE / "dlscan.svg", family)
    print(f"make_icons: wrote {len(images)} PNGs, dlscan.ico and dlscan.svg in {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
