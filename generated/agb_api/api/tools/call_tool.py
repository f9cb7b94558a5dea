from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.call_tool_request import CallToolRequest
from ...models.call_tool_response import CallToolResponse
from ...models.error_response import ErrorResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: CallToolRequest,
    auto_gen_session: bool | Unset = UNSET,
    image_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["autoGenSession"] = auto_gen_session

    params["imageId"] = image_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/mcp",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CallToolResponse | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = CallToolResponse.from_dict(response.json())

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
) -> Response[CallToolResponse | ErrorResponse]:
    status_code: int
    try:
        status_code = HTTPStatus(response.status_code)
    except ValueError:
        status_code = response.status_code
    parsed: CallToolResponse | ErrorResponse | None
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
    body: CallToolRequest,
    auto_gen_session: bool | Unset = UNSET,
    image_id: str | Unset = UNSET,
) -> Response[CallToolResponse | ErrorResponse]:
    """Call a tool of a session

     Calls the tool `name` of the session with `args`, a JSON object serialised into a string whose shape
    depends on the tool (see `x-agb-tools`). The tool's output is the text of the `type: "text"` items
    of
    `data.content`, joined with newlines; for some tools that text is itself a JSON document.

    A failing tool (non-zero exit aside, see `ShellOutput`), an unknown tool name and `args` that are
    not JSON or do not fit the tool are **tool errors**: HTTP 200, `success: true`, `message: ""`,
    `data.isError: true`, the reason in the content text. An unknown session is a 404 API error.

    The tools of a capability (`x-agb-capabilities`: the browser's `page_use_*`, the desktop's mouse,
    keyboard, window and screenshot tools) are tool errors too on a backend without it: agb_local's text
    says that it has no browser or desktop, and what the session does offer.

    Args:
        auto_gen_session (bool | Unset):
        image_id (str | Unset):
        body (CallToolRequest):  Example: {'sessionId': 's-0a1b2c3d4e5f60718293a4b5', 'name':
            'run_code', 'args': '{"code": "1+1", "language": "python", "timeout_s": 60}'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallToolResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        auto_gen_session=auto_gen_session,
        image_id=image_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: CallToolRequest,
    auto_gen_session: bool | Unset = UNSET,
    image_id: str | Unset = UNSET,
) -> CallToolResponse | ErrorResponse | None:
    """Call a tool of a session

     Calls the tool `name` of the session with `args`, a JSON object serialised into a string whose shape
    depends on the tool (see `x-agb-tools`). The tool's output is the text of the `type: "text"` items
    of
    `data.content`, joined with newlines; for some tools that text is itself a JSON document.

    A failing tool (non-zero exit aside, see `ShellOutput`), an unknown tool name and `args` that are
    not JSON or do not fit the tool are **tool errors**: HTTP 200, `success: true`, `message: ""`,
    `data.isError: true`, the reason in the content text. An unknown session is a 404 API error.

    The tools of a capability (`x-agb-capabilities`: the browser's `page_use_*`, the desktop's mouse,
    keyboard, window and screenshot tools) are tool errors too on a backend without it: agb_local's text
    says that it has no browser or desktop, and what the session does offer.

    Args:
        auto_gen_session (bool | Unset):
        image_id (str | Unset):
        body (CallToolRequest):  Example: {'sessionId': 's-0a1b2c3d4e5f60718293a4b5', 'name':
            'run_code', 'args': '{"code": "1+1", "language": "python", "timeout_s": 60}'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallToolResponse | ErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        auto_gen_session=auto_gen_session,
        image_id=image_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CallToolRequest,
    auto_gen_session: bool | Unset = UNSET,
    image_id: str | Unset = UNSET,
) -> Response[CallToolResponse | ErrorResponse]:
    """Call a tool of a session

     Calls the tool `name` of the session with `args`, a JSON object serialised into a string whose shape
    depends on the tool (see `x-agb-tools`). The tool's output is the text of the `type: "text"` items
    of
    `data.content`, joined with newlines; for some tools that text is itself a JSON document.

    A failing tool (non-zero exit aside, see `ShellOutput`), an unknown tool name and `args` that are
    not JSON or do not fit the tool are **tool errors**: HTTP 200, `success: true`, `message: ""`,
    `data.isError: true`, the reason in the content text. An unknown session is a 404 API error.

    The tools of a capability (`x-agb-capabilities`: the browser's `page_use_*`, the desktop's mouse,
    keyboard, window and screenshot tools) are tool errors too on a backend without it: agb_local's text
    says that it has no browser or desktop, and what the session does offer.

    Args:
        auto_gen_session (bool | Unset):
        image_id (str | Unset):
        body (CallToolRequest):  Example: {'sessionId': 's-0a1b2c3d4e5f60718293a4b5', 'name':
            'run_code', 'args': '{"code": "1+1", "language": "python", "timeout_s": 60}'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CallToolResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        auto_gen_session=auto_gen_session,
        image_id=image_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CallToolRequest,
    auto_gen_session: bool | Unset = UNSET,
    image_id: str | Unset = UNSET,
) -> CallToolResponse | ErrorResponse | None:
    """Call a tool of a session

     Calls the tool `name` of the session with `args`, a JSON object serialised into a string whose shape
    depends on the tool (see `x-agb-tools`). The tool's output is the text of the `type: "text"` items
    of
    `data.content`, joined with newlines; for some tools that text is itself a JSON document.

    A failing tool (non-zero exit aside, see `ShellOutput`), an unknown tool name and `args` that are
    not JSON or do not fit the tool are **tool errors**: HTTP 200, `success: true`, `message: ""`,
    `data.isError: true`, the reason in the content text. An unknown session is a 404 API error.

    The tools of a capability (`x-agb-capabilities`: the browser's `page_use_*`, the desktop's mouse,
    keyboard, window and screenshot tools) are tool errors too on a backend without it: agb_local's text
    says that it has no browser or desktop, and what the session does offer.

    Args:
        auto_gen_session (bool | Unset):
        image_id (str | Unset):
        body (CallToolRequest):  Example: {'sessionId': 's-0a1b2c3d4e5f60718293a4b5', 'name':
            'run_code', 'args': '{"code": "1+1", "language": "python", "timeout_s": 60}'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CallToolResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            auto_gen_session=auto_gen_session,
            image_id=image_id,
        )
    ).parsed
