"""Benchmark: fitting 12 MP phone photos for upload.

Generates N synthetic 12 MP counter photos in memory (card 35–80 % of the frame width), then
for each: decode time (load_image), precheck() time (median of several runs), original and
fitted bytes, the fitted size, and the card's text height after scaling. Prints a table and a
summary and writes ``bench/results/upload.json``.

    .venv/bin/python bench/upload.py [--count 12] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # so that tests.synthetic imports when run as a script

import cv2  # noqa: E402

from dlscan_gui.core.imaging import load_image  # noqa: E402
from dlscan_gui.core.precheck import precheck  # noqa: E402
from tests.synthetic.photos import make_phone_photo  # noqa: E402

TARGET_RATIO = 4.0  # fitted upload at least this many times smaller than the photo
TARGET_PRECHECK_MS = 150.0  # median precheck() time on a decoded 12 MP photo
TARGET_TEXT_PX = 20.0  # text height in the upload


def measure(seed: int, fraction: float, runs: int) -> dict[str, float | int | str]:
    photo = make_phone_photo(seed, card_fraction=fraction)
    t0 = time.perf_counter()
    image = load_image(photo.jpeg, name=f"synthetic-{seed}.jpg")
    decode_ms = (time.perf_counter() - t0) * 1000
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        report = precheck(image)
        times.append((time.perf_counter() - t0) * 1000)
    up = report.upload
    assert up is not None, report.errors
    return {
        "seed": seed,
        "card_fraction": round(fraction, 3),
        "decode_ms": round(decode_ms, 1),
        "precheck_ms": round(statistics.median(times), 1),
        "original_bytes": up.original_bytes,
        "upload_bytes": up.upload_bytes,
        "ratio": round(up.original_bytes / up.upload_bytes, 2),
        "fitted": f"{up.image.width}x{up.image.height}",
        "quality": up.quality if up.quality is not None else "orig",
        "text_px_true": round(photo.text_height_px * up.scale, 1),
        "text_px_estimated": round(report.metrics.text_height_px * up.scale, 1),
        "warnings": ",".join(sorted(f.code for f in report.warnings)) or "-",
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=12, help="number of photos")
    parser.add_argument("--runs", type=int, default=5, help="precheck runs per photo")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "upload.json")
    args = parser.parse_args(argv)

    rows = []
    for i in range(args.count):
        fraction = 0.35 + 0.45 * i / max(1, args.count - 1)
        rows.append(measure(1000 + i, fraction, args.runs))

    header = (
        f"{'seed':>5} {'card':>5} {'decode':>7} {'precheck':>8} {'original':>10} {'upload':>9} "
        f"{'ratio':>6} {'fitted':>10} {'q':>4} {'text est/true':>13}  warnings"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['seed']:>5} {r['card_fraction']:>5.2f} {r['decode_ms']:>5.0f}ms "
            f"{r['precheck_ms']:>6.0f}ms {r['original_bytes']:>10,} {r['upload_bytes']:>9,} "
            f"{r['ratio']:>5.1f}x {r['fitted']:>10} {r['quality']!s:>4} "
            f"{r['text_px_estimated']:>6.1f}/{r['text_px_true']:<6.1f}  {r['warnings']}"
        )

    ratios = [float(r["ratio"]) for r in rows]
    pre = [float(r["precheck_ms"]) for r in rows]
    summary = {
        "photos": len(rows),
        "median_ratio": round(statistics.median(ratios), 2),
        "min_ratio": round(min(ratios), 2),
        "median_precheck_ms": round(statistics.median(pre), 1),
        "p90_precheck_ms": round(percentile(pre, 0.9), 1),
        "median_decode_ms": round(statistics.median(float(r["decode_ms"]) for r in rows), 1),
        "max_upload_bytes": max(int(r["upload_bytes"]) for r in rows),
        "min_text_px": min(float(r["text_px_true"]) for r in rows),
    }
    ok_ratio = summary["min_ratio"] >= TARGET_RATIO
    ok_time = summary["median_precheck_ms"] <= TARGET_PRECHECK_MS
    ok_text = summary["min_text_px"] >= TARGET_TEXT_PX
    print()
    print(
        f"size: median ratio {summary['median_ratio']:.1f}x, min ratio {summary['min_ratio']:.1f}x"
        f" (target >= {TARGET_RATIO:.0f}x: {'OK' if ok_ratio else 'MISSED'}); "
        f"max upload {summary['max_upload_bytes']:,} bytes"
    )
    print(
        f"time: precheck median {summary['median_precheck_ms']:.0f} ms, "
        f"p90 {summary['p90_precheck_ms']:.0f} ms (target <= {TARGET_PRECHECK_MS:.0f} ms: "
        f"{'OK' if ok_time else 'MISSED'}); decode median {summary['median_decode_ms']:.0f} ms"
    )
    print(
        f"text: smallest text height after fitting {summary['min_text_px']:.1f} px "
        f"(target >= {TARGET_TEXT_PX:.0f} px: {'OK' if ok_text else 'MISSED'})"
    )

    args.out.parent.mkdir(parents=True, exist_ok=True)
    env = {
        "python": platform.python_version(),
        "opencv": cv2.__version__,
        "machine": platform.machine(),
        "cpus": cv2.getNumberOfCPUs(),
    }
    targets = {
        "ratio": TARGET_RATIO,
        "precheck_ms": TARGET_PRECHECK_MS,
        "text_px": TARGET_TEXT_PX,
        "met": ok_ratio and ok_time and ok_text,
    }
    result = {"summary": summary, "targets": targets, "environment": env, "photos": rows}
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
