"""The client end of a ZeroMQ connection over a Unix socket (ZMTP 3.0, NULL mechanism), stdlib only:
what ``kernel_wire`` needs of a DEALER and a SUB socket to talk to a kernel's ROUTER and PUB.

pyzmq did this before; importing it and starting its context's I/O threads cost the agent about 13 ms
of CPU per kernel start (libzmq is the kernel's, not the agent's). The protocol is ZMTP 3.0 (RFC 23):
a 64-byte greeting each way, a READY command naming the socket type, then frames of one flags byte
(MORE, LONG, COMMAND), a 1- or 8-byte length and the body. A SUB subscribes with a message whose first
byte is 1 (3.0's form, which libzmq accepts from a peer that greets as 3.0).

Like a libzmq socket, a ``Socket`` connects when its peer is there: until the kernel has bound its
address, every send is queued and every poll tries again; a connection that ends (the kernel died) is
dropped and retried the same way. One thread uses a socket at a time.
"""

from __future__ import annotations

import os
import select
import socket
import struct
import time

_GREETING = b"\xff" + b"\0" * 8 + b"\x7f" + bytes([3, 0]) + b"NULL".ljust(20, b"\0") + b"\0" + b"\0" * 31
_MORE, _LONG, _COMMAND = 0x01, 0x02, 0x04
_RETRY_S = 0.005  # how often a socket whose peer is not there yet tries to connect while polled
_CHUNK = 1 << 18


class ProtocolError(Exception):
    """The peer is not a ZMTP 3 peer with the NULL mechanism, or broke the framing."""


def _frame(body: bytes, flags: int) -> bytes:
    if len(body) > 255:
        return struct.pack(">BQ", flags | _LONG, len(body)) + body
    return struct.pack(">BB", flags, len(body)) + body


def _ready(socket_type: str) -> bytes:
    props = [("Socket-Type", socket_type)] + ([("Identity", "")] if socket_type == "DEALER" else [])
    body = b"\x05READY" + b"".join(
        bytes([len(k)]) + k.encode() + struct.pack(">I", len(v)) + v.encode() for k, v in props
    )
    return _frame(body, _COMMAND)


