"""Who may use the server: open on loopback, a token (compared in constant time) otherwise."""

from __future__ import annotations

import pytest
import requests

from dlscan_gui.core.errors import AuthError, ConfigError
from dlscan_gui.engines.huawei import HuaweiConfig, HuaweiRecognizer
from dlscan_gui.engines.huawei_auth import TokenAuth
from dlscan_gui.engines.server.serve import ServeConfig, check_access
from tests.engines.server.conftest import post, running

TOKEN = "counter-token-0123456789"


@pytest.fixture(scope="module")
def guarded(engine_pool):
    with running(engine_pool, ServeConfig(port=0, token=TOKEN)) as base:
        yield base


def test_request_without_token_is_modelarts_4101(guarded):
    response = post(guarded, {"image": "AAAA"})
    assert response.status_code == 401
    assert response.json()["error_code"] == "ModelArts.4101"


@pytest.mark.parametrize("token", ["wrong", TOKEN[:-1], TOKEN + "x", "计数器".encode()])
def test_wrong_token_is_modelarts_4103(guarded, token):
    response = post(guarded, {"image": "AAAA"}, token=token)
    assert response.status_code == 401
    assert response.json()["error_code"] == "ModelArts.4103"


def test_right_token_reaches_the_request_checks(guarded):
    response = post(guarded, {"image": "not base64!"}, token=TOKEN)
    assert response.json()["error_code"] == "AIS.0102"


def test_the_clients_connection_check_passes_with_the_token_only(guarded):
    """The Settings dialog's "Test connection" against the server."""
    def client(token):
        config = HuaweiConfig(project_id="office", endpoint=guarded, max_attempts=1)
        return HuaweiRecognizer(config, TokenAuth(token))

    client(TOKEN).check_connection()
    with pytest.raises(AuthError) as raised:
        client("not-the-token").check_connection()
    assert raised.value.code == "ModelArts.4103"


def test_health_check_needs_no_token(guarded):
    assert requests.get(guarded + "/healthz", timeout=5).status_code == 200


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_may_run_open(host):
    check_access(ServeConfig(host=host))


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "counter-server"])
def test_any_other_address_needs_a_token(host):
    with pytest.raises(ConfigError) as raised:
        check_access(ServeConfig(host=host))
    assert raised.value.code == "DLSCAN.SERVER_TOKEN"
    assert "令牌" in raised.value.message_zh
    check_access(ServeConfig(host=host, token=TOKEN))


def test_a_short_or_non_ascii_token_is_refused():
    with pytest.raises(ConfigError, match="16"):
        check_access(ServeConfig(host="0.0.0.0", token="short"))
    with pytest.raises(ConfigError, match="ASCII"):
        check_access(ServeConfig(host="127.0.0.1", token="令牌令牌令牌令牌令牌令牌令牌令牌"))
