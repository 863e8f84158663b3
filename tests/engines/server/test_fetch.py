"""Images by ``url``: off by default; when on, never to this machine or link-local addresses,
no redirects, a size cap and a deadline. The download tests use an image server on 127.0.0.1
and a policy that lets loopback through (the real one refuses it, as tested first)."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dlscan_gui.engines.server.fetch import FetchPolicy, fetch_image, forbidden
from dlscan_gui.engines.server.request import RequestError
from tests.engines.server.conftest import SAMPLES, post, running, sample_b64

IMAGE = (SAMPLES / "synthetic-front.jpg").read_bytes()
SMALL_CAP = 200_000  # bytes: above the sample image, below the "big" answers
assert len(IMAGE) < SMALL_CAP


class _Images(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/licence.jpg":
            self._send(200, IMAGE)
        elif self.path == "/big":
            self._send(200, b"\0" * (SMALL_CAP + 1))
        elif self.path == "/big-unannounced":
            self.send_response(200)
            self.end_headers()  # no Content-Length: the cap must hold while reading
            for _ in range(SMALL_CAP // 10_000 + 2):
                self.wfile.write(b"\0" * 10_000)
        elif self.path == "/drip":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"\0")
                self.wfile.flush()
                time.sleep(0.1)
        elif self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._send(404, b"no")

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def images() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Images)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


# Only for these tests: loopback stands in for an office file server.
LOOPBACK_ALLOWED = FetchPolicy(enabled=True, max_bytes=SMALL_CAP, total_timeout=2.0,
                               refuse=lambda address: not address.is_loopback)


def _code(call) -> str:
    with pytest.raises(RequestError) as raised:
        call()
    return raised.value.code


def test_fetching_is_off_by_default():
    assert _code(lambda: fetch_image("https://example.com/a.jpg", FetchPolicy())) == "AIS.0101"


@pytest.mark.parametrize("url", ["ftp://example.com/a.jpg", "file:///etc/passwd",
                                 "https://user:pw@example.com/a.jpg", "http://:80/a"])
def test_only_plain_http_and_https_urls(url):
    assert _code(lambda: fetch_image(url, FetchPolicy(enabled=True))) == "AIS.0101"


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/a.jpg", "http://localhost:8086/healthz", "http://[::1]/a.jpg",
    "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0/", "http://[::ffff:127.0.0.1]/",
    "https://[fe80::1]/a.jpg", "http://127.1.2.3/", "http://224.0.0.1/",
])
def test_never_this_machine_or_link_local(url, monkeypatch):
    def no_connection(*args, **kwargs):
        raise AssertionError("connected to a refused address")

    monkeypatch.setattr(socket.socket, "connect", no_connection)
    assert _code(lambda: fetch_image(url, FetchPolicy(enabled=True))) == "ModelArts.4603"


@pytest.mark.parametrize("address", ["10.1.2.3", "192.168.0.10", "172.16.5.4", "8.8.8.8",
                                     "2001:db8::1"])
def test_office_and_public_addresses_are_allowed(address):
    assert not forbidden(ipaddress.ip_address(address))


def test_downloads_the_image(images):
    assert fetch_image(images + "/licence.jpg", LOOPBACK_ALLOWED) == IMAGE


def test_too_large_is_ais_0103_announced_or_not(images):
    assert _code(lambda: fetch_image(images + "/big", LOOPBACK_ALLOWED)) == "AIS.0103"
    assert _code(lambda: fetch_image(images + "/big-unannounced", LOOPBACK_ALLOWED)) == "AIS.0103"


def test_redirects_and_errors_are_not_followed(images):
    assert _code(lambda: fetch_image(images + "/moved", LOOPBACK_ALLOWED)) == "ModelArts.4603"
    assert _code(lambda: fetch_image(images + "/missing", LOOPBACK_ALLOWED)) == "ModelArts.4603"


def test_a_dripping_server_is_cut_off_at_the_deadline(images):
    started = time.monotonic()
    assert _code(lambda: fetch_image(images + "/drip", LOOPBACK_ALLOWED)) == "ModelArts.4603"
    assert time.monotonic() - started < 6  # 100 bytes at 10/s would take 10 s


def test_nothing_listening_is_modelarts_4603():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nobody listens there
    assert _code(lambda: fetch_image(f"http://127.0.0.1:{port}/a.jpg",
                                     LOOPBACK_ALLOWED)) == "ModelArts.4603"


def test_url_mode_through_the_server_equals_the_image_mode(images, engine_pool):
    with running(engine_pool, fetch=LOOPBACK_ALLOWED) as base:
        by_url = post(base, {"url": images + "/licence.jpg", "side": "front"})
        by_image = post(base, {"image": sample_b64("synthetic-front.jpg"), "side": "front"})
        refused = post(base, {"url": "http://169.254.169.254/latest/meta-data/"})
    assert by_url.status_code == 200
    assert by_url.json() == by_image.json()
    assert refused.json()["error_code"] == "ModelArts.4603"
