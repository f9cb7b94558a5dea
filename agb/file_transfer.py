"""``session.file.upload`` / ``download``: files of any size between this machine and a session, at disk speed.

They go through the session's internal file-transfer context, as the official client's do: a presigned URL,
one streamed ``PUT`` (or ``GET``) of the whole file, and a SyncContext that moves it between the context and
the sandbox. Differences from the official client:

* the file streams both ways in 1 MiB pieces, never whole in memory, and `progress_cb(bytes_so_far)` is
  really called, on uploads too;
* with ``wait=False`` the call returns as soon as the service has accepted the sync (no polling at all), and
  the polls that wait start at 50 ms instead of 1.5 s;
* a missing local file or folder, or a remote path that is not absolute, is a clear error before any call;
  a download is written beside `local_path` and renamed into place when complete, so a failed one never
  leaves half a file there;
* only idempotent steps are retried: the URL requests, the ``PUT`` (it replaces the whole object) and the
  ``GET``; a SyncContext is sent again only when it surely never left.
"""

from __future__ import annotations

import contextlib
import logging
import os
import posixpath
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from agb_api.api.contexts import (
    get_and_load_internal_context,
    get_context_file_download_url,
    get_context_file_upload_url,
)
from agb_api.models import EmptyRequest, GetAndLoadInternalContextResponse

from ._control import _call, _present
from ._face import Module
from ._flow import Flow, Io, guarded, send, sleep
from ._wire import Failure, check_text, read_reply, reply_error, text
from ._wire import Reply as WireReply
from .context import _url
from .context_manager import start_sync, wait_for_tasks
from .errors import AGBError, APITimeoutError, InvalidParameterError
from .results import ApiResult

__all__ = ["DownloadResult", "UploadResult"]

log = logging.getLogger("agb")

CHUNK = 1 << 20
# The raw body is written as it arrives (no re-chunking), so ask for it as stored: never compressed.
_IDENTITY = {"Accept-Encoding": "identity"}
FILE_TRANSFER = "file_transfer"
Progress = Callable[[int], None]


@dataclass(kw_only=True)
class UploadResult(ApiResult[str]):
    """``session.file.upload()``: ``path`` (the remote path, ``unwrap()`` returns it), ``bytes_sent``..."""

    request_id_upload_url: str | None = None
    request_id_sync: str | None = None
    http_status: int | None = None
    etag: str | None = None
    bytes_sent: int = 0
    path: str = ""

    _payload_field = "path"


@dataclass(kw_only=True)
class DownloadResult(ApiResult[str]):
    """``session.file.download()``: ``local_path`` (``unwrap()`` returns it), ``bytes_received``..."""

    request_id_download_url: str | None = None
    request_id_sync: str | None = None
    http_status: int | None = None
    bytes_received: int = 0
    path: str = ""
    local_path: str = ""

    _payload_field = "local_path"


# ---------------------------------------------------------------- the streamed transfers (Io effects)


@dataclass
class Moved:
    """What a transfer did: the HTTP status and headers (or the exception), and the bytes moved."""

    status: int | None = None
    headers: httpx.Headers | None = None
    content: bytes = b""
    moved: int = 0
    exc: Exception | None = None


def _notify(progress: Progress | None, done: int) -> None:
    if progress is None:
        return
    try:
        progress(done)
    except Exception:  # a failing progress bar must not fail the transfer
        log.warning("the progress callback raised; the transfer goes on", exc_info=True)


def _keyless(request: httpx.Request) -> httpx.Request:
    # A presigned URL is its own permission, and may point anywhere (object storage): never send it the key.
    request.headers.pop("authorization", None)
    return request


@dataclass
class PutFile(Io):
    url: str
    path: Path
    size: int
    content_type: str | None
    progress: Progress | None

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Length": str(self.size)}
        if self.content_type:
            headers["Content-Type"] = self.content_type
        return headers

    def _pieces(self) -> Iterator[bytes]:
        sent = 0
        with open(self.path, "rb") as f:
            while piece := f.read(CHUNK):
                yield piece
                sent += len(piece)
                _notify(self.progress, sent)

    async def _async_pieces(self) -> AsyncIterator[bytes]:
        for piece in self._pieces():  # page-cache reads of 1 MiB: shorter than a loop tick is worth
            yield piece

    def run_sync(self, http: httpx.Client) -> object:
        try:
            request = _keyless(http.build_request("PUT", self.url, content=self._pieces(), headers=self._headers()))
            response = http.send(request)
        except Exception as exc:
            return Moved(exc=exc)
        return Moved(response.status_code, response.headers, response.content, self.size)

    async def run_async(self, http: httpx.AsyncClient) -> object:
        try:
            request = http.build_request("PUT", self.url, content=self._async_pieces(), headers=self._headers())
            response = await http.send(_keyless(request))
        except Exception as exc:
            return Moved(exc=exc)
        return Moved(response.status_code, response.headers, response.content, self.size)


