from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.link_call_tool_request import LinkCallToolRequest
from ...models.link_call_tool_response import LinkCallToolResponse
from ...types import Response


def _get_kwargs(
    *,
    body: LinkCallToolRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/link/callTool",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | LinkCallToolResponse | None:
    if response.status_code == 200:
        response_200 = LinkCallToolResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | LinkCallToolResponse]:
    status_code: int
    try:
        status_code = HTTPStatus(response.status_code)
    except ValueError:
        status_code = response.status_code
    parsed: ErrorResponse | LinkCallToolResponse | None
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
    body: LinkCallToolRequest,
) -> Response[ErrorResponse | LinkCallToolResponse]:
    """Call a tool through the session's LinkUrl

     The direct tool route: `POST <linkUrl>/callTool`. Clients use it instead of `POST /mcp` when
    createSession/getSession gave a `linkUrl`, a `token` and a `toolList` naming the tool's server. It
    is
    authorised by the session token alone (`X-Access-Token`, repeated in the body), not by the API key:
    the token names the session. The tool results and tool errors are those of `POST /mcp`, with the
    result under `data.result` (clients read nothing else of the reply, envelope included). A missing,
    forged or stale token, or header and body tokens that differ, is a 401; a released session a 404.

    Args:
        body (LinkCallToolRequest):  Example: {'args': {'path': '/home/user'}, 'server':
            'agb_local', 'requestId': 'link-1764580000000-123456789', 'tool': 'list_directory',
            'token': 's-0a1b2c3d4e5f60718293a4b5.c2b1a7e09d4f3e6a8b5c7d9e0f1a2b3c'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | LinkCallToolResponse]
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
    body: LinkCallToolRequest,
) -> ErrorResponse | LinkCallToolResponse | None:
    """Call a tool through the session's LinkUrl

     The direct tool route: `POST <linkUrl>/callTool`. Clients use it instead of `POST /mcp` when
    createSession/getSession gave a `linkUrl`, a `token` and a `toolList` naming the tool's server. It
    is
    authorised by the session token alone (`X-Access-Token`, repeated in the body), not by the API key:
    the token names the session. The tool results and tool errors are those of `POST /mcp`, with the
    result under `data.result` (clients read nothing else of the reply, envelope included). A missing,
    forged or stale token, or header and body tokens that differ, is a 401; a released session a 404.

    Args:
        body (LinkCallToolRequest):  Example: {'args': {'path': '/home/user'}, 'server':
            'agb_local', 'requestId': 'link-1764580000000-123456789', 'tool': 'list_directory',
            'token': 's-0a1b2c3d4e5f60718293a4b5.c2b1a7e09d4f3e6a8b5c7d9e0f1a2b3c'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | LinkCallToolResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: LinkCallToolRequest,
) -> Response[ErrorResponse | LinkCallToolResponse]:
    """Call a tool through the session's LinkUrl

     The direct tool route: `POST <linkUrl>/callTool`. Clients use it instead of `POST /mcp` when
    createSession/getSession gave a `linkUrl`, a `token` and a `toolList` naming the tool's server. It
    is
    authorised by the session token alone (`X-Access-Token`, repeated in the body), not by the API key:
    the token names the session. The tool results and tool errors are those of `POST /mcp`, with the
    result under `data.result` (clients read nothing else of the reply, envelope included). A missing,
    forged or stale token, or header and body tokens that differ, is a 401; a released session a 404.

    Args:
        body (LinkCallToolRequest):  Example: {'args': {'path': '/home/user'}, 'server':
            'agb_local', 'requestId': 'link-1764580000000-123456789', 'tool': 'list_directory',
            'token': 's-0a1b2c3d4e5f60718293a4b5.c2b1a7e09d4f3e6a8b5c7d9e0f1a2b3c'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | LinkCallToolResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: LinkCallToolRequest,
) -> ErrorResponse | LinkCallToolResponse | None:
    """Call a tool through the session's LinkUrl

     The direct tool route: `POST <linkUrl>/callTool`. Clients use it instead of `POST /mcp` when
    createSession/getSession gave a `linkUrl`, a `token` and a `toolList` naming the tool's server. It
    is
    authorised by the session token alone (`X-Access-Token`, repeated in the body), not by the API key:
    the token names the session. The tool results and tool errors are those of `POST /mcp`, with the
    result under `data.result` (clients read nothing else of the reply, envelope included). A missing,
    forged or stale token, or header and body tokens that differ, is a 401; a released session a 404.

    Args:
        body (LinkCallToolRequest):  Example: {'args': {'path': '/home/user'}, 'server':
            'agb_local', 'requestId': 'link-1764580000000-123456789', 'tool': 'list_directory',
            'token': 's-0a1b2c3d4e5f60718293a4b5.c2b1a7e09d4f3e6a8b5c7d9e0f1a2b3c'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | LinkCallToolResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
