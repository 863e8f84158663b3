"""The only module that touches ``keyring``. Secrets live in the OS store (Windows Credential
Manager, macOS Keychain, Secret Service on Linux) under the service name ``dlscan``.

When no secure store is available (keyring's ``fail``/``null`` backends, or a plaintext file
backend) we say so and refuse to store, instead of silently failing or writing secrets to disk
in clear text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend

from dlscan_gui.core.errors import Message, SecretStoreError

log = logging.getLogger(__name__)

SERVICE = "dlscan"


class SecretName(StrEnum):
    IAM_PASSWORD = "iam_password"
    ACCESS_KEY = "access_key"
    SECRET_KEY = "secret_key"
    SECURITY_TOKEN = "security_token"
    TOKEN = "token"


# Backends that keep secrets nowhere, or in a readable file.
_NOWHERE = {"keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"}
_PLAINTEXT = {
    "keyrings.alt.file.PlaintextKeyring",
    "keyrings.alt.Windows.RegistryKeyring",
    "keyrings.alt.multi.MultipartKeyringWrapper",
}


@dataclass(frozen=True)
class BackendStatus:
    name: str  # what the user sees: "Windows Credential Manager", class path otherwise
    secure: bool
    message: Message


_FRIENDLY = {
    "keyring.backends.Windows.WinVaultKeyring": "Windows 凭据管理器 / Windows Credential Manager",
    "keyring.backends.macOS.Keyring": "macOS 钥匙串 / macOS Keychain",
    "keyring.backends.SecretService.Keyring": "Secret Service (GNOME Keyring / KWallet)",
    "keyring.backends.kwallet.DBusKeyring": "KWallet",
}


def _class_path(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _effective(backend: KeyringBackend) -> KeyringBackend | None:
    """The backend that would actually store a secret (a chainer writes to its first one)."""
    if isinstance(backend, ChainerBackend):
        backends = list(backend.backends)
        return backends[0] if backends else None
    return backend


def backend_status(backend: KeyringBackend | None = None) -> BackendStatus:
    backend = backend if backend is not None else keyring.get_keyring()
    effective = _effective(backend)
    if effective is None:
        path = "keyring.backends.chainer.ChainerBackend (empty)"
    else:
        path = _class_path(effective)
    name = _FRIENDLY.get(path, path)
    if effective is None or path in _NOWHERE:
        return BackendStatus(
            name,
            False,
            Message(
                "本机没有可用的安全密码存储（钥匙串）：无法保存密钥。"
                "Linux请安装并解锁GNOME Keyring或KWallet。",
                "No secure password store (keyring) is available, so secrets cannot be saved. "
                "On Linux, install and unlock GNOME Keyring or KWallet.",
            ),
        )
    if path in _PLAINTEXT:
        return BackendStatus(
            name,
            False,
            Message(
                f"密码存储 {name} 以明文保存在磁盘上，不安全：已拒绝保存密钥。",
                f"The password store {name} keeps secrets in plain text on disk; "
                "refusing to save secrets there.",
            ),
        )
    return BackendStatus(
        name, True, Message(f"密钥保存在 {name}。", f"Secrets are kept in {name}.")
    )


class SecretStore:
    """Get, set and delete dlscan's secrets. Pass a backend in tests; the default is the one
    keyring selects for this machine (or the one PYTHON_KEYRING_BACKEND names)."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend

    @property
    def backend(self) -> KeyringBackend:
        return self._backend if self._backend is not None else keyring.get_keyring()

    def status(self) -> BackendStatus:
        return backend_status(self.backend)

    def get(self, name: SecretName) -> str | None:
        """The stored secret, or None when it is not stored or no store is available."""
        if not self.status().secure:
            return None
        try:
            return self.backend.get_password(SERVICE, str(name))
        except keyring.errors.KeyringError as exc:
            raise SecretStoreError("DLSCAN.KEYRING_ERROR", type(exc).__name__) from exc

    def set(self, name: SecretName, value: str) -> None:
        status = self.status()
        if not status.secure:
            raise SecretStoreError("DLSCAN.KEYRING_INSECURE", status.name)
        try:
            self.backend.set_password(SERVICE, str(name), value)
        except keyring.errors.KeyringError as exc:
            raise SecretStoreError("DLSCAN.KEYRING_ERROR", type(exc).__name__) from exc
        log.info("secret %s stored in %s", name, status.name)

    def delete(self, name: SecretName) -> bool:
        """Remove a secret; True if one was removed."""
        if not self.status().secure:
            return False
        try:
            self.backend.delete_password(SERVICE, str(name))
        except keyring.errors.PasswordDeleteError:
            return False
        except keyring.errors.KeyringError as exc:
            raise SecretStoreError("DLSCAN.KEYRING_ERROR", type(exc).__name__) from exc
        return True

    def clear(self) -> list[SecretName]:
        return [name for name in SecretName if self.delete(name)]


def mask(secret: str | None) -> str:
    """How a secret is shown: never its value, only that it is there and how long it is."""
    if not secret:
        return "（未设置） / (not set)"
    return f"{'•' * 8} （已设置，{len(secret)}位） / (set, {len(secret)} characters)"
