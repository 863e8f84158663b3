from __future__ import annotations

import socket

import pytest


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("the offline engine tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def booklet_names(local_engine):
    """Reads the hard opened booklet of a seed: (the printed name, the front's name as read,
    the back's name as read)."""
    from dlscan_gui.core.imaging import load_image
    from tests.synthetic.licence import make_sample

    def read(seed: int) -> tuple[str, str | None, str | None]:
        generated = make_sample(seed, side="double_side", level="hard")
        result = local_engine.recognize(load_image(generated.jpeg))
        return generated.truth["front"]["name"], result.front.get("name"), result.back.get("name")

    return read
