"""The GUI entry point: ``dlscan [--self-test] [--new-instance] [--version] [FILE...]``.

Files given on the command line open at once (so "Open with dlscan" works); a second launch
hands them to the running window instead (single_instance.py). The heavy UI modules (OpenCV,
the engine) are imported only once it is clear that this process shows a window, so a
hand-off is quick.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, NoReturn

from PySide6.QtWidgets import QApplication

from dlscan_gui import __version__
from dlscan_gui.core import logfile, logsafe

if TYPE_CHECKING:
    from dlscan_gui.ui.main_window import MainWindow
    from dlscan_gui.ui.recognition import RecognitionService

log = logging.getLogger(__name__)

# Start of the process as near as matters: only light modules are imported above, the heavy
# ones later (the self-test's timings count from here).
STARTED = time.perf_counter()

EXIT_USAGE = 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse would print usage and exit itself
        raise UsageError(message)


def parse_args(args: Sequence[str]) -> argparse.Namespace:
    """Raises UsageError for what dlscan does not know, SystemExit(0) after ``--help``."""
    parser = _Parser(
        prog="dlscan",
        description="驾驶证识别 / Read Chinese driving licences.",
        epilog="dlscan-cli 用于脚本和批量识别 / dlscan-cli is for scripts and batches.",
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help",
                        help="显示本说明 / show this help and exit")
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="要识别的图片 / images to recognize")
    parser.add_argument("--self-test", action="store_true",
                        help="识别内置样例并报告结果（无窗口）/ recognize the bundled sample "
                             "and report (no window shown)")
    parser.add_argument("--new-instance", action="store_true",
                        help="即使已在运行也另开一个 / start a separate instance even if one "
                             "is running")
    parser.add_argument("--version", action="store_true", help="显示版本 / show the version")
    return parser.parse_args(list(args))


def usage_message(problem: str) -> str:
    return (f"dlscan：无法识别的参数（{problem}）。用法：dlscan [--self-test] [--new-instance] "
            f"[--version] [文件...]；dlscan --help 查看说明。\n"
            f"dlscan: bad arguments ({problem}). Usage: dlscan [--self-test] [--new-instance] "
            f"[--version] [FILE...]; see dlscan --help.")


def build_window(app: QApplication, service: RecognitionService | None = None) -> MainWindow:
    """Everything before the window shows: quick steps only (the engine's keyring look-up and
    model warm-up run in the background once the window is up)."""
    from dlscan_gui.core.settings import load_settings
    from dlscan_gui.ui.fonts import install_fallback_font
    from dlscan_gui.ui.i18n import set_language
    from dlscan_gui.ui.main_window import MainWindow
    from dlscan_gui.ui.recognition import RecognitionService

    app.setApplicationName("dlscan")
    # Wayland and the Linux menus match the window to dlscan.desktop by this name.
    app.setDesktopFileName("dlscan")
    set_app_icon(app)
    install_fallback_font(app)
    logsafe.install()
    if service is None:
        service = RecognitionService(load_settings())
    set_language(app, service.settings.language)
    return MainWindow(service)


def set_app_icon(app: QApplication) -> None:
    """The app icon on every window (title bar, taskbar, Alt+Tab), in all its sizes."""
    from PySide6.QtGui import QIcon

    from dlscan_gui.paths import icon_files

    icon = QIcon()
    for path in icon_files():
        icon.addFile(str(path))
    if icon.isNull():
        log.warning("app icon files missing under resources/icons")
        return
    app.setWindowIcon(icon)


def _activated(window: MainWindow, paths: list[str]) -> None:
    """Another launch: come to the front and open what it was given."""
    from dlscan_gui.single_instance import bring_to_front
    from dlscan_gui.ui.main_window import open_paths_from_argv

    log.info("another launch handed over %d file(s)", len(paths))
    bring_to_front(window)
    open_paths_from_argv(window, paths)


def main(argv: Sequence[str] | None = None) -> int:
    logfile.fix_missing_streams()  # first: a windowed build has no stdout/stderr
    args = list(argv) if argv is not None else sys.argv
    try:
        options = parse_args(args[1:])
    except UsageError as error:
        print(usage_message(str(error)), file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as done:  # --help
        return done.code if isinstance(done.code, int) else 0
    if options.version:
        print(f"dlscan {__version__}")
        return 0
    log_file = logfile.install()
    logfile.enable_crash_log(log_file.parent if log_file else None)
    if options.self_test and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # headless: before QApplication exists

    app = QApplication(args[:1])  # file names are ours, not Qt's options
    if options.self_test:
        from dlscan_gui import self_test

        return self_test.run(app, STARTED)
    return _run_window(app, [os.path.abspath(path) for path in options.files],
                       options.new_instance)


def _run_window(app: QApplication, paths: list[str], new_instance: bool) -> int:
    from dlscan_gui.single_instance import InstanceServer, hand_off, server_name
    from dlscan_gui.ui.main_window import open_paths_from_argv

    server = None
    if not new_instance:
        name = server_name()
        if hand_off(name, paths):
            log.info("dlscan is already running: handed %d file(s) over", len(paths))
            return 0
        server = InstanceServer(name, app)
        server.listen()  # when it cannot, this instance still works, only alone
    window = build_window(app)
    if server is not None:
        server.activated.connect(partial(_activated, window))
    window.show()
    open_paths_from_argv(window, paths)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
