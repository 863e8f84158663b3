"""Shared fixtures. Every test runs isolated from the developer's machine: its own config dir,
no credentials from the environment, and a keyring that stores nothing unless a test installs
a real backend itself."""

from __future__ import annotations

import keyring
import keyring.backends.fail
import pytest

from dlscan_gui.core.engine_config import ENV_VARS


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory, monkeypatch):
    config_dir = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("DLSCAN_CONFIG_DIR", str(config_dir))
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def secure_keyring(tmp_path):
    """A real, encrypted, file-backed keyring (keyrings.cryptfile) installed as the default."""
    from keyrings.cryptfile.cryptfile import CryptFileKeyring

    backend = CryptFileKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")
    backend.keyring_key = "test-only-passphrase"
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def plaintext_keyring(tmp_path):
    """A real keyring backend that writes secrets in clear text (keyrings.alt)."""
    from keyrings.alt.file import PlaintextKeyring

    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "plain.cfg")
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def fake_huawei():
    """A running FakeHuawei (tests/fake_huawei.py): Huawei IAM + OCR on 127.0.0.1, stopped
    after the test."""
    from tests.fake_huawei import FakeHuawei

    with FakeHuawei() as fake:
        yield fake


@pytest.fixture(scope="session")
def local_engine():
    """One warmed-up offline engine for the whole run (the models load once)."""
    from dlscan_gui.engines.local.engine import LocalRecognizer

    engine = LocalRecognizer()
    engine.warm_up()
    return engine
