"""Seconds per image: the offline engine vs the naive baseline, in the same run.

    .venv/bin/python bench/latency.py [--n 30] [--runs 3] [--level moderate]

Single-page images (front and back) of one degradation level; each image is recognized
``--runs`` times per reader (the engine, then the baseline, image by image) and its median
kept; the figures are the median and p90 over images. The engine's peak memory is measured
apart, in a fresh process that only loads the engine and recognizes the same images from files
(the maximum resident set size). Writes bench/results/latency.json.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.naive_baseline import NaiveBaseline  # noqa: E402
from bench.results_file import write_results  # noqa: E402
from dlscan_gui.core.errors import DlscanError  # noqa: E402
from dlscan_gui.core.imaging import load_image  # noqa: E402
from dlscan_gui.engines.local.engine import LocalRecognizer  # noqa: E402
from tests.synthetic.licence import make_sample  # noqa: E402


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def timed(call: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        try:
            call()  # type: ignore[operator]
        except DlscanError:
            pass
        times.append(time.perf_counter() - start)
    return statistics.median(times)


PEAK_CHILD = """
import resource, sys
from pathlib import Path
from dlscan_gui.core.imaging import load_image
from dlscan_gui.engines.local.engine import LocalRecognizer
engine = LocalRecognizer()
for path in sorted(Path(sys.argv[1]).glob("synthetic-*.jpg")):
    try:
        engine.recognize(load_image(path), return_issuing_authority=True)
    except Exception:
        pass
# VmHWM belongs to this process's own address space; ru_maxrss would carry the parent's
# high-water mark across exec on Linux.
status = Path("/proc/self/status")
if status.exists():
    line = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM:"))
    print(int(line.split()[1]) / 1024)
else:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def engine_peak_mb(jpegs: list[bytes]) -> float:
    """Peak resident memory of a process that does nothing but run the engine."""
    with tempfile.TemporaryDirectory() as folder:
        for index, data in enumerate(jpegs):
            (Path(folder) / f"synthetic-{index:03d}.jpg").write_bytes(data)
        done = subprocess.run([sys.executable, "-c", PEAK_CHILD, folder], capture_output=True,
                              text=True, cwd=ROOT, check=True, timeout=900)
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--level", default="moderate")
    parser.add_argument("--start-seed", type=int, default=40000)
    args = parser.parse_args()

    samples = [make_sample(args.start_seed + i, side=("front", "back")[i % 2], level=args.level)
               for i in range(args.n)]
    images = [load_image(s.jpeg, name=f"synthetic-{s.seed}") for s in samples]

    engine = LocalRecognizer()
    warm = time.perf_counter()
    engine.warm_up()
    warm_up_s = time.perf_counter() - warm
    baseline = NaiveBaseline(engine.ocr)
    engine_times, naive_times = [], []
    # Image by image, engine then baseline: a change in the machine's load hits both alike.
    for im in images:
        engine_times.append(timed(
            lambda im=im: engine.recognize(im, return_issuing_authority=True), args.runs))
        naive_times.append(timed(lambda im=im: baseline.read(im.pixels), args.runs))
    peak_mb = engine_peak_mb([s.jpeg for s in samples])

    report = {
        "images": args.n, "runs": args.runs, "level": args.level,
        "warm_up_s": warm_up_s,
        "engine": {"median_s": statistics.median(engine_times), "p90_s": p90(engine_times)},
        "naive": {"median_s": statistics.median(naive_times), "p90_s": p90(naive_times)},
        "speedup_median": statistics.median(naive_times) / statistics.median(engine_times),
        "engine_peak_rss_mb": peak_mb,
    }
    print(f"{args.n} single-page {args.level} images, median of {args.runs} runs each")
    for name in ("engine", "naive"):
        figures = report[name]
        print(f"  {name:7} median {figures['median_s']:.3f} s, p90 {figures['p90_s']:.3f} s")
    print(f"  engine is {report['speedup_median']:.2f}x the baseline's speed (median)")
    print(f"  model warm-up {warm_up_s:.2f} s; engine process peak RSS {peak_mb:.0f} MB")
    write_results("latency", report)


if __name__ == "__main__":
    main()
