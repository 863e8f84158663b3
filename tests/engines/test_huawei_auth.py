from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
import requests
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest

from dlscan_gui.core.errors import CATALOGUE, AuthError, ConfigError, NetworkError
from dlscan_gui.core.schema import Side
from dlscan_gui.engines.huawei import HuaweiConfig, HuaweiRecognizer
from dlscan_gui.engines.huawei_auth import (
    AkSkAuth,
    IamPasswordAuth,
    IamServiceError,
    NoAuth,
    TokenAuth,
    default_iam_endpoint,
    sign,
)
from tests.fake_huawei import Scripted

PASSWORD = "correct horse"
WHEN = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


@dataclass
class FakeImage:
    data: bytes
    name: str = "card.png"


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32  # the fake checks magic bytes only


class Clock:
    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


def iam_auth(fake, *, password=PASSWORD, clock=None, **kwargs) -> IamPasswordAuth:
    extra = {"clock": clock} if clock is not None else {}
    return IamPasswordAuth(
        "clerk", password, "acme", fake.project_id, kwargs.pop("iam", fake.url), **extra
    )


def recognizer(fake, auth, **config) -> HuaweiRecognizer:
    config.setdefault("backoff_seconds", 0.001)
    cfg = HuaweiConfig(project_id=fake.project_id, endpoint=fake.url, **config)
    return HuaweiRecognizer(cfg, auth, sleep=lambda _s: None)


# ------------------------------------------------------------------------------ token / none
def test_token_auth_sends_x_auth_token(fake_huawei):
    fake_huawei.static_tokens.add("pasted-token")
    rec = recognizer(fake_huawei, TokenAuth("pasted-token"))
    assert rec.recognize(FakeImage(PNG))["name"] == "张三"
    assert fake_huawei.ocr_requests[0].header("X-Auth-Token") == "pasted-token"
    assert "pasted-token" not in repr(rec)


def test_token_auth_rejected_is_auth_error_without_retry(fake_huawei):
    rec = recognizer(fake_huawei, TokenAuth("unknown-token"))
    with pytest.raises(AuthError) as info:
        rec.recognize(FakeImage(PNG))
    assert info.value.code == "APIG.0301"
    assert len(fake_huawei.ocr_requests) == 1
    assert "unknown-token" not in str(info.value)


@pytest.mark.parametrize("bad", ["", "   ", "a\r\nX-Evil: 1"])
def test_token_auth_refuses_empty_or_multiline(bad):
    with pytest.raises(ConfigError):
        TokenAuth(bad)


def test_no_auth_sends_no_credentials(fake_huawei):
    fake_huawei.require_auth = False
    rec = recognizer(fake_huawei, NoAuth())
    rec.recognize(FakeImage(PNG))
    headers = fake_huawei.ocr_requests[0].headers
    assert "x-auth-token" not in headers and "authorization" not in headers


# ------------------------------------------------------------------------------ IAM
def test_default_iam_endpoint():
    assert default_iam_endpoint("cn-north-4") == "https://iam.cn-north-4.myhuaweicloud.com"


def test_iam_request_is_password_identity_scoped_to_project(fake_huawei):
    rec = recognizer(fake_huawei, iam_auth(fake_huawei))
    rec.recognize(FakeImage(PNG))
    (iam,) = fake_huawei.iam_requests
    assert iam.method == "POST" and iam.path == "/v3/auth/tokens"
    assert iam.header("Content-Type").startswith("application/json")
    assert iam.data == {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {"name": "clerk", "password": PASSWORD, "domain": {"name": "acme"}}
                },
            },
            "scope": {"project": {"id": fake_huawei.project_id}},
        }
    }
    issued = next(iter(fake_huawei.issued))
    assert fake_huawei.ocr_requests[0].header("X-Auth-Token") == issued


def test_iam_token_cached_across_calls(fake_huawei):
    rec = recognizer(fake_huawei, iam_auth(fake_huawei))
    rec.recognize(FakeImage(PNG))
    rec.recognize(FakeImage(PNG), side=Side.BACK)
    assert len(fake_huawei.iam_requests) == 1
    assert len(fake_huawei.ocr_requests) == 2


def test_iam_token_refetched_five_minutes_before_expiry(fake_huawei):
    import time

    fake_huawei.token_lifetime = 3600
    clock = Clock(time.time())
    rec = recognizer(fake_huawei, iam_auth(fake_huawei, clock=clock))
    rec.recognize(FakeImage(PNG))
    clock.now += 3600 - 5 * 60 - 30  # still inside the margin
    rec.recognize(FakeImage(PNG))
    assert len(fake_huawei.iam_requests) == 1
    clock.now += 60  # now within five minutes of expiry
    rec.recognize(FakeImage(PNG))
    assert len(fake_huawei.iam_requests) == 2
    tokens = [r.header("X-Auth-Token") for r in fake_huawei.ocr_requests]
    assert tokens[0] == tokens[1] != tokens[2]


