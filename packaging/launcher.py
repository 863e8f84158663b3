"""The frozen bundle's entry point for both executables, told apart by their name: ``dlscan``
(the window, like the ``dlscan`` gui-script) and ``dlscan-cli`` (the console tool). One
PyInstaller analysis then serves both, and they share every collected file."""

from __future__ import annotations

import sys

CLI_NAME = "dlscan-cli"


def program_name(executable: str) -> str:
    """``C:\\...\\dlscan-cli.exe`` or ``/opt/dlscan/dlscan-cli`` → ``dlscan-cli``."""
    return executable.replace("\\", "/").rsplit("/", 1)[-1].lower().removesuffix(".exe")


def main() -> int:
    if program_name(sys.executable) == CLI_NAME:
        from dlscan_gui.cli import main as cli_main

        return cli_main()
    from dlscan_gui.app import main as app_main

    return app_main()


if __name__ == "__main__":
    sys.exit(main())
