from __future__ import annotations

import io
import json

import pytest

from dlscan_gui.cli import main
from dlscan_gui.core.secrets import SecretName, SecretStore
from dlscan_gui.core.settings import AuthMode, load_settings, settings_path


def run(monkeypatch, capsys, argv, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_set_iam_stores_password_in_keyring_and_the_rest_in_settings(
        secure_keyring, monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, [
        "credentials", "set", "--auth", "iam", "--user", "clerk01", "--domain", "acct",
        "--project-id", "proj-1", "--region", "cn-east-3", "--stdin"], stdin="pa55word\n")
    assert code == 0, err
    assert SecretStore().get(SecretName.IAM_PASSWORD) == "pa55word"
    settings = load_settings()
    assert (settings.auth_mode, settings.iam_user, settings.iam_domain) == (
        AuthMode.IAM, "clerk01", "acct")
    assert (settings.project_id, settings.region) == ("proj-1", "cn-east-3")
    assert "pa55word" not in settings_path().read_text(encoding="utf-8")
    assert "pa55word" not in out + err


def test_show_masks_secrets_and_names_the_engine(secure_keyring, monkeypatch, capsys):
    run(monkeypatch, capsys, ["credentials", "set", "--auth", "aksk", "--ak", "AKID123",
                              "--project-id", "p", "--stdin"], stdin="SECRETKEY999\n\n")
    code, out, _ = run(monkeypatch, capsys, ["credentials", "show"])
    assert code == 0
    assert "SECRETKEY999" not in out and "AKID123" not in out
    assert "secret_key" in out and "12" in out  # set, 12 characters
    assert "huawei" in out and "aksk" in out
    assert "安全 / secure" in out


def test_show_lists_environment_overrides(monkeypatch, capsys):
    monkeypatch.setenv("DLSCAN_TOKEN", "tok-from-env")
    code, out, _ = run(monkeypatch, capsys, ["credentials", "show"])
    assert code == 0
    assert "DLSCAN_TOKEN" in out and "tok-from-env" not in out


def test_insecure_keyring_refuses_and_leaves_settings_alone(plaintext_keyring, monkeypatch,
                                                            capsys, tmp_path):
    code, _, err = run(monkeypatch, capsys, [
        "credentials", "set", "--auth", "token", "--project-id", "p", "--stdin"],
        stdin="tok\n")
    assert code == 1
    assert "明文" in err
    assert not settings_path().exists()
    plain = tmp_path / "plain.cfg"
    assert not plain.exists() or b"tok" not in plain.read_bytes()


def test_no_keyring_at_all_is_reported(monkeypatch, capsys):
    code, _, err = run(monkeypatch, capsys, ["credentials", "set", "--auth", "token",
                                             "--stdin"], stdin="tok\n")
    assert code == 1
    assert "安全密码存储" in err


def test_clear_deletes_secrets_and_optionally_settings(secure_keyring, monkeypatch, capsys):
    run(monkeypatch, capsys, ["credentials", "set", "--auth", "token", "--project-id", "p",
                              "--stdin"], stdin="tok\n")
    code, out, _ = run(monkeypatch, capsys, ["credentials", "clear", "--all"])
    assert code == 0 and "token" in out
    assert SecretStore().get(SecretName.TOKEN) is None
    assert json.loads(settings_path().read_text(encoding="utf-8"))["project_id"] == ""


@pytest.mark.parametrize("argv, message", [
    (["credentials", "set", "--auth", "aksk", "--stdin"], "--ak"),
    (["credentials", "set", "--auth", "iam", "--stdin"], "--user"),
])
def test_missing_required_options(secure_keyring, monkeypatch, capsys, argv, message):
    code, _, err = run(monkeypatch, capsys, argv, stdin="x\n")
    assert code == 2 and message in err


def test_empty_secret_is_refused(secure_keyring, monkeypatch, capsys):
    code, _, err = run(monkeypatch, capsys, ["credentials", "set", "--auth", "token",
                                             "--stdin"], stdin="\n")
    assert code == 2 and "不能为空" in err