def test_iam_token_without_expiry_lives_24_hours(fake_huawei):
    import time

    fake_huawei.include_expiry = False
    clock = Clock(time.time())
    rec = recognizer(fake_huawei, iam_auth(fake_huawei, clock=clock))
    rec.recognize(FakeImage(PNG))
    clock.now += 23 * 3600
    rec.recognize(FakeImage(PNG))
    assert len(fake_huawei.iam_requests) == 1
    clock.now += 3600
    rec.recognize(FakeImage(PNG))
    assert len(fake_huawei.iam_requests) == 2


def test_expired_token_refreshed_once_and_request_retried(fake_huawei):
    rec = recognizer(fake_huawei, iam_auth(fake_huawei))
    rec.recognize(FakeImage(PNG))
    fake_huawei.revoke_tokens()  # the service now answers 401 APIG.0307 to the cached token
    assert rec.recognize(FakeImage(PNG))["name"] == "张三"
    assert len(fake_huawei.iam_requests) == 2
    assert len(fake_huawei.ocr_requests) == 3  # first call, the 401, the retry


def test_scripted_401_then_success(fake_huawei):
    rec = recognizer(fake_huawei, iam_auth(fake_huawei))
    fake_huawei.script(Scripted(status=401, json={"error_code": "APIG.0307",
                                                  "error_msg": "The token must be updated."}))
    rec.recognize(FakeImage(PNG))
    assert len(fake_huawei.iam_requests) == 2
    assert len(fake_huawei.ocr_requests) == 2
    first, second = (r.header("X-Auth-Token") for r in fake_huawei.ocr_requests)
    assert first != second


@pytest.mark.parametrize("code", ["APIG.0301", "ModelArts.0203", "ModelArts.4102",
                                  "ModelArts.4103"])
def test_token_invalid_codes_also_refresh(fake_huawei, code):
    rec = recognizer(fake_huawei, iam_auth(fake_huawei))
    fake_huawei.script(Scripted.error(code))
    rec.recognize(FakeImage(PNG))
    assert len(fake_huawei.iam_requests) == 2


def test_second_401_is_auth_error_no_loop(fake_huawei):
    rec = recognizer(fake_huawei, iam_auth(fake_huawei), max_attempts=5)
    fake_huawei.script(Scripted.error("APIG.0307"), Scripted.error("APIG.0307"),
                       Scripted.error("APIG.0307"))
    with pytest.raises(AuthError) as info:
        rec.recognize(FakeImage(PNG))
    assert info.value.code == "APIG.0307"
    assert info.value.http_status == 401
    assert len(fake_huawei.ocr_requests) == 2
    assert len(fake_huawei.iam_requests) == 2


def test_wrong_password_is_auth_error_and_never_echoed(fake_huawei, caplog):
    caplog.set_level(logging.DEBUG)
    secret = "wrong-pa55word"
    auth = iam_auth(fake_huawei, password=secret)
    rec = recognizer(fake_huawei, auth)
    with pytest.raises(AuthError) as info:
        rec.recognize(FakeImage(PNG))
    error = info.value
    assert error.code == "DLSCAN.AUTH" and error.http_status == 401
    assert error.message_zh == CATALOGUE["DLSCAN.AUTH"].zh
    assert "password is wrong" in error.detail
    assert len(fake_huawei.iam_requests) == 1  # not retried
    assert fake_huawei.ocr_requests == []
    for text in (str(error), error.detail, repr(auth), repr(rec), caplog.text):
        assert secret not in text


def test_password_echoed_by_iam_is_blanked(fake_huawei):
    fake_huawei.script(
        Scripted(status=401, json={"error": {"code": 401, "message": f"bad {PASSWORD}!"}}),
        target="iam",
    )
    with pytest.raises(AuthError) as info:
        recognizer(fake_huawei, iam_auth(fake_huawei)).recognize(FakeImage(PNG))
    assert PASSWORD not in str(info.value)
    assert info.value.detail == "IAM HTTP 401: bad ***!"


def test_iam_forbidden(fake_huawei):
    fake_huawei.script(
        Scripted(status=403, json={"error": {"code": 403, "message": "MFA required"}}),
        target="iam",
    )
    with pytest.raises(AuthError) as info:
        recognizer(fake_huawei, iam_auth(fake_huawei)).recognize(FakeImage(PNG))
    assert info.value.code == "DLSCAN.IAM_FORBIDDEN"
    assert info.value.http_status == 403


