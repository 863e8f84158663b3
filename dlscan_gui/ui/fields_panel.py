"""The right-hand panel: every field of the customer's licence as an editable line, with a
validation badge re-computed as the clerk types, and a mark on what the clerk changed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from dlscan_gui.core.findings import Finding, Level
from dlscan_gui.core.schema import RecognitionResult, Side, fields_for
from dlscan_gui.core.validate import cross_check, validate_page

BADGE_OK, BADGE_WARNING, BADGE_ERROR = "✓", "!", "✗"
_BADGE_STYLE = {
    BADGE_OK: "color: #1a7f37;",
    BADGE_WARNING: "color: #9a6700; font-weight: bold;",
    BADGE_ERROR: "color: #cf222e; font-weight: bold;",
}
SECTIONS = (Side.FRONT, Side.BACK)


def _clipboard_has_image() -> bool:
    mime = QApplication.clipboard().mimeData()
    return mime is not None and (mime.hasImage() or mime.hasUrls())


class FieldRow:
    """One field: its label, line edit and badge."""

    def __init__(self, side: Side, key: str, label_zh: str, label_en: str,
                 parent: QWidget) -> None:
        self.side, self.key = side, key
        # The licence's own (Chinese) label in every UI; the English UI adds the English name.
        label = QCoreApplication.translate("FieldsPanel", "{zh} {en}").format(zh=label_zh,
                                                                              en=label_en)
        self.label = QLabel(label, parent)
        self.edit = QLineEdit(parent)
        self.edit.setObjectName(f"{side}.{key}")
        self.edit.setClearButtonEnabled(True)
        self.badge = QLabel("", parent)
        self.badge.setObjectName(f"{side}.{key}.badge")
        self.badge.setFixedWidth(18)
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.recognized = ""  # the engine's value, to tell what the clerk changed
        self.engine_findings: list[Finding] = []  # e.g. glare over it; dropped once edited
        self.label_text = label

    @property
    def edited(self) -> bool:
        return self.edit.text() != self.recognized

    def show_findings(self, findings: list[Finding]) -> None:
        if not self.edit.text() and not findings:
            self.badge.setText("")
            self.badge.setToolTip("")
            return
        if any(f.level is Level.ERROR for f in findings):
            symbol = BADGE_ERROR
        elif findings:
            symbol = BADGE_WARNING
        else:
            symbol = BADGE_OK
        self.badge.setText(symbol)
        self.badge.setStyleSheet(_BADGE_STYLE[symbol])
        self.badge.setToolTip("\n".join(f"{f.zh}\n{f.en}" for f in findings)
                              or QCoreApplication.translate("FieldsPanel", "OK"))
        self.edit.setToolTip(self.badge.toolTip() if findings else "")
        marker = " ✎" if self.edited else ""
        self.label.setText(self.label_text + marker)
        self.label.setToolTip(QCoreApplication.translate("FieldsPanel", "Edited by the clerk")
                              if self.edited else "")


class FieldsPanel(QWidget):
    """Front (主页) and back (副页) sections of one customer's record."""

    changed = Signal()
    field_focused = Signal(str, str)  # side, key
    field_copied = Signal(str, str)  # side, key

    def __init__(self, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self.rows: dict[tuple[Side, str], FieldRow] = {}
        layout = QVBoxLayout(self)
        titles = {Side.FRONT: self.tr("Front page"), Side.BACK: self.tr("Back page")}
        for side in SECTIONS:
            box = QGroupBox(titles[side], self)
            grid = QGridLayout(box)
            for row_index, spec in enumerate(fields_for(side)):
                row = FieldRow(side, spec.key, spec.label_zh, spec.label_en, box)
                row.edit.setPlaceholderText(spec.label_en)
                row.edit.textChanged.connect(self._revalidate)
                row.edit.installEventFilter(self)
                row.label.setObjectName(f"{side}.{spec.key}.label")
                row.label.installEventFilter(self)
                row.label.setToolTip(self.tr("Double-click to copy"))
                grid.addWidget(row.label, row_index, 0)
                grid.addWidget(row.edit, row_index, 1)
                grid.addWidget(row.badge, row_index, 2)
                self.rows[(side, spec.key)] = row
            layout.addWidget(box)
        self.summary = QLabel("", self)
        self.summary.setObjectName("validation-summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        layout.addStretch(1)

    # ------------------------------------------------------------------ data
    def set_page(self, side: Side, page: RecognitionResult) -> None:
        """Fill one section from a recognized page; the other section is kept (one customer,
        two pages)."""
        warnings = [f for f in map(Finding.from_json, page.extras.get("warnings") or [])
                    if f is not None]
        for (row_side, key), row in self.rows.items():
            if row_side is side:
                value = page.get(key)
                row.recognized = value
                row.engine_findings = [f for f in warnings if f.field == key]
                row.edit.blockSignals(True)
                row.edit.setText(value)
                row.edit.setCursorPosition(0)
                row.edit.blockSignals(False)
        self._revalidate()

    def set_result(self, result: RecognitionResult) -> None:
        for side, page in result.pages():
            if side in SECTIONS:
                self.set_page(side, page)

    def values(self, side: Side) -> dict[str, str]:
        return {key: row.edit.text().strip() for (row_side, key), row in self.rows.items()
                if row_side is side and row.edit.text().strip()}

    def has_values(self) -> bool:
        return any(row.edit.text() for row in self.rows.values())

    def clear(self) -> None:
        for row in self.rows.values():
            row.recognized = ""
            row.engine_findings = []
            row.edit.blockSignals(True)
            row.edit.clear()
            row.edit.blockSignals(False)
        self._revalidate()

    # ------------------------------------------------------------------ validation
    def findings(self) -> dict[Side, list[Finding]]:
        front, back = self.values(Side.FRONT), self.values(Side.BACK)
        out: dict[Side, list[Finding]] = {Side.FRONT: [], Side.BACK: []}
        if front:
            out[Side.FRONT] = validate_page(front, Side.FRONT, today=self._today)
        if back:
            out[Side.BACK] = validate_page(back, Side.BACK, today=self._today,
                                           nationality=front.get("nationality"))
            if front:
                out[Side.BACK] += cross_check(front, back)
        return out

    @Slot()
    def _revalidate(self) -> None:
        findings = self.findings()
        errors = warnings = 0
        for (side, key), row in self.rows.items():
            mine = [f for f in findings[side] if f.field == key]
            if not row.edited:  # the engine's doubts hold until the clerk has looked
                mine += row.engine_findings
            row.show_findings(mine)
            errors += sum(f.level is Level.ERROR for f in mine)
            warnings += sum(f.level is Level.WARNING for f in mine)
        if not self.has_values():
            self.summary.setText("")
        elif errors or warnings:
            self.summary.setText(self.tr("Checks: {errors} errors, {warnings} warnings").format(
                errors=errors, warnings=warnings))
        else:
            self.summary.setText(self.tr("All checks passed"))
        self.changed.emit()

    def copy_field(self, side: Side, key: str) -> None:
        row = self.rows[(side, key)]
        QApplication.clipboard().setText(row.edit.text().strip())
        self.field_copied.emit(str(side), key)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (isinstance(watched, QLineEdit) and event.type() == QEvent.Type.ShortcutOverride
                and isinstance(event, QKeyEvent) and event.matches(QKeySequence.StandardKey.Paste)
                and _clipboard_has_image()):
            return True  # not text to paste into a field: let the window's Paste take it
        if isinstance(watched, QLineEdit) and event.type() == QEvent.Type.FocusIn:
            side, _, key = watched.objectName().partition(".")
            self.field_focused.emit(side, key)
        elif isinstance(watched, QLabel) and event.type() == QEvent.Type.MouseButtonDblClick:
            side, _, rest = watched.objectName().partition(".")
            key = rest.removesuffix(".label")
            if (Side(side), key) in self.rows:
                self.copy_field(Side(side), key)
                return True
        return False
