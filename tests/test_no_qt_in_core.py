"""core/ and engines/ must work without Qt: import every module with PySide6 blocked."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import dlscan_gui

PACKAGE_DIR = Path(dlscan_gui.__file__).parent


def qt_free_modules() -> list[str]:
    names = []
    for sub in ("core", "engines"):
        for info in pkgutil.walk_packages([str(PACKAGE_DIR / sub)], f"dlscan_gui.{sub}."):
            names.append(info.name)
    return names


def test_there_are_modules_to_check():
    names = qt_free_modules()
    assert "dlscan_gui.core.schema" in names
    assert "dlscan_gui.engines.base" in names


def test_core_and_engines_import_with_pyside6_blocked():
    # A fresh interpreter, so that nothing the test session imported hides a Qt import.
    script = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6'):\n"
        "            raise ImportError('Qt is blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import importlib\n"
        f"for name in {qt_free_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "print('ok', len(sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok")


def test_the_blocker_really_blocks():
    script = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'PySide6':\n"
        "            raise ImportError('blocked')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import dlscan_gui.app\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode != 0 and "blocked" in done.stderr
