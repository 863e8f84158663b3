"""Build the one-folder dlscan bundle with PyInstaller, on Windows or Linux, from the venv.

    .venv/bin/python packaging/build.py        # Linux
    .venv\\Scripts\\python packaging\\build.py   # Windows

Linux gives dist/dlscan/ and dist/dlscan-VERSION-linux-ARCH.tar.gz; Windows gives dist\\dlscan\\
and, when Inno Setup 6 (ISCC.exe) is installed, dist\\dlscan-VERSION-setup.exe.

Options: ``--clean`` (drop PyInstaller's cache first), ``--no-archive`` (Linux: skip the
tarball), ``--no-installer`` (Windows: skip Inno Setup).

Steps: install PyInstaller from the ``package`` extra if it is missing, compile the UI
translations (.ts → .qm), run ``packaging/dlscan.spec``, check that the bundle holds what the
app needs (and none of the test-only keyring backends), then package it for the platform.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bundle  # next to this file, not an installed module

SPEC = bundle.PACKAGING / "dlscan.spec"
ISS = bundle.PACKAGING / "windows" / "dlscan.iss"
LINUX_EXTRAS = (bundle.PACKAGING / "linux" / "install.sh",
                bundle.PACKAGING / "linux" / "dlscan.desktop")
# Modules that must not be in the bundle (a test-only plaintext/file keyring could be chosen).
FORBIDDEN_MODULES = ("keyrings", "pytest", "huaweicloudsdkcore")


def version() -> str:
    data = tomllib.loads((bundle.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return str(data["project"]["version"])


def ensure_pyinstaller() -> None:
    """PyInstaller (and waitress, so that the bundle's ``dlscan-cli serve`` works) come from
    the project's ``package`` extra, installed on first use."""
    try:
        import PyInstaller  # noqa: F401
        import waitress  # noqa: F401
    except ImportError:
        data = tomllib.loads((bundle.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
        wanted = data["project"]["optional-dependencies"]["package"]
        print(f"build: installing {' '.join(wanted)} …", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "--disable-pip-version-check",
                        "--quiet", *wanted], check=True)


def build_translations() -> None:
    sys.path.insert(0, str(bundle.ROOT))
    from dlscan_gui.i18n_build import build

    for qm in build():
        print(f"build: translation {qm.name}")


def run_pyinstaller(clean: bool) -> None:
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(bundle.DIST), "--workpath", str(bundle.WORK), str(SPEC)]
    if clean:
        command.insert(3, "--clean")
    subprocess.run(command, check=True, cwd=bundle.ROOT)


def bundled_modules() -> set[str]:
    """Names of the pure-Python modules in the bundle's archive."""
    from PyInstaller.archive.readers import ZlibArchiveReader

    pyz = bundle.WORK / bundle.APP_NAME / "PYZ-00.pyz"
    return set(ZlibArchiveReader(str(pyz)).toc)


def problems(folder: Path) -> list[str]:
    """What is missing from (or wrongly in) a built bundle; empty when it is complete."""
    found: list[str] = []
    internal = bundle.internal_dir(folder)
    for name in (bundle.APP_NAME, bundle.CLI_NAME):
        if not bundle.executable(folder, name).is_file():
            found.append(f"missing executable {name}")
    for relative in bundle.REQUIRED_RESOURCES:
        if not (internal / relative).is_file():
            found.append(f"missing {relative}")
    for model in bundle.REQUIRED_MODELS:
        if not (internal / "rapidocr" / "models" / model).is_file():
            found.append(f"missing rapidocr model {model}")
    if not (internal / "rapidocr" / "config.yaml").is_file():
        found.append("missing rapidocr/config.yaml")
    if not list(internal.glob("PySide6/**/translations/qtbase_zh_CN.qm")):
        found.append("missing Qt's qtbase_zh_CN.qm")
    platforms = {p.name for p in internal.glob("PySide6/**/plugins/platforms/*")}
    wanted = ["qwindows.dll"] if sys.platform == "win32" else ["libqxcb.so", "libqoffscreen.so"]
    found += [f"missing Qt platform plugin {name}" for name in wanted if name not in platforms]
    if not list(internal.glob("onnxruntime/capi/*onnxruntime*")):
        found.append("missing onnxruntime's binaries")
    if sys.platform == "linux":
        found += gtk_dependents(folder)
    modules = bundled_modules()
    for forbidden in FORBIDDEN_MODULES:
        if any(m == forbidden or m.startswith(forbidden + ".") for m in modules):
            found.append(f"test-only module {forbidden} is bundled")
    return found


def notes(folder: Path) -> list[str]:
    """What the counter PC will have to provide because the build machine lacked it."""
    if sys.platform != "linux":
        return []
    internal = bundle.internal_dir(folder)
    # Qt's xcb plugin needs these; PyInstaller bundles them only if the build machine has them.
    wanted = ("libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1",
              "libxkbcommon-x11.so.0")
    return [f"{name} is not in the bundle (not installed on this machine): the counter PC "
            f"must have it for the X11 window" for name in wanted
            if not (internal / name).exists()]


def elf_needed(path: Path) -> list[str]:
    """The shared libraries an ELF file links to (``objdump -p``, from binutils, which
    PyInstaller needs on Linux anyway)."""
    done = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True)
    return [line.split()[1] for line in done.stdout.splitlines()
            if line.strip().startswith("NEEDED") and len(line.split()) > 1]


