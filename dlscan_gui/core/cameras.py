"""Which cameras this PC has, by the number OpenCV opens them with and, where the OS tells,
their name. Linux names come from sysfs (``/sys/class/video4linux/videoN/name`` is the device
that OpenCV opens as index N). Elsewhere no name is known without a multimedia library, and
the caller shows the number alone."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

SYSFS_VIDEO = Path("/sys/class/video4linux")


@dataclass(frozen=True)
class CameraDevice:
    index: int  # what cv2.VideoCapture(index) opens
    name: str  # the device's own name; "" when the OS does not say


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None


def linux_cameras(sysfs: Path = SYSFS_VIDEO) -> list[CameraDevice]:
    """Video capture nodes under ``sysfs``. A UVC webcam also registers a metadata node
    (``index`` 1, 2, …); only a device's first node (``index`` 0) delivers pictures."""
    found: list[CameraDevice] = []
    try:
        nodes = list(sysfs.glob("video*"))
    except OSError:
        return []
    for node in nodes:
        number = node.name.removeprefix("video")
        if not number.isdigit():
            continue
        if _read(node / "index") not in (None, "0"):
            continue
        found.append(CameraDevice(int(number), _read(node / "name") or ""))
    return sorted(found, key=lambda device: device.index)


def list_cameras(platform: str = sys.platform, sysfs: Path = SYSFS_VIDEO) -> list[CameraDevice]:
    """The cameras the OS names; an empty list where it names none (or on other systems)."""
    if platform.startswith("linux"):
        return linux_cameras(sysfs)
    return []
