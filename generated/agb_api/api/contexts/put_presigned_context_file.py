from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.presigned_put_response import PresignedPutResponse
from ...types import UNSET, File, Response


def _get_kwargs(
    *,
    body: File,
    token: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["token"] = token

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/presigned/context-file",
        "params": params,
    }

    _kwargs["content"] = body.payload
    headers["Content-Type"] = "application/octet-stream"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | PresignedPutResponse | None:
    if response.status_code == 200:
        response_200 = PresignedPutResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = ErrorResponse.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ErrorResponse.from_dict(response.json())

        return response_413

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | PresignedPutResponse]:
    status_code: int
    try:
        status_code = HTTPStatus(response.status_code)
    except ValueError:
        status_code = response.status_code
    parsed: ErrorResponse | PresignedPutResponse | None
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
    client: AuthenticatedClient | Client,
    body: File,
    token: str,
) -> Response[ErrorResponse | PresignedPutResponse]:
    """Upload a file through a presigned URL

     The target of a GetContextFileUploadUrl URL: the body is the raw file, streamed to disk and put in
    place only when complete (an interrupted upload leaves the previous file, never half a file). No
    authorization header: the `token` is the permission. A forged, expired or download token, or one
    whose context is gone, is a 403. Beyond the key's context storage quota is a 413 with code
    `QuotaExceeded.ContextStorage`.

    Args:
        token (str):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | PresignedPutResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        token=token,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: File,
    token: str,
) -> ErrorResponse | PresignedPutResponse | None:
    """Upload a file through a presigned URL

     The target of a GetContextFileUploadUrl URL: the body is the raw file, streamed to disk and put in
    place only when complete (an interrupted upload leaves the previous file, never half a file). No
    authorization header: the `token` is the permission. A forged, expired or download token, or one
    whose context is gone, is a 403. Beyond the key's context storage quota is a 413 with code
    `QuotaExceeded.ContextStorage`.

    Args:
        token (str):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | PresignedPutResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        token=token,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: File,
    token: str,
) -> Response[ErrorResponse | PresignedPutResponse]:
    """Upload a file through a presigned URL

     The target of a GetContextFileUploadUrl URL: the body is the raw file, streamed to disk and put in
    place only when complete (an interrupted upload leaves the previous file, never half a file). No
    authorization header: the `token` is the permission. A forged, expired or download token, or one
    whose context is gone, is a 403. Beyond the key's context storage quota is a 413 with code
    `QuotaExceeded.ContextStorage`.

    Args:
        token (str):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | PresignedPutResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        token=token,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: File,
    token: str,
) -> ErrorResponse | PresignedPutResponse | None:
    """Upload a file through a presigned URL

     The target of a GetContextFileUploadUrl URL: the body is the raw file, streamed to disk and put in
    place only when complete (an interrupted upload leaves the previous file, never half a file). No
    authorization header: the `token` is the permission. A forged, expired or download token, or one
    whose context is gone, is a 403. Beyond the key's context storage quota is a 413 with code
    `QuotaExceeded.ContextStorage`.

    Args:
        token (str):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | PresignedPutResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            token=token,
        )
    ).parsed