@dataclass
class GetFile(Io):
    url: str
    target: Path
    progress: Progress | None

    def _partial(self) -> Path:
        return self.target.with_name(f".{self.target.name}.{os.urandom(4).hex()}.part")

    def _finish(self, partial: Path, response: httpx.Response, received: int) -> Moved:
        expected = response.headers.get("content-length")
        if expected is not None and expected.isdigit() and int(expected) != received:
            return Moved(exc=httpx.RemoteProtocolError(f"the body ended after {received} of {expected} bytes"))
        os.replace(partial, self.target)
        return Moved(response.status_code, response.headers, b"", received)

    def run_sync(self, http: httpx.Client) -> object:
        partial = self._partial()
        try:
            response = http.send(_keyless(http.build_request("GET", self.url, headers=_IDENTITY)), stream=True)
            try:
                if response.status_code != 200:
                    return Moved(response.status_code, response.headers, response.read())
                received = 0
                with open(partial, "wb") as f:
                    # As it arrives (no re-chunking copies); a body already read (a mock transport) as it is.
                    for piece in response.iter_bytes() if response.is_stream_consumed else response.iter_raw():
                        f.write(piece)
                        received += len(piece)
                        _notify(self.progress, received)
                return self._finish(partial, response, received)
            finally:
                response.close()
        except Exception as exc:
            return Moved(exc=exc)
        finally:
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()

    async def run_async(self, http: httpx.AsyncClient) -> object:
        partial = self._partial()
        try:
            response = await http.send(_keyless(http.build_request("GET", self.url, headers=_IDENTITY)), stream=True)
            try:
                if response.status_code != 200:
                    return Moved(response.status_code, response.headers, await response.aread())
                received = 0
                with open(partial, "wb") as f:
                    pieces = response.aiter_bytes() if response.is_stream_consumed else response.aiter_raw()
                    async for piece in pieces:
                        f.write(piece)
                        received += len(piece)
                        _notify(self.progress, received)
                return self._finish(partial, response, received)
            finally:
                await response.aclose()
        except Exception as exc:
            return Moved(exc=exc)
        finally:
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()


def _transfer(module: Module, effect: PutFile | GetFile, what: str) -> Flow[Moved]:
    """Run a transfer, retrying on a dropped connection, 429 and 5xx (both are idempotent: whole objects)."""
    policy = module._ctx.retry
    attempt = 0
    while True:
        moved = yield effect
        assert isinstance(moved, Moved)
        retryable = moved.exc is not None and isinstance(moved.exc, httpx.TransportError)
        retryable = retryable or moved.status == 429 or (moved.status is not None and moved.status >= 500)
        if not retryable or attempt >= policy.max_retries:
            break
        attempt += 1
        delay = policy.rng() * min(policy.cap, policy.base * 2.0**attempt)
        log.debug("retrying the %s after %s in %.2f s", what, moved.exc or moved.status, delay)
        yield from sleep(delay)
    if moved.exc is not None:
        raise Failure(moved.exc, effect.url.split("?", 1)[0]).error()
    return moved


def _http_error(moved: Moved, what: str) -> AGBError:
    reply = WireReply(moved.status or 0, moved.headers or httpx.Headers(), moved.content)
    return reply_error(reply, what)


# ---------------------------------------------------------------- the flows


def _transfer_context(module: Module) -> Flow[tuple[str, str]]:
    """(context id, sandbox path) of the session's file-transfer context, asked once per session."""
    session = module.session
    cached: tuple[str, str] | None = session.__dict__.get("_transfer_context")
    if cached is not None:
        return cached
    kwargs = {
        "session_id": check_text(session.session_id, "session_id"),
        "context_types": '["file_transfer"]',
        "body": EmptyRequest(),
    }
    call = _call(get_and_load_internal_context, kwargs, "getAndLoadInternalContext")
    reply = read_reply(
        (yield from send(module._ctx, call)), GetAndLoadInternalContextResponse, "getAndLoadInternalContext"
    )
    for item in _present(reply.data) or []:
        if text(item.context_id) and text(item.context_path):
            session.__dict__["_transfer_context"] = found = (item.context_id, item.context_path)
            return found
    raise AGBError(
        "getAndLoadInternalContext: the service has no file-transfer context for this session",
        request_id=reply.request_id,
    )


def transfer_path(module: Module) -> Flow[str | None]:
    """The sandbox folder of the session's file-transfer context (``/tmp/file_transfer`` on agb_local)."""
    try:
        return (yield from _transfer_context(module))[1]
    except AGBError:
        return None


def _remote(path: object) -> str:
    remote = check_text(path, "remote_path").strip()
    if not remote.startswith("/") or remote.endswith("/"):
        raise InvalidParameterError(
            f"remote_path must be the absolute sandbox path of a file, e.g. /home/user/data.csv, got {path!r}"
        )
    return remote


