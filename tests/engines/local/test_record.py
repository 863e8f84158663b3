from dlscan_gui.engines.local.record import (
    PROBATION,
    RENEWAL,
    is_record_sentence,
    normalize_record,
    normalize_sentence,
    with_front_dates,
)


def test_exact_sentences_pass_through() -> None:
    lines = ["请于每年的08月提交身体条件证明。", "请于2016年08月05日前九十日内申请换领新驾驶证。"]
    assert normalize_record(lines) == "".join(lines)


def test_misread_characters_and_missing_stop_are_put_back() -> None:
    assert (normalize_sentence("请于2030年02月24日前九十日内申请换锁新驾驶证")
            == "请于2030年02月24日前九十日内申请换领新驾驶证。")
    assert normalize_sentence("≈实习期至2018年09月26日") == "实习期至2018年09月26日。"
    assert normalize_sentence("增驾实习期至2019年01月02日。") == "增驾实习期至2019年01月02日。"


def test_a_speck_read_as_a_symbol_is_no_sentence() -> None:
    # Seed 79031 (hard back page): "≈实习期至2021年04月17日。"
    assert normalize_record(["≈实习期至2021年04月17日。"]) == "实习期至2021年04月17日。"
    sentence = "请于每年的03月提交身体条件证明。"
    assert normalize_record([sentence + "-"]) == sentence
    assert normalize_record(["B2实习期至2021年04月17日。"]).startswith("B2")  # letters stay


def test_a_stray_digit_is_dropped_where_only_one_drop_fits() -> None:
    # Seed 77149 (hard): the month read "902"; only 02 is a month.
    fitted = normalize_record(["请于每年的902月提交身体条件证明。"])
    assert fitted == "请于每年的02月提交身体条件证明。"
    # "108" could be 08 or 10, "20128" 2012, 2018 or 2028, "913" no month: kept as read.
    for garbled in ("请于2030年03月108日前九十日内申请换领新驾驶证。",
                    "请于20128年03月08日前九十日内申请换领新驾驶证。",
                    "请于每年的913月提交身体条件证明。"):
        assert normalize_record([garbled]) == garbled


def test_two_sentences_on_one_line_are_split() -> None:
    assert (normalize_record(["请于每年的03月提交身体条件证明。实习期至2020年07月25日"])
            == "请于每年的03月提交身体条件证明。实习期至2020年07月25日。")


def test_unknown_text_and_broken_digits_are_kept_as_read() -> None:
    # Digits that do not make a date cannot be trusted to fill the template.
    assert normalize_sentence("实习期平1年10月23日") == "实习期平1年10月23日"
    assert normalize_sentence("请于2030年13月24日前九十日内申请换领新驾驶证。") == (
        "请于2030年13月24日前九十日内申请换领新驾驶证。")
    # Text we have no template for stays exactly as printed.
    assert normalize_sentence("累积记分周期内已满12分。") == "累积记分周期内已满12分。"
    assert normalize_sentence("请于每年提交证明") == "请于每年提交证明"


def test_record_sentences_are_recognised_without_their_label() -> None:
    from dlscan_gui.engines.local.record import is_record_sentence

    assert is_record_sentence("请于2026年03月19日前九十日内申请换领新驾驶证")
    assert is_record_sentence("实习期至2021年06月09日。")
    assert not is_record_sentence("530103198910073554")
    assert not is_record_sentence("中华人民共和国机动车驾驶证副页")


def test_two_sentences_on_one_line_without_the_full_stop_between() -> None:
    # The full stop between the sentences did not read: each sentence still finds its template.
    line = ("请于每年的01月提交身体正明请于2020年05月28日前九十日内申请换领新驾驶证。"
            "实习期至2015年05月28日。")
    assert normalize_record([line]) == ("请于每年的01月提交身体条件证明。"
                                        "请于2020年05月28日前九十日内申请换领新驾驶证。"
                                        "实习期至2015年05月28日。")
    # 增驾实习期至 is one sentence, not 增驾 + 实习期至.
    assert normalize_record(["增驾实习期至2012年09月28日。"]) == "增驾实习期至2012年09月28日。"
    # Five of 22 characters misread in the renewal sentence: still that sentence.
    assert (normalize_record(["请于2030年02月28日前九十日内中请决法新驾管证"])
            == "请于2030年02月28日前九十日内申请换领新驾驶证。")
    # A sentence wrapped onto the next line is cut from the lines joined; a stray mark before
    # a sentence is no sentence of its own.
    wrapped = ["请于每年的01月提交身体", "正明请于2020年05月28日前九十日内申请换领新驾驶证。"]
    assert normalize_record(wrapped) == ("请于每年的01月提交身体条件证明。"
                                         "请于2020年05月28日前九十日内申请换领新驾驶证。")
    stray = "≈请于每年的07月提交身体条件证明。"
    assert normalize_record([stray]) == stray[1:]


