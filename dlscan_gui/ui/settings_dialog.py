"""Settings: which engine, where, and with what credentials. Secrets go to the OS keyring
through core/secrets.py and are never shown back: a stored one appears as a placeholder, and
typing a new value replaces it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dlscan_gui.core.cameras import list_cameras
from dlscan_gui.core.engine_config import resolve
from dlscan_gui.core.errors import DlscanError, SecretStoreError
from dlscan_gui.core.secrets import BackendStatus, SecretName, SecretStore
from dlscan_gui.core.settings import AuthMode, EngineChoice, Settings, save_settings
from dlscan_gui.engines.factory import create_recognizer
from dlscan_gui.ui.i18n import LANGUAGES, normalize
from dlscan_gui.ui.tasks import TaskRunner

SECRET_FIELDS = [("iam_password", SecretName.IAM_PASSWORD), ("access_key", SecretName.ACCESS_KEY),
                 ("secret_key", SecretName.SECRET_KEY),
                 ("security_token", SecretName.SECURITY_TOKEN), ("token", SecretName.TOKEN)]


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, store: SecretStore,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.settings, self.store = settings, store
        self.tasks = TaskRunner(self, max_threads=1)
        self.saved: Settings | None = None
        form = QFormLayout()
        self.engine = self._combo([
            (self.tr("Auto (cloud with an account, else offline)"), EngineChoice.AUTO),
            (self.tr("Offline on this PC"), EngineChoice.LOCAL),
            (self.tr("Huawei Cloud OCR"), EngineChoice.HUAWEI),
            (self.tr("Recognition server (URL)"), EngineChoice.SERVER)], settings.engine, "engine")
        self.region = self._line(settings.region, "region", "cn-north-4")
        self.endpoint = self._line(settings.endpoint, "endpoint", self.tr(
            "https://ocr.cn-north-4.myhuaweicloud.com or http://192.168.1.20:8080"))
        self.project_id = self._line(settings.project_id, "project_id", self.tr("project id"))
        self.auth_mode = self._combo([
            (self.tr("IAM user + password"), AuthMode.IAM),
            (self.tr("Access keys (AK/SK)"), AuthMode.AKSK),
            (self.tr("Pasted token"), AuthMode.TOKEN),
            (self.tr("None (open server)"), AuthMode.NONE)], settings.auth_mode, "auth_mode")
        self.iam_user = self._line(settings.iam_user, "iam_user", self.tr("IAM user name"))
        self.iam_domain = self._line(settings.iam_domain, "iam_domain", self.tr("account name"))
        secret_labels = {"iam_password": self.tr("IAM password"), "access_key": "AK",
                         "secret_key": "SK", "security_token": self.tr("Security token"),
                         "token": self.tr("Token")}
        self.secrets: dict[str, QLineEdit] = {}
        for key, _name in SECRET_FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName(key)
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setPlaceholderText(secret_labels[key])  # until the keyring has answered
            self.secrets[key] = edit
        self.camera_index = QComboBox(self)
        self.camera_index.setObjectName("camera_index")
        for index, label in self._camera_choices(settings.camera_index):
            self.camera_index.addItem(label, index)
        self.camera_index.setCurrentIndex(self.camera_index.findData(settings.camera_index))
        self.auto_capture = QCheckBox(self.tr("Auto-capture when the card is steady and sharp"),
                                      self)
        self.auto_capture.setObjectName("auto_capture")
        self.auto_capture.setChecked(settings.auto_capture)
        self.authority = QCheckBox(self.tr("Read the issuing authority"), self)
        self.authority.setObjectName("return_issuing_authority")
        self.authority.setChecked(settings.return_issuing_authority)
        self.language = QComboBox(self)
        self.language.setObjectName("language")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(normalize(settings.language))))
        for label, widget in ((self.tr("Engine"), self.engine), (self.tr("Region"), self.region),
                              (self.tr("Endpoint"), self.endpoint),
                              (self.tr("Project"), self.project_id),
                              (self.tr("Auth"), self.auth_mode),
                              (self.tr("IAM user"), self.iam_user),
                              (self.tr("Account"), self.iam_domain)):
            form.addRow(label, widget)
        for key, _name in SECRET_FIELDS:
            form.addRow(secret_labels[key], self.secrets[key])
        form.addRow("", self.authority)
        form.addRow(self.tr("Camera"), self.camera_index)
        form.addRow("", self.auto_capture)
        form.addRow(self.tr("Language (after a restart)"), self.language)

        # The keyring is read off the GUI thread: a locked Secret Service can take seconds.
        self.keyring_ready = False
        self.keyring_label = QLabel("正在读取密码存储… / Reading the password store…", self)
        self.keyring_label.setObjectName("keyring-status")
        self.keyring_label.setWordWrap(True)
        self.result_label = QLabel("", self)
        self.result_label.setObjectName("test-result")
        self.result_label.setWordWrap(True)
        self.test_button = QPushButton(self.tr("Test connection"), self)
        self.test_button.setObjectName("test-connection")
        self.test_button.clicked.connect(self.test_connection)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.keyring_label)
        layout.addWidget(self.test_button)
        layout.addWidget(self.result_label)
        layout.addWidget(buttons)
        self.auth_mode.currentIndexChanged.connect(self._show_auth_fields)
        self._show_auth_fields()
        self.tasks.run(partial(_keyring_view, store), self._show_keyring, self._keyring_failed)

    def _show_keyring(self, view: tuple[BackendStatus, set[SecretName]]) -> None:
        status, stored = view
        self.keyring_label.setText(f"{status.message.zh}\n{status.message.en}")
        self.keyring_label.setStyleSheet("" if status.secure else "color: #cf222e;")
        for key, name in SECRET_FIELDS:
            if name in stored:
                self.secrets[key].setPlaceholderText(self.stored_placeholder())
        self.keyring_ready = True

    def _keyring_failed(self, error: BaseException) -> None:
        detail = f"{error.message_zh}\n{error.message_en}" if isinstance(error, DlscanError) \
            else type(error).__name__
        self.keyring_label.setText(f"无法读取密码存储 / The password store cannot be read\n"
                                   f"{detail}")
        self.keyring_label.setStyleSheet("color: #cf222e;")
        self.keyring_ready = True

    def stored_placeholder(self) -> str:
        """What a secret's field shows when the keyring already holds it."""
        return self.tr("(stored; leave empty to keep)")

    def _camera_choices(self, current: int) -> list[tuple[int, str]]:
        """The cameras the OS names (Linux), else numbers 0–9; the saved one is always there."""
        named = {device.index: device.name for device in list_cameras()}
        indices = sorted(named) if named else list(range(10))
        if current not in indices:
            indices.append(current)
        return [(index, self.tr("{index}: {name}").format(index=index, name=named[index])
                 if named.get(index) else self.tr("Camera {index}").format(index=index))
                for index in indices]

    def _combo(self, items: list, current: object, name: str) -> QComboBox:
        box = QComboBox(self)
        box.setObjectName(name)
        for label, value in items:
            box.addItem(label, str(value))  # Qt hands enums back as plain strings anyway
        box.setCurrentIndex(max(0, box.findData(str(current))))
        return box

    def _line(self, value: str, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(value, self)
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        return edit

    @Slot()
    def _show_auth_fields(self) -> None:
        mode = AuthMode(self.auth_mode.currentData())
        visible = {"iam_password": mode is AuthMode.IAM,
                   "access_key": mode is AuthMode.AKSK, "secret_key": mode is AuthMode.AKSK,
                   "security_token": mode is AuthMode.AKSK, "token": mode is AuthMode.TOKEN}
        for key, edit in self.secrets.items():
            edit.setEnabled(visible[key])
        for edit in (self.iam_user, self.iam_domain):
            edit.setEnabled(mode is AuthMode.IAM)

    # ------------------------------------------------------------------ values
    def chosen_settings(self) -> Settings:
        return replace(
            self.settings,
            engine=EngineChoice(self.engine.currentData()), region=self.region.text().strip(),
            endpoint=self.endpoint.text().strip(), project_id=self.project_id.text().strip(),
            auth_mode=AuthMode(self.auth_mode.currentData()),
            iam_user=self.iam_user.text().strip(),
            iam_domain=self.iam_domain.text().strip(),
            return_issuing_authority=self.authority.isChecked(),
            camera_index=int(self.camera_index.currentData()),
            auto_capture=self.auto_capture.isChecked(), language=str(self.language.currentData()))

    def typed_secrets(self) -> dict[SecretName, str]:
        return {name: self.secrets[key].text() for key, name in SECRET_FIELDS
                if self.secrets[key].isEnabled() and self.secrets[key].text()}

    @Slot()
    def save(self) -> None:
        try:
            for name, value in self.typed_secrets().items():
                self.store.set(name, value)
        except SecretStoreError as error:
            self.result_label.setStyleSheet("color: #cf222e;")
            self.result_label.setText(f"{error.message_zh}\n{error.message_en}")
            return  # stay open: nothing the clerk typed is lost
        self.saved = self.chosen_settings()
        save_settings(self.saved)
        self.accept()

    # ------------------------------------------------------------------ test
    @Slot()
    def test_connection(self) -> None:
        settings, typed = self.chosen_settings(), self.typed_secrets()
        store = _OverlayStore(self.store, typed)
        self.result_label.setStyleSheet("")
        self.result_label.setText(self.tr("Testing…"))
        self.test_button.setEnabled(False)
        self.tasks.run(_checker(settings, store), self._tested, self._test_failed)

    def _tested(self, engine_name: str) -> None:
        self.test_button.setEnabled(True)
        self.result_label.setStyleSheet("color: #1a7f37;")
        self.result_label.setText(self.tr("Connection works ({engine})").format(
            engine=engine_name))

    def _test_failed(self, error: BaseException) -> None:
        self.test_button.setEnabled(True)
        self.result_label.setStyleSheet("color: #cf222e;")
        if isinstance(error, DlscanError):
            self.result_label.setText(f"{error.message_zh}\n{error.message_en}\n[{error.code}]"
                                      + (f" {error.detail}" if error.detail else ""))
        else:
            self.result_label.setText(self.tr("Failed: {name}").format(
                name=type(error).__name__))

    def done(self, result: int) -> None:
        self.tasks.invalidate()
        self.tasks.wait(15000)
        super().done(result)


def _keyring_view(store: SecretStore) -> tuple[BackendStatus, set[SecretName]]:
    """The store's status and which secrets it holds (never their values: those stay off the
    GUI thread)."""
    return store.status(), {name for _key, name in SECRET_FIELDS if store.get(name)}


class _OverlayStore(SecretStore):
    """The keyring, with what the clerk just typed on top (for a test before saving)."""

    def __init__(self, base: SecretStore, typed: dict[SecretName, str]) -> None:
        super().__init__(base.backend)
        self._typed = typed

    def get(self, name: SecretName) -> str | None:
        return self._typed.get(name) or super().get(name)


def _checker(settings: Settings, store: SecretStore) -> Callable[[], str]:
    def check() -> str:
        config = resolve(settings, store, env={})
        recognizer = create_recognizer(config)
        check_connection = getattr(recognizer, "check_connection", None)
        if check_connection is not None:
            check_connection()
        else:  # the offline engine: loading its models is the test
            recognizer.warm_up()  # type: ignore[attr-defined]
        return str(config.engine)

    return check
