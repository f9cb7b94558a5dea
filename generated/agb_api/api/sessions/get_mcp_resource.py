from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.get_mcp_resource_response import GetMcpResourceResponse
from ...models.session_id_request import SessionIdRequest
from ...types import Response


def _get_kwargs(
    *,
    body: SessionIdRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/mcp/getMcpResource",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | GetMcpResourceResponse | None:
    if response.status_code == 200:
        response_200 = GetMcpResourceResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | GetMcpResourceResponse]:
    status_code: int
    try:
        status_code = HTTPStatus(response.status_code)
    except ValueError:
        status_code = response.status_code
    parsed: ErrorResponse | GetMcpResourceResponse | None
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
    body: SessionIdRequest,
) -> Response[ErrorResponse | GetMcpResourceResponse]:
    """Get a session's resource information

     Returns the session's resource URL and, for desktop images, connection details. Clients ignore the
    envelope `success` here and only require HTTP 200 with an object `data`.

    Args:
        body (SessionIdRequest):  Example: {'sessionId': 's-0a1b2c3d4e5f60718293a4b5'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetMcpResourceResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: SessionIdRequest,
) -> ErrorResponse | GetMcpResourceResponse | None:
    """Get a session's resource information

     Returns the session's resource URL and, for desktop images, connection details. Clients ignore the
    envelope `success` here and only require HTTP 200 with an object `data`.

    Args:
        body (SessionIdRequest):  Example: {'sessionId': 's-0a1b2c3d4e5f60718293a4b5'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetMcpResourceResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SessionIdRequest,
) -> Response[ErrorResponse | GetMcpResourceResponse]:
    """Get a session's resource information

     Returns the session's resource URL and, for desktop images, connection details. Clients ignore the
    envelope `success` here and only require HTTP 200 with an object `data`.

    Args:
        body (SessionIdRequest):  Example: {'sessionId': 's-0a1b2c3d4e5f60718293a4b5'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetMcpResourceResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SessionIdRequest,
) -> ErrorResponse | GetMcpResourceResponse | None:
    """Get a session's resource information

     Returns the session's resource URL and, for desktop images, connection details. Clients ignore the
    envelope `success` here and only require HTTP 200 with an object `data`.

    Args:
        body (SessionIdRequest):  Example: {'sessionId': 's-0a1b2c3d4e5f60718293a4b5'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetMcpResourceResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
