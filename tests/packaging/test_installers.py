"""The Linux .desktop file and install.sh, the Windows Inno Setup script, and the icons."""

from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import bundle
import pytest

ROOT = bundle.ROOT
LINUX = ROOT / "packaging" / "linux"
ISS = ROOT / "packaging" / "windows" / "dlscan.iss"


def desktop_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_desktop_file_keys():
    entry = desktop_entry(LINUX / "dlscan.desktop")
    assert entry["Type"] == "Application"
    assert entry["Name"] == "dlscan" and entry["Name[zh_CN]"]
    assert entry["Exec"].split()[0] == bundle.APP_NAME and "%F" in entry["Exec"]
    assert entry["Icon"] == "dlscan"
    assert entry["Terminal"] == "false"
    assert entry["StartupWMClass"] == "dlscan"  # Qt's WM_CLASS for applicationName "dlscan"
    assert {"image/jpeg", "image/png"} <= set(entry["MimeType"].strip(";").split(";"))
    for key in ("Categories", "MimeType", "Keywords"):
        assert entry[key].endswith(";")


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate not installed")
def test_desktop_file_validates():
    done = subprocess.run(["desktop-file-validate", str(LINUX / "dlscan.desktop")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "error" not in done.stdout


def test_install_script_parses():
    subprocess.run(["sh", "-n", str(LINUX / "install.sh")], check=True)
    text = (LINUX / "install.sh").read_text(encoding="utf-8")
    sizes = text.split('sizes="', 1)[1].split('"', 1)[0].split()
    assert tuple(int(s) for s in sizes) == bundle.ICON_SIZES


def fake_bundle(folder: Path) -> Path:
    """A folder shaped like dist/dlscan, with stand-in executables."""
    folder.mkdir(parents=True)
    for name in (bundle.APP_NAME, bundle.CLI_NAME):
        exe = folder / name
        exe.write_text("#!/bin/sh\necho frozen $0\n")
        exe.chmod(0o755)
    icons = folder / "_internal" / "resources" / "icons"
    icons.mkdir(parents=True)
    for path in (ROOT / "resources" / "icons").glob("dlscan*"):
        shutil.copy2(path, icons)
    for extra in ("install.sh", "dlscan.desktop"):
        shutil.copy2(LINUX / extra, folder)
    return folder


def test_per_user_install_and_uninstall(tmp_path):
    source = fake_bundle(tmp_path / "unpacked" / "dlscan")
    home = tmp_path / "home"
    settings = home / ".config" / "dlscan" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text("{}")
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    subprocess.run(["sh", str(source / "install.sh")], check=True, env=env,
                   capture_output=True)
    app_dir = home / ".local" / "lib" / "dlscan"
    assert (app_dir / "dlscan").is_file() and (app_dir / "_internal").is_dir()
    assert os.readlink(home / ".local" / "bin" / "dlscan-cli") == str(app_dir / "dlscan-cli")
    entry = desktop_entry(home / ".local" / "share" / "applications" / "dlscan.desktop")
    assert entry["Exec"] == f"{app_dir}/dlscan %F"
    icons = home / ".local" / "share" / "icons" / "hicolor"
    for size in bundle.ICON_SIZES:
        assert (icons / f"{size}x{size}" / "apps" / "dlscan.png").is_file()
    assert (icons / "scalable" / "apps" / "dlscan.svg").is_file()

    subprocess.run(["sh", str(app_dir / "install.sh"), "--uninstall"], check=True, env=env,
                   capture_output=True)
    assert not app_dir.exists()
    assert not (home / ".local" / "bin" / "dlscan").exists()
    assert not (home / ".local" / "share" / "applications" / "dlscan.desktop").exists()
    assert settings.is_file()  # the user's settings survive an uninstall

    subprocess.run(["sh", str(source / "install.sh")], check=True, env=env,
                   capture_output=True)
    subprocess.run(["sh", str(source / "install.sh"), "--uninstall", "--purge"], check=True,
                   env=env, capture_output=True)
    assert not settings.exists()


def test_install_refuses_to_replace_a_folder_that_is_not_a_bundle(tmp_path):
    source = fake_bundle(tmp_path / "dlscan")
    home = tmp_path / "home"
    stranger = home / ".local" / "lib" / "dlscan"
    stranger.mkdir(parents=True)
    (stranger / "notes.txt").write_text("keep me")
    done = subprocess.run(["sh", str(source / "install.sh")], env={"HOME": str(home),
                          "PATH": os.environ.get("PATH", "/usr/bin:/bin")},
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert (stranger / "notes.txt").read_text() == "keep me"


def iss_text() -> str:
    return ISS.read_text(encoding="utf-8-sig")


def iss_define(text: str, name: str) -> str:
    for line in text.splitlines():
        parts = line.split(None, 2)
        if len(parts) == 3 and parts[0] == "#define" and parts[1] == name:
            return parts[2].strip().strip('"')
    raise AssertionError(f"#define {name} missing")


def test_inno_setup_script_installs_the_bundle_per_machine():
    text = iss_text()
    assert iss_define(text, "AppExe") == f"{bundle.APP_NAME}.exe"
    assert iss_define(text, "CliExe") == f"{bundle.CLI_NAME}.exe"
    assert iss_define(text, "Bundle").endswith('"\\dist\\dlscan')
    assert "PrivilegesRequired=admin" in text
    assert "DefaultDirName={autopf}\\{#AppName}" in text
    assert 'Source: "{#Bundle}\\*"' in text and "recursesubdirs" in text
    icon = text.split("SetupIconFile={#Root}\\", 1)[1].splitlines()[0]
    assert (ROOT / icon.replace("\\", "/")).is_file()


def test_inno_setup_shortcuts_and_uninstall_keep_user_data_unless_asked():
    text = iss_text()
    assert 'Name: "{autoprograms}\\{#AppName}"' in text
    desktop = [line for line in text.splitlines() if line.startswith('Name: "{autodesktop}')]
    assert desktop and "Tasks: desktopicon" in desktop[0]
    code = text.split("[Code]", 1)[1]
    assert "MsgBox(" in code and "MB_DEFBUTTON2" in code  # "No" (keep) is the default
    assert "HasParam('/PURGE')" in code
    # Settings (roaming) and logs (local) of platformdirs' "dlscan" dirs.
    assert "{userappdata}\\dlscan" in code and "{localappdata}\\dlscan" in code
    assert "credentials clear --all" in code


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_icons_exist_in_every_size():
    icons = ROOT / "resources" / "icons"
    for size in bundle.ICON_SIZES:
        assert png_size(icons / f"dlscan-{size}.png") == (size, size)
    ico = (icons / "dlscan.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, len(bundle.ICON_SIZES))
    sides = sorted((ico[6 + 16 * i] or 256) for i in range(count))
    assert tuple(sides) == bundle.ICON_SIZES
    svg = ET.parse(icons / "dlscan.svg").getroot()
    assert svg.get("viewBox") == "0 0 256 256"


def test_paths_lists_the_icon_files_smallest_first():
    from dlscan_gui.paths import icon_files

    assert [int(p.stem.split("-")[1]) for p in icon_files()] == list(bundle.ICON_SIZES)
