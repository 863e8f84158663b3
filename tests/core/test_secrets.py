from __future__ import annotations

import keyring
import keyring.backends.fail
import keyring.backends.null
import pytest

from dlscan_gui.core.errors import SecretStoreError
from dlscan_gui.core.secrets import SERVICE, SecretName, SecretStore, backend_status, mask


def test_real_encrypted_backend_stores_reads_and_deletes(secure_keyring, tmp_path):
    store = SecretStore()
    assert store.status().secure
    store.set(SecretName.SECRET_KEY, "s3cr3t-value")
    assert store.get(SecretName.SECRET_KEY) == "s3cr3t-value"
    # It really went through keyring under our service name, and not in clear text on disk.
    assert keyring.get_password(SERVICE, "secret_key") == "s3cr3t-value"
    assert b"s3cr3t-value" not in (tmp_path / "keyring.cfg").read_bytes()
    assert store.delete(SecretName.SECRET_KEY)
    assert store.get(SecretName.SECRET_KEY) is None
    assert not store.delete(SecretName.SECRET_KEY)


def test_clear_removes_every_secret(secure_keyring):
    store = SecretStore()
    store.set(SecretName.TOKEN, "t")
    store.set(SecretName.IAM_PASSWORD, "p")
    assert set(store.clear()) == {SecretName.TOKEN, SecretName.IAM_PASSWORD}
    assert all(store.get(name) is None for name in SecretName)


@pytest.mark.parametrize("backend", [keyring.backends.fail.Keyring(),
                                     keyring.backends.null.Keyring()])
def test_no_store_is_reported_and_refused(backend):
    store = SecretStore(backend)
    status = store.status()
    assert not status.secure
    assert "安全密码存储" in status.message.zh
    with pytest.raises(SecretStoreError) as caught:
        store.set(SecretName.TOKEN, "x")
    assert caught.value.code == "DLSCAN.KEYRING_INSECURE"
    assert store.get(SecretName.TOKEN) is None


def test_plaintext_backend_is_refused_and_nothing_is_written(plaintext_keyring, tmp_path):
    store = SecretStore()
    assert not store.status().secure
    assert "明文" in store.status().message.zh
    with pytest.raises(SecretStoreError):
        store.set(SecretName.SECRET_KEY, "never-on-disk")
    plain = tmp_path / "plain.cfg"
    assert not plain.exists() or b"never-on-disk" not in plain.read_bytes()


def test_empty_chainer_is_not_secure():
    from keyring.backends.chainer import ChainerBackend

    class EmptyChainer(ChainerBackend):
        backends = ()

    assert not backend_status(EmptyChainer()).secure


def test_chainer_is_judged_by_the_backend_it_writes_to(plaintext_keyring, secure_keyring):
    from keyring.backends.chainer import ChainerBackend

    class Chain(ChainerBackend):
        backends = (plaintext_keyring, secure_keyring)

    assert not backend_status(Chain()).secure


def test_mask_never_shows_the_value():
    assert "abcdef" not in mask("abcdef")
    assert "6" in mask("abcdef")
    assert "未设置" in mask(None)
