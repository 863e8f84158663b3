"""Settings: which engine, where, and with what credentials. Secrets go to the OS keyring
through core/secrets.py and are never shown back: a stored one appears as a placeholder, and
typing a new value replaces it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

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
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dlscan_gui.core.engine_config import resolve
from dlscan_gui.core.errors import DlscanError, SecretStoreError
from dlscan_gui.core.secrets import SecretName, SecretStore
from dlscan_gui.core.settings import AuthMode, EngineChoice, Settings, save_settings
from dlscan_gui.engines.factory import create_recognizer
from dlscan_gui.ui.tasks import TaskRunner

ENGINES = [("自动（有账号用云端，否则离线）/ Auto", EngineChoice.AUTO),
           ("离线识别（本机）/ Offline on this PC", EngineChoice.LOCAL),
           ("华为云OCR / Huawei Cloud OCR", EngineChoice.HUAWEI),
           ("识别服务器 / Recognition server (URL)", EngineChoice.SERVER)]
AUTH_MODES = [("IAM 用户名+密码 / IAM user + password", AuthMode.IAM),
              ("AK/SK 访问密钥 / Access keys", AuthMode.AKSK),
              ("Token（粘贴）/ Pasted token", AuthMode.TOKEN),
              ("无需认证 / None (open server)", AuthMode.NONE)]
SECRET_FIELDS = [("iam_password", SecretName.IAM_PASSWORD, "IAM 密码 / password"),
                 ("access_key", SecretName.ACCESS_KEY, "AK"),
                 ("secret_key", SecretName.SECRET_KEY, "SK"),
                 ("security_token", SecretName.SECURITY_TOKEN, "安全令牌 / security token"),
                 ("token", SecretName.TOKEN, "Token")]
STORED = "（已保存，留空则不变）/ (stored; leave empty to keep)"


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, store: SecretStore,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("设置 / Settings")
        self.settings, self.store = settings, store
        self.tasks = TaskRunner(self, max_threads=1)
        self.saved: Settings | None = None
        form = QFormLayout()
        self.engine = self._combo(ENGINES, settings.engine, "engine")
        self.region = self._line(settings.region, "region", "cn-north-4")
        self.endpoint = self._line(settings.endpoint, "endpoint",
                                   "https://ocr.cn-north-4.myhuaweicloud.com 或/or http://192.168.1.20:8080")
        self.project_id = self._line(settings.project_id, "project_id", "项目ID / project id")
        self.auth_mode = self._combo(AUTH_MODES, settings.auth_mode, "auth_mode")
        self.iam_user = self._line(settings.iam_user, "iam_user", "IAM 用户名 / user")
        self.iam_domain = self._line(settings.iam_domain, "iam_domain", "账号名 / account")
        self.secrets: dict[str, QLineEdit] = {}
        for key, name, label in SECRET_FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName(key)
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setPlaceholderText(STORED if store.get(name) else label)
            self.secrets[key] = edit
        self.camera_index = QSpinBox(self)
        self.camera_index.setObjectName("camera_index")
        self.camera_index.setRange(0, 9)
        self.camera_index.setValue(settings.camera_index)
        self.auto_capture = QCheckBox("卡片稳定清晰时自动拍摄 / Auto-capture when the card is "
                                      "steady and sharp", self)
        self.auto_capture.setObjectName("auto_capture")
        self.auto_capture.setChecked(settings.auto_capture)
        self.authority = QCheckBox("识别发证机关 / Read the issuing authority", self)
        self.authority.setObjectName("return_issuing_authority")
        self.authority.setChecked(settings.return_issuing_authority)
        for label, widget in (("识别引擎 / Engine", self.engine), ("区域 / Region", self.region),
                              ("服务地址 / Endpoint", self.endpoint),
                              ("项目ID / Project", self.project_id),
                              ("认证方式 / Auth", self.auth_mode),
                              ("IAM 用户 / User", self.iam_user),
                              ("账号 / Account", self.iam_domain)):
            form.addRow(label, widget)
        for key, _name, label in SECRET_FIELDS:
            form.addRow(label, self.secrets[key])
        form.addRow("", self.authority)
        form.addRow("摄像头编号 / Camera", self.camera_index)
        form.addRow("", self.auto_capture)

        status = store.status()
        self.keyring_label = QLabel(f"{status.message.zh}\n{status.message.en}", self)
        self.keyring_label.setObjectName("keyring-status")
        self.keyring_label.setWordWrap(True)
        self.keyring_label.setStyleSheet("" if status.secure else "color: #cf222e;")
        self.result_label = QLabel("", self)
        self.result_label.setObjectName("test-result")
        self.result_label.setWordWrap(True)
        self.test_button = QPushButton("测试连接 / Test connection", self)
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
            camera_index=self.camera_index.value(), auto_capture=self.auto_capture.isChecked())

    def typed_secrets(self) -> dict[SecretName, str]:
        return {name: self.secrets[key].text() for key, name, _label in SECRET_FIELDS
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
        self.result_label.setText("正在测试… / Testing…")
        self.test_button.setEnabled(False)
        self.tasks.run(_checker(settings, store), self._tested, self._test_failed)

    def _tested(self, engine_name: str) -> None:
        self.test_button.setEnabled(True)
        self.result_label.setStyleSheet("color: #1a7f37;")
        self.result_label.setText(f"连接正常 / Connection works ({engine_name})")

    def _test_failed(self, error: BaseException) -> None:
        self.test_button.setEnabled(True)
        self.result_label.setStyleSheet("color: #cf222e;")
        if isinstance(error, DlscanError):
            self.result_label.setText(f"{error.message_zh}\n{error.message_en}\n[{error.code}]"
                                      + (f" {error.detail}" if error.detail else ""))
        else:
            self.result_label.setText(f"失败 / Failed: {type(error).__name__}")

    def done(self, result: int) -> None:
        self.tasks.invalidate()
        self.tasks.wait(15000)
        super().done(result)


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
