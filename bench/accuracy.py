"""Field accuracy of the offline engine vs the naive baseline, on generated licences.

    .venv/bin/python bench/accuracy.py [--n 300] [--start-seed 10000] [--no-baseline]
                                       [--levels hard]

Per degradation level: per-field exact-match accuracy, the share of images with every field
right, and issuing-authority accuracy; the same for the naive baseline (RapidOCR on the whole
photo + label regexes) in the same run. Also the share of images the pre-check warns about
(blurred, glare, card small, …: the window asks for a retake) and the accuracy on the rest,
and the hard level's field accuracy by the values' text size. Writes
bench/results/accuracy.json.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.naive_baseline import NaiveBaseline  # noqa: E402
from bench.results_file import write_results  # noqa: E402
from dlscan_gui.core.errors import DlscanError  # noqa: E402
from dlscan_gui.core.imaging import load_image  # noqa: E402
from dlscan_gui.core.precheck import precheck  # noqa: E402
from dlscan_gui.engines.local.engine import LocalRecognizer  # noqa: E402
from tests.synthetic.degrade import LEVELS  # noqa: E402
from tests.synthetic.licence import make_dataset  # noqa: E402
from tests.synthetic.scoring import compare, compare_merged, flatten  # noqa: E402


def summarise(rows: list[dict]) -> dict:
    """Accuracy over ``rows``, and over the images the pre-check let through without a word
    (the others the window and the CLI ask the clerk to retake)."""
    clean = [r for r in rows if not r["precheck"]]
    return _accuracy(rows) | {
        "precheck_warned": 1 - len(clean) / max(len(rows), 1),
        "precheck_clean": _accuracy(clean) if clean else None,
    }


def _accuracy(rows: list[dict]) -> dict:
    fields = [ok for row in rows for ok in row["fields"].values()]
    authority = [ok for row in rows for key, ok in row["fields"].items()
                 if key.endswith("issuing_authority")]
    per_field: dict[str, list[bool]] = defaultdict(list)
    for row in rows:
        for key, ok in row["fields"].items():
            per_field[key.split(".")[-1]].append(ok)
    return {
        "images": len(rows),
        "field_accuracy": sum(fields) / max(len(fields), 1),
        "all_fields_correct": sum(all(r["fields"].values()) for r in rows) / max(len(rows), 1),
        "issuing_authority": sum(authority) / max(len(authority), 1) if authority else None,
        # A wrong authority is worse than none: count them apart from the omitted ones.
        "issuing_authority_wrong": (sum(r.get("authority_wrong", 0) for r in rows)
                                    / max(len(authority), 1)) if authority else None,
        "per_field": {k: sum(v) / len(v) for k, v in sorted(per_field.items())},
    }


TEXT_SIZES = ((14, 16, "14-15"), (16, 19, "16-18"), (19, 23, "19-22"))


def by_text_size(rows: list[dict]) -> dict[str, dict]:
    """Field accuracy (authority left out: it is printed in the seal, not at the value size)
    per band of the values' em size in the photo."""
    out = {}
    for low, high, name in TEXT_SIZES:
        fields = [ok for r in rows if low <= r["text_px"] < high
                  for key, ok in r["fields"].items() if not key.endswith("issuing_authority")]
        if fields:
            out[name] = {"fields": len(fields), "field_accuracy": sum(fields) / len(fields)}
    return out


def _wrong_authorities(truth: dict, got: dict) -> int:
    """Authorities the engine returned with a different name (not: left out)."""
    expected, actual = flatten(truth), flatten(got)
    return sum(1 for key, value in expected.items() if key.endswith("issuing_authority")
               and actual.get(key) not in (None, value))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--start-seed", type=int, default=10000)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--levels", nargs="+", choices=LEVELS, default=list(LEVELS),
                        help="degradation levels to draw from (default: all, 1:2:1)")
    args = parser.parse_args()

    engine = LocalRecognizer()
    engine.warm_up()
    baseline = None if args.no_baseline else NaiveBaseline(engine.ocr)
    rows: dict[str, list[dict]] = {"engine": [], "naive": []}
    started = time.perf_counter()
    for index, sample in enumerate(make_dataset(args.n, start_seed=args.start_seed,
                                                           levels=tuple(args.levels))):
        image = load_image(sample.jpeg, name=f"synthetic-{sample.seed}")
        try:
            got = engine.recognize(image, return_issuing_authority=True).to_huawei_json()
        except DlscanError:
            got = {}
        checked = precheck(image)
        meta = {"seed": sample.seed, "level": sample.level, "side": sample.side,
                "layout": sample.layout, "seal": sample.seal, "rotation": sample.rotation,
                "text_px": round(sample.text_px, 1),
                "precheck": sorted(f.code for f in (*checked.errors, *checked.warnings))}
        rows["engine"].append({**meta, "fields": compare(sample.truth, got),
                               "authority_wrong": _wrong_authorities(sample.truth, got)})
        if baseline is not None:
            rows["naive"].append({**meta, "fields": compare_merged(sample.truth,
                                                                   baseline.read(image.pixels))})
        if (index + 1) % 25 == 0:
            print(f"  {index + 1}/{args.n} images, {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)

    report: dict = {"n": args.n, "start_seed": args.start_seed}
    for name, engine_rows in rows.items():
        if not engine_rows:
            continue
        levels = sorted({r["level"] for r in engine_rows})
        report[name] = {"all": summarise(engine_rows)} | {
            level: summarise([r for r in engine_rows if r["level"] == level]) for level in levels}
    print(f"{'reader':8} {'level':9} {'images':>6} {'fields':>8} {'all-right':>10} "
          f"{'authority':>10} {'warned':>7} {'fields if not warned':>21}")
    for name in ("engine", "naive"):
        for level, s in report.get(name, {}).items():
            authority = "-" if s["issuing_authority"] is None else f"{s['issuing_authority']:.1%}"
            clean = s["precheck_clean"]
            unwarned = "-" if clean is None else (
                f"{clean['field_accuracy']:.1%} of {clean['images']}")
            print(f"{name:8} {level:9} {s['images']:6d} {s['field_accuracy']:8.1%} "
                  f"{s['all_fields_correct']:10.1%} {authority:>10} "
                  f"{s['precheck_warned']:7.1%} {unwarned:>21}")
    wrong = report["engine"]["all"]["issuing_authority_wrong"]
    if wrong is not None:
        print(f"issuing authority returned with a wrong name (engine, all levels): {wrong:.1%}")
    print("per field (engine, all levels):",
          ", ".join(f"{k} {v:.1%}" for k, v in report["engine"]["all"]["per_field"].items()))
    report["engine_hard_by_text_size"] = by_text_size(
        [r for r in rows["engine"] if r["level"] == "hard"])
    print("hard level by value text size (fields without the authority, engine):",
          ", ".join(f"{size} px {s['field_accuracy']:.1%} of {s['fields']}"
                    for size, s in report["engine_hard_by_text_size"].items()))
    failures = [r for r in rows["engine"] if not all(r["fields"].values())]
    report["engine_failures"] = [
        {**{k: v for k, v in r.items() if k != "fields"},
         "wrong": [k for k, ok in r["fields"].items() if not ok]} for r in failures]
    write_results("accuracy", report)


if __name__ == "__main__":
    main()
