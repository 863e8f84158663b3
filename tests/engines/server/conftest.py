"""The server as it runs: waitress on 127.0.0.1 (a free port), in a thread."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests

from dlscan_gui.engines.server.pool import RecognizerPool
from dlscan_gui.engines.server.serve import ServeConfig, create_server, urls

SAMPLES = Path(__file__).resolve().parents[3] / "resources" / "samples"
API = "/v2/my-project/ocr/driver-license"


@contextmanager
def running(pool: RecognizerPool, config: ServeConfig | None = None, **kw: Any) -> Iterator[str]:
    """The server's base URL while it runs."""
    config = config or ServeConfig(port=0)
    server = create_server(config, pool, **kw)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield urls(server)[0]
    finally:
        _close_in_loop(server)
        thread.join(5)


def _close_in_loop(server: Any) -> None:
    """Close the server in its own loop thread (waitress's trigger runs queued calls there):
    closed from here, a socket could go between the loop's building its select() lists and the
    call, which then fails in that thread with EBADF.

    The call is queued and the wake-up byte written under the trigger's lock, which the loop
    holds while it runs the queue. ``pull_trigger`` writes after letting go of it: a channel
    finishing a task woke the loop at that moment, the loop ran the close (which closes the
    trigger's pipe), and the byte then went to a closed descriptor (EBADF here, seen in CI) or
    to whatever reused its number."""
    trigger = server.trigger
    with trigger.lock:
        trigger.thunks.append(server.close)
        trigger._physical_pull()


def sample_b64(name: str) -> str:
    return base64.b64encode((SAMPLES / name).read_bytes()).decode("ascii")


def post(base: str, body: Any, token: str | bytes | None = None,
         timeout: float = 60) -> requests.Response:
    headers: dict[str, str | bytes] = {"Content-Type": "application/json"}
    if token is not None:
        headers["X-Auth-Token"] = token
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return requests.post(base + API, data=data, headers=headers, timeout=timeout)


@pytest.fixture(scope="session")
def engine_pool(local_engine) -> RecognizerPool:
    return RecognizerPool([local_engine])


@pytest.fixture(scope="module")
def server(engine_pool) -> Iterator[str]:
    """An open server on 127.0.0.1 over the shared offline engine."""
    with running(engine_pool) as base:
        yield base
