"""One dlscan per user: a second launch (a double-click, "Open with dlscan") hands its files to
the running window and brings it to the front, instead of loading the models a second time.

The running instance listens on a local socket (a named pipe on Windows, a socket file on Unix)
whose name is per user and per settings directory, so two users on one terminal server, or a
portable copy with its own settings, do not meet. The message is one line of JSON
(``{"paths": [...]}``); the answer ``ok`` tells the newcomer it may exit.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import sys

from PySide6.QtCore import QByteArray, QObject, Qt, Signal, Slot
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

from dlscan_gui.core.settings import config_dir

log = logging.getLogger(__name__)

ACK = b"ok\n"
MAX_MESSAGE = 1 << 20  # a very long list of paths, still bounded
TIMEOUT_MS = 5000


def server_name() -> str:
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name in the environment nor in the user database
        user = "?"
    key = f"{user}\n{config_dir()}".encode()
    return "dlscan-" + hashlib.sha256(key).hexdigest()[:16]


def encode(paths: list[str]) -> bytes:
    return json.dumps({"paths": paths}, ensure_ascii=False).encode("utf-8") + b"\n"


def decode(line: bytes) -> list[str]:
    """The paths in a message; nothing for a malformed one (it comes from outside)."""
    try:
        data = json.loads(line.decode("utf-8"))
    except ValueError:
        return []
    paths = data.get("paths") if isinstance(data, dict) else None
    if not isinstance(paths, list):
        return []
    return [p for p in paths if isinstance(p, str)]


def hand_off(name: str, paths: list[str], timeout_ms: int = TIMEOUT_MS) -> bool:
    """Give ``paths`` to the instance listening on ``name``; True once it has taken them.
    False when none is running, or it does not answer (hung): then the caller starts anew."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    _allow_foreground()
    socket.write(QByteArray(encode(paths)))
    socket.flush()
    answer = b""
    while ACK not in answer and socket.waitForReadyRead(timeout_ms):
        answer += socket.readAll().data()
    socket.disconnectFromServer()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        socket.waitForDisconnected(1000)
    return ACK in answer


def _allow_foreground() -> None:
    """Windows lets only the foreground process (this newcomer, just double-clicked) hand the
    foreground on; without this the running window would only flash in the taskbar."""
    if sys.platform == "win32":
        import ctypes

        ctypes.windll.user32.AllowSetForegroundWindow(-1)  # ASFW_ANY


def _alive(name: str) -> bool:
    socket = QLocalSocket()
    socket.connectToServer(name)
    alive = socket.waitForConnected(1000)
    socket.abort()
    return alive


class _Connection(QObject):
    """One newcomer's message, read as it arrives."""

    received = Signal(list)
    done = Signal(QObject)

    def __init__(self, socket: QLocalSocket, parent: QObject) -> None:
        super().__init__(parent)
        self._socket = socket
        self._buffer = b""
        socket.setParent(self)
        socket.readyRead.connect(self._read)
        socket.disconnected.connect(self._finish)

    @Slot()
    def _read(self) -> None:
        self._buffer += self._socket.readAll().data()
        if b"\n" in self._buffer:
            line = self._buffer.split(b"\n", 1)[0]
            self._socket.write(QByteArray(ACK))
            self._socket.flush()
            self.received.emit(decode(line))
            self._socket.disconnectFromServer()
        elif len(self._buffer) > MAX_MESSAGE:
            self._socket.abort()

    @Slot()
    def _finish(self) -> None:
        self.done.emit(self)


class InstanceServer(QObject):
    """The running instance's end: ``activated`` carries the paths another launch passed."""

    activated = Signal(list)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server = QLocalServer(self)
        # Only this user may connect (the socket file's mode, the pipe's ACL).
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_connection)
        self._connections: set[QObject] = set()

    def listen(self) -> bool:
        """Start listening; a name left by a crashed instance (a stale socket file) is
        removed first. False when another live instance holds the name."""
        # Asked first, because listening would not fail: Qt replaces a socket file it finds
        # (UserAccessOption) and Windows adds another instance of the pipe.
        if _alive(self.name):
            log.warning("single instance: another dlscan already answers; not listening")
            return False
        if self._server.listen(self.name):
            return True
        if self._server.serverError() == QAbstractSocket.SocketError.AddressInUseError:
            log.info("removing a stale single-instance socket")
            QLocalServer.removeServer(self.name)
            if self._server.listen(self.name):
                return True
        log.warning("single instance: cannot listen (%s)", self._server.errorString())
        return False

    def is_listening(self) -> bool:
        return self._server.isListening()

    def close(self) -> None:
        self._server.close()

    @Slot()
    def _on_connection(self) -> None:
        while self._server.hasPendingConnections():
            connection = _Connection(self._server.nextPendingConnection(), self)
            connection.received.connect(self.activated)
            connection.done.connect(self._forget)
            self._connections.add(connection)

    @Slot(QObject)
    def _forget(self, connection: QObject) -> None:
        self._connections.discard(connection)
        connection.deleteLater()


def bring_to_front(window: QWidget) -> None:
    """Show, un-minimize, raise and activate ``window``."""
    state = window.windowState() & ~Qt.WindowState.WindowMinimized
    window.setWindowState(state | Qt.WindowState.WindowActive)
    window.show()
    window.raise_()
    window.activateWindow()
