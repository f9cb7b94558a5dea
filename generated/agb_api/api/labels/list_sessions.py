from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.list_sessions_response import ListSessionsResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    max_results: int | Unset = 10,
    next_token: str | Unset = UNSET,
    labels: str | Unset = UNSET,
    is_all: bool | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["maxResults"] = max_results

    params["nextToken"] = next_token

    params["labels"] = labels

    params["isAll"] = is_all

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/sdk/ListSession",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ListSessionsResponse | None:
    if response.status_code == 200:
        response_200 = ListSessionsResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | ListSessionsResponse]:
    status_code: int
    try:
        status_code = HTTPStatus(response.status_code)
    except ValueError:
        status_code = response.status_code
    parsed: ErrorResponse | ListSessionsResponse | None
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
    labels: str | Unset = UNSET,
    is_all: bool | Unset = UNSET,
) -> Response[ErrorResponse | ListSessionsResponse]:
    """List live sessions, filtered by labels, one page at a time

     Lists the live sessions of the calling API key. With `labels`, a session is listed when it carries
    **every** given label with the given value; `{}` lists all. Pages hold at most `maxResults`
    sessions; a non-empty top-level `nextToken` fetches the next page with the same filter; `count` is
    the total number of matching sessions. Released sessions are never listed.

    Args:
        max_results (int | Unset):  Default: 10.
        next_token (str | Unset):
        labels (str | Unset): A `Labels` object serialised into a string, for example `{"project":
            "demo"}`: a JSON object whose
            keys and values are non-empty JSON strings (clients use Python `json.dumps`, so `": "` and
            `", "`
            separators and `\\uXXXX` escapes are common; any JSON whitespace is accepted). `{}` means
            no labels
            (as a filter: match every session). The pattern is exactly that grammar, written for every
            regex
            engine (ECMA 262, Rust, Python); the text is Unicode, so lone surrogates are not labels.
             Example: {"project": "demo", "env": "staging"}.
        is_all (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListSessionsResponse]
    """

    kwargs = _get_kwargs(
        max_results=max_results,
        next_token=next_token,
        labels=labels,
        is_all=is_all,
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
    labels: str | Unset = UNSET,
    is_all: bool | Unset = UNSET,
) -> ErrorResponse | ListSessionsResponse | None:
    """List live sessions, filtered by labels, one page at a time

     Lists the live sessions of the calling API key. With `labels`, a session is listed when it carries
    **every** given label with the given value; `{}` lists all. Pages hold at most `maxResults`
    sessions; a non-empty top-level `nextToken` fetches the next page with the same filter; `count` is
    the total number of matching sessions. Released sessions are never listed.

    Args:
        max_results (int | Unset):  Default: 10.
        next_token (str | Unset):
        labels (str | Unset): A `Labels` object serialised into a string, for example `{"project":
            "demo"}`: a JSON object whose
            keys and values are non-empty JSON strings (clients use Python `json.dumps`, so `": "` and
            `", "`
            separators and `\\uXXXX` escapes are common; any JSON whitespace is accepted). `{}` means
            no labels
            (as a filter: match every session). The pattern is exactly that grammar, written for every
            regex
            engine (ECMA 262, Rust, Python); the text is Unicode, so lone surrogates are not labels.
             Example: {"project": "demo", "env": "staging"}.
        is_all (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListSessionsResponse
    """

    return sync_detailed(
        client=client,
        max_results=max_results,
        next_token=next_token,
        labels=labels,
        is_all=is_all,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    max_results: int | Unset = 10,
    next_token: str | Unset = UNSET,
    labels: str | Unset = UNSET,
    is_all: bool | Unset = UNSET,
) -> Response[ErrorResponse | ListSessionsResponse]:
    """List live sessions, filtered by labels, one page at a time

     Lists the live sessions of the calling API key. With `labels`, a session is listed when it carries
    **every** given label with the given value; `{}` lists all. Pages hold at most `maxResults`
    sessions; a non-empty top-level `nextToken` fetches the next page with the same filter; `count` is
    the total number of matching sessions. Released sessions are never listed.

    Args:
        max_results (int | Unset):  Default: 10.
        next_token (str | Unset):
        labels (str | Unset): A `Labels` object serialised into a string, for example `{"project":
            "demo"}`: a JSON object whose
            keys and values are non-empty JSON strings (clients use Python `json.dumps`, so `": "` and
            `", "`
            separators and `\\uXXXX` escapes are common; any JSON whitespace is accepted). `{}` means
            no labels
            (as a filter: match every session). The pattern is exactly that grammar, written for every
            regex
            engine (ECMA 262, Rust, Python); the text is Unicode, so lone surrogates are not labels.
             Example: {"project": "demo", "env": "staging"}.
        is_all (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListSessionsResponse]
    """

    kwargs = _get_kwargs(
        max_results=max_results,
        next_token=next_token,
        labels=labels,
        is_all=is_all,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    max_results: int | Unset = 10,
    next_token: str | Unset = UNSET,
    labels: str | Unset = UNSET,
    is_all: bool | Unset = UNSET,
) -> ErrorResponse | ListSessionsResponse | None:
    """List live sessions, filtered by labels, one page at a time

     Lists the live sessions of the calling API key. With `labels`, a session is listed when it carries
    **every** given label with the given value; `{}` lists all. Pages hold at most `maxResults`
    sessions; a non-empty top-level `nextToken` fetches the next page with the same filter; `count` is
    the total number of matching sessions. Released sessions are never listed.

    Args:
        max_results (int | Unset):  Default: 10.
        next_token (str | Unset):
        labels (str | Unset): A `Labels` object serialised into a string, for example `{"project":
            "demo"}`: a JSON object whose
            keys and values are non-empty JSON strings (clients use Python `json.dumps`, so `": "` and
            `", "`
            separators and `\\uXXXX` escapes are common; any JSON whitespace is accepted). `{}` means
            no labels
            (as a filter: match every session). The pattern is exactly that grammar, written for every
            regex
            engine (ECMA 262, Rust, Python); the text is Unicode, so lone surrogates are not labels.
             Example: {"project": "demo", "env": "staging"}.
        is_all (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListSessionsResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            max_results=max_results,
            next_token=next_token,
            labels=labels,
            is_all=is_all,
        )
    ).parsed