def test_iam_server_error_is_retried(fake_huawei):
    fake_huawei.script(Scripted(status=503, body=b"<html>busy</html>"), target="iam")
    rec = recognizer(fake_huawei, iam_auth(fake_huawei))
    rec.recognize(FakeImage(PNG))
    assert len(fake_huawei.iam_requests) == 2


def test_iam_answer_without_token_header(fake_huawei):
    fake_huawei.script(*[Scripted(status=201, json={"token": {}})] * 3, target="iam")
    with pytest.raises(IamServiceError) as info:
        recognizer(fake_huawei, iam_auth(fake_huawei)).recognize(FakeImage(PNG))
    assert info.value.code == "DLSCAN.IAM_ERROR"
    assert len(fake_huawei.iam_requests) == 3  # retried like any unavailable service


def test_iam_unreachable_is_network_error(fake_huawei):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    auth = iam_auth(fake_huawei, iam=f"http://127.0.0.1:{closed}")
    with pytest.raises(NetworkError) as info:
        recognizer(fake_huawei, auth).recognize(FakeImage(PNG))
    assert info.value.code == "DLSCAN.NETWORK"
    assert fake_huawei.ocr_requests == []


def test_iam_endpoint_must_be_https_unless_local(fake_huawei):
    with pytest.raises(ConfigError) as info:
        iam_auth(fake_huawei, iam="http://iam.example.com")
    assert info.value.code == "DLSCAN.INSECURE_URL"
    assert "https" in info.value.detail
    for ok in ("http://127.0.0.1:9", "http://10.1.2.3", "http://localhost:8080",
               "https://iam.cn-north-4.myhuaweicloud.com"):
        iam_auth(fake_huawei, iam=ok)


def test_concurrent_workers_share_one_token(fake_huawei):
    rec = recognizer(fake_huawei, iam_auth(fake_huawei))
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _i: rec.recognize(FakeImage(PNG)), range(16)))
    assert all(r["name"] == "张三" for r in results)
    assert len(fake_huawei.iam_requests) == 1
    assert len(fake_huawei.ocr_requests) == 16


def test_invalidate_only_drops_the_failed_token(fake_huawei):
    auth = iam_auth(fake_huawei)
    session = requests.Session()
    first = auth.token(session)
    auth.invalidate("some-older-token")  # another worker's stale token: keep ours
    assert auth.token(session) == first
    auth.invalidate(first)
    assert auth.token(session) != first
    assert len(fake_huawei.iam_requests) == 2


# ------------------------------------------------------------------------------ AK/SK
AK, SK = "AKTEST0001", "sk-secret-0001"


def sdk_sign(method, scheme, host, path, query, headers, body, security_token=None):
    """The official signer's answer for the same request."""
    request = SdkRequest(method=method, schema=scheme, host=host, resource_path=path,
                         query_params=list(query), header_params=dict(headers), body=body)
    credentials = BasicCredentials(AK, SK)
    if security_token:
        credentials.with_security_token(security_token)
    return credentials.sign_request(request)


CASES = [
    pytest.param("POST", "https", "ocr.cn-north-4.myhuaweicloud.com",
                 "/v2/0a1b2c/ocr/driver-license", [],
                 {"Content-Type": "application/json"}, b'{"image": "AAAA", "side": "front"}',
                 id="ocr-post"),
    pytest.param("GET", "https", "iam.example.com", "/v3/projects",
                 [("name", "cn-north-4"), ("b", "2"), ("a", "1"), ("a", "0"), ("empty", ""),
                  ("sp", "x y/z~")],
                 {"Content-Type": "application/json"}, b"", id="query-string"),
    pytest.param("POST", "http", "127.0.0.1:8080", "/prefix/v2/项目 1/ocr/a+b:c",
                 [], {"Content-Type": "application/json", "X-Project-Id": " p1 "}, b"{}",
                 id="path-encoding-port-and-trimming"),
    pytest.param("PUT", "https", "obs.example.com", "/bucket/object",
                 [], {"Content-Type": "image/png", "x_ignored_header": "1"}, b"\x89PNG",
                 id="unsigned-payload-and-underscore"),
]


@pytest.mark.parametrize("security_token", [None, "temporary-security-token"])
@pytest.mark.parametrize(("method", "scheme", "host", "path", "query", "headers", "body"), CASES)
def test_signature_equals_huaweicloudsdkcore(method, scheme, host, path, query, headers, body,
                                             security_token):
    date = WHEN.strftime("%Y%m%dT%H%M%SZ")
    expected = sdk_sign(method, scheme, host, path, query,
                        {**headers, "X-Sdk-Date": date}, body, security_token)

    url = f"{scheme}://{host}{quote(path)}"
    if query:
        url += "?" + "&".join(f"{quote(k)}={quote(v)}" for k, v in query)
    ours = dict(headers)
    if security_token:
        ours["X-Security-Token"] = security_token
    signed, send_url = sign(method, url, ours, body, ak=AK, sk=SK, when=WHEN)

    assert signed["Authorization"] == expected.header_params["Authorization"]
    assert signed["X-Sdk-Date"] == date
    assert signed["Host"] == host
    assert send_url.split("?", 1)[1:] == expected.uri.split("?", 1)[1:]


