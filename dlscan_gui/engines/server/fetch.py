"""Images the request names by ``url``, fetched only where that is safe.

Off unless the server is started with ``--allow-url``. Then: http and https only; the host is
resolved once and the connection goes to the address that was checked (no second lookup a
rebinding DNS could answer differently); no address of the name may be loopback, link-local
(cloud metadata services live there), unspecified or multicast; no redirects; a size cap and
an overall deadline, checked while the body arrives. Private addresses are allowed: an office's
own file server is the usual source.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import certifi
import urllib3

from dlscan_gui.engines.server.request import RequestError

FETCH_FAILED = "ModelArts.4603"  # Huawei's "the image could not be downloaded"
CHUNK = 64 * 1024

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def forbidden(address: Address) -> bool:
    """Addresses a fetch must never reach: this machine, link-local (169.254/16 with cloud
    metadata, fe80::/10), unspecified, multicast, reserved."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (address.is_loopback or address.is_link_local or address.is_unspecified
            or address.is_multicast or address.is_reserved)


@dataclass(frozen=True)
class FetchPolicy:
    enabled: bool = False
    max_bytes: int = 10 * 1024 * 1024
    connect_timeout: float = 3.0
    total_timeout: float = 10.0  # seconds for the whole download
    refuse: Callable[[Address], bool] = forbidden  # addresses never to connect to


def resolve(host: str, port: int) -> list[Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise RequestError(FETCH_FAILED, "The url's host name does not resolve.") from None
    addresses: list[Address] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def fetch_image(url: str, policy: FetchPolicy) -> bytes:
    """The body at ``url``; RequestError (AIS.0101 not allowed or not http(s), AIS.0103 too
    large, ModelArts.4603 could not be fetched) otherwise."""
    if not policy.enabled:
        raise RequestError("AIS.0101", "This server does not fetch images by url; send image.")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RequestError("AIS.0101", "url must be an http or https URL.")
    if parts.username is not None or parts.password is not None:
        raise RequestError("AIS.0101", "url must not carry a user name or password.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise RequestError("AIS.0101", "url has an invalid port.") from None
    addresses = resolve(parts.hostname, port)
    if not addresses or any(policy.refuse(a) for a in addresses):
        raise RequestError(FETCH_FAILED, "The url points to an address this server may not reach.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return _download(parts.scheme, parts.hostname, parts.netloc.rsplit("@", 1)[-1], addresses[0],
                     port, path, policy)


def _download(scheme: str, host: str, host_header: str, address: Address, port: int, path: str,
              policy: FetchPolicy) -> bytes:
    deadline = time.monotonic() + policy.total_timeout
    timeout = urllib3.Timeout(connect=policy.connect_timeout, read=policy.total_timeout)
    pool: urllib3.HTTPConnectionPool
    if scheme == "https":
        # Connect to the checked address; the certificate must still name the host.
        pool = urllib3.HTTPSConnectionPool(
            str(address), port, timeout=timeout, retries=False, maxsize=1,
            server_hostname=host, assert_hostname=host, cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where())
    else:
        pool = urllib3.HTTPConnectionPool(str(address), port, timeout=timeout, retries=False,
                                          maxsize=1)
    try:
        with pool:
            response = pool.urlopen("GET", path, headers={"Host": host_header,
                                                          "User-Agent": "dlscan-server"},
                                    redirect=False, retries=False, preload_content=False)
            try:
                return _read(response, policy, deadline)
            finally:
                response.release_conn()
    except urllib3.exceptions.HTTPError as error:
        reason = "timed out" if isinstance(error, urllib3.exceptions.TimeoutError) else "failed"
        raise RequestError(FETCH_FAILED, f"Downloading the url {reason}.") from None


def _read(response: urllib3.BaseHTTPResponse, policy: FetchPolicy, deadline: float) -> bytes:
    if response.status != 200:
        raise RequestError(FETCH_FAILED, f"The url answered HTTP {response.status}.")
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise RequestError("AIS.0103", "The image at the url is larger than 10 MB.")
    body = bytearray()
    while True:
        if time.monotonic() > deadline:  # a server dripping bytes must not hold a worker
            raise RequestError(FETCH_FAILED, "Downloading the url took too long.")
        chunk = response.read1(CHUNK)
        if not chunk:
            return bytes(body)
        body += chunk
        if len(body) > policy.max_bytes:
            raise RequestError("AIS.0103", "The image at the url is larger than 10 MB.")