class Socket:
    """A DEALER (``socket_type="DEALER"``) or a SUB subscribed to everything (``"SUB"``) at ``path``."""

    def __init__(self, path: str, socket_type: str) -> None:
        self._path = path
        self._type = socket_type
        self._sock: socket.socket | None = None
        self._buffer = bytearray()  # received, not yet parsed from _start on
        self._start = 0
        self._scratch = bytearray(_CHUNK)  # recv_into this: no allocation per read
        self._pending: list[bytes] = []  # messages sent before the peer was there
        self._frames: list[bytes] = []  # the message being received
        self._message: list[bytes] | None = None  # a whole message poll found
        self._next_try = 0.0

    # -- connection ------------------------------------------------------------------------

    def _connected(self) -> bool:
        """Connect now if not connected and the peer is there (at most every _RETRY_S)."""
        if self._sock is not None:
            return True
        now = time.monotonic()
        if now < self._next_try:
            return False
        self._next_try = now + _RETRY_S
        if not os.path.exists(self._path):
            return False  # not bound yet: a stat is cheaper than a socket and a failed connect
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(1.0)  # the handshake: a libzmq peer's I/O thread answers at once
            sock.connect(self._path)
            sock.sendall(_GREETING + _ready(self._type))
            self._sock = sock
            self._buffer.clear()
            self._start = 0
            greeting = self._read_exactly(64)
            if greeting[0] != 0xFF or greeting[9] != 0x7F or greeting[10] < 3:
                raise ProtocolError("the peer did not greet as ZMTP 3")
            if bytes(greeting[12:32]).rstrip(b"\0") != b"NULL":
                raise ProtocolError("the peer asks for a security mechanism other than NULL")
            flags, body = self._read_frame()
            if not flags & _COMMAND or not body.startswith(b"\x05READY"):
                raise ProtocolError("the peer did not send READY")
            sock.settimeout(None)
            if self._type == "SUB":
                sock.sendall(_frame(b"\x01", 0))
            for message in self._pending:
                sock.sendall(message)
            self._pending.clear()
            return True
        except (OSError, ProtocolError):
            self._sock = None
            sock.close()
            return False

    def _drop(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        self._buffer.clear()
        self._start = 0
        self._frames.clear()
        self._message = None

    def close(self) -> None:
        self._drop()
        self._pending.clear()

    # -- reading ---------------------------------------------------------------------------

    def _fill(self) -> None:
        assert self._sock is not None
        n = self._sock.recv_into(self._scratch)
        if not n:
            raise ConnectionResetError("the peer closed the connection")
        if self._start and self._start == len(self._buffer):
            self._buffer.clear()
            self._start = 0
        elif self._start > _CHUNK:
            del self._buffer[: self._start]  # drop what was parsed, now and then rather than per frame
            self._start = 0
        self._buffer += memoryview(self._scratch)[:n]

    def _read_exactly(self, n: int) -> bytes:
        while len(self._buffer) - self._start < n:
            self._fill()
        data = bytes(self._buffer[self._start : self._start + n])
        self._start += n
        return data

    def _read_frame(self) -> tuple[int, bytes]:
        flags = self._read_exactly(1)[0]
        size = struct.unpack(">Q", self._read_exactly(8))[0] if flags & _LONG else self._read_exactly(1)[0]
        return flags, self._read_exactly(size)

    def _parse(self) -> list[bytes] | None:
        """The next whole message in the buffer, if there is one (commands are skipped)."""
        buf, view = self._buffer, memoryview(self._buffer)
        try:
            while self._start < len(buf):
                at = self._start
                flags = buf[at]
                head = 9 if flags & _LONG else 2
                if len(buf) - at < head:
                    return None
                size = struct.unpack_from(">Q", buf, at + 1)[0] if flags & _LONG else buf[at + 1]
                if len(buf) - at < head + size:
                    return None
                self._start = at + head + size
                if flags & _COMMAND:
                    continue  # PING and the like: libzmq sends them only when heartbeats are configured
                self._frames.append(bytes(view[at + head : self._start]))
                if not flags & _MORE:
                    message, self._frames = self._frames, []
                    return message
            return None
        finally:
            view.release()  # a bytearray with an exported view cannot grow

    def poll(self, timeout_ms: int) -> bool:
        """Whether a whole message can be read now, waiting up to ``timeout_ms``."""
        end = time.monotonic() + timeout_ms / 1000
        while True:
            if self._connected():
                assert self._sock is not None
                if self._has_message():
                    return True
                left = end - time.monotonic()
                if left <= 0:
                    return False
                poller = select.poll()
                poller.register(self._sock, select.POLLIN)
                if poller.poll(max(1, int(left * 1000))):
                    try:
                        self._fill()
                    except OSError:
                        self._drop()
                continue
            left = end - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(left, _RETRY_S))

    def _has_message(self) -> bool:
        if self._message is None:
            self._message = self._parse()
        return self._message is not None

    def recv_multipart(self) -> list[bytes]:
        """The message ``poll`` found (call it first)."""
        if not self._has_message():
            raise BlockingIOError("no message ready: poll first")
        message, self._message = self._message, None
        assert message is not None
        return message

    # -- writing ---------------------------------------------------------------------------

    def flush(self, timeout_s: float) -> bool:
        """Connect (if need be) and deliver what was queued, trying for up to ``timeout_s``: for a socket
        that is only written to, which has no poll to connect it. True when nothing is left queued."""
        end = time.monotonic() + timeout_s
        while not self._connected():
            left = end - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(left, _RETRY_S))
        return not self._pending

    def send_multipart(self, frames: list[bytes]) -> None:
        data = b"".join(_frame(f, _MORE if i < len(frames) - 1 else 0) for i, f in enumerate(frames))
        if not self._connected():
            self._pending.append(data)
            return
        assert self._sock is not None
        try:
            self._sock.sendall(data)
        except OSError:
            # The peer went away mid-send: like a libzmq DEALER with no peer, keep it for the next one.
            self._drop()
            self._pending.append(data)
