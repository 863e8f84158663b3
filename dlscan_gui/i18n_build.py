"""Build the UI translations: ``resources/i18n/*.ts`` (the sources, in git) → ``*.qm`` (Qt's
compiled format, built, not in git), with the ``lrelease`` that ships in the PySide6 wheel.

    python -m dlscan_gui.i18n_build            # what dev.py runs before ``app`` and ``test``
    python -m dlscan_gui.i18n_build --update   # after changing UI strings: re-extract them
                                               # into the .ts (then translate what is new)

Packaging calls ``build()`` too. It lives in the package (not in dev.py, which must run with
the system's Python and the standard library alone) because it needs the venv's PySide6, and
it imports no Qt module: it only locates the wheel's tool and runs it.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from dlscan_gui.paths import resources_dir

SOURCE_LANGUAGE = "en"  # the strings in the code; Chinese is a translation (the default UI)
UI_SOURCES = Path(__file__).resolve().parent / "ui"


def i18n_dir() -> Path:
    return resources_dir() / "i18n"


def _tool(name: str) -> Path:
    """A Qt Linguist tool (``lrelease``, ``lupdate``) inside the installed PySide6 wheel."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or spec.origin is None:
        raise FileNotFoundError(f"PySide6 is not installed, so {name} cannot be found")
    tool = Path(spec.origin).parent / (f"{name}.exe" if os.name == "nt" else name)
    if not tool.exists():
        raise FileNotFoundError(f"{name} not found in the PySide6 wheel: {tool}")
    return tool


def stale(ts: Path) -> bool:
    qm = ts.with_suffix(".qm")
    return not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime


def build(folder: Path | None = None, *, force: bool = False) -> list[Path]:
    """Compile every ``.ts`` in ``folder`` whose ``.qm`` is missing or older; returns the
    ``.qm`` files written. Raises ``CalledProcessError`` if lrelease fails."""
    folder = folder or i18n_dir()
    written: list[Path] = []
    for ts in sorted(folder.glob("*.ts")):
        if force or stale(ts):
            qm = ts.with_suffix(".qm")
            subprocess.run([str(_tool("lrelease")), "-silent", str(ts), "-qm", str(qm)],
                           check=True)
            written.append(qm)
    return written


def update(folder: Path | None = None) -> None:
    """Re-extract every ``tr()``/``translate()`` string of the UI into each ``.ts`` (new ones
    come in unfinished; translations of unchanged strings are kept)."""
    folder = folder or i18n_dir()
    sources = sorted(str(p) for p in UI_SOURCES.glob("*.py"))
    for ts in sorted(folder.glob("*.ts")):
        subprocess.run([str(_tool("lupdate")), "-silent", "-locations", "none",
                        "-no-obsolete", "-source-language", SOURCE_LANGUAGE, *sources,
                        "-ts", str(ts)], check=True)


def main() -> int:
    if "--update" in sys.argv[1:]:
        update()
    written = build(force="--force" in sys.argv[1:])
    for qm in written:
        print(f"i18n: built {qm.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
