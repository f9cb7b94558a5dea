from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.get_link_mcp_protocol_type import GetLinkMcpProtocolType
from ...models.get_link_response import GetLinkResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    session_id: str,
    protocol_type: GetLinkMcpProtocolType | Unset = UNSET,
    port: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["sessionId"] = session_id

    json_protocol_type: str | Unset = UNSET
    if not isinstance(protocol_type, Unset):
        json_protocol_type = protocol_type

    params["protocolType"] = json_protocol_type

    params["port"] = port

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/mcp/getLink",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | GetLinkResponse | None:
    if response.status_code == 200:
        response_200 = GetLinkResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | GetLinkResponse]:
    status_code: int
    try:
        status_code = HTTPStatus(response.status_code)
    except ValueError:
        status_code = response.status_code
    parsed: ErrorResponse | GetLinkResponse | None
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
    protocol_type: GetLinkMcpProtocolType | Unset = UNSET,
    port: int | Unset = UNSET,
) -> Response[ErrorResponse | GetLinkResponse]:
    """Get a link to a port inside a session (the async client's route)

     The same operation as `GET /internet/getLink`, on the route the official client's async variant
    uses.

    Args:
        session_id (str): A session id, as returned by createSession. Example:
            s-0a1b2c3d4e5f60718293a4b5.
        protocol_type (GetLinkMcpProtocolType | Unset):
        port (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetLinkResponse]
    """

    kwargs = _get_kwargs(
        session_id=session_id,
        protocol_type=protocol_type,
        port=port,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    session_id: str,
    protocol_type: GetLinkMcpProtocolType | Unset = UNSET,
    port: int | Unset = UNSET,
) -> ErrorResponse | GetLinkResponse | None:
    """Get a link to a port inside a session (the async client's route)

     The same operation as `GET /internet/getLink`, on the route the official client's async variant
    uses.

    Args:
        session_id (str): A session id, as returned by createSession. Example:
            s-0a1b2c3d4e5f60718293a4b5.
        protocol_type (GetLinkMcpProtocolType | Unset):
        port (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetLinkResponse
    """

    return sync_detailed(
        client=client,
        session_id=session_id,
        protocol_type=protocol_type,
        port=port,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    session_id: str,
    protocol_type: GetLinkMcpProtocolType | Unset = UNSET,
    port: int | Unset = UNSET,
) -> Response[ErrorResponse | GetLinkResponse]:
    """Get a link to a port inside a session (the async client's route)

     The same operation as `GET /internet/getLink`, on the route the official client's async variant
    uses.

    Args:
        session_id (str): A session id, as returned by createSession. Example:
            s-0a1b2c3d4e5f60718293a4b5.
        protocol_type (GetLinkMcpProtocolType | Unset):
        port (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetLinkResponse]
    """

    kwargs = _get_kwargs(
        session_id=session_id,
        protocol_type=protocol_type,
        port=port,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    session_id: str,
    protocol_type: GetLinkMcpProtocolType | Unset = UNSET,
    port: int | Unset = UNSET,
) -> ErrorResponse | GetLinkResponse | None:
    """Get a link to a port inside a session (the async client's route)

     The same operation as `GET /internet/getLink`, on the route the official client's async variant
    uses.

    Args:
        session_id (str): A session id, as returned by createSession. Example:
            s-0a1b2c3d4e5f60718293a4b5.
        protocol_type (GetLinkMcpProtocolType | Unset):
        port (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetLinkResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            session_id=session_id,
            protocol_type=protocol_type,
            port=port,
        )
    ).parsed
