"""Where the installed app writes what it does: a small rotating log file in the user's log
directory, every line passed through the ID-number redaction of ``logsafe``.

Also the first thing a windowed build needs: pythonw and PyInstaller ``--windowed`` start with
``sys.stdout``/``sys.stderr`` set to None, and a bare ``print`` or a stderr log handler would
then raise. Nothing here imports Qt.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import platform
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO

import platformdirs

from dlscan_gui import __version__
from dlscan_gui.core import logsafe

LOG_DIR_ENV = "DLSCAN_LOG_DIR"  # tests, portable installs and IT scripts put the log elsewhere
LOG_NAME = "dlscan.log"
CRASH_NAME = "crash.log"  # Python tracebacks of hard crashes (faulthandler)
MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"

log = logging.getLogger(__name__)

# What install() added, so that calling it again (tests, a second main()) replaces, not doubles.
_installed: list[logging.Handler] = []
_crash_file: IO[str] | None = None


def fix_missing_streams() -> None:
    """Give a windowed process harmless stdout/stderr (the null device) where it has none."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))


def log_dir() -> Path:
    override = os.environ.get(LOG_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_log_dir("dlscan", appauthor=False))


def start_line() -> str:
    frozen = "frozen" if getattr(sys, "frozen", False) else "from source"
    return (f"dlscan {__version__} starting ({frozen}); Python {platform.python_version()} on "
            f"{platform.platform()}")


def install(level: int = logging.INFO, *, max_bytes: int = MAX_BYTES,
            backups: int = BACKUPS) -> Path | None:
    """Log to the rotating file (level ``level``) and warnings to stderr, both redacted.
    Returns the log file, or None when its directory cannot be used (stderr only, no crash)."""
    uninstall()
    formatter = logging.Formatter(FORMAT)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.WARNING)
    handlers: list[logging.Handler] = [console]
    target = log_dir() / LOG_NAME
    path: Path | None = target
    problem = ""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(RotatingFileHandler(target, maxBytes=max_bytes, backupCount=backups,
                                            encoding="utf-8"))
    except OSError as error:
        problem = f"cannot write the log in {target.parent}: {error.strerror or error}"
        path = None
    root = logging.getLogger()
    for handler in handlers:
        handler.setFormatter(formatter)
        logsafe.install(handler)
        root.addHandler(handler)
        _installed.append(handler)
    root.setLevel(level)
    log.info("%s", start_line())
    if problem:
        log.warning("%s; logging to stderr only", problem)
    return path


def uninstall() -> None:
    """Remove and close what install() added."""
    root = logging.getLogger()
    while _installed:
        handler = _installed.pop()
        root.removeHandler(handler)
        handler.close()


def enable_crash_log(directory: Path | None) -> Path | None:
    """Hard crashes (in Qt, OpenCV, onnxruntime) leave the Python stack in ``crash.log`` next
    to the log, since a windowed build has no console to print it on. Once per process."""
    global _crash_file
    if _crash_file is not None or directory is None:
        return None
    path = directory / CRASH_NAME
    try:
        _crash_file = open(path, "a", encoding="utf-8")  # kept open: written on a crash
    except OSError:
        return None
    faulthandler.enable(_crash_file)
    return path
