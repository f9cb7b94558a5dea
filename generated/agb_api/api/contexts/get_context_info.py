from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.get_context_info_response import GetContextInfoResponse
from ...models.sync_mode import SyncMode
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    session_id: str,
    context_id: str | Unset = UNSET,
    path: str | Unset = UNSET,
    task_type: SyncMode | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["sessionId"] = session_id

    params["contextId"] = context_id

    params["path"] = path

    json_task_type: str | Unset = UNSET
    if not isinstance(task_type, Unset):
        json_task_type = task_type

    params["taskType"] = json_task_type

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/sdk/GetContextInfo",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | GetContextInfoResponse | None:
    if response.status_code == 200:
        response_200 = GetContextInfoResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | GetContextInfoResponse]:
    status_code: int
    try:
        status_code = HTTPStatus(response.status_code)
    except ValueError:
        status_code = response.status_code
    parsed: ErrorResponse | GetContextInfoResponse | None
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
    session_id: str,
    context_id: str | Unset = UNSET,
    path: str | Unset = UNSET,
    task_type: SyncMode | Unset = UNSET,
) -> Response[ErrorResponse | GetContextInfoResponse]:
    """The sync tasks of a session

     Reports the session's sync tasks (the syncs at creation and every SyncContext), filtered by
    `contextId`, `path` and `taskType` when given. `data.contextStatus` is JSON inside a string twice
    over: a JSON array of `{type, data}` whose `type: "data"` items carry, in `data`, a JSON array of
    `ContextStatusItem`. Clients stop polling when every item is `Success` or `Failed` (exact case).

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
        task_type (SyncMode | Unset): Seen from the sandbox: `upload` copies its files into the
            context, `download` the other way. Example: upload.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetContextInfoResponse]
    """

    kwargs = _get_kwargs(
        session_id=session_id,
        context_id=context_id,
        path=path,
        task_type=task_type,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    session_id: str,
    context_id: str | Unset = UNSET,
    path: str | Unset = UNSET,
    task_type: SyncMode | Unset = UNSET,
) -> ErrorResponse | GetContextInfoResponse | None:
    """The sync tasks of a session

     Reports the session's sync tasks (the syncs at creation and every SyncContext), filtered by
    `contextId`, `path` and `taskType` when given. `data.contextStatus` is JSON inside a string twice
    over: a JSON array of `{type, data}` whose `type: "data"` items carry, in `data`, a JSON array of
    `ContextStatusItem`. Clients stop polling when every item is `Success` or `Failed` (exact case).

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
        task_type (SyncMode | Unset): Seen from the sandbox: `upload` copies its files into the
            context, `download` the other way. Example: upload.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetContextInfoResponse
    """

    return sync_detailed(
        client=client,
        session_id=session_id,
        context_id=context_id,
        path=path,
        task_type=task_type,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    session_id: str,
    context_id: str | Unset = UNSET,
    path: str | Unset = UNSET,
    task_type: SyncMode | Unset = UNSET,
) -> Response[ErrorResponse | GetContextInfoResponse]:
    """The sync tasks of a session

     Reports the session's sync tasks (the syncs at creation and every SyncContext), filtered by
    `contextId`, `path` and `taskType` when given. `data.contextStatus` is JSON inside a string twice
    over: a JSON array of `{type, data}` whose `type: "data"` items carry, in `data`, a JSON array of
    `ContextStatusItem`. Clients stop polling when every item is `Success` or `Failed` (exact case).

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
        task_type (SyncMode | Unset): Seen from the sandbox: `upload` copies its files into the
            context, `download` the other way. Example: upload.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetContextInfoResponse]
    """

    kwargs = _get_kwargs(
        session_id=session_id,
        context_id=context_id,
        path=path,
        task_type=task_type,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    session_id: str,
    context_id: str | Unset = UNSET,
    path: str | Unset = UNSET,
    task_type: SyncMode | Unset = UNSET,
) -> ErrorResponse | GetContextInfoResponse | None:
    """The sync tasks of a session

     Reports the session's sync tasks (the syncs at creation and every SyncContext), filtered by
    `contextId`, `path` and `taskType` when given. `data.contextStatus` is JSON inside a string twice
    over: a JSON array of `{type, data}` whose `type: "data"` items carry, in `data`, a JSON array of
    `ContextStatusItem`. Clients stop polling when every item is `Success` or `Failed` (exact case).

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
        task_type (SyncMode | Unset): Seen from the sandbox: `upload` copies its files into the
            context, `download` the other way. Example: upload.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetContextInfoResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            session_id=session_id,
            context_id=context_id,
            path=path,
            task_type=task_type,
        )
    ).parsed
