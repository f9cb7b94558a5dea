from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.empty_data_response import EmptyDataResponse
from ...models.empty_request import EmptyRequest
from ...models.error_response import ErrorResponse
from ...models.sync_mode import SyncMode
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: EmptyRequest | Unset = UNSET,
    session_id: str,
    context_id: str | Unset = UNSET,
    path: str | Unset = UNSET,
    mode: SyncMode | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["sessionId"] = session_id

    params["contextId"] = context_id

    params["path"] = path

    json_mode: str | Unset = UNSET
    if not isinstance(mode, Unset):
        json_mode = mode

    params["mode"] = json_mode

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/sdk/SyncContext",
        "params": params,
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EmptyDataResponse | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = EmptyDataResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = ErrorResponse.from_dict(response.json())

        return response_409

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[EmptyDataResponse | ErrorResponse]:
    status_code: int
    try:
        status_code = HTTPStatus(response.status_code)
    except ValueError:
        status_code = response.status_code
    parsed: EmptyDataResponse | ErrorResponse | None
    try:
        parsed = _parse_response(client=client, response=response)
    except errors.UnexpectedStatus:
        raise
    except (ValueError, TypeError, KeyError, AttributeError):
        parsed = None
    return Response(
        status_code=status_code,
        content=response.content,
        headers=response.headers,
        parsed=parsed,
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: EmptyRequest | Unset = UNSET,
    session_id: str,
    context_id: str | Unset = UNSET,
    path: str | Unset = UNSET,
    mode: SyncMode | Unset = UNSET,
) -> Response[EmptyDataResponse | ErrorResponse]:
    """Copy between a session and its contexts

     Starts a sync of the session's mounted contexts: with `contextId`, that context's mounts; with
    `path`, the mounts at or above it, for that path only (a file or a folder); with both, the one; with
    neither, every mount. `mode` is seen from the sandbox: `upload` copies the sandbox's files into the
    context, `download` the context's files into the sandbox; omitted means `upload`. Each copy is a
    task
    that GetContextInfo reports with status `Success` or `Failed` (`Pending` while it runs). A context
    that is not mounted there (at or above `path`) is a 404 with code `InvalidContext.NotFound`.

    Args:
        session_id (str): A session id, as returned by createSession. Example:
            s-0a1b2c3d4e5f60718293a4b5.
        context_id (str | Unset): A context id, as returned by GetContext. Example:
            ctx-0a1b2c3d4e5f60718293a4b5.
        path (str | Unset): A path in a context or a sandbox, absolute (`/tmp/a.txt`). A context's
            files are keyed by
            the sandbox path they sync to; `..` and repeated slashes are resolved within the context,
            so no key
            reaches outside it. A path no file can have (a NUL character, a name over 255 bytes) names
            no file:
            deleting or listing it finds nothing, and an upload to it is a 400.
             Example: /tmp/a.txt.
        mode (SyncMode | Unset): Seen from the sandbox: `upload` copies its files into the
            context, `download` the other way. Example: upload.
        body (EmptyRequest | Unset): The empty object `{}`. Unknown keys are ignored. A missing
            body means `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyDataResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        session_id=session_id,
        context_id=context_id,
        path=path,
        mode=mode,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: EmptyRequest | Unset = UNSET,
    session_id: str,
    context_id: str | Unset = UNSET,
    path: str | Unset = UNSET,
    mode: SyncMode | Unset = UNSET,
) -> EmptyDataResponse | ErrorResponse | None:
    """Copy between a session and its contexts

     Starts a sync of the session's mounted contexts: with `contextId`, that context's mounts; with
    `path`, the mounts at or above it, for that path only (a file or a folder); with both, the one; with
    neither, every mount. `mode` is seen from the sandbox: `upload` copies the sandbox's files into the
    context, `download` the context's files into the sandbox; omitted means `upload`. Each copy is a
    task
    that GetContextInfo reports with status `Success` or `Failed` (`Pending` while it runs). A context
    that is not mounted there (at or above `path`) is a 404 with code `InvalidContext.NotFound`.

    Args:
        session_id (str): A session id, as returned by createSession. Example:
            s-0a1b2c3d4e5f60718293a4b5.
        context_id (str | Unset): A context id, as returned by GetContext. Example:
            ctx-0a1b2c3d4e5f60718293a4b5.
        path (str | Unset): A path in a context or a sandbox, absolute (`/tmp/a.txt`). A context's
            files are keyed by
            the sandbox path they sync to; `..` and repeated slashes are resolved within the context,
            so no key
            reaches outside it. A path no file can have (a NUL character, a name over 255 bytes) names
            no file:
            deleting or listing it finds nothing, and an upload to it is a 400.
             Example: /tmp/a.txt.
        mode (SyncMode | Unset): Seen from the sandbox: `upload` copies its files into the
            context, `download` the other way. Example: upload.
        body (EmptyRequest | Unset): The empty object `{}`. Unknown keys are ignored. A missing
            body means `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyDataResponse | ErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        session_id=session_id,
        context_id=context_id,
        path=path,
        mode=mode,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: EmptyRequest | Unset = UNSET,
    session_id: str,
    context_id: str | Unset = UNSET,
    path: str | Unset = UNSET,
    mode: SyncMode | Unset = UNSET,
) -> Response[EmptyDataResponse | ErrorResponse]:
    """Copy between a session and its contexts

     Starts a sync of the session's mounted contexts: with `contextId`, that context's mounts; with
    `path`, the mounts at or above it, for that path only (a file or a folder); with both, the one; with
    neither, every mount. `mode` is seen from the sandbox: `upload` copies the sandbox's files into the
    context, `download` the context's files into the sandbox; omitted means `upload`. Each copy is a
    task
    that GetContextInfo reports with status `Success` or `Failed` (`Pending` while it runs). A context
    that is not mounted there (at or above `path`) is a 404 with code `InvalidContext.NotFound`.

    Args:
        session_id (str): A session id, as returned by createSession. Example:
            s-0a1b2c3d4e5f60718293a4b5.
        context_id (str | Unset): A context id, as returned by GetContext. Example:
            ctx-0a1b2c3d4e5f60718293a4b5.
        path (str | Unset): A path in a context or a sandbox, absolute (`/tmp/a.txt`). A context's
            files are keyed by
            the sandbox path they sync to; `..` and repeated slashes are resolved within the context,
            so no key
            reaches outside it. A path no file can have (a NUL character, a name over 255 bytes) names
            no file:
            deleting or listing it finds nothing, and an upload to it is a 400.
             Example: /tmp/a.txt.
        mode (SyncMode | Unset): Seen from the sandbox: `upload` copies its files into the
            context, `download` the other way. Example: upload.
        body (EmptyRequest | Unset): The empty object `{}`. Unknown keys are ignored. A missing
            body means `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EmptyDataResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        session_id=session_id,
        context_id=context_id,
        path=path,
        mode=mode,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: EmptyRequest | Unset = UNSET,
    session_id: str,
    context_id: str | Unset = UNSET,
    path: str | Unset = UNSET,
    mode: SyncMode | Unset = UNSET,
) -> EmptyDataResponse | ErrorResponse | None:
    """Copy between a session and its contexts

     Starts a sync of the session's mounted contexts: with `contextId`, that context's mounts; with
    `path`, the mounts at or above it, for that path only (a file or a folder); with both, the one; with
    neither, every mount. `mode` is seen from the sandbox: `upload` copies the sandbox's files into the
    context, `download` the context's files into the sandbox; omitted means `upload`. Each copy is a
    task
    that GetContextInfo reports with status `Success` or `Failed` (`Pending` while it runs). A context
    that is not mounted there (at or above `path`) is a 404 with code `InvalidContext.NotFound`.

    Args:
        session_id (str): A session id, as returned by createSession. Example:
            s-0a1b2c3d4e5f60718293a4b5.
        context_id (str | Unset): A context id, as returned by GetContext. Example:
            ctx-0a1b2c3d4e5f60718293a4b5.
        path (str | Unset): A path in a context or a sandbox, absolute (`/tmp/a.txt`). A context's
            files are keyed by
            the sandbox path they sync to; `..` and repeated slashes are resolved within the context,
            so no key
            reaches outside it. A path no file can have (a NUL character, a name over 255 bytes) names
            no file:
            deleting or listing it finds nothing, and an upload to it is a 400.
             Example: /tmp/a.txt.
        mode (SyncMode | Unset): Seen from the sandbox: `upload` copies its files into the
            context, `download` the other way. Example: upload.
        body (EmptyRequest | Unset): The empty object `{}`. Unknown keys are ignored. A missing
            body means `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EmptyDataResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            session_id=session_id,
            context_id=context_id,
            path=path,
            mode=mode,
        )
    ).parsed
