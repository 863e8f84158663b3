"""Where bundled resources are: next to the package in a source checkout, or inside the
PyInstaller bundle when frozen."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def icon_files() -> list[Path]:
    """The app icon's PNG sizes (``resources/icons/dlscan-<N>.png``), smallest first, for
    ``QIcon.addFile`` / ``setWindowIcon``; empty when the icons are missing."""
    folder = resources_dir() / "icons"
    files = [p for p in folder.glob("dlscan-*.png") if p.stem.split("-")[-1].isdigit()]
    return sorted(files, key=lambda p: int(p.stem.split("-")[-1]))
