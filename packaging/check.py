"""The packaging check: build the bundle, run the frozen ``dlscan --self-test`` a few times and
the frozen ``dlscan-cli`` once (recognize, and serve one request), print the figures and
write them as JSON.

    .venv/bin/python packaging/check.py              # build, then 3 self-tests
    .venv/bin/python packaging/check.py --no-build   # test the bundle already in dist/

Figures: build time, bundle size (MB = 10^6 bytes, the files of dist/dlscan), and per
self-test the window and first-result times the app reports (counted from its entry module)
plus the wall-clock time of the whole process (launch, bootloader and exit included), and the
wall-clock time of ``dlscan --version`` (what comes before the app's own clock); medians over
the runs. Written to bench/results/packaging.json. Exit status 1 when anything fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# isort: off
# (how ruff sorts these depends on whether a build/ folder exists: PyInstaller's work folder)
import build  # packaging/build.py (sys.path[0]), not PyPA's build
import bundle
# isort: on

RESULTS = bundle.ROOT / "bench" / "results" / "packaging.json"
SELF_TEST_TIMEOUT_S = 300  # the app gives up after 120 s itself
SELF_TEST_LINE = re.compile(
    r"^dlscan self-test OK: window (?P<window>\d+(?:\.\d+)?) s, "
    r"first result (?P<result>\d+(?:\.\d+)?) s, (?P<right>\d+)/(?P<total>\d+) fields "
    r"\((?P<sample>[^)]*)\)$"
)
SAMPLE = bundle.ROOT / "resources" / "samples" / "synthetic-front.jpg"


@dataclass(frozen=True)
class SelfTest:
    ok: bool
    line: str
    window_s: float | None = None
    result_s: float | None = None
    fields_right: int | None = None
    fields_total: int | None = None
    wall_s: float | None = None


def parse_self_test(output: str) -> SelfTest:
    """The self-test's one line (the last non-empty line of stdout) as figures."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    line = lines[-1] if lines else ""
    match = SELF_TEST_LINE.match(line)
    if match is None:
        return SelfTest(ok=False, line=line or "(no output)")
    return SelfTest(ok=True, line=line, window_s=float(match["window"]),
                    result_s=float(match["result"]), fields_right=int(match["right"]),
                    fields_total=int(match["total"]))


def frozen_env(log_dir: Path) -> dict[str, str]:
    """Headless, and the log kept out of the user's log directory."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DLSCAN_LOG_DIR=str(log_dir))
    env.pop("DLSCAN_SELF_TEST_SAMPLE", None)
    return env


def run_self_test(folder: Path, env: dict[str, str]) -> SelfTest:
    exe = bundle.executable(folder, bundle.APP_NAME)
    started = time.perf_counter()
    try:
        done = subprocess.run([str(exe), "--self-test"], capture_output=True, text=True,
                              env=env, timeout=SELF_TEST_TIMEOUT_S, cwd=tempfile.gettempdir())
    except subprocess.TimeoutExpired:
        return SelfTest(ok=False, line=f"no answer within {SELF_TEST_TIMEOUT_S} s")
    wall = time.perf_counter() - started
    result = parse_self_test(done.stdout)
    if done.returncode != 0 and result.ok:
        result = SelfTest(ok=False, line=f"{result.line} (exit status {done.returncode})")
    if not result.ok and done.stderr.strip():
        print(done.stderr.strip()[-2000:], file=sys.stderr)
    return SelfTest(**{**asdict(result), "wall_s": round(wall, 2)})


def time_version(folder: Path, env: dict[str, str]) -> float | None:
    """Wall-clock of ``dlscan --version``: the bootloader, Python and the app's entry module,
    i.e. what comes before the self-test's own clock starts."""
    exe = bundle.executable(folder, bundle.APP_NAME)
    started = time.perf_counter()
    done = subprocess.run([str(exe), "--version"], capture_output=True, text=True, env=env,
                          timeout=60)
    wall = time.perf_counter() - started
    return round(wall, 2) if done.returncode == 0 and "dlscan" in done.stdout else None


def run_cli(folder: Path, env: dict[str, str]) -> tuple[bool, str]:
    """The console executable reads the sample with the offline engine."""
    exe = bundle.executable(folder, bundle.CLI_NAME)
    truth = json.loads(SAMPLE.with_suffix(".json").read_text(encoding="utf-8"))
    done = subprocess.run([str(exe), "recognize", str(SAMPLE), "--engine", "local"],
                          capture_output=True, text=True, env=env, timeout=SELF_TEST_TIMEOUT_S,
                          encoding="utf-8")
    if done.returncode != 0:
        return False, f"exit status {done.returncode}: {done.stderr.strip()[-500:]}"
    result = json.loads(done.stdout).get("result", {})
    wanted = truth["truth"]
    if result.get("number") != wanted.get("number"):
        return False, f"number {result.get('number')!r}, expected {wanted.get('number')!r}"
    return True, f"number and {len(result)} keys read"


