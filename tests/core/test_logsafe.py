from __future__ import annotations

import io
import logging

from dlscan_gui.core.logsafe import RedactingFilter, install, redact

NUMBER = "11999919900307001X"  # synthetic: region 119999 is assigned to nobody


def test_id_numbers_keep_only_first_six_and_last_two():
    assert redact(f"number={NUMBER}.") == "number=119999**********1X."
    assert redact("file 110100123456 ok") == "file 1101******56 ok"


def test_other_numbers_are_left_alone():
    assert redact("took 1234 ms, 2026-05-06, port 8080") == "took 1234 ms, 2026-05-06, port 8080"
    assert redact("1" * 25) == "1" * 25  # a longer digit run is not an ID number


def test_filter_redacts_arguments_of_real_log_records():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    install(handler)
    install(handler)  # idempotent
    assert sum(isinstance(f, RedactingFilter) for f in handler.filters) == 1
    logger = logging.getLogger("dlscan.test.logsafe")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("recognized %s for %s", NUMBER, "张三")
    finally:
        logger.removeHandler(handler)
    assert NUMBER not in stream.getvalue()
    assert "119999**********1X" in stream.getvalue()
