"""The Jupyter messaging protocol, just what the agent needs: a connection file, the kernel process, and
a blocking client for the shell, iopub and control channels, over ``zmtp`` (ZeroMQ's wire protocol on the
ipc transport's Unix sockets).

jupyter_client does this too, but importing it costs the agent about 80 ms of CPU and 15 MiB per kernel
(traitlets, asyncio, tornado, dateutil, entry points) for a kernel the agent starts exactly one way; pyzmq
another 13 ms. The wire format is the documented one (version 5.3): ``<IDS|MSG>``, an HMAC-SHA256 of the
four JSON parts, then header, parent header, metadata and content.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import queue
import signal
import subprocess
import time
from typing import IO, Any

from .zmtp import Socket

DELIMITER = b"<IDS|MSG>"
PROTOCOL_VERSION = "5.3"
_PORTS = {"shell": 1, "iopub": 2, "stdin": 3, "control": 4, "hb": 5}  # ipc: a suffix of the socket path


class KernelGone(Exception):
    """The kernel exited before it answered."""


class Kernel:
    """One kernel process and the agent's sockets to it. Methods are called from one thread."""

    def __init__(
        self, argv: list[str], *, ipc_base: str, connection_file: str, cwd: str, env: dict[str, str], log: IO[bytes]
    ) -> None:
        self._key = os.urandom(32).hex().encode()
        self._session = os.urandom(16).hex()
        connection = {
            "transport": "ipc",
            "ip": ipc_base,
            **{f"{name}_port": port for name, port in _PORTS.items()},
            "key": self._key.decode(),
            "signature_scheme": "hmac-sha256",
            "kernel_name": "agb-python",
        }
        fd = os.open(connection_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(connection, fh)
        # ipykernel exits when the process named by JPY_PARENT_PID goes (the agent).
        env = {**env, "JPY_PARENT_PID": str(os.getpid())}
        argv = [a.replace("{connection_file}", connection_file) for a in argv]
        self._sockets: list[Socket] = []
        self.shell = self._connect("DEALER", ipc_base, "shell")
        self.control = self._connect("DEALER", ipc_base, "control")
        self.iopub = self._connect("SUB", ipc_base, "iopub")
        try:
            # A session of its own: a signal to the agent's process group must not reach the kernel.
            self.process = subprocess.Popen(
                argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True
            )
        except BaseException:
            self._close_sockets()
            raise

    def _connect(self, kind: str, ipc_base: str, channel: str) -> Socket:
        # Connected when the kernel has bound the address (the first send or poll after that).
        sock = Socket(f"{ipc_base}-{_PORTS[channel]}", kind)
        self._sockets.append(sock)
        return sock

    # -- the process -----------------------------------------------------------------------

    def is_alive(self) -> bool:
        return self.process.poll() is None

    @property
    def returncode(self) -> int | None:
        return self.process.poll()

    def kill(self) -> None:
        """Kill the kernel and every process it started (its process group: a cell's fork bomb, a server it
        left in the background) now, and close the sockets (idempotent). The group is killed even when the
        kernel itself has exited already: its children may still hold the sandbox's process slots."""
        with contextlib.suppress(OSError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        self._close_sockets()

    def _close_sockets(self) -> None:
        for sock in self._sockets:
            sock.close()
        self._sockets.clear()

    # -- messages --------------------------------------------------------------------------

    def _sign(self, parts: list[bytes]) -> bytes:
        mac = hmac.new(self._key, digestmod=hashlib.sha256)
        for part in parts:
            mac.update(part)
        return mac.hexdigest().encode()

    def send(self, sock: Socket, msg_type: str, content: dict[str, Any]) -> str:
        msg_id = os.urandom(16).hex()
        header = {
            "msg_id": msg_id,
            "session": self._session,
            "username": "user",
            "date": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime()),
            "msg_type": msg_type,
            "version": PROTOCOL_VERSION,
        }
        parts = [json.dumps(p).encode() for p in (header, {}, {}, content)]
        sock.send_multipart([DELIMITER, self._sign(parts), *parts])
        return msg_id

    def receive(self, sock: Socket, timeout_s: float) -> dict[str, Any]:
        """The next message on `sock`; queue.Empty when none came within `timeout_s`. Messages with a bad
        signature are dropped."""
        end = time.monotonic() + timeout_s
        while True:
            left = end - time.monotonic()
            if left <= 0 or not sock.poll(max(1, int(left * 1000))):
                raise queue.Empty
            frames = sock.recv_multipart()
            try:
                at = frames.index(DELIMITER)
            except ValueError:
                continue
            signature, parts = frames[at + 1], frames[at + 2 : at + 6]
            if len(parts) < 4 or not hmac.compare_digest(signature, self._sign(parts)):
                continue
            header, parent, metadata, content = (json.loads(p) for p in parts)
            return {
                "header": header,
                "msg_type": header.get("msg_type"),
                "parent_header": parent,
                "metadata": metadata,
                "content": content,
            }

    def get_iopub_msg(self, timeout: float) -> dict[str, Any]:
        return self.receive(self.iopub, timeout)

    def get_shell_msg(self, timeout: float) -> dict[str, Any]:
        return self.receive(self.shell, timeout)

    def execute(self, code: str, *, silent: bool = False, store_history: bool = True) -> str:
        content = {
            "code": code,
            "silent": silent,
            "store_history": store_history,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": False,
        }
        return self.send(self.shell, "execute_request", content)

    def interrupt(self) -> None:
        """A message-mode interrupt (a SIGINT would hit the kernel's whole process group)."""
        self.send(self.control, "interrupt_request", {})
        self.control.flush(1.0)  # nothing polls the control socket: connect it and deliver now

    def wait_for_ready(self, timeout_s: float) -> None:
        """Until the kernel answers kernel_info on shell and its iopub reaches us (a SUB socket misses what
        was published before its subscription arrived): asked again every second, as jupyter_client does."""
        end = time.monotonic() + timeout_s
        while time.monotonic() < end:
            msg_id = self.send(self.shell, "kernel_info_request", {})
            answered = False
            try:
                while not answered:
                    reply = self.get_shell_msg(min(1.0, max(0.01, end - time.monotonic())))
                    answered = reply["parent_header"].get("msg_id") == msg_id
            except queue.Empty:
                pass
            if answered:
                try:
                    self.get_iopub_msg(0.2)
                    return
                except queue.Empty:
                    pass
            if not self.is_alive():
                raise KernelGone(f"the kernel exited (status {self.returncode}) before it answered")
        raise TimeoutError(f"the kernel did not answer in {timeout_s:g} s")
