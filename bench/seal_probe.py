"""The seal reader alone: issuing authority read from the front pages of generated licences.

    .venv/bin/python bench/seal_probe.py [--n 200] [--start-seed 50000] [--seal round]
                                         [--levels flat moderate hard]

Each sample is a front page, flattened with its true corners (so that only the seal reader is
measured, not the card finder), and read by ``read_seal``. Per level and seal shape: answers
right, wrong (a name that is not the seal's: the one outcome that must stay near zero) and
omitted, how many answers came with a check-it warning (``looks``: only several looks agreed;
``addr``: the seal's likeliest city, taken because the address names it; the address
given is the one printed, as if read right), and the median and p90 time per seal. With
``--no-address`` the reader gets no address. Writes bench/results/seal_probe.json.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.results_file import write_results  # noqa: E402
from dlscan_gui.core.card import rectify  # noqa: E402
from dlscan_gui.engines.local.ocr import OcrRunner  # noqa: E402
from dlscan_gui.engines.local.seal import read_seal  # noqa: E402
from tests.synthetic.licence import make_sample  # noqa: E402


def probe(seeds: range, level: str, seal: str | None, ocr: OcrRunner,
          verbose: bool, with_address: bool) -> list[dict]:
    rows = []
    for seed in seeds:
        sample = make_sample(seed, side="front", level=level, seal=seal)
        page = rectify(sample.image, sample.page_corners[0]).image
        started = time.perf_counter()
        address = sample.truth["address"] if with_address else None
        found = read_seal(page, ocr, address)
        seconds = time.perf_counter() - started
        truth = sample.truth["issuing_authority"]
        got = found[0] if found else None
        outcome = "omitted" if got is None else "right" if got == truth else "wrong"
        rows.append({"seed": seed, "level": level, "seal": sample.seal, "truth": truth,
                     "got": got, "outcome": outcome, "seconds": seconds,
                     # given with a warning: only several looks together read it, ...
                     "warned": bool(found and not found.borne_out and not found.by_address),
                     # ... or it is the likeliest and the address names its city
                     "by_address": bool(found and found.by_address)})
        if verbose and outcome != "right":
            print(f"  {seed} {level} {sample.seal}: {outcome} {got or ''} (truth {truth})")
    return rows


def summarise(rows: list[dict]) -> dict:
    counts = {k: sum(r["outcome"] == k for r in rows) for k in ("right", "wrong", "omitted")}
    seconds = [r["seconds"] for r in rows]
    return {
        "seals": len(rows),
        **counts,
        "warned": sum(r["warned"] for r in rows),
        "by_address": sum(r["by_address"] for r in rows),
        "accuracy": counts["right"] / max(len(rows), 1),
        "median_s": float(np.median(seconds)) if seconds else None,
        "p90_s": float(np.percentile(seconds, 90)) if seconds else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=200, help="seals per level")
    parser.add_argument("--start-seed", type=int, default=50000)
    parser.add_argument("--seal", choices=("square", "round"), default=None,
                        help="force one shape (default: as the generator draws, 80%% square)")
    parser.add_argument("--levels", nargs="+", default=["flat", "moderate", "hard"])
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    parser.add_argument("--no-address", action="store_true",
                        help="read the seal alone, without the page's address")
    args = parser.parse_args()

    ocr = OcrRunner()
    ocr.warm_up()
    seeds = range(args.start_seed, args.start_seed + args.n)
    rows: list[dict] = []
    for level in args.levels:
        rows += probe(seeds, level, args.seal, ocr, args.verbose, not args.no_address)
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row["level"]].append(row)
        groups[f"{row['level']}/{row['seal']}"].append(row)
        groups[f"all/{row['seal']}"].append(row)
        groups["all"].append(row)
    report = {key: summarise(group) for key, group in sorted(groups.items())}
    print(f"{'group':<18}{'seals':>6}{'right':>7}{'wrong':>7}{'omit':>6}{'looks':>7}{'addr':>6}"
          f"{'acc':>8}{'med s':>8}{'p90 s':>8}")
    for key, s in report.items():
        print(f"{key:<18}{s['seals']:>6}{s['right']:>7}{s['wrong']:>7}{s['omitted']:>6}"
              f"{s['warned']:>7}{s['by_address']:>6}{s['accuracy']:>8.1%}{s['median_s']:>8.3f}"
              f"{s['p90_s']:>8.3f}")
    write_results("seal_probe", {"args": vars(args), "summary": report, "rows": rows})


if __name__ == "__main__":
    main()
