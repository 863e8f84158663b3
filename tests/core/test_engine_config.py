from __future__ import annotations

import pytest

from dlscan_gui.core.engine_config import DEFAULT_SERVER_PROJECT, resolve
from dlscan_gui.core.errors import ConfigError
from dlscan_gui.core.secrets import SecretName, SecretStore
from dlscan_gui.core.settings import AuthMode, EngineChoice, Settings


def test_no_credentials_means_offline_engine():
    config = resolve(Settings(), SecretStore(), env={})
    assert config.engine is EngineChoice.LOCAL


def test_environment_aksk_selects_huawei_and_overrides_settings():
    env = {"HUAWEICLOUD_SDK_AK": "AK1", "HUAWEICLOUD_SDK_SK": "SK1",
           "HUAWEICLOUD_SDK_PROJECT_ID": "proj", "HUAWEICLOUD_SDK_REGION": "cn-east-3",
           "HUAWEICLOUD_SDK_SECURITY_TOKEN": "st"}
    settings = Settings(region="cn-north-4", project_id="other", auth_mode=AuthMode.IAM)
    config = resolve(settings, SecretStore(), env=env)
    assert config.engine is EngineChoice.HUAWEI
    assert config.credentials.mode is AuthMode.AKSK
    assert (config.credentials.access_key, config.credentials.secret_key) == ("AK1", "SK1")
    assert config.credentials.security_token == "st"
    assert (config.region, config.project_id) == ("cn-east-3", "proj")
    assert config.sources["project_id"] == "env HUAWEICLOUD_SDK_PROJECT_ID"


def test_environment_iam_and_domain_defaults_to_user():
    env = {"DLSCAN_IAM_USER": "clerk", "DLSCAN_IAM_PASSWORD": "pw",
           "HUAWEICLOUD_SDK_PROJECT_ID": "p", "HUAWEICLOUD_SDK_IAM_ENDPOINT": "https://iam.x"}
    config = resolve(Settings(), SecretStore(), env=env)
    assert config.credentials.mode is AuthMode.IAM
    assert config.credentials.iam_domain == "clerk"
    assert config.iam_endpoint == "https://iam.x"


def test_keyring_supplies_secrets_the_environment_does_not(secure_keyring):
    store = SecretStore()
    store.set(SecretName.IAM_PASSWORD, "from-keyring")
    settings = Settings(auth_mode=AuthMode.IAM, iam_user="u", iam_domain="d", project_id="p")
    config = resolve(settings, store, env={})
    assert config.engine is EngineChoice.HUAWEI
    assert config.credentials.iam_password == "from-keyring"
    assert config.sources["iam_password"] == "keyring"
    # ...and the environment wins over the keyring.
    config = resolve(settings, store, env={"DLSCAN_IAM_PASSWORD": "from-env"})
    assert config.credentials.iam_password == "from-env"


def test_token_in_environment():
    config = resolve(Settings(project_id="p"), SecretStore(), env={"DLSCAN_TOKEN": "tok"})
    assert config.engine is EngineChoice.HUAWEI
    assert config.credentials.mode is AuthMode.TOKEN


def test_endpoint_without_project_means_a_dlscan_server():
    config = resolve(Settings(), SecretStore(), env={"DLSCAN_ENDPOINT": "http://10.0.0.5:8080"})
    assert config.engine is EngineChoice.SERVER
    assert config.project_id == DEFAULT_SERVER_PROJECT
    assert config.credentials.mode is AuthMode.NONE


@pytest.mark.parametrize("override, engine", [("local", EngineChoice.LOCAL),
                                               ("http://127.0.0.1:9/", EngineChoice.SERVER)])
def test_engine_override(override, engine):
    config = resolve(Settings(), SecretStore(), env={"DLSCAN_TOKEN": "t"},
                     engine_override=override)
    assert config.engine is engine
    if engine is EngineChoice.SERVER:
        assert config.endpoint == "http://127.0.0.1:9/"
        assert config.credentials.mode is AuthMode.TOKEN


def test_huawei_without_credentials_names_what_is_missing():
    with pytest.raises(ConfigError) as caught:
        resolve(Settings(), SecretStore(), env={}, engine_override="huawei")
    assert "HUAWEICLOUD_SDK_PROJECT_ID" in caught.value.detail
    assert "DLSCAN_IAM_USER" in caught.value.detail


def test_bad_engine_override():
    with pytest.raises(ConfigError):
        resolve(Settings(), SecretStore(), env={}, engine_override="ftp://x")


def test_credentials_repr_hides_secrets():
    env = {"HUAWEICLOUD_SDK_AK": "AKVALUE", "HUAWEICLOUD_SDK_SK": "SKVALUE",
           "HUAWEICLOUD_SDK_PROJECT_ID": "p"}
    text = repr(resolve(Settings(), SecretStore(), env=env))
    assert "SKVALUE" not in text and "AKVALUE" not in text
