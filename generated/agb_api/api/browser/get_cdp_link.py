from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.empty_request import EmptyRequest
from ...models.error_response import ErrorResponse
from ...models.get_cdp_link_response import GetCdpLinkResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: EmptyRequest | Unset = UNSET,
    session_id: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["sessionId"] = session_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/internet/getCdpLink",
        "params": params,
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | GetCdpLinkResponse | None:
    if response.status_code == 200:
        response_200 = GetCdpLinkResponse.from_dict(response.json())

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

    if response.status_code == 413:
        response_413 = ErrorResponse.from_dict(response.json())

        return response_413

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if response.status_code == 501:
        response_501 = ErrorResponse.from_dict(response.json())

        return response_501

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | GetCdpLinkResponse]:
    status_code: int
    try:
        status_code = HTTPStatus(response.status_code)
    except ValueError:
        status_code = response.status_code
    parsed: ErrorResponse | GetCdpLinkResponse | None
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
) -> Response[ErrorResponse | GetCdpLinkResponse]:
    """Get the CDP WebSocket URL of a session's browser

     The URL of the Chrome DevTools Protocol endpoint of the browser `initBrowser` started (Playwright's
    `connect_over_cdp` takes it). Old clients show the message on a failure.

    agb_local has no browser: it answers `NotOffered` (501, `NotImplemented.LocalBackend`), the message
    saying so, for every session.

    Args:
        session_id (str): A session id, as returned by createSession. Example:
            s-0a1b2c3d4e5f60718293a4b5.
        body (EmptyRequest | Unset): The empty object `{}`. Unknown keys are ignored. A missing
            body means `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetCdpLinkResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        session_id=session_id,
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
) -> ErrorResponse | GetCdpLinkResponse | None:
    """Get the CDP WebSocket URL of a session's browser

     The URL of the Chrome DevTools Protocol endpoint of the browser `initBrowser` started (Playwright's
    `connect_over_cdp` takes it). Old clients show the message on a failure.

    agb_local has no browser: it answers `NotOffered` (501, `NotImplemented.LocalBackend`), the message
    saying so, for every session.

    Args:
        session_id (str): A session id, as returned by createSession. Example:
            s-0a1b2c3d4e5f60718293a4b5.
        body (EmptyRequest | Unset): The empty object `{}`. Unknown keys are ignored. A missing
            body means `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetCdpLinkResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        session_id=session_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: EmptyRequest | Unset = UNSET,
    session_id: str,
) -> Response[ErrorResponse | GetCdpLinkResponse]:
    """Get the CDP WebSocket URL of a session's browser

     The URL of the Chrome DevTools Protocol endpoint of the browser `initBrowser` started (Playwright's
    `connect_over_cdp` takes it). Old clients show the message on a failure.

    agb_local has no browser: it answers `NotOffered` (501, `NotImplemented.LocalBackend`), the message
    saying so, for every session.

    Args:
        session_id (str): A session id, as returned by createSession. Example:
            s-0a1b2c3d4e5f60718293a4b5.
        body (EmptyRequest | Unset): The empty object `{}`. Unknown keys are ignored. A missing
            body means `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetCdpLinkResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        session_id=session_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: EmptyRequest | Unset = UNSET,
    session_id: str,
) -> ErrorResponse | GetCdpLinkResponse | None:
    """Get the CDP WebSocket URL of a session's browser

     The URL of the Chrome DevTools Protocol endpoint of the browser `initBrowser` started (Playwright's
    `connect_over_cdp` takes it). Old clients show the message on a failure.

    agb_local has no browser: it answers `NotOffered` (501, `NotImplemented.LocalBackend`), the message
    saying so, for every session.

    Args:
        session_id (str): A session id, as returned by createSession. Example:
            s-0a1b2c3d4e5f60718293a4b5.
        body (EmptyRequest | Unset): The empty object `{}`. Unknown keys are ignored. A missing
            body means `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetCdpLinkResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            session_id=session_id,
        )
    ).parsed
