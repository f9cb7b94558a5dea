from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.get_label_response import GetLabelResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    session_id: str,
    max_results: int | Unset = UNSET,
    next_token: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["sessionId"] = session_id

    params["maxResults"] = max_results

    params["nextToken"] = next_token

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/sdk/GetLabel",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | GetLabelResponse | None:
    if response.status_code == 200:
        response_200 = GetLabelResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | GetLabelResponse]:
    status_code: int
    try:
        status_code = HTTPStatus(response.status_code)
    except ValueError:
        status_code = response.status_code
    parsed: ErrorResponse | GetLabelResponse | None
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
    max_results: int | Unset = UNSET,
    next_token: str | Unset = UNSET,
) -> Response[ErrorResponse | GetLabelResponse]:
    """Get a session's labels

     Returns the session's labels as a JSON object serialised into `data.labels` (always a string,
    `"{}"` when there are none). Unlike ListSession, pagination fields sit inside `data`.

    Args:
        session_id (str): A session id, as returned by createSession. Example:
            s-0a1b2c3d4e5f60718293a4b5.
        max_results (int | Unset):
        next_token (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetLabelResponse]
    """

    kwargs = _get_kwargs(
        session_id=session_id,
        max_results=max_results,
        next_token=next_token,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    session_id: str,
    max_results: int | Unset = UNSET,
    next_token: str | Unset = UNSET,
) -> ErrorResponse | GetLabelResponse | None:
    """Get a session's labels

     Returns the session's labels as a JSON object serialised into `data.labels` (always a string,
    `"{}"` when there are none). Unlike ListSession, pagination fields sit inside `data`.

    Args:
        session_id (str): A session id, as returned by createSession. Example:
            s-0a1b2c3d4e5f60718293a4b5.
        max_results (int | Unset):
        next_token (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetLabelResponse
    """

    return sync_detailed(
        client=client,
        session_id=session_id,
        max_results=max_results,
        next_token=next_token,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    session_id: str,
    max_results: int | Unset = UNSET,
    next_token: str | Unset = UNSET,
) -> Response[ErrorResponse | GetLabelResponse]:
    """Get a session's labels

     Returns the session's labels as a JSON object serialised into `data.labels` (always a string,
    `"{}"` when there are none). Unlike ListSession, pagination fields sit inside `data`.

    Args:
        session_id (str): A session id, as returned by createSession. Example:
            s-0a1b2c3d4e5f60718293a4b5.
        max_results (int | Unset):
        next_token (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetLabelResponse]
    """

    kwargs = _get_kwargs(
        session_id=session_id,
        max_results=max_results,
        next_token=next_token,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    session_id: str,
    max_results: int | Unset = UNSET,
    next_token: str | Unset = UNSET,
) -> ErrorResponse | GetLabelResponse | None:
    """Get a session's labels

     Returns the session's labels as a JSON object serialised into `data.labels` (always a string,
    `"{}"` when there are none). Unlike ListSession, pagination fields sit inside `data`.

    Args:
        session_id (str): A session id, as returned by createSession. Example:
            s-0a1b2c3d4e5f60718293a4b5.
        max_results (int | Unset):
        next_token (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetLabelResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            session_id=session_id,
            max_results=max_results,
            next_token=next_token,
        )
    ).parsed
