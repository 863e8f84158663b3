"""Logging that cannot leak an ID number: every record passes through a filter that masks
18-digit licence/ID numbers (keeping the first 6 and last 2 characters) and 12-digit file
numbers, whatever a caller put in the message or its arguments."""

from __future__ import annotations

import logging
import re

# 17 digits + check character, or a 12-digit file number, not inside a longer digit run.
_ID = re.compile(r"(?<![0-9])([0-9]{6})[0-9]{10}([0-9][0-9Xx])(?![0-9Xx])")
_FILE_NUMBER = re.compile(r"(?<![0-9])([0-9]{4})[0-9]{6}([0-9]{2})(?![0-9])")


def redact(text: str) -> str:
    text = _ID.sub(lambda m: f"{m.group(1)}{'*' * 10}{m.group(2)}", text)
    return _FILE_NUMBER.sub(lambda m: f"{m.group(1)}{'*' * 6}{m.group(2)}", text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = redact(message), None
        return True


def install(handler: logging.Handler | None = None) -> None:
    """Add the filter to ``handler``, or to every handler of the root logger."""
    handlers = [handler] if handler is not None else logging.getLogger().handlers
    for target in handlers:
        if not any(isinstance(f, RedactingFilter) for f in target.filters):
            target.addFilter(RedactingFilter())
