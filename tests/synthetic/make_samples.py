"""Write the synthetic sample licences bundled with the app to ``resources/samples/``.

    .venv/bin/python -m tests.synthetic.make_samples [--out DIR]
    .venv/bin/python tests/synthetic/make_samples.py [--out DIR]

Each sample is a JPEG (with a COM marker saying it is synthetic) and a JSON file with its
ground truth. The seeds are searched from fixed starting points for pictures that read well
and stay small, so the output is the same on every run (given the same Pillow and OpenCV).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from itertools import count
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if __package__ in (None, ""):  # run as a file: make the repository importable
    sys.path.insert(0, str(ROOT))

from tests.synthetic.licence import Sample, make_sample, save_sample  # noqa: E402

OUT = ROOT / "resources" / "samples"
MAX_BYTES = 400_000
# A fixed date, so the output never changes: the bundled licences stay valid until at least
# then, and a new user's first "Try a sample" does not open on an expired licence.
VALID_UNTIL_AT_LEAST = "2031-01-01"

README = """\
# Sample licences (synthetic)

Every image here is **synthetic**: drawn by `tests/synthetic/make_samples.py` with the
generator in `tests/synthetic/licence.py`. No real person or real licence is shown. Names,
addresses, ID numbers (random, with a valid GB 11643 check digit), file numbers and
records are random; the photo is a drawn silhouette. Each JPEG carries the comment
"dlscan synthetic test image, not a real licence", and each has a `.json` file beside it
with its exact ground truth (`truth`, in the Huawei result schema) and the boxes where the
values were printed.

| file | what |
|---|---|
| `synthetic-front.jpg` | 主页 (front page), counter photo |
| `synthetic-back.jpg` | 副页 (back page), counter photo |
| `synthetic-double-side.jpg` | both pages in the opened wallet, counter photo |
| `synthetic-front-scan.jpg` | 主页, flat scan |

Regenerate with `.venv/bin/python -m tests.synthetic.make_samples`.
"""


def _first(start: int, build: Callable[[int], Sample], ok: Callable[[Sample], bool]) -> Sample:
    for seed in count(start):
        sample = build(seed)
        if ok(sample):
            return sample
        if seed > start + 200:
            raise RuntimeError("no suitable seed found")
    raise AssertionError("unreachable")


def _nice(sample: Sample, text_px: tuple[float, float]) -> bool:
    """Small enough to bundle, legible, upright, and a back page with something recorded."""
    back = sample.truth.get("back", sample.truth)
    front = sample.truth.get("front", sample.truth)
    valid_to = front.get("valid_to", "长期")
    return (len(sample.jpeg) <= MAX_BYTES - 200
            and (valid_to == "长期" or valid_to >= VALID_UNTIL_AT_LEAST)
            and text_px[0] <= sample.text_px <= text_px[1]
            and sample.rotation == 0
            and back.get("record", "-") != "")


def make_all(out: Path = OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    jobs = [
        ("synthetic-front", 100,
         lambda s: make_sample(s, side="front", level="moderate", layout="new", seal="square"),
         (26, 32)),
        ("synthetic-back", 200,
         lambda s: make_sample(s, side="back", level="moderate"), (26, 32)),
        ("synthetic-double-side", 300,
         lambda s: make_sample(s, side="double_side", level="moderate"), (22, 28)),
        ("synthetic-front-scan", 400,
         lambda s: make_sample(s, side="front", level="flat"), (26, 36)),
    ]
    paths = []
    for stem, start, build, text_px in jobs:
        sample = _first(start, build, lambda s, t=text_px: _nice(s, t))
        paths.append(save_sample(sample, out, stem))
    (out / "README.md").write_text(README, encoding="utf-8")
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT,
                        help="folder to write (default: %(default)s)")
    args = parser.parse_args()
    for path in make_all(args.out):
        print(f"{path}  {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
