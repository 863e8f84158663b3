#!/usr/bin/env python3
"""Developer entry point: creates .venv, installs dlscan into it, then runs the app or tests.

    python3 dev.py app     # launch dlscan (offline engine, bundled sample; no account needed)
    python3 dev.py test    # ruff + the whole test suite

Standard library only, so it works on a fresh clone on Windows and Linux.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".dlscan-installed"


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def ensure_venv() -> Path:
    """Create .venv and (re)install the project when pyproject.toml changed."""
    python = venv_python()
    if not python.exists():
        print("dev.py: creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        print("dev.py: installing dlscan and its test dependencies …", flush=True)
        pip = [str(python), "-m", "pip", "--disable-pip-version-check"]
        subprocess.run([*pip, "install", "--quiet", "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "install", "--quiet", "-e", f"{ROOT}[test]"], check=True)
        STAMP.write_text(wanted)
    return python


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"app", "test"}:
        print(__doc__)
        return 2
    python = str(ensure_venv())
    command, rest = argv[0], argv[1:]
    # The UI translations (.ts → .qm), rebuilt when a .ts changed; packaging runs the same.
    built = subprocess.call([python, "-m", "dlscan_gui.i18n_build"], cwd=ROOT)
    if built:
        print("dev.py: building the translations failed; the UI would show English only")
        return built
    if command == "app":
        return subprocess.call([python, "-m", "dlscan_gui", *rest], cwd=ROOT)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    lint = subprocess.call([python, "-m", "ruff", "check", "."], cwd=ROOT)
    tests = subprocess.call([python, "-m", "pytest", *rest], cwd=ROOT, env=env)
    return tests or lint


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