def run_serve(folder: Path, env: dict[str, str]) -> tuple[bool, str]:
    """The console executable serves the API on 127.0.0.1: it answers the sample's number,
    then stops on an interrupt (Ctrl+C, or the service manager's stop)."""
    import base64
    import signal
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    exe = bundle.executable(folder, bundle.CLI_NAME)
    server = subprocess.Popen([str(exe), "serve", "--port", str(port)], env=env, text=True,
                              stderr=subprocess.PIPE, encoding="utf-8")
    assert server.stderr is not None
    try:
        started = time.monotonic()
        for line in server.stderr:
            if "serving at" in line:
                break
        else:
            return False, f"exit status {server.wait()} before serving"
        body = json.dumps({"image": base64.b64encode(SAMPLE.read_bytes()).decode()}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/v2/check/ocr/driver-license", data=body,
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=SELF_TEST_TIMEOUT_S) as answer:
            result = json.loads(answer.read()).get("result", {})
        wanted = json.loads(SAMPLE.with_suffix(".json").read_text(encoding="utf-8"))["truth"]
        if result.get("number") != wanted.get("number"):
            return False, f"number {result.get('number')!r}, expected {wanted.get('number')!r}"
        return True, f"answered in {time.monotonic() - started:.1f} s from start"
    except OSError as error:
        return False, f"no answer: {error}"
    finally:
        if os.name == "nt":
            server.terminate()
        else:
            server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()


def median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.median(present), 2) if present else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-build", action="store_true", help="test the existing dist/dlscan")
    parser.add_argument("--clean", action="store_true", help="build without PyInstaller's cache")
    parser.add_argument("--runs", type=int, default=3, help="self-test runs (default 3)")
    args = parser.parse_args(argv)

    folder = bundle.DIST / bundle.APP_NAME
    build_s: float | None = None
    if not args.no_build:
        started = time.perf_counter()
        if build.main(["--no-archive", *(["--clean"] if args.clean else [])]) != 0:
            print("packaging check FAILED: the build failed")
            return 1
        build_s = round(time.perf_counter() - started, 1)
    elif build.problems(folder):
        print(f"packaging check FAILED: {'; '.join(build.problems(folder))}")
        return 1

    size_mb = round(build.folder_size(folder) / 1e6, 1)
    runs: list[SelfTest] = []
    with tempfile.TemporaryDirectory(prefix="dlscan-check-") as logs:
        env = frozen_env(Path(logs))
        for number in range(1, args.runs + 1):
            result = run_self_test(folder, env)
            print(f"self-test {number}/{args.runs}: {result.line} (process {result.wall_s} s)",
                  flush=True)
            runs.append(result)
        startups = [time_version(folder, env) for _ in range(args.runs)]
        cli_ok, cli_note = run_cli(folder, env)
        serve_ok, serve_note = run_serve(folder, env)
    print(f"dlscan-cli recognize: {'OK' if cli_ok else 'FAILED'}: {cli_note}")
    print(f"dlscan-cli serve: {'OK' if serve_ok else 'FAILED'}: {serve_note}")

    figures = {
        "date": date.today().isoformat(),
        "platform": f"{platform.system()} {platform.machine()}",
        "python": platform.python_version(),
        "pyinstaller": _pyinstaller_version(),
        "build_s": build_s,
        "bundle_mb": size_mb,
        "bundle_files": sum(1 for p in folder.rglob("*") if p.is_file()),
        "self_test_runs": [asdict(r) for r in runs],
        "window_s_median": median([r.window_s for r in runs]),
        "first_result_s_median": median([r.result_s for r in runs]),
        "process_s_median": median([r.wall_s for r in runs]),
        "startup_s_runs": startups,
        "startup_s_median": median(startups),
        "cli_ok": cli_ok,
        "serve_ok": serve_ok,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n",
                       encoding="utf-8")
    outcomes = [r.ok for r in runs] + [cli_ok, serve_ok]
    ok = bool(runs) and all(outcomes)
    built = f"built in {build_s:.0f} s, " if build_s is not None else ""
    print(f"packaging check {'OK' if ok else 'FAILED'}: {built}bundle {size_mb:.0f} MB; "
          f"self-test median window {figures['window_s_median']} s, first result "
          f"{figures['first_result_s_median']} s, whole process "
          f"{figures['process_s_median']} s, start-up to the entry module "
          f"{figures['startup_s_median']} s ({RESULTS.relative_to(bundle.ROOT)})")
    # The plain closing line CI reads when this runs after the test suite.
    print(f"packaging: {sum(outcomes)} passed, {len(outcomes) - sum(outcomes)} failed")
    return 0 if ok else 1


def _pyinstaller_version() -> str | None:
    try:
        import PyInstaller
    except ImportError:
        return None
    return str(PyInstaller.__version__)


if __name__ == "__main__":
    sys.exit(main())
