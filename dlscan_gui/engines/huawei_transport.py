"""HTTP plumbing shared by the Huawei OCR client and its IAM sign-in: which URLs may carry
licence data, how one request is sent, and how transport failures and error bodies become
dlscan errors.

Nothing here logs or echoes request data, credentials or results.
"""

from __future__ import annotations

import ipaddress
import json
import re
import time
from collections.abc import Iterable, Mapping
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from dlscan_gui.core.errors import ConfigError, NetworkError

Timeout = tuple[float, float]  # (connect, read) seconds, as requests takes them
DEFAULT_TIMEOUT: Timeout = (5.0, 30.0)

# Plain http is tolerated only where the traffic cannot leave the machine or the site network.
_PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
)
_DETAIL_LIMIT = 200


def is_local_host(host: str) -> bool:
    """True for ``localhost`` and for literal loopback (127/8, ::1) or private (10/8,
    172.16/12, 192.168/16, fc00::/7) addresses. Names other than ``localhost`` are never
    local: DNS could point them anywhere."""
    host = host.strip().lower()
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])  # drop an IPv6 zone id
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback or any(address in net for net in _PRIVATE_NETWORKS)


def is_loopback_host(host: str) -> bool:
    host = host.strip().lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def check_url(url: str, what: str) -> str:
    """Validate a base URL that will carry licence data or credentials and return it without a
    trailing slash. A bare host name is taken as https. Raises ConfigError: ``DLSCAN.CONFIG``
    for a malformed URL, ``DLSCAN.INSECURE_URL`` for plain http to a public host."""
    text = (url or "").strip()
    if text and "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError("DLSCAN.CONFIG", f"{what}: not an http(s) URL")
    if parts.username is not None or parts.password is not None:
        # Never echo the URL itself here: the user info may be a password.
        raise ConfigError("DLSCAN.CONFIG", f"{what}: user name or password inside the URL")
    if parts.query or parts.fragment:
        raise ConfigError("DLSCAN.CONFIG", f"{what}: a base URL takes no query or fragment")
    try:
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        raise ConfigError("DLSCAN.CONFIG", f"{what}: invalid port") from None
    if parts.scheme == "http" and not is_local_host(parts.hostname):
        raise ConfigError(
            "DLSCAN.INSECURE_URL",
            f"{what} http://{parts.hostname}: plain http would expose licence images and "
            "credentials to anyone on the network path; use https",
        )
    return text.rstrip("/")


def url_host(url: str) -> str:
    return urlsplit(url).hostname or "?"


# ---------------------------------------------------------------------------------- sending
def send(
    session: requests.Session,
    prepared: requests.PreparedRequest,
    *,
    timeout: Timeout,
    verify: bool | str,
) -> requests.Response:
    """Send one prepared request: (connect, read) timeouts, no redirects (a redirect could
    downgrade to http or leave the host), the environment's proxies and CA bundle honoured,
    certificate verification always on. Raises NetworkError (``DLSCAN.NETWORK``, ``DLSCAN.TLS``
    or ``DLSCAN.TIMEOUT``) when no response arrives."""
    if verify is False:
        raise ConfigError("DLSCAN.CONFIG", "TLS verification cannot be switched off")
    url = prepared.url or ""
    settings = session.merge_environment_settings(url, {}, False, verify, None)
    if settings.get("verify") is False:  # a session-level override must not win either
        settings["verify"] = True
    if is_loopback_host(url_host(url)):
        settings["proxies"] = {}  # loopback never goes through a proxy
    try:
        return session.send(prepared, timeout=timeout, allow_redirects=False, **settings)
    except requests.RequestException as exc:
        raise transport_error(exc, url_host(url), timeout) from None


def transport_error(exc: BaseException, host: str, timeout: Timeout) -> NetworkError:
    """Map a requests exception to our codes. The detail names the host and the reason only."""
    if isinstance(exc, requests.exceptions.SSLError):
        return NetworkError("DLSCAN.TLS", f"{host}: certificate verification failed")
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return NetworkError("DLSCAN.NETWORK", f"{host}: no connection within {timeout[0]:g} s")
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return NetworkError("DLSCAN.TIMEOUT", f"{host}: no answer within {timeout[1]:g} s")
    if isinstance(exc, requests.exceptions.ProxyError):
        return NetworkError("DLSCAN.NETWORK", f"{host}: the proxy failed")
    reason = _os_reason(exc)
    return NetworkError("DLSCAN.NETWORK", f"{host}: {reason}" if reason else host)


def _os_reason(exc: BaseException) -> str:
    """The operating system's words for the innermost socket error ("Connection refused")."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, OSError) and current.strerror:
            return current.strerror
        todo.extend(arg for arg in current.args if isinstance(arg, BaseException))
        for linked in (current.__cause__, current.__context__, getattr(current, "reason", None)):
            if isinstance(linked, BaseException):
                todo.append(linked)
    text = str(exc)
    for phrase in ("Connection refused", "Name or service not known", "Connection reset"):
        if phrase in text:
            return phrase
    return type(exc).__name__


# ---------------------------------------------------------------------------------- answers
def read_json(response: requests.Response) -> Any | None:
    """The parsed body, or None if it is not JSON."""
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError):
        return None


def error_fields(body: Any) -> tuple[str | None, str]:
    """``(error_code, error_msg)`` of a Huawei error body; IAM's ``{"error": {...}}`` shape too."""
    if not isinstance(body, Mapping):
        return None, ""
    code = body.get("error_code")
    msg = body.get("error_msg")
    nested = body.get("error")
    if isinstance(nested, Mapping):
        code = code or nested.get("error_code")
        msg = msg or nested.get("message") or nested.get("title")
    code_text = code.strip() if isinstance(code, str) and code.strip() else None
    return code_text, msg if isinstance(msg, str) else ""


def server_detail(message: str, *, hide: Iterable[str] = ()) -> str:
    """The server's own message as a short single line, with any known secret blanked out."""
    text = re.sub(r"\s+", " ", message).strip()
    for secret in hide:
        if secret:
            text = text.replace(secret, "***")
    if len(text) > _DETAIL_LIMIT:
        text = text[: _DETAIL_LIMIT - 1] + "…"
    return text


def retry_after_seconds(response: requests.Response, now: float | None = None) -> float | None:
    """``Retry-After`` in seconds (delta or HTTP date), or None if absent or unreadable."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))
