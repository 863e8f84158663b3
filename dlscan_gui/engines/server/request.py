"""The API's request body, checked as Huawei checks it: each problem is the error code the
cloud service gives for it (malformed JSON ModelArts.4105, image and url both or neither
AIS.0101, bad base64 AIS.0102, size out of range AIS.0103, unreadable image AIS.0104)."""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any

from dlscan_gui.core.errors import ImageError
from dlscan_gui.core.imaging import LoadedImage, decode_image
from dlscan_gui.core.precheck import MAX_BASE64, MAX_SIDE, MIN_SIDE  # the API's limits
from dlscan_gui.core.schema import Side

_WHITESPACE = re.compile(rb"\s+")


class RequestError(Exception):
    """A request the API refuses: its ``error_code``, a short English ``error_msg`` (never
    the request's data) and the HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


@dataclass(frozen=True)
class RecognizeRequest:
    image: bytes | None  # decoded from base64; None when ``url`` is given
    url: str | None
    side: Side
    return_issuing_authority: bool
    return_text_location: bool


def parse_body(body: bytes) -> RecognizeRequest:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise RequestError("ModelArts.4105", "The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise RequestError("ModelArts.4105", "The request body must be a JSON object.")
    image, url = data.get("image"), data.get("url")
    has_image, has_url = image not in (None, ""), url not in (None, "")
    if has_image == has_url:
        raise RequestError("AIS.0101", "Give exactly one of image and url.")
    side = _side(data.get("side"))
    authority = _flag(data, "return_issuing_authority")
    location = _flag(data, "return_text_location")
    if has_url:
        if not isinstance(url, str):
            raise RequestError("AIS.0101", "url must be a string.")
        return RecognizeRequest(None, url.strip(), side, authority, location)
    if not isinstance(image, str):
        raise RequestError("AIS.0102", "image must be a base64 string.")
    if len(image) > MAX_BASE64:
        raise RequestError("AIS.0103", "The base64 image is larger than 10 MB.")
    return RecognizeRequest(_base64(image), None, side, authority, location)


def _side(value: Any) -> Side:
    """Absent or empty: ``auto`` (our extension; Huawei reads the front then)."""
    if value in (None, ""):
        return Side.AUTO
    if isinstance(value, str):
        try:
            return Side(value.strip().lower())
        except ValueError:
            pass
    raise RequestError("AIS.0101", "side must be front, back, double_side or auto.")


def _flag(data: dict[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):  # the API: a non-Boolean is an invalid parameter
        raise RequestError("AIS.0101", f"{key} must be true or false.")
    return value


def _base64(text: str) -> bytes:
    try:
        raw = _WHITESPACE.sub(b"", text.encode("ascii"))  # line-wrapped base64 is still base64
        return base64.b64decode(raw, validate=True)
    except (UnicodeEncodeError, binascii.Error, ValueError):
        raise RequestError("AIS.0102", "image is not valid base64.") from None


def decode(data: bytes) -> LoadedImage:
    """The image the bytes hold, within the API's size limits."""
    try:
        image = decode_image(data, name="request")
    except ImageError as error:
        if error.code == "DLSCAN.IMAGE_TOO_LARGE":
            raise RequestError("AIS.0103", "The image is too large.") from None
        raise RequestError(
            "AIS.0104", "The image is not a JPEG, PNG, BMP or TIFF image that can be decoded."
        ) from None
    if min(image.width, image.height) < MIN_SIDE or max(image.width, image.height) > MAX_SIDE:
        raise RequestError(
            "AIS.0103", f"The image's sides must be {MIN_SIDE} to {MAX_SIDE} px."
        )
    return image
