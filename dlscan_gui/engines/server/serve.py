"""Run the server under waitress (a production WSGI server for Windows and Linux).

Bound to a loopback address the server may run open; bound to anything else it refuses to
start without a token of at least ``MIN_TOKEN_LENGTH`` characters. waitress reads each request
whole, off the worker threads, before the application sees it, so a slow client holds no
engine; a body declared larger than the cap is refused from its headers with the API's
ModelArts.4104 answer, and no body is ever spooled to a temporary file (images stay in
memory).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dlscan_gui.core.errors import ConfigError
from dlscan_gui.engines.huawei_transport import is_loopback_host
from dlscan_gui.engines.server.app import POOL_WAIT, ServerApp, ServerOptions
from dlscan_gui.engines.server.fetch import FetchPolicy
from dlscan_gui.engines.server.pool import RecognizerPool

log = logging.getLogger("dlscan.server")

MIN_TOKEN_LENGTH = 16
_PRINTABLE_ASCII = re.compile(r"[!-~]+")
EXTRA_THREADS = 4  # beyond the engines: health checks and error answers while all are busy
CHANNEL_TIMEOUT = 30  # seconds a connection may stay silent (a stalled upload included)
CONNECTION_LIMIT = 64  # open connections; each may buffer up to a whole body in memory


@dataclass(frozen=True)
class ServeConfig:
    host: str = "127.0.0.1"
    port: int = 8086
    token: str | None = None
    workers: int = 1
    allow_url: bool = False


def check_access(config: ServeConfig) -> None:
    """Raises ConfigError where the server would be open to the network."""
    if config.workers < 1:
        raise ConfigError("DLSCAN.CONFIG", "--workers must be at least 1")
    if config.token is not None and not _PRINTABLE_ASCII.fullmatch(config.token):
        # An HTTP header carries it: other characters arrive differently from each client.
        raise ConfigError("DLSCAN.SERVER_TOKEN", "the token must be printable ASCII")
    if is_loopback_host(config.host):
        return
    if not config.token:
        raise ConfigError(
            "DLSCAN.SERVER_TOKEN",
            f"--host {config.host}: set a token (--token or DLSCAN_SERVER_TOKEN)",
        )
    if len(config.token) < MIN_TOKEN_LENGTH:
        raise ConfigError(
            "DLSCAN.SERVER_TOKEN", f"the token must be at least {MIN_TOKEN_LENGTH} characters"
        )


def _json_too_large_channel() -> type:
    """waitress's connection class, answering a too-large body with the API's JSON error
    instead of waitress's plain-text page."""
    from waitress.channel import HTTPChannel
    from waitress.task import ErrorTask
    from waitress.utilities import RequestEntityTooLarge

    class JsonErrorTask(ErrorTask):  # type: ignore[misc]
        def execute(self) -> None:
            if not isinstance(self.request.error, RequestEntityTooLarge):
                super().execute()
                return
            body = json.dumps({"error_code": "ModelArts.4104",
                               "error_msg": "The request body is too large."}).encode()
            self.status = "400 Bad Request"  # as the API answers ModelArts.4104
            self.response_headers.append(("Content-Type", "application/json;charset=utf-8"))
            self.set_close_on_finish()
            self.content_length = len(body)
            self.write(body)

    class JsonErrorChannel(HTTPChannel):  # type: ignore[misc]
        error_task_class = JsonErrorTask

    return JsonErrorChannel


def create_server(config: ServeConfig, pool: RecognizerPool,
                  fetch: FetchPolicy | None = None, pool_wait: float = POOL_WAIT) -> Any:
    """A waitress server (not yet running: call ``.run()``; ``.close()`` stops it).
    ``fetch`` overrides the url policy that ``config.allow_url`` implies."""
    check_access(config)
    import waitress.server

    if fetch is None:
        fetch = FetchPolicy(enabled=config.allow_url)
    options = ServerOptions(token=config.token or None, fetch=fetch, pool_wait=pool_wait)
    app = ServerApp(pool, options)
    server = waitress.server.create_server(
        app,
        host=config.host,
        port=config.port,
        threads=config.workers + EXTRA_THREADS,
        # waitress refuses bigger bodies from the Content-Length header (chunked ones as they
        # pass the cap); below the cap it buffers in memory, never in a temporary file.
        max_request_body_size=options.max_body_bytes + 1,
        inbuf_overflow=options.max_body_bytes + 2,
        channel_timeout=CHANNEL_TIMEOUT,
        connection_limit=CONNECTION_LIMIT,
        ident="dlscan",
        expose_tracebacks=False,
    )
    channel = _json_too_large_channel()
    for listener in _listeners(server):
        listener.channel_class = channel
    return server


def _listeners(server: Any) -> list[Any]:
    """The listening sockets' server objects (one, or several when a name resolves to more
    than one address)."""
    if hasattr(server, "channel_class"):
        return [server]
    return [s for s in server.map.values() if hasattr(s, "channel_class")]


def urls(server: Any) -> list[str]:
    found = []
    for listener in _listeners(server):
        host, port = listener.effective_host, listener.effective_port
        host = f"[{host}]" if ":" in str(host) else host
        found.append(f"http://{host}:{port}")
    return found


def run(config: ServeConfig, say: Callable[[str], None],
        make_pool: Callable[[int, Callable[[int], None]], RecognizerPool]) -> None:
    """Load the engines, listen, serve until interrupted."""
    check_access(config)  # said before the models load, not after
    say(f"加载识别引擎 / loading {config.workers} engine(s) …")
    pool = make_pool(config.workers, lambda n: say(f"  {n}/{config.workers} ready"))
    server = create_server(config, pool)
    for url in urls(server):
        say(f"服务地址 / serving at {url}/v2/<project_id>/ocr/driver-license "
            f"({'需要令牌 / token required' if config.token else '无令牌 / no token'})")
    try:
        server.run()
    finally:
        server.close()
