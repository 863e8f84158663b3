"""``dlscan-cli serve`` as IT starts it, and ``dlscan-cli recognize --engine URL`` against it."""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from dlscan_gui.cli import main
from dlscan_gui.core.imaging import load_image
from dlscan_gui.core.schema import Side
from dlscan_gui.engines.server.pool import RecognizerPool
from dlscan_gui.engines.server.serve import ServeConfig
from tests.engines.server.conftest import SAMPLES, running

TOKEN = "cli-test-token-0123456789"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "DLSCAN_CONFIG_DIR": str(tmp_path), "PYTHONIOENCODING": "utf-8",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", **extra}


def test_serving_the_network_without_a_token_is_refused_before_loading_models(capsys):
    started = time.monotonic()
    assert main(["serve", "--host", "0.0.0.0", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "令牌" in err and "token" in err and "DLSCAN.SERVER_TOKEN" in err
    assert time.monotonic() - started < 2  # said at once, not after loading the models


def test_a_port_in_use_is_one_clear_line(capsys, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "dlscan_gui.cli", "serve", "--port", str(port)],
            capture_output=True, text=True, encoding="utf-8", env=_env(tmp_path), timeout=120)
    assert done.returncode == 2
    assert "DLSCAN.SERVER_PORT" in done.stderr and "Traceback" not in done.stderr


def test_recognize_through_the_server_gives_the_offline_result(local_engine, capsys,
                                                               monkeypatch):
    pool = RecognizerPool([local_engine])
    with running(pool, ServeConfig(port=0, token=TOKEN)) as base:
        monkeypatch.setenv("DLSCAN_TOKEN", TOKEN)
        sample = SAMPLES / "synthetic-double-side.jpg"
        code = main(["recognize", "--engine", base, "--side", "double_side", "-q",
                     str(sample)])
    out = capsys.readouterr().out
    assert code == 0
    expected = local_engine.recognize(load_image(sample), side=Side.DOUBLE_SIDE)
    assert json.loads(out) == expected.to_response()


def test_the_real_command_serves_until_interrupted(tmp_path):
    """The process IT runs as a service: it loads the engine, says where it listens, answers,
    and stops cleanly on Ctrl+C / SIGINT."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "dlscan_gui.cli", "serve", "--port", str(port)],
        stderr=subprocess.PIPE, text=True, encoding="utf-8", env=_env(tmp_path))
    try:
        lines = []
        while not any("serving at" in line for line in lines):
            line = server.stderr.readline()
            assert line, "".join(lines)
            lines.append(line)
        url = re.search(r"http://\S+:\d+", lines[-1]).group(0)
        assert url == f"http://127.0.0.1:{port}"
        assert requests.get(url + "/healthz", timeout=5).json()["status"] == "ok"
        image = (SAMPLES / "synthetic-back.jpg").read_bytes()
        answer = requests.post(url + "/v2/any/ocr/driver-license", timeout=60,
                               json={"image": base64.b64encode(image).decode()})
        assert answer.json()["result"]["file_number"]
    finally:
        server.send_signal(signal.SIGINT)
        try:
            rest = server.communicate(timeout=20)[1]
        except subprocess.TimeoutExpired:
            server.kill()
            raise
    assert server.returncode in (0, 130)
    assert "Traceback" not in rest
    # One line per request, without anything the licence says.
    assert re.search(r"POST /v2/any/ocr/driver-license 200", rest)
    assert "synthetic" not in rest and "file_number" not in rest


@pytest.mark.parametrize("workers", ["0", "-1"])
def test_workers_must_be_positive(workers, capsys):
    assert main(["serve", "--workers", workers]) == 2
    assert "--workers" in capsys.readouterr().err


def test_without_waitress_it_says_what_to_install(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "waitress", None)  # as if the extra was not installed
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "waitress" in err and "DLSCAN.SERVER_UNAVAILABLE" in err and "Traceback" not in err
