"""The API over the offline engine, through a real waitress server on 127.0.0.1: answers equal
the engine's in-process results, and each bad request gets Huawei's error code."""

from __future__ import annotations

import base64
import socket

import cv2
import numpy as np
import requests

from dlscan_gui.core.imaging import load_image
from dlscan_gui.core.schema import Side
from tests.engines.server.conftest import API, SAMPLES, post, sample_b64


def _png(width: int, height: int) -> str:
    ok, data = cv2.imencode(".png", np.full((height, width, 3), 255, np.uint8))
    assert ok
    return base64.b64encode(data.tobytes()).decode()


def _error(response: requests.Response) -> tuple[int, str]:
    body = response.json()
    assert set(body) == {"error_code", "error_msg"} and body["error_msg"]
    return response.status_code, body["error_code"]


def test_front_page_answers_as_the_engine_does_in_process(server, local_engine):
    response = post(server, {"image": sample_b64("synthetic-front.jpg"), "side": "front",
                             "return_issuing_authority": True})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    expected = local_engine.recognize(load_image(SAMPLES / "synthetic-front.jpg"),
                                      side=Side.FRONT, return_issuing_authority=True)
    assert response.json() == expected.to_response()
    assert response.json()["result"]["issuing_authority"]


def test_side_absent_is_auto_and_finds_the_back_page(server):
    result = post(server, {"image": sample_b64("synthetic-back.jpg")}).json()["result"]
    assert result["file_number"] and "sex" not in result


def test_double_side_returns_both_pages_with_locations(server):
    response = post(server, {"image": sample_b64("synthetic-double-side.jpg"),
                             "side": "double_side", "return_text_location": True})
    result = response.json()["result"]
    assert set(result) >= {"front", "back"}
    assert result["front"]["number"] == result["back"]["number"]
    assert "number" in result["front"]["text_location"]


def test_health_check_answers_without_recognizing(server):
    response = requests.get(server + "/healthz", timeout=5)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["engine"] == "local" and body["busy"] == 0


def test_malformed_json_is_modelarts_4105(server):
    assert _error(post(server, b'{"image": ')) == (400, "ModelArts.4105")
    assert _error(post(server, b"[1, 2]")) == (400, "ModelArts.4105")
    assert _error(post(server, b"\xff\xfe")) == (400, "ModelArts.4105")


def test_image_and_url_both_or_neither_is_ais_0101(server):
    assert _error(post(server, {"side": "front"})) == (400, "AIS.0101")
    both = {"image": sample_b64("synthetic-front.jpg"), "url": "https://example.com/a.jpg"}
    assert _error(post(server, both)) == (400, "AIS.0101")


def test_bad_parameters_are_ais_0101(server):
    image = _png(200, 200)
    assert _error(post(server, {"image": image, "side": "top"})) == (400, "AIS.0101")
    assert _error(post(server, {"image": image, "return_issuing_authority": "yes"})) == (
        400, "AIS.0101")
    assert _error(post(server, {"image": image, "return_text_location": 1})) == (
        400, "AIS.0101")


def test_url_is_refused_while_fetching_is_off(server):
    assert _error(post(server, {"url": "https://example.com/licence.jpg"})) == (400, "AIS.0101")


def test_bad_base64_is_ais_0102(server):
    assert _error(post(server, {"image": "not base64 at all!"})) == (400, "AIS.0102")
    assert _error(post(server, {"image": 12345})) == (400, "AIS.0102")


def test_size_out_of_range_is_ais_0103(server):
    assert _error(post(server, {"image": _png(60, 400)})) == (400, "AIS.0103")
    assert _error(post(server, {"image": _png(8001, 120)})) == (400, "AIS.0103")


def test_a_decompression_bomb_is_ais_0103_without_decoding_it(server, tmp_path):
    from tests.cli.conftest import write_huge_png

    path = tmp_path / "synthetic-30000x30000.png"
    write_huge_png(path, 30000)  # 900 megapixels in about 100 KB
    bomb = base64.b64encode(path.read_bytes()).decode()
    assert _error(post(server, {"image": bomb})) == (400, "AIS.0103")


def test_unsupported_or_unreadable_image_is_ais_0104(server):
    pdf = base64.b64encode(b"%PDF-1.4\n" + b"0" * 500).decode()
    assert _error(post(server, {"image": pdf})) == (400, "AIS.0104")
    broken = base64.b64encode((SAMPLES / "synthetic-front.jpg").read_bytes()[:300]).decode()
    assert _error(post(server, {"image": broken})) == (400, "AIS.0104")


def test_a_blank_page_is_not_a_licence(server):
    assert _error(post(server, {"image": _png(400, 300)})) == (400, "AIS.0104")


def test_line_wrapped_base64_is_accepted(server):
    wrapped = "\n".join(_png(400, 300)[i:i + 76] for i in range(0, len(_png(400, 300)), 76))
    # The image decodes (a blank page: the engine, not the parser, turns it down).
    assert _error(post(server, {"image": wrapped})) == (400, "AIS.0104")


def test_body_over_the_cap_is_refused_from_its_headers(server):
    """ModelArts.4104 before the body is sent: the client below never sends it."""
    host, port = server.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall((f"POST {API} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      f"Content-Length: {50 * 1024 * 1024}\r\n\r\n").encode())
        answer = _read_all(conn)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400")
    assert b'"ModelArts.4104"' in body


def test_chunked_body_over_the_cap_is_refused(server):
    def chunks():
        block = b'{"image": "' + b"A" * (1024 * 1024)
        for _ in range(12):
            yield block
            block = b"A" * (1024 * 1024)

    response = requests.post(server + API, data=chunks(), timeout=30,
                             headers={"Content-Type": "application/json"})
    assert _error(response) == (400, "ModelArts.4104")


def test_unknown_paths_and_methods_are_apig_0101(server):
    assert _error(requests.get(server + "/v2/p/ocr/id-card", timeout=5)) == (404, "APIG.0101")
    assert _error(requests.get(server + API, timeout=5)) == (405, "APIG.0101")


def _read_all(conn: socket.socket) -> bytes:
    data = b""
    while chunk := conn.recv(65536):
        data += chunk
    return data


def test_a_large_body_stays_in_memory(server, monkeypatch):
    """An 8 MB upload is an ID photo: waitress must not spool it to a temporary file."""
    import tempfile

    spooled = []
    real = tempfile.TemporaryFile

    def recording(*args, **kwargs):
        spooled.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "TemporaryFile", recording)
    body = {"image": "A" * (8 * 1024 * 1024) + "!"}  # large, and invalid at its very end
    assert _error(post(server, body)) == (400, "AIS.0102")
    assert spooled == []
