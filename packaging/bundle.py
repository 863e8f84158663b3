"""What goes into the frozen bundle, as plain data: the spec, the build script, the packaging
check and the tests all read it from here, so they cannot disagree.

No PyInstaller import at module level: the tests import this file without building anything.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
DIST = ROOT / "dist"
WORK = ROOT / "build"

APP_NAME = "dlscan"  # the windowed executable and the bundle folder
CLI_NAME = "dlscan-cli"  # the console executable, in the same folder
ICON_ICO = ROOT / "resources" / "icons" / "dlscan.ico"
ICON_SVG = ROOT / "resources" / "icons" / "dlscan.svg"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)

# Our resources, as (glob relative to the repository, folder inside the bundle). The .ts
# sources, the font subsetting script and the icon drawing script stay out.
RESOURCE_GLOBS: tuple[tuple[str, str], ...] = (
    ("resources/i18n/*.qm", "resources/i18n"),
    ("resources/fonts/*.otf", "resources/fonts"),
    ("resources/fonts/OFL.txt", "resources/fonts"),
    ("resources/samples/*.jpg", "resources/samples"),
    ("resources/samples/*.json", "resources/samples"),
    ("resources/samples/README.md", "resources/samples"),
    ("resources/icons/*.png", "resources/icons"),
    ("resources/icons/dlscan.svg", "resources/icons"),
)

# Files that must be in every bundle: the packaging check and the tests look for them.
REQUIRED_RESOURCES: tuple[str, ...] = (
    "resources/i18n/dlscan_zh_CN.qm",
    "resources/fonts/NotoSansSC-Regular-GB2312.otf",
    "resources/samples/synthetic-front.jpg",
    "resources/icons/dlscan-256.png",
)

# The offline engine's models, inside rapidocr's package folder in the bundle.
REQUIRED_MODELS: tuple[str, ...] = (
    "PP-OCRv6_det_small.onnx",
    "PP-OCRv6_rec_small.onnx",
    "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
)

# rapidocr data we do not need: the PyTorch engine's network config (we run onnxruntime).
RAPIDOCR_DATA_EXCLUDES: tuple[str, ...] = ("inference_engine/pytorch/**", "**/*.pyi", "py.typed")

# Never bundled. keyrings.alt and keyrings.cryptfile are test-only and could be picked as a
# plaintext or file store; the other inference engines of rapidocr are not installed for us.
EXCLUDES: tuple[str, ...] = (
    "keyrings",
    "keyrings.alt",
    "keyrings.cryptfile",
    "pytest",
    "_pytest",
    "pytestqt",
    "huaweicloudsdkcore",
    "ruff",
    "tests",
    "bench",
    "tkinter",
    "_tkinter",
    "matplotlib",
    "IPython",
    "torch",
    "paddle",
    "openvino",
    "tensorrt",
    "MNN",
    # Pillow comes with rapidocr (which imports it); its AVIF codec and Tk bridge we never use.
    "PIL.AvifImagePlugin",
    "PIL._avif",
    "PIL.ImageTk",
    "PIL._imagingtk",
    # Qt modules the app never imports (PySide6's own bindings of them).
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtPdf",
    "PySide6.QtSql",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtPrintSupport",
    "PySide6.QtTest",
    "PySide6.QtXml",
    "PySide6.QtConcurrent",
    "PySide6.QtDesigner",
    "PySide6.QtUiTools",
)

# Qt plugins (bundle paths, '/'-separated, matched by their start) that the app does not
# need: PDF and rare image formats, Wayland's compositor side, VNC/framebuffer/EGL platforms,
# SQL drivers, QML tooling. xcb, wayland and offscreen stay; so do the image formats a clerk
# may drop or paste (jpeg, gif, tiff, webp, ico; png and bmp are built in) and SVG, which
# icon themes use.
QT_PLUGIN_DROPS: tuple[str, ...] = (
    "plugins/imageformats/libqpdf",
    "plugins/imageformats/qpdf",
    "plugins/imageformats/libqicns",
    "plugins/imageformats/qicns",
    "plugins/imageformats/libqtga",
    "plugins/imageformats/qtga",
    "plugins/imageformats/libqwbmp",
    "plugins/imageformats/qwbmp",
    "plugins/platforms/libqeglfs",
    "plugins/platforms/libqlinuxfb",
    "plugins/platforms/libqminimalegl",
    "plugins/platforms/libqvnc",
    "plugins/platforms/libqvkkhrdisplay",
    "plugins/egldeviceintegrations/",
    "plugins/wayland-graphics-integration-server/",
    "plugins/sqldrivers/",
    "plugins/qmltooling/",
    "plugins/designer/",
    "plugins/printsupport/",
    "plugins/vectorimageformats/",
    # QtNetwork comes along (PySide6 links every module to it) but we make no Qt network calls.
    "plugins/networkinformation/",
    "plugins/tls/",
    # evdev/tuio input, for the framebuffer platforms left out above.
    "plugins/generic/",
)

# Linux: the GTK stack that only Qt's GTK platform theme plugin (libqgtk3) links to. Bundling
# the build machine's GTK would mix it with the counter PC's themes and modules; without it the
# plugin uses the system's GTK where there is one, and Qt falls back to its own look where not.
# build.py checks that nothing else in the bundle needs one of these.
LINUX_GTK_STACK: tuple[str, ...] = (
    "libgtk-3", "libgdk-3", "libgdk_pixbuf-2.0", "libatk-1.0", "libatk-bridge-2.0", "libatspi",
    "libepoxy", "libcairo", "libcairo-gobject", "libpango-1.0", "libpangocairo-1.0",
    "libpangoft2-1.0", "libpixman-1", "libfribidi", "libthai", "libdatrie", "libgraphite2",
    "libharfbuzz", "libXcomposite", "libXcursor", "libXdamage", "libXi", "libXinerama", "libXrandr",
    "libgio-2.0", "libgmodule-2.0", "libgobject-2.0", "libmount", "libblkid", "libselinux",
)
GTK_THEME_PLUGIN = "libqgtk3.so"

# Qt's own translations: only the languages the app offers (it loads qtbase_<lang>.qm).
QT_TRANSLATION_KEEP: tuple[str, ...] = ("qtbase_zh_CN.qm",)


def resource_datas(root: Path = ROOT) -> list[tuple[str, str]]:
    """``(source file, folder in the bundle)`` for every resource we ship."""
    datas: list[tuple[str, str]] = []
    for pattern, dest in RESOURCE_GLOBS:
        for path in sorted(root.glob(pattern)):
            if path.is_file():
                datas.append((str(path), dest))
    return datas


def _posix(name: str) -> str:
    return name.replace("\\", "/")


def drop_qt_file(dest: str) -> bool:
    """True for a collected Qt plugin or translation (by its path in the bundle) that we
    leave out."""
    dest = _posix(dest)
    if not dest.startswith("PySide6/"):
        return False
    if "/translations/" in dest:
        return dest.rsplit("/", 1)[-1] not in QT_TRANSLATION_KEEP
    return any(f"/{drop}" in dest for drop in QT_PLUGIN_DROPS)


def library_stem(name: str) -> str:
    """``libgtk-3.so.0`` → ``libgtk-3``."""
    name = _posix(name).rsplit("/", 1)[-1]
    return name.split(".so", 1)[0] if ".so" in name else name


def drop_gtk_library(dest: str, system: str = sys.platform) -> bool:
    """True for a collected GTK-stack library (Linux only), by its path in the bundle."""
    return system == "linux" and library_stem(dest) in LINUX_GTK_STACK


def platform_tag() -> str:
    system = {"win32": "windows", "linux": "linux", "darwin": "macos"}.get(sys.platform,
                                                                          sys.platform)
    machine = platform.machine().lower().replace("amd64", "x86_64")
    return f"{system}-{machine}"


def executable(bundle: Path, name: str) -> Path:
    return bundle / (f"{name}.exe" if sys.platform == "win32" else name)


def internal_dir(bundle: Path) -> Path:
    """PyInstaller ≥ 6 puts everything but the executables in ``_internal``."""
    return bundle / "_internal"
