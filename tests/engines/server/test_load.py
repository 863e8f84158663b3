"""Several counters at once: concurrent requests get their own right answers; a slow or stalled
client holds no engine; a request that finds every engine busy for too long is told to retry;
an engine failure answers like the API, not with a dropped connection."""

from __future__ import annotations

import socket
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from dlscan_gui.core.imaging import load_image
from dlscan_gui.core.schema import RecognitionResult, Side
from dlscan_gui.engines.server.pool import RecognizerPool
from tests.engines.server.conftest import API, SAMPLES, post, running, sample_b64

NAMES = ["synthetic-front.jpg", "synthetic-back.jpg", "synthetic-front-scan.jpg",
         "synthetic-double-side.jpg"]


@pytest.fixture(scope="module")
def expected(local_engine):
    return {name: local_engine.recognize(load_image(SAMPLES / name), side=Side.AUTO).to_response()
            for name in NAMES}


def test_concurrent_clients_each_get_their_own_result(server, expected):
    jobs = NAMES * 2
    with ThreadPoolExecutor(len(jobs)) as clients:
        answers = list(clients.map(lambda name: post(server, {"image": sample_b64(name)}), jobs))
    for name, response in zip(jobs, answers, strict=True):
        assert response.status_code == 200, name
        assert response.json() == expected[name], name


def test_two_workers_recognize_at_once_and_still_answer_right(expected):
    from dlscan_gui.engines.server.pool import local_pool

    pool = local_pool(2)
    assert pool.size == 2
    jobs = NAMES * 2
    with running(pool) as base, ThreadPoolExecutor(len(jobs)) as clients:
        answers = list(clients.map(lambda name: post(base, {"image": sample_b64(name)}), jobs))
    for name, response in zip(jobs, answers, strict=True):
        # Engines with one thread each may differ in a confidence's last digit, not in text.
        assert _texts(response.json()) == _texts(expected[name]), name


def _texts(answer: dict) -> dict:
    result = RecognitionResult.from_huawei_json(answer["result"])
    return {str(side): page.fields for side, page in result.pages()}


def test_a_stalled_upload_does_not_block_other_clients(server, expected):
    host, port = server.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as stalled:
        stalled.sendall((f"POST {API} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         "Content-Length: 100000\r\n\r\n{\"image\": \"").encode())
        # The stalled client holds its connection open; others are served meanwhile.
        response = post(server, {"image": sample_b64("synthetic-front.jpg")}, timeout=30)
        assert response.json() == expected["synthetic-front.jpg"]
        assert requests.get(server + "/healthz", timeout=5).json()["busy"] == 0


def test_broken_clients_do_not_disturb_the_server(server, expected):
    host, port = server.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as garbage:
        garbage.sendall(b"\x16\x03\x01 not http at all\r\n\r\n")  # e.g. TLS to plain http
        assert b" 400 " in garbage.recv(100).split(b"\r\n")[0]
    with socket.create_connection((host, int(port)), timeout=10) as gone:
        gone.sendall((f"POST {API} HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n"
                      "{\"image\": \"AAAA").encode())
    # The connection dropped mid-body; the next client is served as usual.
    response = post(server, {"image": sample_b64("synthetic-front.jpg")}, timeout=30)
    assert response.json() == expected["synthetic-front.jpg"]


class _Failing:
    name = "local"

    def recognize(self, image, **options):
        number = "110108" + "199405103394"  # as data, not in the source line a traceback shows
        raise RuntimeError(f"engine crashed reading {number}")


class _Slow:
    name = "local"

    def recognize(self, image, **options):
        time.sleep(1.5)
        raise RuntimeError("too slow to matter")


def test_an_engine_failure_is_ais_0105_and_its_message_stays_out_of_the_log(caplog):
    with running(RecognizerPool([_Failing()])) as base:
        response = post(base, {"image": sample_b64("synthetic-front.jpg")})
    assert response.status_code == 500
    assert response.json()["error_code"] == "AIS.0105"
    logged = caplog.text  # as written, tracebacks included
    assert "RuntimeError" in logged and "recognize" in logged  # where, for whoever fixes it
    assert "110108199405103394" not in logged  # not what the exception said


def test_all_engines_busy_too_long_is_throttled_with_retry_after():
    with running(RecognizerPool([_Slow()]), pool_wait=0.2) as base:
        with ThreadPoolExecutor(2) as clients:
            first = clients.submit(post, base, {"image": sample_b64("synthetic-front.jpg")})
            time.sleep(0.4)
            second = post(base, {"image": sample_b64("synthetic-front.jpg")})
            health = requests.get(base + "/healthz", timeout=5).json()
            first.result()
    assert second.status_code == 429
    assert second.json()["error_code"] == "APIG.0308"
    assert second.headers["Retry-After"]
    assert health["busy"] == 1
