"""The WSGI application: ``POST /v2/{project_id}/ocr/driver-license`` with Huawei's request and
response contract, and ``GET /healthz``.

Every answer is JSON: ``{"result": {...}}`` or ``{"error_code": ..., "error_msg": ...}``. The
token (when set) is checked and the declared body size capped before the body is read. The log
has one line per request (method, path, status, code, milliseconds): never the image, the
result, the token or anything the licence says.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from dlscan_gui import __version__
from dlscan_gui.core.errors import RecognitionError
from dlscan_gui.core.precheck import MAX_BASE64
from dlscan_gui.engines.server.fetch import FetchPolicy, fetch_image
from dlscan_gui.engines.server.pool import PoolBusy, RecognizerPool
from dlscan_gui.engines.server.request import RequestError, decode, parse_body

log = logging.getLogger("dlscan.server")

API_PATH = re.compile(r"/v2/[^/]+/ocr/driver-license/?")
MAX_BODY_BYTES = MAX_BASE64 + 1024 * 1024  # a 10 MB base64 image and the JSON around it
POOL_WAIT = 30.0  # seconds a request waits for a free engine before it is told to retry
_STATUS_TEXT = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found",
                405: "Method Not Allowed", 429: "Too Many Requests",
                500: "Internal Server Error"}

StartResponse = Callable[..., Any]


@dataclass(frozen=True)
class ServerOptions:
    token: str | None = None  # X-Auth-Token must equal it; None: no token asked
    fetch: FetchPolicy = field(default_factory=FetchPolicy)
    max_body_bytes: int = MAX_BODY_BYTES
    pool_wait: float = POOL_WAIT


class Reply(Exception):
    """An answer other than a result: HTTP status, error code, English message."""

    def __init__(self, status: int, code: str, message: str,
                 headers: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(code)
        self.status, self.code, self.message, self.headers = status, code, message, headers


class ServerApp:
    def __init__(self, pool: RecognizerPool, options: ServerOptions | None = None) -> None:
        self.pool = pool
        self.options = options or ServerOptions()
        self._token = self.options.token.encode("ascii") if self.options.token else None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "")
        code = ""
        try:
            status, body = self._route(environ, method, path)
            headers: tuple[tuple[str, str], ...] = ()
        except Reply as reply:
            status, code, headers = reply.status, reply.code, reply.headers
            body = {"error_code": reply.code, "error_msg": reply.message}
        except Exception as error:  # a bug must answer like the API does, not drop the line
            # Where it failed, without the exception's message: that could quote the licence.
            log.error("%s %s failed: %s\n%s", method, _safe_path(path), type(error).__name__,
                      "".join(traceback.format_tb(error.__traceback__)).rstrip())
            status, code, headers = 500, "AIS.0105", ()
            body = {"error_code": code, "error_msg": "Recognition failed on the server."}
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        start_response(f"{status} {_STATUS_TEXT.get(status, 'Error')}", [
            ("Content-Type", "application/json;charset=utf-8"),
            ("Content-Length", str(len(payload))),
            ("Cache-Control", "no-store"),
            *headers,
        ])
        log.info("%s %s %d %s %.0f ms", method, _safe_path(path), status, code or "-",
                 1000 * (time.perf_counter() - started))
        return [payload]

    # ------------------------------------------------------------------ routing
    def _route(self, environ: dict[str, Any], method: str,
               path: str) -> tuple[int, dict[str, Any]]:
        if path == "/healthz":
            if method not in ("GET", "HEAD"):
                raise Reply(405, "APIG.0101", "Use GET.", (("Allow", "GET, HEAD"),))
            return 200, {"status": "ok", "engine": self.pool.name, "workers": self.pool.size,
                         "busy": self.pool.busy, "version": __version__}
        if not API_PATH.fullmatch(path):
            raise Reply(404, "APIG.0101", "The API does not exist.")
        if method != "POST":
            raise Reply(405, "APIG.0101", "Use POST.", (("Allow", "POST"),))
        self._check_token(environ.get("HTTP_X_AUTH_TOKEN"))
        body = self._read_body(environ)
        try:
            return 200, self._recognize(body)
        except RequestError as error:
            raise Reply(error.status, error.code, error.message) from None

    def _check_token(self, given: str | None) -> None:
        if self._token is None:
            return
        if not given:
            raise Reply(401, "ModelArts.4101", "The request carries no X-Auth-Token.")
        # Constant time: how long the comparison takes must not tell how much of it matched.
        # WSGI hands headers over as latin-1 text; the token itself is printable ASCII.
        if not hmac.compare_digest(given.encode("latin-1", "replace"), self._token):
            raise Reply(401, "ModelArts.4103", "The X-Auth-Token is not valid.")

    def _read_body(self, environ: dict[str, Any]) -> bytes:
        declared = environ.get("CONTENT_LENGTH") or "0"
        if not declared.isdigit():
            raise Reply(400, "ModelArts.4105", "The request body is not valid JSON.")
        length = int(declared)
        if length > self.options.max_body_bytes:  # refused before a byte of it is read
            raise Reply(400, "ModelArts.4104", "The request body is too large.")
        return environ["wsgi.input"].read(length) if length else b""

    def _recognize(self, body: bytes) -> dict[str, Any]:
        request = parse_body(body)
        data = request.image if request.image is not None else fetch_image(
            request.url or "", self.options.fetch)
        image = decode(data)
        try:
            with self.pool.borrow(self.options.pool_wait) as recognizer:
                result = recognizer.recognize(
                    image, side=request.side,
                    return_issuing_authority=request.return_issuing_authority,
                    return_text_location=request.return_text_location)
        except PoolBusy:
            raise Reply(429, "APIG.0308", "The server is busy; retry shortly.",
                        (("Retry-After", "2"),)) from None
        except RecognitionError as error:
            status = 500 if error.code == "AIS.0105" else 400
            raise Reply(status, error.code, error.message_en) from None
        return result.to_response()


def _safe_path(path: str) -> str:
    """The path for the log, cut short (the project ID in it is not secret)."""
    return path[:80]
