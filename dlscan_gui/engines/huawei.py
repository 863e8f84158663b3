"""Huawei Cloud OCR ``driver-license`` client: the Recognizer for the cloud service and for any
server that speaks its API (``dlscan-cli serve``).

Decisions worth knowing:

- ``Side.AUTO`` sends no ``side``: Huawei then reads the front page (主页); a dlscan server
  (``dlscan-cli serve``) decides the page itself. The answer is labelled by what it holds:
  ``front``/``back`` objects are both pages, back-only fields (档案编号, 记录) the back page,
  anything else the front.
- Retries (``max_attempts`` in total, exponential backoff): connection failures, HTTP 5xx and
  throttling (HTTP 429 / ``APIG.0308``, honouring ``Retry-After`` up to ``RETRY_AFTER_CAP``).
  A read timeout is retried at most once: recognition has no side effect, but each attempt
  may be billed and makes the clerk wait another ``read_timeout``. Other 4xx never retry.
- A 401 or an expired/invalid-token code with a renewable IAM token: the token is dropped, a
  new one obtained and the request repeated once, without spending a retry.
- ``check_connection`` posts a 100×100 white PNG: any ``AIS.*`` answer (normally AIS.0104,
  "not a licence") comes from the OCR algorithm itself, so the endpoint, the credentials,
  the project and the service subscription all work. Huawei charges successful calls only,
  so the check should normally cost nothing.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import struct
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import requests

from dlscan_gui.core.errors import ApiError, AuthError, ConfigError, NetworkError, RecognitionError
from dlscan_gui.core.schema import RecognitionResult, Side, page_side, parse_response
from dlscan_gui.engines.base import ImageUrl
from dlscan_gui.engines.huawei_auth import Auth, IamServiceError
from dlscan_gui.engines.huawei_transport import (
    check_url,
    error_fields,
    read_json,
    retry_after_seconds,
    send,
    server_detail,
    url_host,
)

if TYPE_CHECKING:
    from dlscan_gui.core.imaging import LoadedImage

log = logging.getLogger(__name__)

# Codes that mean "who you are" rather than "what you sent": reported as AuthError.
AUTH_CODES = frozenset(
    {"APIG.0301", "APIG.0307", "ModelArts.0203", "ModelArts.0212", "ModelArts.4101",
     "ModelArts.4102", "ModelArts.4103"}
)
# Of those, the ones a fresh IAM token can cure.
REFRESH_CODES = frozenset(
    {"APIG.0301", "APIG.0307", "ModelArts.0203", "ModelArts.4102", "ModelArts.4103"}
)
THROTTLE_CODE = "APIG.0308"
RETRY_AFTER_CAP = 10.0  # seconds; a clerk is waiting
READ_TIMEOUT_RETRIES = 1
_REGION = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


@dataclass
class HuaweiConfig:
    """Where and how to call the service. ``endpoint`` is a base URL (a path prefix is kept);
    by default ``https://ocr.{region}.myhuaweicloud.com``. ``verify`` is True or a CA bundle
    path, never False."""

    project_id: str
    region: str = "cn-north-4"
    endpoint: str | None = None
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    max_attempts: int = 3
    backoff_seconds: float = 0.5
    verify: bool | str = True

    def __post_init__(self) -> None:
        if self.verify is False or self.verify == "":
            raise ConfigError("DLSCAN.CONFIG", "TLS verification cannot be switched off")
        if self.max_attempts < 1:
            raise ConfigError("DLSCAN.CONFIG", "max_attempts must be at least 1")
        if self.connect_timeout <= 0 or self.read_timeout <= 0 or self.backoff_seconds < 0:
            raise ConfigError("DLSCAN.CONFIG", "timeouts must be positive")

    def base_url(self) -> str:
        """Raises ConfigError for a malformed region or endpoint, or plain http to a public
        host (``DLSCAN.INSECURE_URL``)."""
        if self.endpoint and self.endpoint.strip():
            return check_url(self.endpoint, "OCR endpoint")
        region = (self.region or "").strip()
        if not _REGION.match(region):
            raise ConfigError("DLSCAN.CONFIG", f"invalid region {region[:40]!r}")
        return f"https://ocr.{region}.myhuaweicloud.com"

    def api_url(self) -> str:
        project_id = (self.project_id or "").strip()
        if not project_id:
            raise ConfigError("DLSCAN.CONFIG", "project ID missing")
        return f"{self.base_url()}/v2/{quote(project_id, safe='')}/ocr/driver-license"


def build_request_body(
    image: LoadedImage | ImageUrl,
    *,
    side: Side = Side.AUTO,
    return_issuing_authority: bool = False,
    return_text_location: bool = False,
) -> dict[str, Any]:
    """The JSON body the API takes. ``Side.AUTO`` omits ``side`` (the service reads the front);
    ``return_text_location`` is sent only when asked: the base contract lacks it, and a
    compatible server need not know it."""
    body: dict[str, Any] = {}
    if isinstance(image, ImageUrl):
        body["url"] = image.url
    else:
        data = getattr(image, "data", None)
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError("image must be a LoadedImage (with .data bytes) or an ImageUrl")
        body["image"] = base64.b64encode(bytes(data)).decode("ascii")
    side = Side(side)
    if side is not Side.AUTO:
        body["side"] = side.value
    body["return_issuing_authority"] = bool(return_issuing_authority)
    if return_text_location:
        body["return_text_location"] = True
    return body


def blank_png(size: int = 100) -> bytes:
    """A white ``size``×``size`` 8-bit greyscale PNG, written without any imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)
    pixels = zlib.compress((b"\x00" + b"\xff" * size) * size, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(
        b"IEND", b""
    )


def error_for(status: int, code: str | None, message: str) -> RecognitionError:
    """The error for an answer that is not a result. ``detail`` is the server's own message."""
    detail = server_detail(message) if message else f"HTTP {status}"
    if code:
        cls = AuthError if code in AUTH_CODES else ApiError
        return cls(code, detail, http_status=status)
    if status in (401, 403):
        return AuthError("DLSCAN.AUTH_REJECTED", detail, http_status=status)
    if status == 429:
        return ApiError(THROTTLE_CODE, detail, http_status=status)
    if status >= 500:
        return ApiError("DLSCAN.SERVER_ERROR", detail, http_status=status)
    if 200 <= status < 300:
        return ApiError("DLSCAN.BAD_RESPONSE", detail, http_status=status)
    return ApiError("DLSCAN.HTTP", detail, http_status=status)


class HuaweiRecognizer:
    """Recognizer over the Huawei OCR API. One ``requests.Session`` (connection reuse) shared
    by all worker threads; the only mutable state, the IAM token, is locked in ``auth``."""

    name = "huawei"

    def __init__(
        self,
        config: HuaweiConfig,
        auth: Auth,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.url = config.api_url()  # validates before anything is sent
        self._host = url_host(self.url)
        self._auth = auth
        self._session = session if session is not None else requests.Session()
        self._owns_session = session is None
        self._sleep = sleep
        self._timeout = (config.connect_timeout, config.read_timeout)

    def __repr__(self) -> str:
        return f"HuaweiRecognizer({self._host!r}, {self._auth!r})"

    def close(self) -> None:
        if self._owns_session:
            self._session.close()

    def __enter__(self) -> HuaweiRecognizer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --------------------------------------------------------------------------- public
    def recognize(
        self,
        image: LoadedImage | ImageUrl,
        *,
        side: Side = Side.AUTO,
        return_issuing_authority: bool = False,
        return_text_location: bool = False,
    ) -> RecognitionResult:
        """Raises AuthError (credentials), ApiError (the service's code or DLSCAN.BAD_RESPONSE /
        SERVER_ERROR / HTTP), NetworkError (DLSCAN.NETWORK / TLS / TIMEOUT)."""
        side = Side(side)
        body = build_request_body(
            image,
            side=side,
            return_issuing_authority=return_issuing_authority,
            return_text_location=return_text_location,
        )
        status, data = self._post(body)
        if side is Side.AUTO:
            found = data.get("result")
            side = page_side(found) if isinstance(found, Mapping) else Side.FRONT
        return self._parse(status, data, side)

    def check_connection(self) -> None:
        """A cheap authenticated call for a "Test connection" button: returns if the endpoint,
        the credentials, the project and the service subscription work; raises the same errors
        as ``recognize`` otherwise."""
        body = {
            "image": base64.b64encode(blank_png()).decode("ascii"),
            "side": Side.FRONT.value,
            "return_issuing_authority": False,
        }
        try:
            status, data = self._post(body)
        except ApiError as error:
            if error.code.startswith("AIS."):
                return  # the recognition algorithm itself judged the image
            raise
        self._parse(status, data, Side.FRONT)

    # --------------------------------------------------------------------------- internals
    def _parse(self, status: int, data: Mapping[str, Any], side: Side) -> RecognitionResult:
        try:
            return parse_response(data, side)
        except (TypeError, ValueError):
            raise ApiError(
                "DLSCAN.BAD_RESPONSE", "the answer has no 'result' object", http_status=status
            ) from None

    def _send(self, payload: bytes) -> requests.Response:
        prepared = self._session.prepare_request(
            requests.Request(
                "POST", self.url, data=payload, headers={"Content-Type": "application/json"}
            )
        )
        self._auth.apply(prepared, self._session, timeout=self._timeout, verify=self.config.verify)
        return send(self._session, prepared, timeout=self._timeout, verify=self.config.verify)

    def _post(self, body: Mapping[str, Any]) -> tuple[int, Mapping[str, Any]]:
        """POST with retries; returns (status, JSON object) of a success or raises."""
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        attempt, refreshed, timeouts = 1, False, 0
        while True:
            retry_after: float | None = None
            try:
                response = self._send(payload)
            except (NetworkError, IamServiceError) as error:
                failure: RecognitionError = error
                retryable = error.code != "DLSCAN.TLS"  # a bad certificate will not heal
                if error.code == "DLSCAN.TIMEOUT":
                    timeouts += 1
                    retryable = timeouts <= READ_TIMEOUT_RETRIES
                log.info("POST %s -> %s", self._host, error.code)
            else:
                status = response.status_code
                data = read_json(response)
                code, message = error_fields(data)
                log.info("POST %s -> HTTP %s %s", self._host, status, code or "")
                if 200 <= status < 300 and code is None:
                    if isinstance(data, Mapping):
                        return status, data
                    kind = response.headers.get("Content-Type", "no content type")
                    raise ApiError(
                        "DLSCAN.BAD_RESPONSE",
                        server_detail(f"HTTP {status}, not a JSON object ({kind})"),
                        http_status=status,
                    )
                if (
                    self._auth.refreshable
                    and not refreshed
                    and (status == 401 or code in REFRESH_CODES)
                ):
                    refreshed = True  # once only: a second 401 is the answer
                    self._auth.invalidate(response.request.headers.get("X-Auth-Token"))
                    continue
                failure = error_for(status, code, message)
                throttled = status == 429 or code == THROTTLE_CODE
                retryable = throttled or status >= 500
                if throttled:
                    retry_after = retry_after_seconds(response)
            if not retryable or attempt >= self.config.max_attempts:
                raise failure
            delay = self._delay(attempt, retry_after)
            log.warning(
                "%s: %s, attempt %d of %d in %.2f s",
                self._host, failure.code, attempt + 1, self.config.max_attempts, delay,
            )
            self._sleep(delay)
            attempt += 1

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, RETRY_AFTER_CAP)
        return min(self.config.backoff_seconds * 2 ** (attempt - 1), RETRY_AFTER_CAP)