def test_aksk_auth_apply_matches_sdk_on_a_prepared_request():
    auth = AkSkAuth(AK, SK, "sec-token", clock=lambda: WHEN)
    body = b'{"image": "AAAA"}'
    prepared = requests.Request(
        "POST", "https://ocr.cn-north-4.myhuaweicloud.com/v2/p1/ocr/driver-license",
        data=body, headers={"Content-Type": "application/json"},
    ).prepare()
    auth.apply(prepared, requests.Session())
    assert prepared.headers["X-Sdk-Date"] == "20240102T030405Z"
    assert prepared.headers["X-Security-Token"] == "sec-token"
    # Content-Length is sent but left unsigned; everything else the request had is signed.
    sdk_headers = {k: v for k, v in prepared.headers.items()
                   if k not in ("Authorization", "Content-Length")}
    expected = sdk_sign("POST", "https", "ocr.cn-north-4.myhuaweicloud.com",
                        "/v2/p1/ocr/driver-license", [], sdk_headers, body)
    assert prepared.headers["Authorization"] == expected.header_params["Authorization"]
    assert "SignedHeaders=content-type;host;x-sdk-date;x-security-token," in (
        prepared.headers["Authorization"])
    assert SK not in repr(auth)


def test_fake_accepts_our_signature(fake_huawei):
    rec = recognizer(fake_huawei, AkSkAuth(AK, SK))
    assert rec.recognize(FakeImage(PNG), side=Side.BACK)["file_number"] == "110100123456"
    assert fake_huawei.ocr_requests[0].header("Authorization").startswith(
        f"SDK-HMAC-SHA256 Access={AK}, SignedHeaders=")


def test_fake_accepts_temporary_keys_only_with_their_token(fake_huawei):
    fake_huawei.aksk["AKTEMP"] = ("sk-temp", "sts-token")
    recognizer(fake_huawei, AkSkAuth("AKTEMP", "sk-temp", "sts-token")).recognize(FakeImage(PNG))
    with pytest.raises(AuthError) as info:
        recognizer(fake_huawei, AkSkAuth("AKTEMP", "sk-temp")).recognize(FakeImage(PNG))
    assert info.value.code == "APIG.0301"


def _signed_request(fake, auth, body=b'{"image": "iVBORw0KGgo=", "side": "front"}'):
    url = f"{fake.url}/v2/{fake.project_id}/ocr/driver-license"
    session = requests.Session()
    prepared = session.prepare_request(
        requests.Request("POST", url, data=body, headers={"Content-Type": "application/json"})
    )
    auth.apply(prepared, session)
    return session, prepared


def test_fake_rejects_a_tampered_body(fake_huawei):
    session, prepared = _signed_request(fake_huawei, AkSkAuth(AK, SK))
    prepared.body = prepared.body.replace(b'"front"', b'"back" ')  # same length, new content
    response = session.send(prepared, timeout=5)
    assert response.status_code == 401
    assert response.json()["error_code"] == "APIG.0301"


def test_fake_rejects_a_tampered_header_and_a_wrong_key(fake_huawei):
    session, prepared = _signed_request(fake_huawei, AkSkAuth(AK, SK))
    prepared.headers["Content-Type"] = "application/json;charset=utf-8"
    assert session.send(prepared, timeout=5).status_code == 401

    session, prepared = _signed_request(fake_huawei, AkSkAuth(AK, "not-the-secret"))
    assert session.send(prepared, timeout=5).status_code == 401

    session, prepared = _signed_request(fake_huawei, AkSkAuth(AK, SK))  # untouched: accepted
    response = session.send(prepared, timeout=5)
    assert response.status_code == 200, response.text


def test_retries_are_signed_afresh(fake_huawei):
    fake_huawei.script(Scripted.error("APIG.0201"))
    rec = recognizer(fake_huawei, AkSkAuth(AK, SK))
    rec.recognize(FakeImage(PNG))
    assert len(fake_huawei.ocr_requests) == 2  # the 504 and the accepted retry


@pytest.mark.parametrize(("ak", "sk"), [("", "x"), ("x", ""), ("x\n", "y")])
def test_aksk_refuses_missing_keys(ak, sk):
    with pytest.raises(ConfigError):
        AkSkAuth(ak, sk)
