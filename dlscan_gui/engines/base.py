"""The Recognizer contract every engine implements (Huawei Cloud, a compatible server, offline)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from dlscan_gui.core.schema import RecognitionResult, Side

if TYPE_CHECKING:
    from dlscan_gui.core.imaging import LoadedImage


@dataclass(frozen=True)
class ImageUrl:
    """An image the service fetches itself (the API's ``url`` mode)."""

    url: str


@runtime_checkable
class Recognizer(Protocol):
    """``recognize`` returns a whole result or raises a ``RecognitionError`` subclass; it never
    returns half a result silently. Implementations are safe to call from a worker thread."""

    name: str

    def recognize(
        self,
        image: LoadedImage | ImageUrl,
        *,
        side: Side = Side.AUTO,
        return_issuing_authority: bool = False,
        return_text_location: bool = False,
    ) -> RecognitionResult: ...
