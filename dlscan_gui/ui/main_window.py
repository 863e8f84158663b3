"""The counter window: open or drop a licence image, recognize it off the GUI thread, check and
edit the fields, copy them out. One customer is one record: the front and back pages fill the
same form until New customer (Ctrl+L)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from dlscan_gui import __version__
from dlscan_gui.core.errors import DlscanError
from dlscan_gui.core.export import (
    FileOutcome,
    append_csv,
    labelled_text,
    record_json,
    record_result,
    write_json,
)
from dlscan_gui.core.imaging import LoadedImage
from dlscan_gui.core.precheck import PrecheckReport
from dlscan_gui.core.schema import RecognitionResult, Side
from dlscan_gui.core.settings import Settings
from dlscan_gui.paths import resources_dir
from dlscan_gui.ui.camera import CANNOT_OPEN
from dlscan_gui.ui.camera_panel import CameraPanel
from dlscan_gui.ui.engine_setup import EngineSetup
from dlscan_gui.ui.fields_panel import FieldsPanel
from dlscan_gui.ui.i18n import normalize
from dlscan_gui.ui.image_view import ImageView
from dlscan_gui.ui.recognition import LoadedInput, RecognitionService, describe_findings
from dlscan_gui.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

SAMPLE = "synthetic-double-side.jpg"


class MainWindow(QMainWindow):
    def __init__(self, service: RecognitionService | None = None) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("dlscan driving licence reader {version}").format(
            version=__version__))
        self.setAcceptDrops(True)
        self.service = service or RecognitionService()
        self.tasks = TaskRunner(self)
        self.current: LoadedInput | None = None
        self.last_result: RecognitionResult | None = None
        self._queue: list[str] = []
        self._pending_report: tuple[LoadedImage, PrecheckReport] | None = None
        self._warnings_wait = True  # pre-check warnings wait for "Recognize anyway"
        self._build()
        self.tasks.busy_changed.connect(self._on_busy)
        self.engine_setup = EngineSetup(self.status_engine, self)
        self.engine_setup.start(self.service)

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        toolbar = QToolBar("main", self)
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        self.actions: dict[str, QAction] = {}
        for name, text, keys, slot in (
            ("open", self.tr("Open"), [QKeySequence.StandardKey.Open], self.open_dialog),
            ("paste", self.tr("Paste"), [QKeySequence.StandardKey.Paste], self.paste),
            ("recognize", self.tr("Recognize"), [QKeySequence(Qt.Key.Key_Return),
                                                 QKeySequence(Qt.Key.Key_Enter)], self.recognize),
            ("cancel", self.tr("Cancel"), [QKeySequence(Qt.Key.Key_Escape)], self.cancel),
            ("copy_all", self.tr("Copy all"), [QKeySequence("Ctrl+Shift+C")], self.copy_all),
            ("export", self.tr("Export"), [QKeySequence.StandardKey.Save], self.export_dialog),
            ("new", self.tr("New customer"), [QKeySequence("Ctrl+L")], self.new_customer),
            ("sample", self.tr("Try a sample"), [], self.try_sample),
            ("camera", self.tr("Camera"), [QKeySequence("F3")], self.toggle_camera),
            ("settings", self.tr("Settings"), [QKeySequence("Ctrl+,")], self.open_settings),
        ):
            action = QAction(text, self)
            action.setShortcuts(keys)
            action.triggered.connect(slot)
            toolbar.addAction(action)
            self.actions[name] = action
        self.actions["cancel"].setEnabled(False)
        self.actions["camera"].setCheckable(True)
        self.capture_action = QAction(self.tr("Capture"), self)
        self.capture_action.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self.capture_action.triggered.connect(self.capture)
        self.addAction(self.capture_action)
        self.side_box = QComboBox(self)
        for label, side in ((self.tr("Auto"), Side.AUTO), (self.tr("Front"), Side.FRONT),
                            (self.tr("Back"), Side.BACK), (self.tr("Both"), Side.DOUBLE_SIDE)):
            self.side_box.addItem(label, side)
        toolbar.addSeparator()
        side_label = QLabel(self.tr("Side:"), self)
        side_label.setContentsMargins(6, 0, 4, 0)
        toolbar.addWidget(side_label)
        toolbar.addWidget(self.side_box)
        toolbar.addSeparator()
        self.url_edit = QLineEdit(self)
        self.url_edit.setObjectName("image-url")
        self.url_edit.setPlaceholderText(self.tr("Image URL (cloud), Enter"))
        self.url_edit.setClearButtonEnabled(True)
        self.url_edit.setMinimumWidth(180)
        self.url_edit.returnPressed.connect(self.recognize_url)
        toolbar.addWidget(self.url_edit)

        self.view = ImageView(self)
        self.empty = self._empty_state()
        self.left = QStackedWidget(self)
        self.left.addWidget(self.empty)
        self.left.addWidget(self.view)
        self.camera_page = CameraPanel(self)
        self.camera_page.captured.connect(self._on_captured)
        self.camera_page.lost.connect(self._on_camera_lost)
        self.left.addWidget(self.camera_page)
        self.camera = self.camera_page.camera

        self.banner = QLabel("", self)
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.anyway_button = QPushButton(self.tr("Recognize anyway"), self)
        self.anyway_button.setObjectName("recognize-anyway")
        self.anyway_button.setVisible(False)
        self.anyway_button.clicked.connect(self.recognize)
        self.fields = FieldsPanel(self)
        self.fields.field_focused.connect(self._show_field_box)
        self.fields.field_copied.connect(self._on_field_copied)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.anyway_button)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.fields)
        right_layout.addWidget(scroll)

        splitter = QSplitter(self)
        splitter.addWidget(self.left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.setCentralWidget(splitter)

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy, no percentage
        self.progress.setMaximumWidth(160)
        self.progress.setVisible(False)
        self.status_engine = QLabel("", self)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.status_engine)
        self.resize(1200, 760)

    def _empty_state(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        hint = QLabel(self.tr("Drop a licence image here, or press Ctrl+O to open, Ctrl+V to "
                              "paste."), page)
        hint.setObjectName("empty-hint")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(hint)
        row = QHBoxLayout()
        row.addStretch(1)
        button = QPushButton(self.tr("Try a sample (synthetic licence)"), page)
        button.setObjectName("try-sample")
        button.clicked.connect(self.try_sample)
        row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    # ------------------------------------------------------------------ messages
    def show_message(self, text: str, *, error: bool = False) -> None:
        colour = "#cf222e" if error else "#9a6700"
        self.banner.setStyleSheet(f"color: {colour}; padding: 4px;")
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def show_error(self, error: BaseException) -> None:
        if isinstance(error, DlscanError):
            text = f"{error.message_zh}\n{error.message_en}\n[{error.code}]"
            if error.detail:
                text += f" {error.detail}"
        else:  # a bug: still no traceback on screen, and the fields are kept
            log.exception("unexpected error", exc_info=error)
            text = self.tr("Internal error: {name}").format(name=type(error).__name__)
        self.show_message(text, error=True)
        self.statusBar().showMessage(self.tr("Failed"), 5000)

    @Slot(str, str)
    def _on_field_copied(self, _side: str, key: str) -> None:
        self.statusBar().showMessage(self.tr("Copied: {field}").format(field=key), 3000)

    @Slot(bool)
    def _on_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.actions["cancel"].setEnabled(busy)

    # ------------------------------------------------------------------ sources
    def open_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Open licence images"), "",
            self.tr("Images (*.jpg *.jpeg *.png *.bmp *.tif *.tiff);;All files (*)"))
        if paths:
            self.open_files(paths)

    def open_files(self, paths: list[str]) -> None:
        """Several files: recognized in turn, merged into the same customer's record."""
        self._queue = list(paths[1:])
        self._load(lambda: self.service.load_path(paths[0]))

    def try_sample(self) -> None:
        self.open_files([str(resources_dir() / "samples" / SAMPLE)])

    def paste(self) -> None:
        mime = QApplication.clipboard().mimeData()
        self._load_mime(mime)

    def _load_mime(self, mime: QMimeData) -> None:
        if mime.hasUrls():
            paths = [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
            if paths:
                self.open_files(paths)
                return
        if mime.hasImage():
            image = mime.imageData()
            self._load(lambda: self.service.load_qimage(image))
            return
        self.show_message(self.tr("The clipboard holds no image"))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() or event.mimeData().hasImage():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        self._load_mime(event.mimeData())
        event.acceptProposedAction()

    def _load(self, work: Callable[[], LoadedInput]) -> None:
        self.tasks.invalidate()  # a new image: whatever was running is stale
        self._forget_pending()
        self._warnings_wait = True
        self.statusBar().showMessage(self.tr("Opening…"))
        self.tasks.run(work, self._on_loaded, self._on_load_failed)

    def _on_loaded(self, loaded: LoadedInput) -> None:
        self.current = loaded
        self.left.setCurrentWidget(self.view)
        self.view.show_image(loaded.image.pixels)
        self.view.show_outline(loaded.card_corners)
        self.show_message("")
        self.recognize()

    def _on_load_failed(self, error: BaseException) -> None:
        self.show_error(error)
        self._next_in_queue()

    # ------------------------------------------------------------------ recognition
    def recognize(self) -> None:
        """Pre-check, then recognize. Pre-check errors block; warnings wait for "Recognize
        anyway" (or Enter again), since a retake is often the better answer."""
        if self.current is None:
            self.show_message(self.tr("Open an image first"))
            return
        image: LoadedImage = self.current.image
        pending, self._pending_report = self._pending_report, None
        if pending is not None and pending[0] is image:
            self._recognize_checked(image, pending[1])
            return
        self.statusBar().showMessage(self.tr("Checking the image…"))
        self.tasks.run(lambda: (image, self.service.check(image)), self._on_checked,
                       self._on_recognize_failed)

    def _on_checked(self, checked: tuple[LoadedImage, PrecheckReport]) -> None:
        image, report = checked
        if report.errors:
            self.show_message(describe_findings(report.errors), error=True)
            self._next_in_queue()
            return
        if report.warnings and not self._warnings_wait:
            self._recognize_checked(image, report)
            self.show_message(describe_findings(report.warnings))
            return
        if report.warnings:
            self._pending_report = (image, report)
            self.show_message(describe_findings(report.warnings))
            self.anyway_button.setVisible(True)
            self.statusBar().showMessage(self.tr("Warnings: press Enter to recognize anyway"))
            return
        self._recognize_checked(image, report)

    def _recognize_checked(self, image: LoadedImage, report: PrecheckReport) -> None:
        self.anyway_button.setVisible(False)
        side = Side(self.side_box.currentData())
        self.statusBar().showMessage(self.tr("Recognizing…"))
        self.tasks.run(lambda: self.service.recognize(image, side, report), self._on_recognized,
                       self._on_recognize_failed)

    def _on_recognized(self, result: RecognitionResult) -> None:
        self.last_result = result
        self.fields.set_result(result)
        if self.banner.styleSheet().startswith("color: #cf222e"):
            self.show_message("")  # an old error no longer applies; warnings stay
        self.statusBar().showMessage(self.tr("Recognized"), 5000)
        self._next_in_queue()

    def recognize_url(self) -> None:
        """The API's url mode: nothing is downloaded here; the service fetches the image."""
        url = self.url_edit.text().strip()
        if not url:
            return
        self.tasks.invalidate()
        self._forget_pending()
        self.current = None
        self.view.clear()
        self.left.setCurrentWidget(self.empty)
        side = Side(self.side_box.currentData())
        self.statusBar().showMessage(self.tr("Recognizing the URL…"))
        self.tasks.run(lambda: self.service.recognize_url(url, side), self._on_recognized,
                       self._on_recognize_failed)

    def _on_recognize_failed(self, error: BaseException) -> None:
        self.show_error(error)  # the clerk's fields stay as they were
        self._next_in_queue()

    def _next_in_queue(self) -> None:
        if self._queue:
            path = self._queue.pop(0)
            self.tasks.run(lambda: self.service.load_path(path), self._on_loaded,
                           self._on_load_failed)

    def _forget_pending(self) -> None:
        self._pending_report = None
        self.anyway_button.setVisible(False)

    def cancel(self) -> None:
        self.tasks.invalidate()
        self._forget_pending()
        self._queue.clear()
        self.statusBar().showMessage(self.tr("Cancelled"), 3000)

    @Slot(str, str)
    def _show_field_box(self, side: str, key: str) -> None:
        quad = None
        if self.last_result is not None:
            for page_side, page in self.last_result.pages():
                if str(page_side) == side:
                    quad = page.text_location.get(key)
        self.view.show_field(quad)

    # ------------------------------------------------------------------ hand-over
    def copy_all(self) -> None:
        front, back = self.fields.values(Side.FRONT), self.fields.values(Side.BACK)
        mime = QMimeData()
        mime.setText(labelled_text(front, back))
        mime.setData("application/json", json.dumps(record_json(front, back),
                                                    ensure_ascii=False).encode("utf-8"))
        QApplication.clipboard().setMimeData(mime)
        self.statusBar().showMessage(self.tr("Copied"), 3000)

    def export_dialog(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self, self.tr("Export"), "", self.tr("CSV, append a row (*.csv);;JSON (*.json)"))
        if path:
            self.export_to(Path(path), json_format=chosen.startswith("JSON")
                           or path.lower().endswith(".json"))

    def export_to(self, path: Path, *, json_format: bool) -> None:
        front, back = self.fields.values(Side.FRONT), self.fields.values(Side.BACK)
        if not front and not back:
            self.show_message(self.tr("Nothing to export"))
            return
        try:
            if json_format:
                write_json(path, record_json(front, back))
            else:
                name = self.current.image.name if self.current else ""
                append_csv(path, FileOutcome(name, record_result(front, back)))
        except OSError as error:
            self.show_message(self.tr("Export failed: {reason} ({path})").format(
                reason=error.strerror, path=path), error=True)
            return
        self.statusBar().showMessage(self.tr("Exported: {path}").format(path=path), 5000)

    # ------------------------------------------------------------------ camera
    def toggle_camera(self, checked: bool | None = None) -> None:
        if self.camera.running:
            self.stop_camera()
        else:
            self.start_camera()

    def start_camera(self, source: int | str | None = None) -> None:
        """Live preview of the camera in settings (or ``source``: an index or a video file)."""
        self.tasks.invalidate()
        self._forget_pending()
        self.show_message("")  # an old message is about the old image
        settings = self.service.settings
        self.camera_page.start(settings.camera_index if source is None else source,
                               auto_capture=settings.auto_capture)
        self.actions["camera"].setChecked(True)
        self.left.setCurrentWidget(self.camera_page)
        self.camera_page.setFocus()

    def stop_camera(self) -> None:
        self.camera_page.stop()
        self.actions["camera"].setChecked(False)
        if self.left.currentWidget() is self.camera_page:
            self.left.setCurrentWidget(self.view if self.view.has_image else self.empty)

    def capture(self) -> None:
        if self.left.currentWidget() is self.camera_page:
            self.camera_page.capture()

    @Slot(object)
    def _on_captured(self, frame: object) -> None:
        """Read a captured frame like an opened file."""
        self.stop_camera()
        self._load(lambda: self.service.load_frame(frame))
        # The live guidance already judged this frame: warnings inform, they do not wait.
        self._warnings_wait = False

    @Slot(str)
    def _on_camera_lost(self, why: str) -> None:
        self.stop_camera()
        self.show_message(self.tr("Cannot open the camera") if why == CANNOT_OPEN else
                          self.tr("The camera stopped delivering frames (unplugged?)"), error=True)

    def open_settings(self) -> None:
        from dlscan_gui.core.secrets import SecretStore
        from dlscan_gui.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.service.settings, SecretStore(), self)
        dialog.setObjectName("settings-dialog")
        if dialog.exec() and dialog.saved is not None:
            self.apply_settings(dialog.saved)

    def apply_settings(self, settings: Settings) -> None:
        """New settings: a new engine from now on (what is running finishes with the old)."""
        language_changed = normalize(settings.language) != normalize(
            self.service.settings.language)
        self.service = RecognitionService(settings)
        self.engine_setup.start(self.service)
        self.statusBar().showMessage(self.tr("Settings saved"), 3000)
        if language_changed:  # the widgets were built in the old language
            self.show_message(self.tr("The new language shows after dlscan is restarted."))

    def new_customer(self) -> None:
        """Wipe the image and every field from memory and screen."""
        self.tasks.invalidate()
        self._forget_pending()
        self._queue.clear()
        self.current = None
        self.last_result = None
        self.view.clear()
        self.left.setCurrentWidget(self.empty)
        self.fields.clear()
        self.show_message("")
        self.statusBar().showMessage(self.tr("New customer"), 3000)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.camera_page.stop()  # the device is released, its thread joined
        self.tasks.invalidate()
        self.engine_setup.stop(10000)
        self.tasks.wait(10000)  # no worker outlives the window
        super().closeEvent(event)


def open_paths_from_argv(window: MainWindow, argv: list[str]) -> None:
    paths = [arg for arg in argv if not arg.startswith("-") and Path(arg).exists()]
    if paths:
        window.open_files(paths)
