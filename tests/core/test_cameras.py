"""Camera names from a fake sysfs tree laid out like Linux's /sys/class/video4linux."""

from __future__ import annotations

from dlscan_gui.core.cameras import CameraDevice, linux_cameras, list_cameras


def add_node(root, number, name=None, index=None):
    node = root / f"video{number}"
    node.mkdir(parents=True)
    if name is not None:
        (node / "name").write_text(name + "\n", encoding="utf-8")
    if index is not None:
        (node / "index").write_text(f"{index}\n", encoding="utf-8")


def test_names_by_index_without_metadata_nodes(tmp_path):
    add_node(tmp_path, 0, "Integrated Camera: Integrated C", index=0)
    add_node(tmp_path, 1, "Integrated Camera: Integrated C", index=1)  # metadata node
    add_node(tmp_path, 10, "USB 文档摄像头", index=0)
    add_node(tmp_path, 2, "Logitech BRIO", index=0)
    assert linux_cameras(tmp_path) == [
        CameraDevice(0, "Integrated Camera: Integrated C"),
        CameraDevice(2, "Logitech BRIO"),
        CameraDevice(10, "USB 文档摄像头"),
    ]


def test_a_node_without_name_or_index_still_counts(tmp_path):
    add_node(tmp_path, 3)
    (tmp_path / "vbi0").mkdir()  # not a video node
    (tmp_path / "videoX").mkdir()
    assert linux_cameras(tmp_path) == [CameraDevice(3, "")]


def test_no_sysfs_means_no_cameras(tmp_path):
    assert linux_cameras(tmp_path / "missing") == []


def test_other_systems_name_none(tmp_path):
    add_node(tmp_path, 0, "Some camera", index=0)
    assert list_cameras("win32", tmp_path) == []
    assert list_cameras("linux", tmp_path) == [CameraDevice(0, "Some camera")]
