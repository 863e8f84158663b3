"""A name both pages print, read once from both crops where the pages disagree."""

from __future__ import annotations

from dlscan_gui.core.imaging import load_image
from dlscan_gui.engines.local.name_agree import _candidates
from tests.synthetic.licence import make_dataset


def test_readings_of_one_length_are_mixed_position_by_position():
    assert sorted(_candidates("龚湾", "我鸿")) == sorted(["龚湾", "龚鸿", "我湾", "我鸿"])
    assert _candidates("白梓", "白样") == ["白梓", "白样"]


def test_readings_of_different_lengths_or_too_far_apart_are_not_mixed():
    assert _candidates("汪怡", "注别女") == ["汪怡", "注别女"]
    assert _candidates("甲乙丙丁戊", "子丑寅卯辰") == ["甲乙丙丁戊", "子丑寅卯辰"]


def test_the_pages_agree_on_the_name_their_crops_show_together(booklet_names):
    # Seed 70048 (hard, both pages): the back's blurred name read as 纯器, the front's right.
    truth, front, back = booklet_names(70048)
    assert front == back == truth


def test_a_text_with_no_surname_does_not_win_the_pages_over(local_engine):
    # Seed 77092 (hard, both pages): the front reads 廖锋, the back 摩锋, and the two crops
    # together favour 摩锋 a little. No family name uses 摩: the front keeps the right name
    # rather than both pages taking the wrong one.
    generated = next(make_dataset(1, start_seed=77092, levels=("hard",)))
    result = local_engine.recognize(load_image(generated.jpeg))
    assert generated.truth["front"]["name"] == "廖锋"
    assert result.front.get("name") == "廖锋"


def test_a_crop_holding_more_than_its_name_is_left_out_and_the_other_decides(booklet_names):
    # Seed 77033 (hard, both pages): the front reads 曹嘉美; the back read 我美, and its crop
    # reads as three characters (曹品美), so it cannot be scored against the name. The front's
    # crop alone shows 曹嘉美 far better than 我美: both pages take it.
    assert booklet_names(77033) == ("曹嘉美", "曹嘉美", "曹嘉美")


def test_a_crop_reading_more_is_read_again_as_its_line_was_cut(booklet_names):
    # Seed 77089 (hard, both pages): the front read 南安, the back 谢安. The front's crop holds
    # the 性别 label too and is left out. The back's crop with its margin reads 一谢安 (the
    # label's dash), so it was left out as well and nothing was scored. Cut as its line was,
    # it reads 谢安 and decides: both pages take 谢安.
    assert booklet_names(77089) == ("谢安", "谢安", "谢安")
