"""The left-hand view: the licence image fitted to the view (Ctrl+wheel zooms), with the card
outline and the box of the field the clerk is looking at."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap, QPolygonF, QWheelEvent
from PySide6.QtWidgets import QGraphicsPolygonItem, QGraphicsScene, QGraphicsView, QWidget


def to_qimage(pixels: np.ndarray) -> QImage:
    """BGR uint8 → QImage (a copy, so the array may go away)."""
    rgb = np.ascontiguousarray(pixels[:, :, ::-1])
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def _polygon(points: np.ndarray | list[list[float]]) -> QPolygonF:
    return QPolygonF([QPointF(float(x), float(y)) for x, y in points])


class ImageView(QGraphicsView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setBackgroundBrush(QColor("#2b2b2b"))
        self._pixmap_item = None
        self._outline: QGraphicsPolygonItem | None = None
        self._field: QGraphicsPolygonItem | None = None
        self._zoomed = False

    @property
    def has_image(self) -> bool:
        return self._pixmap_item is not None

    def show_image(self, pixels: np.ndarray) -> None:
        self.clear()
        self._pixmap_item = self.scene().addPixmap(QPixmap.fromImage(to_qimage(pixels)))
        self.scene().setSceneRect(self._pixmap_item.boundingRect())
        self._zoomed = False
        self.fit()

    def clear(self) -> None:
        self.scene().clear()
        self._pixmap_item = self._outline = self._field = None

    def show_outline(self, corners: np.ndarray | None) -> None:
        if self._outline is not None:
            self.scene().removeItem(self._outline)
            self._outline = None
        if corners is not None and self.has_image:
            pen = QPen(QColor("#2da44e"), 0)
            pen.setWidthF(3)
            pen.setCosmetic(True)
            self._outline = self.scene().addPolygon(_polygon(corners), pen)

    def show_field(self, quad: list[list[float]] | None) -> None:
        if self._field is not None:
            self.scene().removeItem(self._field)
            self._field = None
        if quad and self.has_image:
            pen = QPen(QColor("#0969da"))
            pen.setWidthF(2)
            pen.setCosmetic(True)
            self._field = self.scene().addPolygon(_polygon(quad), pen, QColor(9, 105, 218, 40))

    def fit(self) -> None:
        if self.has_image:
            self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        if not self._zoomed:
            self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier and self.has_image:
            factor = 1.25 if event.angleDelta().y() > 0 else 0.8
            self.scale(factor, factor)
            self._zoomed = True
            event.accept()
        else:
            super().wheelEvent(event)
