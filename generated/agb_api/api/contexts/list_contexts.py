from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.list_contexts_response import ListContextsResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    max_results: int | Unset = 10,
    next_token: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["maxResults"] = max_results

    params["nextToken"] = next_token

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/sdk/ListContexts",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ListContextsResponse | None:
    if response.status_code == 200:
        response_200 = ListContextsResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | ListContextsResponse]:
    status_code: int
    try:
        status_code = HTTPStatus(response.status_code)
    except ValueError:
        status_code = response.status_code
    parsed: ErrorResponse | ListContextsResponse | None
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
    max_results: int | Unset = 10,
    next_token: str | Unset = UNSET,
) -> Response[ErrorResponse | ListContextsResponse]:
    """List the contexts of the key, one page at a time

     Lists the contexts (named persistent storage) of the calling API key, in creation order. `data` is
    an array; the pagination fields sit at the top level as in ListSession: a non-empty `nextToken`
    fetches the next page, `totalCount` is the number of contexts. (The official client 0.12.0 reads
    them from `data` and so never sees them.)

    Args:
        max_results (int | Unset):  Default: 10.
        next_token (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListContextsResponse]
    """

    kwargs = _get_kwargs(
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
    max_results: int | Unset = 10,
    next_token: str | Unset = UNSET,
) -> ErrorResponse | ListContextsResponse | None:
    """List the contexts of the key, one page at a time

     Lists the contexts (named persistent storage) of the calling API key, in creation order. `data` is
    an array; the pagination fields sit at the top level as in ListSession: a non-empty `nextToken`
    fetches the next page, `totalCount` is the number of contexts. (The official client 0.12.0 reads
    them from `data` and so never sees them.)

    Args:
        max_results (int | Unset):  Default: 10.
        next_token (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListContextsResponse
    """

    return sync_detailed(
        client=client,
        max_results=max_results,
        next_token=next_token,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    max_results: int | Unset = 10,
    next_token: str | Unset = UNSET,
) -> Response[ErrorResponse | ListContextsResponse]:
    """List the contexts of the key, one page at a time

     Lists the contexts (named persistent storage) of the calling API key, in creation order. `data` is
    an array; the pagination fields sit at the top level as in ListSession: a non-empty `nextToken`
    fetches the next page, `totalCount` is the number of contexts. (The official client 0.12.0 reads
    them from `data` and so never sees them.)

    Args:
        max_results (int | Unset):  Default: 10.
        next_token (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListContextsResponse]
    """

    kwargs = _get_kwargs(
        max_results=max_results,
        next_token=next_token,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    max_results: int | Unset = 10,
    next_token: str | Unset = UNSET,
) -> ErrorResponse | ListContextsResponse | None:
    """List the contexts of the key, one page at a time

     Lists the contexts (named persistent storage) of the calling API key, in creation order. `data` is
    an array; the pagination fields sit at the top level as in ListSession: a non-empty `nextToken`
    fetches the next page, `totalCount` is the number of contexts. (The official client 0.12.0 reads
    them from `data` and so never sees them.)

    Args:
        max_results (int | Unset):  Default: 10.
        next_token (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListContextsResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            max_results=max_results,
            next_token=next_token,
        )
    ).parsed
