from __future__ import annotations

import base64
import json
import logging
import socket
from dataclasses import dataclass

import cv2
import numpy as np
import pytest

from dlscan_gui.core.errors import (
    CATALOGUE,
    ApiError,
    AuthError,
    ConfigError,
    NetworkError,
    RecognitionError,
)
from dlscan_gui.core.schema import Side
from dlscan_gui.engines.base import ImageUrl, Recognizer
from dlscan_gui.engines.huawei import (
    RETRY_AFTER_CAP,
    HuaweiConfig,
    HuaweiRecognizer,
    blank_png,
)
from dlscan_gui.engines.huawei_auth import IamPasswordAuth, NoAuth, TokenAuth
from tests.fake_huawei import DEFAULT_BACK, ERRORS, Scripted


@dataclass
class FakeImage:
    data: bytes
    name: str = "card.png"


def _png() -> bytes:
    ok, encoded = cv2.imencode(".png", np.full((100, 160, 3), 200, np.uint8))
    assert ok
    return encoded.tobytes()


PNG = _png()
TOKEN = "static-test-token"


class Sleeps(list):
    """Records the waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def fake(fake_huawei):
    fake_huawei.static_tokens.add(TOKEN)
    return fake_huawei


def make(fake, auth=None, **config):
    config.setdefault("backoff_seconds", 0.01)
    config.setdefault("endpoint", fake.url)
    sleeps = Sleeps()
    cfg = HuaweiConfig(project_id=fake.project_id, **config)
    rec = HuaweiRecognizer(cfg, auth or TokenAuth(TOKEN), sleep=sleeps)
    return rec, sleeps


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ------------------------------------------------------------------------------ the request
def test_is_a_recognizer(fake):
    rec, _ = make(fake)
    assert isinstance(rec, Recognizer)
    assert rec.name == "huawei"


def test_request_body_and_headers_exactly_as_the_api_says(fake):
    rec, _ = make(fake)
    rec.recognize(FakeImage(PNG), side=Side.FRONT)
    (req,) = fake.ocr_requests
    assert req.method == "POST"
    assert req.path == f"/v2/{fake.project_id}/ocr/driver-license"
    assert req.header("Content-Type") == "application/json"
    assert req.data == {
        "image": base64.b64encode(PNG).decode("ascii"),
        "side": "front",
        "return_issuing_authority": False,
    }
    # Booleans are JSON booleans, not strings.
    assert json.loads(req.body)["return_issuing_authority"] is False
    assert b'"return_issuing_authority": false' in req.body


def test_auto_side_omits_side_and_reads_the_front(fake):
    rec, _ = make(fake)
    result = rec.recognize(FakeImage(PNG))
    assert "side" not in fake.ocr_requests[0].data
    assert result.side is Side.FRONT
    assert result["class"] == "C1"


def test_auto_side_labels_a_back_page_answer_as_the_back(fake):
    """A dlscan server decides the page itself when no side is sent."""
    fake.script(Scripted(json={"result": dict(DEFAULT_BACK)}))
    rec, _ = make(fake)
    result = rec.recognize(FakeImage(PNG))
    assert result.side is Side.BACK
    assert result["file_number"] == DEFAULT_BACK["file_number"]


def test_options_are_sent_as_booleans(fake):
    rec, _ = make(fake)
    result = rec.recognize(FakeImage(PNG), side=Side.BACK, return_issuing_authority=True,
                           return_text_location=True)
    data = fake.ocr_requests[0].data
    assert data["side"] == "back"
    assert data["return_issuing_authority"] is True
    assert data["return_text_location"] is True
    assert result.side is Side.BACK
    assert result["record"].startswith("实习期")
    assert result.confidence["name"] == pytest.approx(0.99)
    assert len(result.text_location["name"]) == 4


def test_issuing_authority_only_when_asked(fake):
    rec, _ = make(fake)
    assert "issuing_authority" not in rec.recognize(FakeImage(PNG), side=Side.FRONT)
    assert rec.recognize(FakeImage(PNG), side=Side.FRONT, return_issuing_authority=True)[
        "issuing_authority"] == "北京市公安局公安交通管理局"


def test_url_mode(fake):
    rec, _ = make(fake)
    rec.recognize(ImageUrl("https://bucket.obs.example.com/card.jpg"), side="front")
    assert fake.ocr_requests[0].data == {
        "url": "https://bucket.obs.example.com/card.jpg",
        "side": "front",
        "return_issuing_authority": False,
    }


def test_double_side_parses_front_and_back(fake):
    rec, _ = make(fake)
    result = rec.recognize(FakeImage(PNG), side=Side.DOUBLE_SIDE)
    assert fake.ocr_requests[0].data["side"] == "double_side"
    assert result.side is Side.DOUBLE_SIDE
    assert result.type == "normal"
    assert result.front is not None and result.back is not None
    assert result.front.side is Side.FRONT and result.front["name"] == "张三"
    assert result.back.side is Side.BACK and result.back["file_number"] == "110100123456"
    assert [s for s, _ in result.pages()] == [Side.FRONT, Side.BACK]


def test_endpoint_path_prefix_is_kept(fake):
    rec, _ = make(fake, endpoint=fake.url + "/ocr-proxy/")
    rec.recognize(FakeImage(PNG))
    assert fake.ocr_requests[0].path == f"/ocr-proxy/v2/{fake.project_id}/ocr/driver-license"


def test_default_url_is_the_regions_https_endpoint():
    cfg = HuaweiConfig(project_id="p1", region="ap-southeast-1")
    assert cfg.api_url() == "https://ocr.ap-southeast-1.myhuaweicloud.com/v2/p1/ocr/driver-license"
    assert HuaweiConfig(project_id="p1").api_url().startswith("https://ocr.cn-north-4.")


# ------------------------------------------------------------------------------ URL safety
@pytest.mark.parametrize("endpoint", ["http://example.com", "http://8.8.8.8:8080",
                                      "http://172.32.0.1", "http://localhost.example.com",
                                      "http://[2001:db8::1]"])
def test_plain_http_refused_for_public_hosts(endpoint):
    with pytest.raises(ConfigError) as info:
        HuaweiRecognizer(HuaweiConfig(project_id="p1", endpoint=endpoint), NoAuth())
    assert info.value.code == "DLSCAN.INSECURE_URL"
    assert "https" in info.value.detail and "http" in info.value.message_en


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:8080", "http://10.1.2.3",
                                      "http://localhost:8080", "http://192.168.1.20:9000",
                                      "http://172.16.5.4", "http://[::1]:8080",
                                      "http://[fd00::1]", "https://example.com",
                                      "ocr.cn-north-4.myhuaweicloud.com"])
def test_http_allowed_for_local_hosts_https_always(endpoint):
    rec = HuaweiRecognizer(HuaweiConfig(project_id="p1", endpoint=endpoint), NoAuth())
    assert rec.url.endswith("/v2/p1/ocr/driver-license")


@pytest.mark.parametrize("endpoint", ["ftp://example.com", "https://user:pw@example.com",
                                      "https://example.com/?q=1", "https://"])
def test_malformed_endpoints_refused(endpoint):
    with pytest.raises(ConfigError) as info:
        HuaweiRecognizer(HuaweiConfig(project_id="p1", endpoint=endpoint), NoAuth())
    assert info.value.code == "DLSCAN.CONFIG"
    assert "pw" not in str(info.value)


def test_config_refuses_disabled_tls_and_bad_values():
    with pytest.raises(ConfigError):
        HuaweiConfig(project_id="p1", verify=False)
    with pytest.raises(ConfigError):
        HuaweiConfig(project_id="p1", max_attempts=0)
    with pytest.raises(ConfigError):
        HuaweiConfig(project_id="", region="cn-north-4").api_url()
    with pytest.raises(ConfigError):
        HuaweiConfig(project_id="p1", region="evil.com/x").api_url()


def test_tls_failure_is_reported_and_not_retried(fake):
    # https to a plain-http server: the handshake fails like a broken certificate would.
    rec, sleeps = make(fake, endpoint=f"https://127.0.0.1:{fake.port}")
    with pytest.raises(NetworkError) as info:
        rec.recognize(FakeImage(PNG))
    assert info.value.code == "DLSCAN.TLS"
    assert sleeps == []


# ------------------------------------------------------------------------------ retries
def test_connection_refused_is_network_error_after_max_attempts():
    cfg = HuaweiConfig(project_id="p1", endpoint=f"http://127.0.0.1:{closed_port()}",
                       backoff_seconds=0.01, max_attempts=3)
    sleeps = Sleeps()
    rec = HuaweiRecognizer(cfg, NoAuth(), sleep=sleeps)
    with pytest.raises(NetworkError) as info:
        rec.recognize(FakeImage(PNG))
    assert info.value.code == "DLSCAN.NETWORK"
    assert info.value.message_zh == CATALOGUE["DLSCAN.NETWORK"].zh
    assert "refused" in info.value.detail.lower()
    assert sleeps == [0.01, 0.02]  # three attempts, exponential backoff between them


def test_server_errors_twice_then_success(fake):
    fake.script(Scripted(status=500, json={"error_code": "AIS.0105", "error_msg": "x"}),
                Scripted(status=502, body=b"<html>bad gateway</html>"))
    rec, sleeps = make(fake)
    assert rec.recognize(FakeImage(PNG))["name"] == "张三"
    assert len(fake.ocr_requests) == 3
    assert sleeps == [0.01, 0.02]


def test_server_errors_exhaust_attempts(fake):
    fake.script(*[Scripted(status=503, body=b"<html>down</html>")] * 3)
    rec, _ = make(fake)
    with pytest.raises(ApiError) as info:
        rec.recognize(FakeImage(PNG))
    assert info.value.code == "DLSCAN.SERVER_ERROR"
    assert info.value.http_status == 503
    assert "<html>" not in str(info.value)
    assert len(fake.ocr_requests) == 3


def test_throttling_honours_retry_after(fake):
    fake.script(Scripted.error("APIG.0308", headers={"Retry-After": "0.25"}),
                Scripted.error("APIG.0308"))
    rec, sleeps = make(fake)
    rec.recognize(FakeImage(PNG))
    assert len(fake.ocr_requests) == 3
    assert sleeps == [0.25, 0.02]  # the server's wish, then our own backoff


def test_retry_after_is_capped(fake):
    fake.script(Scripted(status=429, body=b"", headers={"Retry-After": "3600"}))
    rec, sleeps = make(fake)
    rec.recognize(FakeImage(PNG))
    assert sleeps == [RETRY_AFTER_CAP]


def test_throttling_code_on_another_status_is_retried(fake):
    fake.script(Scripted.error("APIG.0308", status=400))
    rec, sleeps = make(fake)
    rec.recognize(FakeImage(PNG))
    assert len(fake.ocr_requests) == 2
    assert sleeps == [0.01]


def test_throttled_until_the_end(fake):
    fake.script(*[Scripted.error("APIG.0308", headers={"Retry-After": "0"})] * 3)
    rec, sleeps = make(fake)
    with pytest.raises(ApiError) as info:
        rec.recognize(FakeImage(PNG))
    assert info.value.code == "APIG.0308" and info.value.http_status == 429
    assert sleeps == [0.0, 0.0]


def test_client_errors_are_never_retried(fake):
    fake.script(Scripted.error("AIS.0103"))
    rec, sleeps = make(fake)
    with pytest.raises(ApiError) as info:
        rec.recognize(FakeImage(PNG))
    assert info.value.code == "AIS.0103"
    assert info.value.http_status == 400
    assert info.value.detail == "The image size does not meet the requirements."
    assert len(fake.ocr_requests) == 1
    assert sleeps == []


def test_slow_response_is_a_timeout_retried_once(fake):
    fake.script(Scripted(delay=1.0, json={"result": {}}), Scripted(delay=1.0, json={}))
    rec, sleeps = make(fake, read_timeout=0.2, max_attempts=5)
    with pytest.raises(NetworkError) as info:
        rec.recognize(FakeImage(PNG))
    assert info.value.code == "DLSCAN.TIMEOUT"
    assert info.value.message_en == CATALOGUE["DLSCAN.TIMEOUT"].en
    assert len(fake.ocr_requests) == 2  # one retry only, although five attempts were allowed
    assert len(sleeps) == 1


def test_one_slow_response_then_success(fake):
    fake.script(Scripted(delay=1.0, json={}))
    rec, _ = make(fake, read_timeout=0.2)
    assert rec.recognize(FakeImage(PNG))["name"] == "张三"


@pytest.mark.parametrize(
    ("scripted", "code"),
    [
        (Scripted(status=200, body=b'{"result": {"name": "\xe5\xbc', headers={
            "Content-Type": "application/json"}), "DLSCAN.BAD_RESPONSE"),
        (Scripted(status=200, body=b"<html><body>Portal login</body></html>"),
         "DLSCAN.BAD_RESPONSE"),
        (Scripted(status=200, json={"results": []}), "DLSCAN.BAD_RESPONSE"),
        (Scripted(status=200, json={"result": "text"}), "DLSCAN.BAD_RESPONSE"),
        (Scripted(status=200, json=["not", "an", "object"]), "DLSCAN.BAD_RESPONSE"),
        (Scripted(status=404, body=b"<html>Not Found</html>"), "DLSCAN.HTTP"),
        (Scripted(status=302, body=b"", headers={"Location": "http://evil.example/"}),
         "DLSCAN.HTTP"),
        (Scripted(status=401, body=b""), "DLSCAN.AUTH_REJECTED"),
    ],
    ids=["truncated-json", "html-200", "no-result", "result-not-object", "json-array",
         "html-404", "redirect", "401-no-body"],
)
def test_unusable_answers(fake, scripted, code):
    fake.script(scripted)
    rec, sleeps = make(fake)
    with pytest.raises(RecognitionError) as info:
        rec.recognize(FakeImage(PNG))
    assert info.value.code == code
    assert info.value.http_status == scripted.status
    assert CATALOGUE[code].zh in str(info.value)
    assert len(fake.ocr_requests) == 1 and sleeps == []


@pytest.mark.parametrize("code", sorted(ERRORS))
def test_every_documented_code(fake, code):
    status = ERRORS[code][0]
    fake.script(*[Scripted.error(code)] * 3)
    rec, _ = make(fake)
    with pytest.raises(RecognitionError) as info:
        rec.recognize(FakeImage(PNG))
    error = info.value
    assert error.code == code
    assert error.message_zh == CATALOGUE[code].zh
    assert error.message_en == CATALOGUE[code].en
    assert error.http_status == status
    assert error.detail == ERRORS[code][1]
    assert isinstance(error, AuthError if status == 401 or code == "ModelArts.0212" else ApiError)
    retried = status >= 500 or code == "APIG.0308"
    assert len(fake.ocr_requests) == (3 if retried else 1)
    assert error.to_huawei_json() == {"error_code": code, "error_msg": CATALOGUE[code].en}


def test_service_not_enabled_message():
    error = ApiError("ModelArts.4204")
    assert "未开通" in error.message_zh and "not enabled" in error.message_en


def test_error_detail_is_truncated_and_never_echoes_the_request(fake):
    image_b64 = base64.b64encode(PNG).decode("ascii")
    fake.script(Scripted(status=400, json={"error_code": "AIS.0101",
                                           "error_msg": "bad input " + "x" * 1000}))
    rec, _ = make(fake)
    with pytest.raises(ApiError) as info:
        rec.recognize(FakeImage(PNG))
    assert len(info.value.detail) <= 200
    assert image_b64[:40] not in str(info.value)


# ------------------------------------------------------------------------------ check_connection
def test_blank_png_is_a_white_100px_square():
    image = cv2.imdecode(np.frombuffer(blank_png(), np.uint8), cv2.IMREAD_UNCHANGED)
    assert image.shape == (100, 100)
    assert int(image.min()) == 255


def test_check_connection_accepts_not_a_licence(fake):
    fake.script(Scripted.error("AIS.0104"))
    rec, _ = make(fake)
    assert rec.check_connection() is None
    data = fake.ocr_requests[0].data
    assert base64.b64decode(data["image"]) == blank_png()
    assert data["side"] == "front"


def test_check_connection_accepts_a_result(fake):
    rec, _ = make(fake)
    rec.check_connection()


def test_check_connection_obtains_the_iam_token_first(fake):
    auth = IamPasswordAuth("clerk", "correct horse", "acme", fake.project_id, fake.url)
    rec, _ = make(fake, auth)
    fake.script(Scripted.error("AIS.0104"))
    rec.check_connection()
    assert [r.path.rsplit("/", 1)[-1] for r in fake.requests] == ["tokens", "driver-license"]


@pytest.mark.parametrize(("code", "cls"), [("ModelArts.4204", ApiError),
                                           ("APIG.0101", ApiError),
                                           ("APIG.0301", AuthError)])
def test_check_connection_reports_real_problems(fake, code, cls):
    fake.script(Scripted.error(code))
    rec, _ = make(fake)
    with pytest.raises(cls) as info:
        rec.check_connection()
    assert info.value.code == code


def test_check_connection_wrong_token(fake):
    rec, _ = make(fake, TokenAuth("not-issued"))
    with pytest.raises(AuthError):
        rec.check_connection()


def test_check_connection_unreachable():
    cfg = HuaweiConfig(project_id="p1", endpoint=f"http://127.0.0.1:{closed_port()}",
                       max_attempts=1)
    with pytest.raises(NetworkError):
        HuaweiRecognizer(cfg, NoAuth()).check_connection()


# ------------------------------------------------------------------------------ hygiene
def test_nothing_secret_or_personal_is_logged(fake, caplog):
    caplog.set_level(logging.DEBUG)
    auth = IamPasswordAuth("clerk", "correct horse", "acme", fake.project_id, fake.url)
    rec, _ = make(fake, auth)
    fake.script(Scripted.error("APIG.0307"), Scripted.error("AIS.0105"))
    result = rec.recognize(FakeImage(PNG), return_issuing_authority=True)
    tokens = list(fake.issued) + [r.header("X-Auth-Token") for r in fake.ocr_requests]
    text = caplog.text
    assert "127.0.0.1" in text  # the host and codes are logged …
    for secret in ["correct horse", base64.b64encode(PNG).decode()[:24], result["name"],
                   result["number"], *tokens]:
        assert secret not in text  # … nothing else


def test_session_is_closed_when_owned(fake):
    with make(fake)[0] as rec:
        rec.recognize(FakeImage(PNG))
