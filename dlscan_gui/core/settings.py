"""Typed, versioned, non-secret settings, stored as JSON in the user's config directory.

Secrets (passwords, SK, tokens) never live here: they go through ``core/secrets.py``. A corrupt
or foreign settings file never stops the app: it is set aside and defaults are used.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from dataclasses import dataclass, field, fields
from enum import StrEnum
from pathlib import Path
from typing import Any

import platformdirs

log = logging.getLogger(__name__)

SETTINGS_VERSION = 1
APP_NAME = "dlscan"
# Lets tests, portable installs and IT scripts put the settings elsewhere.
CONFIG_DIR_ENV = "DLSCAN_CONFIG_DIR"


class EngineChoice(StrEnum):
    AUTO = "auto"  # Huawei Cloud when credentials are configured, else offline
    LOCAL = "local"  # offline engine on this PC
    HUAWEI = "huawei"  # Huawei Cloud OCR
    SERVER = "server"  # a Huawei-compatible server at `endpoint` (e.g. dlscan-cli serve)


class AuthMode(StrEnum):
    IAM = "iam"  # IAM user name + password + account (domain) → token
    AKSK = "aksk"  # access key + secret key signing
    TOKEN = "token"  # a pasted X-Auth-Token
    NONE = "none"  # an open server on this machine or the office network


@dataclass
class Settings:
    version: int = SETTINGS_VERSION
    engine: EngineChoice = EngineChoice.AUTO
    region: str = "cn-north-4"
    endpoint: str = ""  # OCR base URL; empty = https://ocr.{region}.myhuaweicloud.com
    project_id: str = ""
    auth_mode: AuthMode = AuthMode.IAM
    iam_user: str = ""
    iam_domain: str = ""  # the account name; for the account's own user it equals iam_user
    iam_endpoint: str = ""  # empty = https://iam.{region}.myhuaweicloud.com
    return_issuing_authority: bool = True
    return_text_location: bool = False
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    language: str = "zh_CN"
    camera_index: int = 0
    auto_capture: bool = True
    extra: dict[str, Any] = field(default_factory=dict)  # keys written by newer versions

    def to_json(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}
        data = {k: (str(v) if isinstance(v, StrEnum) else v) for k, v in data.items()}
        return {**self.extra, **data}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Settings:
        """Build settings from JSON, keeping what is valid and defaulting what is not."""
        data = _migrate(dict(data))
        defaults = cls()
        kwargs: dict[str, Any] = {}
        known = {f.name for f in fields(cls)} - {"extra"}
        for f in fields(cls):
            if f.name == "extra" or f.name not in data:
                continue
            default = getattr(defaults, f.name)
            value = _coerce(data[f.name], default)
            if value is None:
                log.warning("settings: ignoring invalid value for %s", f.name)
                continue
            kwargs[f.name] = value
        kwargs["extra"] = {k: v for k, v in data.items() if k not in known}
        kwargs["version"] = SETTINGS_VERSION
        return cls(**kwargs)


def _coerce(value: Any, default: Any) -> Any:
    """``value`` converted to the type of ``default``, or None when it cannot be."""
    if isinstance(default, StrEnum):
        try:
            return type(default)(value)
        except ValueError:
            return None
    if isinstance(default, bool):
        return value if isinstance(value, bool) else None
    if isinstance(default, int):
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(default, float):
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            return float(value)
        return None
    if isinstance(default, str):
        return value.strip() if isinstance(value, str) else None
    return None


def _migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Upgrade older files. Version 1 is the first; future versions add steps here."""
    version = data.get("version", SETTINGS_VERSION)
    if not isinstance(version, int) or version > SETTINGS_VERSION:
        log.warning(
            "settings: written by a newer dlscan (version %r); reading what we know", version
        )
    return data


def config_dir() -> Path:
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False, roaming=True))


def settings_path() -> Path:
    return config_dir() / "settings.json"


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings; a missing file gives defaults, a corrupt one is kept aside as
    ``settings.json.bad`` (so nothing the user set is silently destroyed) and gives defaults."""
    path = path or settings_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        log.warning("settings: cannot read %s: %s", path, exc.strerror)
        return Settings()
    try:
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("not an object")
    except ValueError:
        backup = path.with_name(path.name + ".bad")
        log.warning("settings: %s is corrupt; moved to %s, using defaults", path, backup)
        try:
            os.replace(path, backup)
        except OSError:
            pass
        return Settings()
    return Settings.from_json(data)


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write atomically (temp file + rename) so a crash never leaves half a file."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(settings.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)
    return path


def replace(settings: Settings, **changes: Any) -> Settings:
    return dataclasses.replace(settings, **changes)
