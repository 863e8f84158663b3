"""The installed app's log: a rotating file in the log directory, ID numbers masked, a start
line; a directory that cannot be made costs the file, not the app."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from dlscan_gui import __version__
from dlscan_gui.core import logfile

ID_NUMBER = "140112198803086329"
FILE_NUMBER = "140100123456"


@pytest.fixture
def log_dir(tmp_path, monkeypatch):
    """DLSCAN_LOG_DIR in tmp_path; what install() adds is removed and the level restored."""
    directory = tmp_path / "logs"
    monkeypatch.setenv(logfile.LOG_DIR_ENV, str(directory))
    root = logging.getLogger()
    level = root.level
    yield directory
    logfile.uninstall()
    root.setLevel(level)


def test_the_log_goes_to_the_directory_with_id_numbers_masked(log_dir):
    path = logfile.install()
    assert path == log_dir / "dlscan.log"
    logging.getLogger("dlscan_gui.somewhere").info("read %s, file %s", ID_NUMBER, FILE_NUMBER)
    logging.getLogger("dlscan_gui.somewhere").debug("below the level")
    logfile.uninstall()
    text = path.read_text(encoding="utf-8")
    assert ID_NUMBER not in text and FILE_NUMBER not in text
    assert "read 140112**********29, file 1401******56" in text
    assert "below the level" not in text
    start = text.splitlines()[0]
    assert f"dlscan {__version__} starting (from source)" in start and "Python 3." in start


def test_the_log_rotates(log_dir):
    path = logfile.install(max_bytes=2000, backups=2)
    for n in range(200):
        logging.getLogger("dlscan_gui.somewhere").info("line %d %s", n, "x" * 40)
    logfile.uninstall()
    names = sorted(p.name for p in log_dir.iterdir() if p.name.startswith("dlscan.log"))
    assert names == ["dlscan.log", "dlscan.log.1", "dlscan.log.2"]
    assert all((log_dir / name).stat().st_size <= 2000 for name in names)
    assert "line 199 " in path.read_text(encoding="utf-8")


def test_installing_twice_does_not_write_every_line_twice(log_dir):
    logfile.install()
    path = logfile.install()
    logging.getLogger("dlscan_gui.somewhere").info("once")
    logfile.uninstall()
    assert path.read_text(encoding="utf-8").count("once") == 1


def test_a_directory_that_cannot_be_made_logs_to_stderr_and_goes_on(tmp_path, monkeypatch,
                                                                    capsys, log_dir):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(logfile.LOG_DIR_ENV, str(blocker / "logs"))
    assert logfile.install() is None
    logging.getLogger("dlscan_gui.somewhere").warning("still heard: %s", ID_NUMBER)
    err = capsys.readouterr().err
    assert "cannot write the log" in err and "stderr only" in err
    assert "still heard: 140112**********29" in err and ID_NUMBER not in err


def test_missing_streams_become_the_null_device(monkeypatch):
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    logfile.fix_missing_streams()
    assert sys.stdout is not None and sys.stdout.name == os.devnull
    assert sys.stderr is not None and sys.stderr.name == os.devnull
    print("goes nowhere")
    print("nowhere either", file=sys.stderr)


def test_a_hard_crash_leaves_the_python_stack_in_crash_log(tmp_path):
    code = ("import sys, faulthandler; from pathlib import Path; "
            "from dlscan_gui.core import logfile; "
            "sys.stderr = None; logfile.fix_missing_streams(); "
            "logfile.enable_crash_log(Path(sys.argv[1])); faulthandler._sigsegv()")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                          timeout=60)
    assert done.returncode != 0
    text = (tmp_path / "crash.log").read_text(encoding="utf-8")
    assert "Fatal Python error" in text and "<module>" in text
