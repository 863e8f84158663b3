"""Throughput and latency of ``dlscan-cli serve`` at 1, 2 and 4 concurrent clients, against
calling the engine in-process, in the same run.

    .venv/bin/python bench/server.py [--n 12] [--requests 24] [--runs 3] [--workers 1 2]

The server runs as IT runs it: its own process (``python -m dlscan_gui.cli serve``) on
127.0.0.1, one per ``--workers`` value. Clients are threads posting base64 images of ``--n``
generated single-page licences (moderate level), round robin, ``--requests`` per measurement.
The in-process baseline recognizes the same images in this process, one after another (one
client). Each measurement is repeated ``--runs`` times; the figures are the medians of the
runs' throughput (recognitions per second) and p50/p90 latency (seconds per request, as the
client sees it). Also the server process's peak resident memory. Writes
bench/results/server.json.
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results_file import write_results  # noqa: E402
from dlscan_gui.core.imaging import load_image  # noqa: E402
from dlscan_gui.core.schema import Side  # noqa: E402
from dlscan_gui.engines.local.engine import LocalRecognizer  # noqa: E402
from tests.synthetic.licence import make_sample  # noqa: E402

API = "/v2/bench/ocr/driver-license"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(latencies: list[float], seconds: float) -> dict[str, float]:
    return {"throughput": len(latencies) / seconds, "p50": percentile(latencies, 0.5),
            "p90": percentile(latencies, 0.9)}


def in_process(images: list[bytes], requests_total: int) -> dict[str, float]:
    engine = LocalRecognizer()
    engine.warm_up()
    loaded = [load_image(data) for data in images]
    latencies = []
    started = time.perf_counter()
    for index in range(requests_total):
        begin = time.perf_counter()
        engine.recognize(loaded[index % len(loaded)], side=Side.AUTO)
        latencies.append(time.perf_counter() - begin)
    return summary(latencies, time.perf_counter() - started)


def through_server(url: str, bodies: list[dict[str, str]], requests_total: int,
                   clients: int) -> dict[str, float]:
    session_per_thread: dict[int, requests.Session] = {}

    def one(index: int) -> float:
        session = session_per_thread.setdefault(threading.get_ident(), requests.Session())
        begin = time.perf_counter()
        answer = session.post(url + API, json=bodies[index % len(bodies)], timeout=120)
        elapsed = time.perf_counter() - begin
        if answer.status_code != 200:
            raise RuntimeError(f"HTTP {answer.status_code}: {answer.text[:200]}")
        return elapsed

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        latencies = list(pool.map(one, range(requests_total)))
    return summary(latencies, time.perf_counter() - started)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(workers: int) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "dlscan_gui.cli", "serve", "--port", str(port),
         "--workers", str(workers)],
        cwd=ROOT, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert process.stderr is not None
    for line in process.stderr:
        found = re.search(r"serving at (http://\S+:\d+)", line)
        if found:
            # Keep reading its log (one line per request), or a full pipe would stall it.
            threading.Thread(target=process.stderr.read, daemon=True).start()
            return process, found.group(1)
    raise RuntimeError("the server did not start")


def peak_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status")
    if not status.exists():
        return float("nan")
    line = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=12, help="distinct images")
    parser.add_argument("--requests", type=int, default=24, help="requests per measurement")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--start-seed", type=int, default=91000)
    args = parser.parse_args()

    images = [make_sample(args.start_seed + i, side=("front", "back")[i % 2],
                          level="moderate").jpeg for i in range(args.n)]
    bodies = [{"image": base64.b64encode(data).decode("ascii")} for data in images]
    report: dict[str, object] = {"args": vars(args), "cpus": os.cpu_count()}

    baseline = median_of([in_process(images, args.requests) for _ in range(args.runs)])
    report["in_process"] = baseline
    print(f"{'':<22}{'req/s':>8}{'p50 s':>8}{'p90 s':>8}{'vs in-process':>15}")
    print(f"{'in-process, 1 client':<22}{baseline['throughput']:>8.2f}{baseline['p50']:>8.3f}"
          f"{baseline['p90']:>8.3f}{1.0:>14.2f}x")
    servers: dict[str, object] = {}
    for workers in args.workers:
        process, url = start_server(workers)
        try:
            by_clients = {}
            for clients in args.clients:
                through_server(url, bodies, min(4, args.requests), clients)  # connections, caches
                runs = [through_server(url, bodies, args.requests, clients)
                        for _ in range(args.runs)]
                figures = median_of(runs)
                by_clients[str(clients)] = figures
                ratio = figures["throughput"] / baseline["throughput"]
                label = f"server w{workers}, {clients} client{'s' if clients > 1 else ''}"
                print(f"{label:<22}{figures['throughput']:>8.2f}{figures['p50']:>8.3f}"
                      f"{figures['p90']:>8.3f}{ratio:>14.2f}x")
            memory = peak_mb(process.pid)
            print(f"  server w{workers} peak memory {memory:.0f} MB")
            servers[str(workers)] = {"clients": by_clients, "peak_mb": memory}
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(30)
    report["server"] = servers
    write_results("server", report)


if __name__ == "__main__":
    main()
