from __future__ import annotations

import json

import cv2
import numpy as np

from dlscan_gui.cli import main


def run(capsys, argv):
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def write(path, image):
    assert cv2.imwrite(str(path), image)
    return str(path)


def test_sendable_image_reports_its_upload(tmp_path, capsys):
    image = np.full((600, 900, 3), 230, np.uint8)
    cv2.putText(image, "SYNTHETIC", (100, 300), cv2.FONT_HERSHEY_SIMPLEX, 3, (0, 0, 0), 5)
    path = write(tmp_path / "synthetic.png", image)
    code, out, _ = run(capsys, ["check", path])
    assert code == 0
    assert "900×600" in out and "can send" in out and "upload:" in out


def test_too_small_cannot_be_sent(tmp_path, capsys):
    path = write(tmp_path / "synthetic-tiny.png", np.full((60, 80, 3), 200, np.uint8))
    code, out, _ = run(capsys, ["check", path, "--format", "json"])
    assert code == 1
    report = json.loads(out)
    assert report["can_send"] is False
    assert report["errors"][0]["code"] == "image.too_small"


def test_bad_inputs_fail_without_stopping_the_rest(tmp_path, bad_inputs, capsys):
    good = write(tmp_path / "synthetic.jpg", np.full((600, 900, 3), 128, np.uint8))
    code, out, err = run(capsys, ["check", str(bad_inputs["huge_png"]), good,
                                  str(bad_inputs["corrupt_jpeg"]), "--format", "json"])
    assert code == 1
    reports = json.loads(out)
    assert [r.get("error_code") for r in reports] == [
        "DLSCAN.IMAGE_TOO_LARGE", None, "DLSCAN.IMAGE_CORRUPT"]
    assert reports[1]["can_send"] is True
    assert len(err.strip().splitlines()) == 2 and "Traceback" not in err