def _timeout(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise InvalidParameterError(f"{what} must be a positive number of seconds, got {value!r}")
    return float(value)


@guarded(UploadResult)
def upload(
    module: Module,
    local_path: str,
    remote_path: str,
    *,
    content_type: str | None = None,
    wait: bool = True,
    wait_timeout: float = 30.0,
    poll_interval: float = 1.5,
    progress_cb: Progress | None = None,
) -> Flow[UploadResult]:
    """Upload the local file `local_path` to `remote_path` in the session (parent folders are made).

    `progress_cb(bytes_sent_so_far)` is called after each MiB. With `wait` (default) it returns once the file
    is in the sandbox (at most `wait_timeout` seconds); with ``wait=False`` as soon as the service has it.
    """
    source = Path(local_path)
    if not source.is_file():
        raise InvalidParameterError(f"local_path {str(local_path)!r} is not an existing file")
    remote = _remote(remote_path)
    wait_s, interval = _timeout(wait_timeout, "wait_timeout"), _timeout(poll_interval, "poll_interval")
    size = source.stat().st_size
    context_id, _ = yield from _transfer_context(module)
    url = yield from _url(module, context_id, remote, get_context_file_upload_url, "getContextFileUploadUrl")
    moved = yield from _transfer(module, PutFile(url.url, source, size, content_type, progress_cb), "upload")
    if moved.status not in (200, 201, 204):
        raise _http_error(moved, "upload")
    etag = moved.headers.get("etag") if moved.headers is not None else None
    session_id = check_text(module.session.session_id, "session_id")
    folder = posixpath.dirname(remote)  # syncs are of folders, as the cloud has them
    sync_id = yield from start_sync(module._ctx, session_id, context_id, folder, "download")
    result = UploadResult(
        success=True,
        request_id=sync_id,
        request_id_upload_url=url.request_id,
        request_id_sync=sync_id,
        http_status=moved.status,
        etag=etag,
        bytes_sent=size,
        path=remote,
    )
    if wait:
        yield from _await_task(module, session_id, context_id, folder, "download", wait_s, interval, "upload")
    return result


@guarded(DownloadResult)
def download(
    module: Module,
    remote_path: str,
    local_path: str,
    *,
    overwrite: bool = True,
    wait: bool = True,
    wait_timeout: float = 300.0,
    poll_interval: float = 1.5,
    progress_cb: Progress | None = None,
) -> Flow[DownloadResult]:
    """Download the session's file `remote_path` to `local_path` (its folder must exist).

    `progress_cb(bytes_received_so_far)` is called as it arrives. With `wait` (default) the copy out of the
    sandbox is awaited (at most `wait_timeout` s) before the file is fetched; ``wait=False`` fetches at once.
    """
    remote = _remote(remote_path)
    target = Path(local_path)
    if not target.parent.is_dir():
        raise InvalidParameterError(f"the folder {str(target.parent)!r} of local_path does not exist; create it first")
    if target.is_dir():
        raise InvalidParameterError(f"local_path {str(local_path)!r} is a folder; give a file name in it")
    if target.exists() and not overwrite:
        raise InvalidParameterError(f"local_path {str(local_path)!r} exists and overwrite is False")
    wait_s, interval = _timeout(wait_timeout, "wait_timeout"), _timeout(poll_interval, "poll_interval")
    context_id, _ = yield from _transfer_context(module)
    session_id = check_text(module.session.session_id, "session_id")
    folder = posixpath.dirname(remote)
    sync_id = yield from start_sync(module._ctx, session_id, context_id, folder, "upload")
    if wait:
        yield from _await_task(module, session_id, context_id, folder, "upload", wait_s, interval, "download")
    url = yield from _url(module, context_id, remote, get_context_file_download_url, "getContextFileDownloadUrl")
    moved = yield from _transfer(module, GetFile(url.url, target, progress_cb), "download")
    if moved.status == 404:  # the folder synced, without this file in it
        error = _http_error(moved, "download")
        raise AGBError(
            f"download of {remote}: the session has no such file",
            status_code=404,
            code=error.code,
            request_id=error.request_id,
        )
    if moved.status != 200:
        raise _http_error(moved, "download")
    return DownloadResult(
        success=True,
        request_id=sync_id,
        request_id_download_url=url.request_id,
        request_id_sync=sync_id,
        http_status=200,
        bytes_received=moved.moved,
        path=remote,
        local_path=str(target),
    )


def _await_task(
    module: Module,
    session_id: str,
    context_id: str,
    remote: str,
    task_type: str,
    wait_s: float,
    interval: float,
    what: str,
) -> Flow[None]:
    polls = max(2, int(wait_s / max(interval, 0.05)) + 8)  # the first looks are quick (context_manager)
    done, failure, request_id = yield from wait_for_tasks(
        module._ctx, session_id, context_id, remote, task_type, polls=polls, interval_s=interval, timeout_s=wait_s
    )
    if failure:
        raise AGBError(f"{what} of {remote}: {failure}", request_id=request_id)  # names the folder synced
    if not done:
        raise APITimeoutError(
            f"{what} of {remote}: the sync did not finish within {wait_s:g} s; raise wait_timeout",
            request_id=request_id,
        )
