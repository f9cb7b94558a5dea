from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.empty_data_response import EmptyDataResponse
from ...models.empty_request import EmptyRequest
from ...models.error_response import ErrorResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: EmptyRequest | Unset = UNSET,
    context_id: str,
    file_path: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["contextId"] = context_id

    params["filePath"] = file_path

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/sdk/DeleteContextFile",
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
    context_id: str,
    file_path: str,
) -> Response[EmptyDataResponse | ErrorResponse]:
    """Delete a file (or folder) of a context

     Deletes the file `filePath` of the context (a folder with everything in it). Deleting a path that
    does not exist succeeds, so a retried delete is harmless.

    Args:
        context_id (str): A context id, as returned by GetContext. Example:
            ctx-0a1b2c3d4e5f60718293a4b5.
        file_path (str): A path in a context or a sandbox, absolute (`/tmp/a.txt`). A context's
            files are keyed by
            the sandbox path they sync to; `..` and repeated slashes are resolved within the context,
            so no key
            reaches outside it. A path no file can have (a NUL character, a name over 255 bytes) names
            no file:
            deleting or listing it finds nothing, and an upload to it is a 400.
             Example: /tmp/a.txt.
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
        context_id=context_id,
        file_path=file_path,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: EmptyRequest | Unset = UNSET,
    context_id: str,
    file_path: str,
) -> EmptyDataResponse | ErrorResponse | None:
    """Delete a file (or folder) of a context

     Deletes the file `filePath` of the context (a folder with everything in it). Deleting a path that
    does not exist succeeds, so a retried delete is harmless.

    Args:
        context_id (str): A context id, as returned by GetContext. Example:
            ctx-0a1b2c3d4e5f60718293a4b5.
        file_path (str): A path in a context or a sandbox, absolute (`/tmp/a.txt`). A context's
            files are keyed by
            the sandbox path they sync to; `..` and repeated slashes are resolved within the context,
            so no key
            reaches outside it. A path no file can have (a NUL character, a name over 255 bytes) names
            no file:
            deleting or listing it finds nothing, and an upload to it is a 400.
             Example: /tmp/a.txt.
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
        context_id=context_id,
        file_path=file_path,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: EmptyRequest | Unset = UNSET,
    context_id: str,
    file_path: str,
) -> Response[EmptyDataResponse | ErrorResponse]:
    """Delete a file (or folder) of a context

     Deletes the file `filePath` of the context (a folder with everything in it). Deleting a path that
    does not exist succeeds, so a retried delete is harmless.

    Args:
        context_id (str): A context id, as returned by GetContext. Example:
            ctx-0a1b2c3d4e5f60718293a4b5.
        file_path (str): A path in a context or a sandbox, absolute (`/tmp/a.txt`). A context's
            files are keyed by
            the sandbox path they sync to; `..` and repeated slashes are resolved within the context,
            so no key
            reaches outside it. A path no file can have (a NUL character, a name over 255 bytes) names
            no file:
            deleting or listing it finds nothing, and an upload to it is a 400.
             Example: /tmp/a.txt.
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
        context_id=context_id,
        file_path=file_path,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: EmptyRequest | Unset = UNSET,
    context_id: str,
    file_path: str,
) -> EmptyDataResponse | ErrorResponse | None:
    """Delete a file (or folder) of a context

     Deletes the file `filePath` of the context (a folder with everything in it). Deleting a path that
    does not exist succeeds, so a retried delete is harmless.

    Args:
        context_id (str): A context id, as returned by GetContext. Example:
            ctx-0a1b2c3d4e5f60718293a4b5.
        file_path (str): A path in a context or a sandbox, absolute (`/tmp/a.txt`). A context's
            files are keyed by
            the sandbox path they sync to; `..` and repeated slashes are resolved within the context,
            so no key
            reaches outside it. A path no file can have (a NUL character, a name over 255 bytes) names
            no file:
            deleting or listing it finds nothing, and an upload to it is a 400.
             Example: /tmp/a.txt.
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
            context_id=context_id,
            file_path=file_path,
        )
    ).parsed
