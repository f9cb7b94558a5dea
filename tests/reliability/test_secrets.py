"""The API key never shows: not in the server's debug log, the SDK's debug log, error messages, reprs, the
registry, or a sandbox. (The load and kill tests grep their own logs too, over thousands of calls.)

A loopback "proxy" that echoes request headers into its error pages stands in for the middleboxes that do
that in the wild: the SDK must not hand the echoed key to its caller.
"""

from __future__ import annotations

import asyncio
import http.server
import stat
import threading
from collections.abc import Callable, Iterator

import pytest

from agb import AGB, AsyncAGB, Config
from agb.errors import APIConnectionError, AuthenticationError, ServerError

from .harness import MARKS, ServerProcess, capture_sdk_log, leaks, record

pytestmark = [*MARKS, pytest.mark.timeout(120)]


class _EchoHeaders(http.server.BaseHTTPRequestHandler):
    def _echo(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        self.rfile.read(length)
        page = f"<html><body>502 Bad Gateway<pre>{self.headers}</pre></body></html>".encode()
        self.send_response(502)
        self.send_header("content-type", "text/html")
        self.send_header("content-length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    do_GET = do_POST = _echo

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def echo_proxy() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _EchoHeaders)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_the_key_never_shows(servers: Callable[..., ServerProcess], echo_proxy: str) -> None:
    server = servers("secrets")  # the generated key, in DATA_DIR/api-key
    server.start()
    key = server.api_key
    wrong = "akm-wrong-but-secret-7d1e9c3b5a0f2468"
    texts: list[str] = []
    with capture_sdk_log() as sdk_log:
        with AGB(api_key=key, cfg=Config(endpoint=server.endpoint)) as agb:
            texts.append(repr(agb))
            created = agb.create()
            session = created.unwrap()
            texts += [repr(created), repr(session), repr(session.file), repr(agb.list())]
            run = session.code.run("import os\nsorted(os.environ)")
            texts += [repr(run), run.result or ""]
            texts.append(repr(session.command.execute("env; cat /proc/1/environ | tr '\\0' '\\n'")))
            texts.append(repr(agb.delete(session)))
        # A wrong key: refused, and not echoed either.
        with AGB(api_key=wrong, cfg=Config(endpoint=server.endpoint)) as bad:
            refused = bad.list()
            assert isinstance(refused.error, AuthenticationError)
            texts += [repr(bad), repr(refused), str(refused.error), repr(refused.error)]
        # A proxy echoing the request headers (key included) in its error page.
        with AGB(api_key=key, cfg=Config(endpoint=echo_proxy), max_retries=0) as proxied:
            failed = proxied.list()
            assert isinstance(failed.error, ServerError), failed
            texts += [repr(failed), failed.error_message, str(failed.error), repr(failed.error)]

            async def async_face() -> list[str]:
                async with AsyncAGB(api_key=key, cfg=Config(endpoint=echo_proxy), max_retries=0) as aagb:
                    result = await aagb.create()
                    return [repr(aagb), repr(result), result.error_message, repr(result.error)]

            texts += asyncio.run(async_face())
        # And a server that is gone.
        server.stop()
        with AGB(api_key=key, cfg=Config(endpoint=server.endpoint), max_retries=0) as orphan:
            gone = orphan.list()
            assert isinstance(gone.error, APIConnectionError)
            texts += [repr(gone), gone.error_message]
    everything = "\n".join(texts)
    assert "Bearer" in everything  # the proxy's page did come back (redacted), so the check means something
    for secret in (key, wrong):
        assert not leaks(everything, secret), leaks(everything, secret)[:3]
        assert not leaks(sdk_log.text(), secret)
        assert not leaks(server.log_text(), secret)
    # On disk: the key file is the owner's alone, and the registry holds only a hash of the key.
    key_file = server.data_dir / "api-key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    for path in server.data_dir.glob("registry.sqlite3*"):
        assert key.encode() not in path.read_bytes()
    record("secrets", texts_checked=len(texts), sdk_log_lines=len(sdk_log.lines), key_found=0)
