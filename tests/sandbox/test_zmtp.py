"""The agent's stdlib ZMTP client (agent/zmtp.py) against libzmq itself (pyzmq's ROUTER and PUB, what
ipykernel binds): the handshake, short and long frames, multipart messages, sends queued before the peer
is there, and a peer that goes away, comes back or does not speak ZMTP."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import zmq

from agb_local.sandbox.agent.zmtp import Socket


@pytest.fixture
def ctx() -> Iterator[zmq.Context[zmq.Socket[bytes]]]:
    context: zmq.Context[zmq.Socket[bytes]] = zmq.Context()
    yield context
    context.destroy(linger=0)


def _bind(ctx: zmq.Context[zmq.Socket[bytes]], kind: int, path: Path) -> zmq.Socket[bytes]:
    sock = ctx.socket(kind)
    sock.linger = 0
    sock.bind(f"ipc://{path}")
    return sock


def _delivered(router: zmq.Socket[bytes], dealer: Socket) -> list[bytes]:
    """The next message at `router`, while `dealer` is polled (it connects and sends on its own thread's
    calls, not on a background thread as libzmq does)."""
    deadline = time.monotonic() + 5
    while not router.poll(5):
        assert time.monotonic() < deadline, "nothing arrived"
        dealer.poll(5)
    return router.recv_multipart()


def test_a_dealer_queues_until_the_router_binds_then_talks_both_ways(
    ctx: zmq.Context[zmq.Socket[bytes]], tmp_path: Path
) -> None:
    path = tmp_path / "shell"
    dealer = Socket(str(path), "DEALER")
    try:
        dealer.send_multipart([b"early", b"x" * 300])  # no peer yet: kept, as a libzmq DEALER keeps it
        assert not dealer.poll(20)
        router = _bind(ctx, zmq.ROUTER, path)
        identity, *frames = _delivered(router, dealer)
        assert frames == [b"early", b"x" * 300]
        big = bytes(range(256)) * 1000  # a long (8-byte length) frame
        router.send_multipart([identity, b"", b"reply", big])
        assert dealer.poll(5000)
        assert dealer.recv_multipart() == [b"", b"reply", big]
        for i in range(300):
            router.send_multipart([identity, b"m%d" % i])
        got = []
        while dealer.poll(1000):
            got.append(dealer.recv_multipart())
            if len(got) == 300:
                break
        assert got == [[b"m%d" % i] for i in range(300)]
        dealer.send_multipart([b"after"])
        assert _delivered(router, dealer)[1:] == [b"after"]
    finally:
        dealer.close()


def test_a_sub_receives_everything_the_pub_sends_once_subscribed(
    ctx: zmq.Context[zmq.Socket[bytes]], tmp_path: Path
) -> None:
    path = tmp_path / "iopub"
    pub = _bind(ctx, zmq.PUB, path)
    sub = Socket(str(path), "SUB")
    try:
        # A SUB misses what was published before its subscription arrived (as with libzmq): publish until
        # one arrives, then everything after it must arrive, in order.
        for _ in range(200):
            pub.send_multipart([b"kernel.status", b"hello"])
            if sub.poll(10):
                break
        assert sub.recv_multipart() == [b"kernel.status", b"hello"]
        while sub.poll(50):
            sub.recv_multipart()
        for i in range(50):
            pub.send_multipart([b"topic", b"%d" % i, b"y" * i * 10])
        got = []
        while len(got) < 50 and sub.poll(2000):
            got.append(sub.recv_multipart())
        assert got == [[b"topic", b"%d" % i, b"y" * i * 10] for i in range(50)]
    finally:
        sub.close()


def test_a_peer_that_goes_away_and_comes_back_is_reconnected(
    ctx: zmq.Context[zmq.Socket[bytes]], tmp_path: Path
) -> None:
    path = tmp_path / "control"
    dealer = Socket(str(path), "DEALER")
    try:
        router = _bind(ctx, zmq.ROUTER, path)
        dealer.send_multipart([b"one"])
        assert _delivered(router, dealer)[1:] == [b"one"]
        router.close(0)  # the kernel died
        assert not dealer.poll(50)  # no error, just nothing to read
        dealer.send_multipart([b"two"])  # kept until the next peer is there
        router = _bind(ctx, zmq.ROUTER, path)
        assert _delivered(router, dealer)[1:] == [b"two"]
        dealer.send_multipart([b"three"])
        assert dealer.flush(5.0)
        assert router.poll(5000) and router.recv_multipart()[1:] == [b"three"]
    finally:
        dealer.close()


def test_a_peer_that_is_not_zmtp_is_not_connected(tmp_path: Path) -> None:
    path = tmp_path / "liar"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen()

    def answer() -> None:
        conn, _ = server.accept()
        conn.sendall(b"HTTP/1.1 200 OK\r\n" + b"\0" * 64)
        time.sleep(0.3)
        conn.close()

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    dealer = Socket(str(path), "DEALER")
    try:
        assert not dealer.poll(100)
    finally:
        dealer.close()
        server.close()
        thread.join(2)
