"""A real HTTP server on 127.0.0.1 that behaves like Huawei IAM (``POST /v3/auth/tokens``) and
the OCR ``driver-license`` API (``POST [prefix]/v2/{project_id}/ocr/driver-license``), for the
engine tests and, later, GUI tests.

It checks requests the way the service does (password identity, ``X-Auth-Token`` or an AK/SK
signature recomputed with huaweicloudsdkcore's own ``Signer``, body rules → AIS/ModelArts
codes), answers with configurable canned results, records every request, and plays scripted
responses (status, JSON or raw bytes, headers, delay) before its normal behaviour.

    with FakeHuawei() as fake:
        fake.script(Scripted.error("APIG.0308", headers={"Retry-After": "0"}))
        ... HuaweiConfig(project_id=fake.project_id, endpoint=fake.url) ...
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import re
import secrets
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

# The documented codes, with the HTTP status this fake answers them with and the service's text.
ERRORS: dict[str, tuple[int, str]] = {
    "AIS.0101": (400, "The input parameter is invalid."),
    "AIS.0102": (400, "The image format is not supported."),
    "AIS.0103": (400, "The image size does not meet the requirements."),
    "AIS.0104": (400, "The image is not supported or the image quality is poor."),
    "AIS.0105": (500, "Recognition failed."),
    "ModelArts.0203": (401, "Invalid token."),
    "ModelArts.0212": (400, "Failed to obtain the project ID from the token."),
    "ModelArts.4101": (401, "The token is empty."),
    "ModelArts.4102": (401, "Failed to parse the token."),
    "ModelArts.4103": (401, "Invalid token."),
    "ModelArts.4104": (400, "The request body is too large."),
    "ModelArts.4105": (400, "The request body is not in JSON format."),
    "ModelArts.4204": (403, "The service has not been subscribed."),
    "ModelArts.4603": (400, "Failed to download the image from the URL."),
    "ModelArts.4704": (400, "Failed to read the image from OBS."),
    "APIG.0101": (404, "The API does not exist or has not been published in the environment."),
    "APIG.0201": (504, "Backend timeout."),
    "APIG.0301": (401, "Incorrect IAM authentication information."),
    "APIG.0307": (401, "The token must be updated."),
    "APIG.0308": (429, "The request is throttled."),
}

DEFAULT_FRONT: dict[str, str] = {
    "number": "110101199003070019",
    "name": "张三",
    "sex": "男",
    "nationality": "中国",
    "address": "北京市东城区某某街道1号",
    "birth": "1990-03-07",
    "issue_date": "2010-05-06",
    "class": "C1",
    "valid_from": "2016-05-06",
    "valid_to": "2026-05-06",
    "issuing_authority": "北京市公安局公安交通管理局",
}
DEFAULT_BACK: dict[str, str] = {
    "number": "110101199003070019",
    "name": "张三",
    "file_number": "110100123456",
    "record": "实习期至2011年05月06日。",
}

_OCR_PATH = re.compile(r"^(?P<prefix>.*)/v2/(?P<project>[^/]+)/ocr/driver-license$")
_AUTHORIZATION = re.compile(
    r"^SDK-HMAC-SHA256 Access=(?P<ak>[^,\s]+), SignedHeaders=(?P<signed>[^,\s]+), "
    r"Signature=(?P<sig>[0-9a-f]+)$"
)
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"BM", b"II*\x00", b"MM\x00*")
_MAX_IMAGE_B64 = 10 * 1024 * 1024
_CLOCK_TOLERANCE = timedelta(minutes=15)


@dataclass
class Scripted:
    """One canned answer. ``json`` wins over ``body`` when both are given."""

    status: int = 200
    json: Any = None
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    @classmethod
    def error(cls, code: str, status: int | None = None, **kwargs: Any) -> Scripted:
        default_status, message = ERRORS.get(code, (400, "error"))
        return cls(status=status or default_status,
                   json={"error_code": code, "error_msg": message}, **kwargs)

    def encoded(self) -> tuple[bytes, dict[str, str]]:
        headers = dict(self.headers)
        if self.json is not None:
            headers.setdefault("Content-Type", "application/json;charset=utf-8")
            return json.dumps(self.json, ensure_ascii=False).encode("utf-8"), headers
        headers.setdefault("Content-Type", "text/html;charset=utf-8")
        return self.body or b"", headers


@dataclass
class Recorded:
    method: str
    path: str
    query: str
    headers: dict[str, str]  # names lower-cased
    body: bytes
    data: Any  # the parsed JSON body, or None

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # we join our own handler threads, with a time limit

    def __init__(self, fake: FakeHuawei) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake
        self._live: set[socket.socket] = set()
        self._handler_threads: set[threading.Thread] = set()
        self._live_lock = threading.Lock()

    def process_request(self, request, client_address):
        thread = threading.Thread(
            target=self.process_request_thread, args=(request, client_address), daemon=True
        )
        with self._live_lock:
            self._live.add(request)
            self._handler_threads = {t for t in self._handler_threads if t.is_alive()}
            self._handler_threads.add(thread)
        thread.start()

    def shutdown_request(self, request):
        with self._live_lock:
            self._live.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address):
        pass  # a client that hung up (read timeout) is expected here, not a failure

    def close_connections(self, timeout: float = 2.0) -> None:
        with self._live_lock:
            live, threads = list(self._live), list(self._handler_threads)
        for sock in live:
            try:
                sock.shutdown(socket.SHUT_RDWR)  # wakes handlers blocked in recv
            except OSError:
                pass
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real service
    timeout = 10  # an idle keep-alive connection does not hold a thread forever
    wbufsize = 64 * 1024  # headers and body in one packet: no Nagle/delayed-ACK 40 ms stalls
    server: _Server

    def log_message(self, format, *args):
        pass

    def do_POST(self):
        self.server.fake._handle(self)

    def do_GET(self):
        self.server.fake._handle(self)


class FakeHuawei:
    def __init__(
        self,
        *,
        project_id: str = "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
        users: dict[tuple[str, str], str] | None = None,
        aksk: dict[str, tuple[str, str | None]] | None = None,
        static_tokens: set[str] | None = None,
        require_auth: bool = True,
    ) -> None:
        self.project_id = project_id
        # (domain, user) -> password
        self.users = users if users is not None else {("acme", "clerk"): "correct horse"}
        # ak -> (sk, security token or None)
        self.aksk = aksk if aksk is not None else {"AKTEST0001": ("sk-secret-0001", None)}
        self.static_tokens = set(static_tokens or ())
        self.require_auth = require_auth
        self.token_lifetime = 24 * 3600.0
        self.include_expiry = True
        self.front_result = dict(DEFAULT_FRONT)
        self.back_result = dict(DEFAULT_BACK)
        self.requests: list[Recorded] = []
        self.issued: dict[str, float] = {}  # token -> expiry (epoch seconds)
        self._revoked: set[str] = set()
        self._scripts: dict[str, deque[Scripted]] = {"ocr": deque(), "iam": deque()}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = _Server(self)
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle
    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeHuawei:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # scripted delays end now
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(2.0)

    def __enter__(self) -> FakeHuawei:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ test controls
    def script(self, *responses: Scripted, target: str = "ocr") -> None:
        with self._lock:
            self._scripts[target].extend(responses)

    def revoke_tokens(self) -> None:
        """Every issued token now answers 401 APIG.0307, like an expired one."""
        with self._lock:
            self._revoked.update(self.issued)
            self.issued.clear()

    @property
    def ocr_requests(self) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if "/ocr/" in r.path]

    @property
    def iam_requests(self) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.path.endswith("/v3/auth/tokens")]

    # ------------------------------------------------------------------ serving
    def _handle(self, handler: _Handler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        split = urlsplit(handler.path)
        try:
            data = json.loads(body) if body else None
        except ValueError:
            data = None
        record = Recorded(
            handler.command, split.path, split.query,
            {k.lower(): v for k, v in handler.headers.items()}, body, data,
        )
        target = "iam" if split.path.endswith("/v3/auth/tokens") else "ocr"
        with self._lock:
            self.requests.append(record)
            scripted = self._scripts[target].popleft() if self._scripts[target] else None
        if scripted is not None:
            if scripted.delay and self._stopping.wait(scripted.delay):
                handler.close_connection = True
                return
            payload, headers = scripted.encoded()
            self._write(handler, scripted.status, payload, headers)
            return
        if handler.command != "POST":
            answer = _error("APIG.0101")
        elif target == "iam":
            answer = self._iam(data)
        else:
            answer = self._ocr(handler, split.path, split.query, body, data)
        status, obj, headers = answer
        headers.setdefault("Content-Type", "application/json;charset=utf-8")
        self._write(handler, status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), headers)

    @staticmethod
    def _write(handler: _Handler, status: int, payload: bytes, headers: dict[str, str]) -> None:
        try:
            handler.send_response(status)
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
            handler.wfile.flush()
        except OSError:
            handler.close_connection = True  # the client gave up (timeout) or went away

    # ------------------------------------------------------------------ IAM
    def _iam(self, data: Any) -> tuple[int, Any, dict[str, str]]:
        try:
            auth = data["auth"]
            identity = auth["identity"]
            user = identity["password"]["user"]
            name, password, domain = user["name"], user["password"], user["domain"]["name"]
            project = auth["scope"]["project"]["id"]
            if identity["methods"] != ["password"]:
                raise KeyError("methods")
        except (KeyError, TypeError):
            return _iam_error(400, "Bad Request", "The request body is invalid.")
        if self.users.get((domain, name)) != password:
            return _iam_error(401, "Unauthorized", "The username or password is wrong.")
        if project != self.project_id:
            return _iam_error(400, "Bad Request", "Invalid project scope.")
        token = "MIItok-" + secrets.token_urlsafe(24)
        now = time.time()
        with self._lock:
            self.issued[token] = now + self.token_lifetime
        body: dict[str, Any] = {"methods": ["password"], "project": {"id": project}}
        if self.include_expiry:
            expires = datetime.fromtimestamp(now + self.token_lifetime, UTC)
            body["expires_at"] = expires.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return 201, {"token": body}, {"X-Subject-Token": token}

    # ------------------------------------------------------------------ OCR
    def _ocr(
        self, handler: _Handler, path: str, query: str, body: bytes, data: Any
    ) -> tuple[int, Any, dict[str, str]]:
        match = _OCR_PATH.match(path)
        if match is None or match["project"] != self.project_id:
            return _error("APIG.0101")
        if self.require_auth:
            refusal = self._check_auth(handler, path, query, body)
            if refusal:
                return _error(refusal)
        if not (handler.headers.get("Content-Type") or "").startswith("application/json"):
            return _error("ModelArts.4105")
        if data is None:
            return _error("ModelArts.4105")
        if not isinstance(data, dict) or ("image" in data) == ("url" in data):
            return _error("AIS.0101")
        if "image" in data:
            image = data["image"]
            if not isinstance(image, str) or not image:
                return _error("AIS.0101")
            if len(image) > _MAX_IMAGE_B64:
                return _error("ModelArts.4104")
            try:
                raw = base64.b64decode(image, validate=True)
            except (binascii.Error, ValueError):
                return _error("AIS.0102")
            if not raw.startswith(_IMAGE_MAGIC):
                return _error("AIS.0102")
        elif not isinstance(data["url"], str) or not data["url"]:
            return _error("AIS.0101")
        side = data.get("side", "front")
        if side == "":
            side = "front"  # the API: empty or absent means the front page
        if side not in ("front", "back", "double_side"):
            return _error("AIS.0101")
        for flag in ("return_issuing_authority", "return_text_location"):
            if flag in data and not isinstance(data[flag], bool):
                return _error("AIS.0101")
        authority = data.get("return_issuing_authority", False)
        location = data.get("return_text_location", False)
        if side == "double_side":
            result: dict[str, Any] = {
                "type": "normal",
                "front": self._page("front", authority, location),
                "back": self._page("back", authority, location),
            }
        else:
            result = self._page(side, authority, location)
        return 200, {"result": result}, {}

    def _page(self, side: str, authority: bool, location: bool) -> dict[str, Any]:
        page: dict[str, Any] = dict(self.front_result if side == "front" else self.back_result)
        if not authority:
            page.pop("issuing_authority", None)
        if location:
            keys = [k for k in page if isinstance(page[k], str)]
            page["confidence"] = {k: 0.99 for k in keys}
            page["text_location"] = {
                k: [[10.0, 20.0 * i], [300.0, 20.0 * i], [300.0, 20.0 * i + 18],
                    [10.0, 20.0 * i + 18]]
                for i, k in enumerate(keys)
            }
        return page

    def _check_auth(self, handler: _Handler, path: str, query: str, body: bytes) -> str | None:
        """None when the caller is authenticated, else the error code to answer with."""
        token = handler.headers.get("X-Auth-Token")
        if token is not None:
            with self._lock:
                if token in self.static_tokens:
                    return None
                expiry = self.issued.get(token)
                revoked = token in self._revoked
            if revoked or (expiry is not None and time.time() >= expiry):
                return "APIG.0307"
            return None if expiry is not None else "APIG.0301"
        authorization = handler.headers.get("Authorization")
        if authorization is not None:
            return None if self._signature_ok(handler, path, query, body) else "APIG.0301"
        return "APIG.0301"

    def _signature_ok(self, handler: _Handler, path: str, query: str, body: bytes) -> bool:
        match = _AUTHORIZATION.match(handler.headers.get("Authorization", ""))
        if match is None or match["ak"] not in self.aksk:
            return False
        sk, security_token = self.aksk[match["ak"]]
        signed = match["signed"].split(";")
        if "host" not in signed or "x-sdk-date" not in signed:
            return False
        try:
            date = datetime.strptime(handler.headers.get("X-Sdk-Date", ""), "%Y%m%dT%H%M%SZ")
        except ValueError:
            return False
        if abs(datetime.now(UTC) - date.replace(tzinfo=UTC)) > _CLOCK_TOLERANCE:
            return False
        sent_token = handler.headers.get("X-Security-Token")
        if security_token is not None and (
            sent_token != security_token or "x-security-token" not in signed
        ):
            return False
        if security_token is None and sent_token is not None:
            return False
        params = {k: v for k, v in handler.headers.items() if k.lower() in signed}
        if sorted(k.lower() for k in params) != sorted(signed):
            return False  # a signed header was not sent
        request = SdkRequest(
            method=handler.command,
            schema="http",
            host=handler.headers.get("Host"),
            resource_path=path,
            query_params=parse_qsl(query, keep_blank_values=True),
            header_params=params,
            body=body,
        )
        Signer(SimpleNamespace(ak=match["ak"], sk=sk)).sign(request)
        expected = request.header_params["Authorization"]
        return hmac.compare_digest(expected, handler.headers.get("Authorization", ""))


def _error(code: str) -> tuple[int, Any, dict[str, str]]:
    status, message = ERRORS[code]
    return status, {"error_code": code, "error_msg": message}, {}


def _iam_error(status: int, title: str, message: str) -> tuple[int, Any, dict[str, str]]:
    return status, {"error": {"code": status, "title": title, "message": message}}, {}
