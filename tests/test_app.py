"""``dlscan [--self-test] [--new-instance] [--version] [FILE...]``: what it accepts, and a clear
bilingual message with exit status 2, not a traceback, for what it does not."""

from __future__ import annotations

import re
import subprocess
import sys

from dlscan_gui import __version__
from dlscan_gui.app import EXIT_USAGE, main, parse_args

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_version(capsys):
    assert main(["dlscan", "--version"]) == 0
    assert capsys.readouterr().out == f"dlscan {__version__}\n"


def test_an_unknown_option_says_so_chinese_first_and_exits_2(capsys):
    assert main(["dlscan", "--frobnicate", "a.jpg"]) == EXIT_USAGE
    out, err = capsys.readouterr()
    assert out == ""
    first, second = err.strip().splitlines()
    assert CJK.search(first) and "--frobnicate" in first
    assert not CJK.search(second.replace("[FILE...]", "")) and "--frobnicate" in second
    assert "Traceback" not in err


def test_help_is_bilingual_and_exits_0(capsys):
    assert main(["dlscan", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--self-test" in out and "--new-instance" in out and "识别" in out


def test_files_and_flags():
    options = parse_args(["--new-instance", "a.jpg", "证件 b.png"])
    assert options.files == ["a.jpg", "证件 b.png"] and options.new_instance
    assert not options.self_test and not options.version
    assert parse_args(["--", "-odd-name.jpg"]).files == ["-odd-name.jpg"]


def test_without_stdout_and_stderr_nothing_crashes():
    code = ("import sys; sys.stdout = sys.stderr = None; from dlscan_gui.app import main; "
            "assert main(['dlscan', '--version']) == 0; "
            "sys.stdout.write('written'); sys.stderr.flush(); "  # would raise on None
            "sys.exit(main(['dlscan', '--no-such-option']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert done.returncode == EXIT_USAGE, done.stderr
    assert done.stdout == b"" and done.stderr == b""
