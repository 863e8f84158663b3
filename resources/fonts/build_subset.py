"""Build the fonts shipped in this folder: Noto Sans/Serif CJK SC (SIL OFL 1.1) cut down to
ASCII, CJK punctuation, full-width forms and the 6,763 hanzi of GB 2312. The Sans Regular one
lets the window show Chinese on counter PCs that have no CJK font installed (other characters
fall back to the system's fonts); all of them let the synthetic licence generator print cards
in several typefaces without any system font.

    pip install fonttools
    python resources/fonts/build_subset.py /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \
        "Noto Sans CJK SC" NotoSansSC-Regular-GB2312.otf

(Debian package fonts-noto-cjk; likewise NotoSansCJK-Bold.ttc and NotoSerifCJK-Regular.ttc.)
Not needed at run time; the output is committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

HERE = Path(__file__).resolve().parent


def gb2312_characters() -> str:
    chars = []
    for row in range(0xB0, 0xF8):  # GB 2312 hanzi rows
        for cell in range(0xA1, 0xFF):
            try:
                chars.append(bytes([row, cell]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(chars)


def wanted_text() -> str:
    ascii_ = "".join(chr(c) for c in range(0x20, 0x7F))
    punctuation = "".join(chr(c) for c in range(0x3000, 0x3040))
    fullwidth = "".join(chr(c) for c in range(0xFF01, 0xFF5F))
    extra = "·—–…‘’“”•×÷°±√→←↑↓✓✗▲▼●○■□★☆①②③④⑤"
    return ascii_ + punctuation + fullwidth + extra + gb2312_characters()


def main(source: str, family: str, output: str) -> None:
    collection = TTCollection(source)
    font = next(f for f in collection.fonts if f["name"].getDebugName(1).startswith(family))
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=wanted_text())
    subsetter.subset(font)
    out = HERE / output
    font.save(out)
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
