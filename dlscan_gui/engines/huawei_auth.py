"""How a request to Huawei Cloud proves who sends it: nothing (a dlscan server on loopback), a
pasted token, an IAM token obtained with a password, or an AK/SK signature.

Every class has the same small interface, used by ``HuaweiRecognizer``:

- ``apply(request, session, *, timeout, verify)`` adds the credentials to a prepared request
  (may call IAM; raises AuthError / NetworkError);
- ``invalidate(token=None)`` forgets a cached token, so the next ``apply`` obtains a new one;
- ``refreshable`` says whether invalidating can help after a 401.

All are safe to share between threads. Secrets never appear in ``repr``, exceptions or logs.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import parse_qsl, quote, unquote, urlsplit, urlunsplit

import requests

from dlscan_gui.core.errors import AuthError, ConfigError, RecognitionError
from dlscan_gui.engines.huawei_transport import (
    DEFAULT_TIMEOUT,
    Timeout,
    check_url,
    error_fields,
    read_json,
    send,
    server_detail,
    url_host,
)

log = logging.getLogger(__name__)

DEFAULT_TOKEN_LIFETIME = 24 * 3600.0  # IAM tokens live 24 h
REFRESH_MARGIN = 5 * 60.0  # renew this long before IAM says the token expires
MIN_CACHE_SECONDS = 60.0  # even with a skewed clock, do not ask IAM more than once a minute


def default_iam_endpoint(region: str) -> str:
    return f"https://iam.{region}.myhuaweicloud.com"


def _require(value: str, what: str) -> str:
    if not value or not value.strip():
        raise ConfigError("DLSCAN.CONFIG", f"{what} missing")
    if any(ch in value for ch in "\r\n\0"):
        raise ConfigError("DLSCAN.CONFIG", f"{what} contains a line break")
    return value.strip()


class IamServiceError(RecognitionError):
    """IAM itself failed (5xx, throttling, an answer without a token): worth a retry, unlike
    rejected credentials."""

    default_code = "DLSCAN.IAM_ERROR"


class Auth(Protocol):
    refreshable: bool

    def apply(
        self,
        request: requests.PreparedRequest,
        session: requests.Session,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        verify: bool | str = True,
    ) -> None: ...

    def invalidate(self, token: str | None = None) -> None: ...


class NoAuth:
    """For a dlscan server on loopback that runs open."""

    refreshable = False

    def apply(
        self,
        request: requests.PreparedRequest,
        session: requests.Session,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        verify: bool | str = True,
    ) -> None:
        return None

    def invalidate(self, token: str | None = None) -> None:
        return None

    def __repr__(self) -> str:
        return "NoAuth()"


class TokenAuth:
    """A token pasted by the user (or a dlscan server's token), sent as ``X-Auth-Token``. It
    cannot be renewed: a 401 is final."""

    refreshable = False

    def __init__(self, token: str) -> None:
        self._token = _require(token, "token")

    def apply(
        self,
        request: requests.PreparedRequest,
        session: requests.Session,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        verify: bool | str = True,
    ) -> None:
        request.headers["X-Auth-Token"] = self._token

    def invalidate(self, token: str | None = None) -> None:
        return None

    def __repr__(self) -> str:
        return "TokenAuth(<hidden>)"


class IamPasswordAuth:
    """An IAM user's password, exchanged for a project-scoped token that is cached until five
    minutes before it expires. ``clock`` returns epoch seconds (injectable for tests)."""

    refreshable = True

    def __init__(
        self,
        user: str,
        password: str,
        domain: str,
        project_id: str,
        iam_endpoint: str,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._user = _require(user, "IAM user name")
        self._password = _require(password, "IAM password")
        self._domain = _require(domain, "IAM account (domain) name")
        self._project_id = _require(project_id, "project ID")
        self._url = check_url(iam_endpoint, "IAM endpoint") + "/v3/auth/tokens"
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._valid_until = 0.0

    def __repr__(self) -> str:
        return f"IamPasswordAuth(user={self._user!r}, domain={self._domain!r}, <password hidden>)"

    def apply(
        self,
        request: requests.PreparedRequest,
        session: requests.Session,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        verify: bool | str = True,
    ) -> None:
        request.headers["X-Auth-Token"] = self.token(session, timeout=timeout, verify=verify)

    def token(
        self,
        session: requests.Session,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        verify: bool | str = True,
    ) -> str:
        """The cached token, or a new one from IAM. The lock is held while fetching so that
        workers starting together cause one IAM request, not one each."""
        with self._lock:
            now = self._clock()
            if self._token is not None and now < self._valid_until:
                return self._token
            token, expires_at = self._fetch(session, timeout, verify)
            lifetime = (expires_at - now) if expires_at is not None else DEFAULT_TOKEN_LIFETIME
            self._token = token
            self._valid_until = now + max(lifetime - REFRESH_MARGIN, MIN_CACHE_SECONDS)
            return token

    def invalidate(self, token: str | None = None) -> None:
        """Forget the cached token; with ``token``, only if it is still the cached one (another
        worker may already have replaced it)."""
        with self._lock:
            if token is None or token == self._token:
                self._token = None
                self._valid_until = 0.0

    def _body(self) -> dict[str, object]:
        user = {"name": self._user, "password": self._password, "domain": {"name": self._domain}}
        return {
            "auth": {
                "identity": {"methods": ["password"], "password": {"user": user}},
                "scope": {"project": {"id": self._project_id}},
            }
        }

    def _fetch(
        self, session: requests.Session, timeout: Timeout, verify: bool | str
    ) -> tuple[str, float | None]:
        prepared = session.prepare_request(
            requests.Request(
                "POST",
                self._url,
                json=self._body(),
                headers={"Content-Type": "application/json;charset=utf8"},
            )
        )
        host = url_host(self._url)
        response = send(session, prepared, timeout=timeout, verify=verify)
        status = response.status_code
        body = read_json(response)
        log.info("IAM %s -> HTTP %s", host, status)
        if status in (200, 201):
            token = response.headers.get("X-Subject-Token", "").strip()
            if not token:
                raise IamServiceError(
                    "DLSCAN.IAM_ERROR", "IAM answered without X-Subject-Token", http_status=status
                )
            return token, _expires_at(body)
        code, message = error_fields(body)
        detail = server_detail(f"IAM HTTP {status}: {message}" if message else f"IAM HTTP {status}",
                               hide=(self._password,))
        if status == 403:
            raise AuthError("DLSCAN.IAM_FORBIDDEN", detail, http_status=status)
        if status in (400, 401, 404):
            raise AuthError("DLSCAN.AUTH", detail, http_status=status)
        if status == 429 or code == "APIG.0308":
            raise IamServiceError("APIG.0308", detail, http_status=status)
        raise IamServiceError("DLSCAN.IAM_ERROR", detail, http_status=status)


def _expires_at(body: object) -> float | None:
    """``token.expires_at`` as epoch seconds, or None when absent or unreadable."""
    if not isinstance(body, Mapping):
        return None
    token = body.get("token")
    value = token.get("expires_at") if isinstance(token, Mapping) else None
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # IAM speaks UTC
    return when.timestamp()


# ------------------------------------------------------------------------------ AK/SK signing
ALGORITHM = "SDK-HMAC-SHA256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
_EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
# Headers that transport layers or proxies may add, drop or rewrite: leave them unsigned.
_UNSIGNED = frozenset(
    {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
     "upgrade", "content-length", "accept-encoding", "authorization"}
)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def _encode(text: str) -> str:
    return quote(text, safe="~")


def sign(
    method: str,
    url: str,
    headers: Mapping[str, str],
    body: bytes | None,
    *,
    ak: str,
    sk: str,
    when: datetime,
) -> tuple[dict[str, str], str]:
    """Sign like huaweicloudsdkcore's ``Signer`` (APIG ``SDK-HMAC-SHA256``): every given header
    is signed except names containing ``_``. Returns the headers to send (the given ones,
    trimmed, plus ``X-Sdk-Date``, ``Host`` and ``Authorization``) and the URL to send, whose
    query is rewritten in canonical order as the SDK does."""
    out = dict(headers)
    parts = urlsplit(url)
    content_type = _header(out, "Content-Type")
    if content_type and not content_type.startswith(("application/json", "application/bson")):
        out["X-Sdk-Content-Sha256"] = "UNSIGNED-PAYLOAD"
    date = _header(out, "X-Sdk-Date")
    if date is None:
        date = when.astimezone(UTC).strftime(DATE_FORMAT)
        out["X-Sdk-Date"] = date
    else:
        date = datetime.strptime(date.strip(), DATE_FORMAT).strftime(DATE_FORMAT)
    if _header(out, "Host") is None:
        out["Host"] = parts.netloc
    out = {key: str(value).strip() for key, value in out.items()}

    lowered = {key.lower(): value for key, value in out.items()}
    signed = sorted(key.lower() for key in out if "_" not in key)
    canonical_headers = "".join(f"{key}:{lowered[key]}\n" for key in signed)
    if not body:
        payload_hash = _EMPTY_SHA256
    else:
        payload_hash = _header(out, "X-Sdk-Content-Sha256") or hashlib.sha256(body).hexdigest()
    canonical_uri = "/".join(_encode(segment) for segment in unquote(parts.path).split("/"))
    if not canonical_uri.endswith("/"):
        canonical_uri += "/"
    query = sorted(parse_qsl(parts.query, keep_blank_values=True))
    canonical_query = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in query)
    canonical_request = "\n".join(
        (method.upper(), canonical_uri, canonical_query, canonical_headers, ";".join(signed),
         payload_hash)
    )
    string_to_sign = "\n".join(
        (ALGORITHM, date, hashlib.sha256(canonical_request.encode("utf-8")).hexdigest())
    )
    signature = hmac.new(sk.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256)
    out["Authorization"] = (
        f"{ALGORITHM} Access={ak}, SignedHeaders={';'.join(signed)}, "
        f"Signature={signature.hexdigest()}"
    )
    send_url = urlunsplit((parts.scheme, parts.netloc, parts.path, canonical_query, ""))
    return out, send_url


class AkSkAuth:
    """An access key pair; temporary keys add ``security_token`` (sent, and signed, as
    ``X-Security-Token``, as the SDK's credentials do). ``clock`` returns an aware UTC datetime
    (injectable for tests). Each request is signed afresh, so retries carry a new date."""

    refreshable = False

    def __init__(
        self,
        ak: str,
        sk: str,
        security_token: str | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._ak = _require(ak, "access key (AK)")
        self._sk = _require(sk, "secret key (SK)")
        self._security_token = (
            _require(security_token, "security token") if security_token else None
        )
        self._clock = clock or (lambda: datetime.now(UTC))

    def __repr__(self) -> str:
        return "AkSkAuth(<hidden>)"

    def apply(
        self,
        request: requests.PreparedRequest,
        session: requests.Session,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        verify: bool | str = True,
    ) -> None:
        headers = {
            key: value
            for key, value in request.headers.items()
            if key.lower() not in _UNSIGNED and key.lower() != "x-sdk-date"
        }
        if self._security_token:
            headers["X-Security-Token"] = self._security_token
        body = request.body
        if isinstance(body, str):
            body = body.encode("utf-8")
        if body is not None and not isinstance(body, bytes):
            raise TypeError("AK/SK signing needs the request body as bytes")
        signed, url = sign(
            request.method or "POST",
            request.url or "",
            headers,
            body,
            ak=self._ak,
            sk=self._sk,
            when=self._clock(),
        )
        for key, value in signed.items():
            request.headers[key] = value
        request.url = url

    def invalidate(self, token: str | None = None) -> None:
        return None