def test_a_sentence_cut_off_after_its_date_is_completed() -> None:
    # Seed 60021 (hard): the detector lost the end of the first line; the second sentence's
    # 期至 read as 都量. "请于<full date>" only ever opens the renewal sentence.
    assert normalize_record(["请于2028年11月24日数九", "实习都量2023年11月24日"]) == (
        "请于2028年11月24日前九十日内申请换领新驾驶证。实习期至2023年11月24日。")
    # Without the whole date (and what follows it) nothing is completed.
    assert normalize_record(["请于2028年11月"]) == "请于2028年11月"
    assert normalize_record(["请于2028年11月24"]) == "请于2028年11月24"


def test_sentences_whose_full_stop_was_lost_are_split_at_their_last_words() -> None:
    # Seed 30100 (hard): no full stop after 驾驶证, and 实习 read as 实与.
    read = "请于2027年03月11日前九十日内中请换领新驾驶证实与期至2022年03月11日"
    assert normalize_record([read]) == (
        "请于2027年03月11日前九十日内申请换领新驾驶证。实习期至2022年03月11日。")
    read = "请于每年的08月提交身体条件证明请于2026年02月07日前九十日内申请换领新驾驶证。"
    assert normalize_record([read]) == (
        "请于每年的08月提交身体条件证明。请于2026年02月07日前九十日内申请换领新驾驶证。")


def test_what_is_left_of_the_label_is_dropped() -> None:
    # Seed 30138 (hard): 记录 read as 记, glued to the sentence.
    assert normalize_record(["记请于2026年02月07日前九十日内申请换领新驾驶证。"]) == (
        "请于2026年02月07日前九十日内申请换领新驾驶证。")
    assert normalize_record(["记者"]) == "记者"  # no sentence after it: kept as read
    # Two or three characters of it, misread (记量≈), go too; 增 or 驾 is 增驾实习期's start.
    assert normalize_record(["记量≈实习期至2020年01月01日。"]) == "实习期至2020年01月01日。"
    assert normalize_record(["驾实习期至2020年01月01日。"]) == "增驾实习期至2020年01月01日。"


def test_a_sentence_after_what_is_left_of_the_label_is_still_a_record_sentence() -> None:
    # 77103 (hard back page): the 记录 label read as 录, glued to a sentence cut off after its
    # date; with no label to anchor it, the line must still count as the record's.
    assert is_record_sentence("录请于2027年12月23日新九十日内公")
    assert not is_record_sentence("录取通知书")


def test_a_sentence_too_garbled_for_its_template_takes_the_date_the_front_implies():
    dates = {RENEWAL: "2024-06-16", PROBATION: "2018-10-30"}
    # Cut off after 九十日 and its year's 2 lost: the front's end date is 2024-06-16.
    assert with_front_dates("请于204年06月16日前九十日", dates) == \
        "请于2024年06月16日前九十日内申请换领新驾驶证。"
    # Digits far from the front's date: kept as read.
    assert with_front_dates("请于19年01月01日前九十", dates) == "请于19年01月01日前九十"


def test_a_sentence_that_reads_as_its_template_keeps_its_own_date():
    # The front's date may be the misread one.
    dates = {RENEWAL: "2024-06-16"}
    text = "请于2024年06月18日前九十日内申请换领新驾驶证。"
    assert with_front_dates(text, dates) == text


def test_a_probation_sentence_without_its_opening_words_takes_the_renewals_date() -> None:
    # 77048 (hard back page): 实习期 lost, "至2023年12月28日。" left. A first licence's renewal
    # falls 5 years after its probation ends: the record's own renewal date vouches for it.
    renewal = "请于2028年12月28日前九十日内申请换领新驾驶证。"
    assert normalize_record([renewal + "至2023年12月28日。"]) == (
        renewal + "实习期至2023年12月28日。")
    # 增驾实习期 (a later period's) is never 5 years before the renewal; a date a day off, or
    # no renewal sentence to compare with, and the sentence stays as read.
    later = "请于2027年07月07日前九十日内申请换领新驾驶证。"
    assert normalize_record([later + "至2018年07月07日。"]) == later + "至2018年07月07日。"
    assert normalize_record([renewal + "至2023年12月29日。"]) == renewal + "至2023年12月29日。"
    assert normalize_record(["至2023年12月28日。"]) == "至2023年12月28日。"


def test_a_garbled_renewal_sentence_takes_its_template_from_the_probation_date() -> None:
    # 70082 (hard back page): the renewal sentence's words garbled, its date whole; the
    # probation sentence beside it ends 5 years before that date, as a first licence's does.
    garbled = "请于2029年05月12日前入十日内中消换频新年批证"
    assert normalize_record([garbled + "实习期至2024年05月12日。"]) == (
        "请于2029年05月12日前九十日内申请换领新驾驶证。实习期至2024年05月12日。")
    # 增驾实习期 implies nothing of the renewal date.
    assert normalize_record([garbled + "增驾实习期至2024年05月12日。"]) == (
        garbled + "增驾实习期至2024年05月12日。")