def gtk_dependents(folder: Path) -> list[str]:
    """Bundled Linux binaries, other than Qt's GTK theme plugin, that link to a GTK-stack
    library we left out (they would need it from the system)."""
    found: list[str] = []
    for path in sorted(folder.rglob("*.so*")):
        if path.is_symlink() or not path.is_file() or path.name == bundle.GTK_THEME_PLUGIN:
            continue
        if bundle.library_stem(path.name) in bundle.LINUX_GTK_STACK:
            continue
        for needed in elf_needed(path):
            if bundle.library_stem(needed) in bundle.LINUX_GTK_STACK:
                found.append(f"{path.relative_to(folder)} needs {needed}, which is left out")
    return found


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def linux_package(folder: Path, archive: bool) -> Path | None:
    """Put the .desktop file and its installer into the bundle; optionally tar it up."""
    for extra in LINUX_EXTRAS:
        target = folder / extra.name
        shutil.copy2(extra, target)
        if extra.suffix == ".sh":
            target.chmod(0o755)
    if not archive:
        return None
    tarball = bundle.DIST / f"{bundle.APP_NAME}-{version()}-{bundle.platform_tag()}.tar.gz"
    with tarfile.open(tarball, "w:gz", compresslevel=6) as tar:
        tar.add(folder, arcname=bundle.APP_NAME)
    return tarball


def find_iscc() -> Path | None:
    on_path = shutil.which("iscc")
    if on_path:
        return Path(on_path)
    for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles")):
        if base:
            candidate = Path(base) / "Inno Setup 6" / "ISCC.exe"
            if candidate.is_file():
                return candidate
    return None


def windows_installer() -> Path | None:
    iscc = find_iscc()
    if iscc is None:
        print("build: Inno Setup (ISCC.exe) not found; skipped the installer "
              "(install Inno Setup 6, or compile packaging\\windows\\dlscan.iss by hand)")
        return None
    subprocess.run([str(iscc), f"/DAppVersion={version()}", str(ISS)], check=True)
    return bundle.DIST / f"{bundle.APP_NAME}-{version()}-setup.exe"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clean", action="store_true", help="drop PyInstaller's cache first")
    parser.add_argument("--no-archive", action="store_true", help="Linux: no tarball")
    parser.add_argument("--no-installer", action="store_true", help="Windows: no installer")
    args = parser.parse_args(argv)

    started = time.monotonic()
    ensure_pyinstaller()
    build_translations()
    if not bundle.ICON_ICO.exists():
        print("build: resources/icons is incomplete; run resources/icons/make_icons.py")
        return 1
    run_pyinstaller(args.clean)
    folder = bundle.DIST / bundle.APP_NAME
    missing = problems(folder)
    if missing:
        for problem in missing:
            print(f"build: bundle incomplete: {problem}")
        return 1
    for note in notes(folder):
        print(f"build: note: {note}")
    output: Path | None = None
    if sys.platform == "win32":
        output = None if args.no_installer else windows_installer()
    else:
        output = linux_package(folder, archive=not args.no_archive)
    elapsed = time.monotonic() - started
    print(f"build: {folder} ({folder_size(folder) / 1e6:.0f} MB) in {elapsed:.0f} s")
    if output is not None:
        print(f"build: {output} ({output.stat().st_size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
