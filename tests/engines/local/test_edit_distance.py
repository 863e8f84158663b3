from dlscan_gui.engines.local.edit_distance import edit_distance


def test_edit_distance() -> None:
    assert edit_distance("出生日期", "出生日期") == 0
    assert edit_distance("出生品路", "出生日期") == 2  # two substitutions
    assert edit_distance("次领证日", "初次领证日期") == 2  # a character lost at each end
    assert edit_distance("", "记录") == 2
    assert edit_distance("档案编号", "") == 4
