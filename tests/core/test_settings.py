from __future__ import annotations

import json

from dlscan_gui.core.settings import (
    AuthMode,
    EngineChoice,
    Settings,
    load_settings,
    save_settings,
    settings_path,
)


def test_defaults_when_no_file():
    settings = load_settings()
    assert settings == Settings()
    assert settings.engine is EngineChoice.AUTO


def test_save_and_load_round_trip_in_the_config_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DLSCAN_CONFIG_DIR", str(tmp_path / "cfg"))
    saved = Settings(engine=EngineChoice.HUAWEI, project_id="p123", auth_mode=AuthMode.AKSK,
                     region="cn-east-3", read_timeout=12.5)
    path = save_settings(saved)
    assert path == tmp_path / "cfg" / "settings.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["engine"] == "huawei" and data["version"] == 1
    assert load_settings() == saved


def test_invalid_values_fall_back_to_defaults_and_unknown_keys_survive(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"engine": "quantum", "read_timeout": -3, "camera_index": "1",
                                "region": "ap-southeast-1", "future_option": [1, 2]}))
    settings = load_settings(path)
    assert settings.engine is EngineChoice.AUTO
    assert settings.read_timeout == Settings().read_timeout
    assert settings.camera_index == 0
    assert settings.region == "ap-southeast-1"
    save_settings(settings, path)
    assert json.loads(path.read_text())["future_option"] == [1, 2]


def test_corrupt_file_is_set_aside_not_lost(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    assert load_settings(path) == Settings()
    assert (tmp_path / "settings.json.bad").read_text(encoding="utf-8") == "{not json"
    assert not path.exists()


def test_settings_hold_no_secret_fields():
    names = set(Settings().to_json())
    assert not {n for n in names if any(s in n for s in ("password", "secret", "token", "sk"))}
    assert settings_path().name == "settings.json"
