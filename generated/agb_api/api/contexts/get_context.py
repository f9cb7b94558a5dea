from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.get_context_response import GetContextResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    id: str | Unset = UNSET,
    name: str | Unset = UNSET,
    login_region_id: str | Unset = UNSET,
    allow_create: bool | Unset = False,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["id"] = id

    params["name"] = name

    params["loginRegionId"] = login_region_id

    params["allowCreate"] = allow_create

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/sdk/GetContext",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | GetContextResponse | None:
    if response.status_code == 200:
        response_200 = GetContextResponse.from_dict(response.json())

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
) -> Response[ErrorResponse | GetContextResponse]:
    status_code: int
    try:
        status_code = HTTPStatus(response.status_code)
    except ValueError:
        status_code = response.status_code
    parsed: ErrorResponse | GetContextResponse | None
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
    id: str | Unset = UNSET,
    name: str | Unset = UNSET,
    login_region_id: str | Unset = UNSET,
    allow_create: bool | Unset = False,
) -> Response[ErrorResponse | GetContextResponse]:
    """Get a context by id or name, optionally creating it

     Returns the context named by `id` or `name` (with both, both must match; with neither, no context
    matches: 404).
    With `allowCreate=true` and a `name`, a context of that name is created when the key has none.
    `data.state` is `available`, or `clearing` while a ClearContext runs; clients poll this after
    ClearContext until `available`. An unknown context, or one of another key, is a 404 with code
    `InvalidContext.NotFound`.

    Args:
        id (str | Unset): A context id, as returned by GetContext. Example:
            ctx-0a1b2c3d4e5f60718293a4b5.
        name (str | Unset): A context name, unique among the contexts of an API key. Example:
            work.
        login_region_id (str | Unset):
        allow_create (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetContextResponse]
    """

    kwargs = _get_kwargs(
        id=id,
        name=name,
        login_region_id=login_region_id,
        allow_create=allow_create,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    id: str | Unset = UNSET,
    name: str | Unset = UNSET,
    login_region_id: str | Unset = UNSET,
    allow_create: bool | Unset = False,
) -> ErrorResponse | GetContextResponse | None:
    """Get a context by id or name, optionally creating it

     Returns the context named by `id` or `name` (with both, both must match; with neither, no context
    matches: 404).
    With `allowCreate=true` and a `name`, a context of that name is created when the key has none.
    `data.state` is `available`, or `clearing` while a ClearContext runs; clients poll this after
    ClearContext until `available`. An unknown context, or one of another key, is a 404 with code
    `InvalidContext.NotFound`.

    Args:
        id (str | Unset): A context id, as returned by GetContext. Example:
            ctx-0a1b2c3d4e5f60718293a4b5.
        name (str | Unset): A context name, unique among the contexts of an API key. Example:
            work.
        login_region_id (str | Unset):
        allow_create (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetContextResponse
    """

    return sync_detailed(
        client=client,
        id=id,
        name=name,
        login_region_id=login_region_id,
        allow_create=allow_create,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    id: str | Unset = UNSET,
    name: str | Unset = UNSET,
    login_region_id: str | Unset = UNSET,
    allow_create: bool | Unset = False,
) -> Response[ErrorResponse | GetContextResponse]:
    """Get a context by id or name, optionally creating it

     Returns the context named by `id` or `name` (with both, both must match; with neither, no context
    matches: 404).
    With `allowCreate=true` and a `name`, a context of that name is created when the key has none.
    `data.state` is `available`, or `clearing` while a ClearContext runs; clients poll this after
    ClearContext until `available`. An unknown context, or one of another key, is a 404 with code
    `InvalidContext.NotFound`.

    Args:
        id (str | Unset): A context id, as returned by GetContext. Example:
            ctx-0a1b2c3d4e5f60718293a4b5.
        name (str | Unset): A context name, unique among the contexts of an API key. Example:
            work.
        login_region_id (str | Unset):
        allow_create (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetContextResponse]
    """

    kwargs = _get_kwargs(
        id=id,
        name=name,
        login_region_id=login_region_id,
        allow_create=allow_create,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    id: str | Unset = UNSET,
    name: str | Unset = UNSET,
    login_region_id: str | Unset = UNSET,
    allow_create: bool | Unset = False,
) -> ErrorResponse | GetContextResponse | None:
    """Get a context by id or name, optionally creating it

     Returns the context named by `id` or `name` (with both, both must match; with neither, no context
    matches: 404).
    With `allowCreate=true` and a `name`, a context of that name is created when the key has none.
    `data.state` is `available`, or `clearing` while a ClearContext runs; clients poll this after
    ClearContext until `available`. An unknown context, or one of another key, is a 404 with code
    `InvalidContext.NotFound`.

    Args:
        id (str | Unset): A context id, as returned by GetContext. Example:
            ctx-0a1b2c3d4e5f60718293a4b5.
        name (str | Unset): A context name, unique among the contexts of an API key. Example:
            work.
        login_region_id (str | Unset):
        allow_create (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetContextResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            id=id,
            name=name,
            login_region_id=login_region_id,
            allow_create=allow_create,
        )
    ).parsed
