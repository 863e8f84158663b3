"""What the frozen bundle is told to contain and leave out (packaging/bundle.py and the spec),
checked without building anything."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import bundle
import pytest

from dlscan_gui.engines.local import ocr

ROOT = bundle.ROOT


def test_every_resource_listed_exists_and_the_required_ones_are_listed():
    datas = bundle.resource_datas()
    assert datas
    for source, dest in datas:
        assert Path(source).is_file(), source
        assert dest.startswith("resources/")
    shipped = {f"{dest}/{Path(source).name}" for source, dest in datas}
    for required in bundle.REQUIRED_RESOURCES:
        if required.endswith(".qm"):  # built from the .ts by i18n_build, not in git
            assert (ROOT / required).with_suffix(".ts").is_file()
            continue
        assert required in shipped, required


def test_sources_and_scripts_stay_out_of_the_bundle():
    names = {Path(source).name for source, _ in bundle.resource_datas()}
    assert not any(name.endswith((".ts", ".py")) for name in names)


def test_the_models_the_engine_loads_are_the_ones_the_bundle_requires():
    assert set(bundle.REQUIRED_MODELS) == {ocr.DET_MODEL, ocr.REC_MODEL, ocr.CLS_MODEL}
    for model in bundle.REQUIRED_MODELS:
        assert (ocr.models_dir() / model).is_file()


def test_test_only_keyring_backends_are_excluded_and_never_imported_by_the_app():
    for name in ("keyrings", "keyrings.alt", "keyrings.cryptfile", "pytest"):
        assert name in bundle.EXCLUDES
    imports = re.compile(r"^\s*(from|import)\s+(keyrings|pytest|huaweicloudsdkcore)\b", re.M)
    for path in (ROOT / "dlscan_gui").rglob("*.py"):
        assert not imports.search(path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize(("dest", "dropped"), [
    ("PySide6/Qt/plugins/platforms/libqxcb.so", False),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", False),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
    ("PySide6\\plugins\\platforms\\qwindows.dll", False),
    ("PySide6/Qt/plugins/imageformats/libqjpeg.so", False),
    ("PySide6\\plugins\\imageformats\\qjpeg.dll", False),
    ("PySide6/Qt/plugins/imageformats/libqtiff.so", False),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
    ("PySide6/Qt/translations/qtbase_zh_CN.qm", False),
    ("PySide6\\translations\\qtbase_zh_CN.qm", False),
    ("PySide6/Qt/plugins/imageformats/libqpdf.so", True),
    ("PySide6\\plugins\\imageformats\\qpdf.dll", True),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", True),
    ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", True),
    ("PySide6/Qt/translations/qtbase_de.qm", True),
    ("PySide6/Qt/translations/qt_help_zh_CN.qm", True),
    ("rapidocr/models/PP-OCRv6_rec_small.onnx", False),
    ("resources/i18n/dlscan_zh_CN.qm", False),
])
def test_qt_files_kept_and_dropped(dest, dropped):
    assert bundle.drop_qt_file(dest) is dropped


def test_the_gtk_stack_is_left_out_on_linux_only():
    assert bundle.library_stem("libgtk-3.so.0") == "libgtk-3"
    assert bundle.drop_gtk_library("libgtk-3.so.0", system="linux")
    assert bundle.drop_gtk_library("libpango-1.0.so.0", system="linux")
    assert not bundle.drop_gtk_library("PySide6/Qt/lib/libQt6Gui.so.6", system="linux")
    assert not bundle.drop_gtk_library("libglib-2.0.so.0", system="linux")  # Qt's event loop
    assert not bundle.drop_gtk_library("libgtk-3.so.0", system="win32")


def test_the_spec_builds_both_executables_from_one_analysis():
    text = (ROOT / "packaging" / "dlscan.spec").read_text(encoding="utf-8")
    ast.parse(text)  # a spec is Python
    assert "launcher.py" in text
    assert text.count("EXE(") == 2 and text.count("Analysis(") == 1
    assert "name=bundle.APP_NAME" in text and "name=bundle.CLI_NAME" in text
    gui, cli = text.split("cli = EXE(")
    assert "console=False" in gui and "console=True" in cli
    assert "collect_data_files(\"rapidocr\"" in text
    assert "exclude_binaries=True" in text  # one folder, files shared through COLLECT


def test_the_launcher_picks_the_program_by_executable_name(monkeypatch):
    import launcher

    import dlscan_gui.app
    import dlscan_gui.cli

    monkeypatch.setattr(dlscan_gui.cli, "main", lambda: 7)
    monkeypatch.setattr(dlscan_gui.app, "main", lambda: 3)
    monkeypatch.setattr(launcher.sys, "executable", "/opt/dlscan/dlscan-cli")
    assert launcher.main() == 7
    monkeypatch.setattr(launcher.sys, "executable", "C:\\Program Files\\dlscan\\dlscan-cli.exe")
    assert launcher.main() == 7
    monkeypatch.setattr(launcher.sys, "executable", "/opt/dlscan/dlscan")
    assert launcher.main() == 3
    assert launcher.CLI_NAME == bundle.CLI_NAME


def test_pyproject_has_the_package_extra_with_pyinstaller():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package = data["project"]["optional-dependencies"]["package"]
    assert any(dep.lower().startswith("pyinstaller") for dep in package)
    # Build outputs never get committed.
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "build/" in ignored and "dist/" in ignored
