from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_session_request import CreateSessionRequest
from ...models.create_session_response import CreateSessionResponse
from ...models.error_response import ErrorResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: CreateSessionRequest | Unset = UNSET,
    image_id: str | Unset = UNSET,
    sdk_stats: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["imageId"] = image_id

    params["sdkStats"] = sdk_stats

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/mcp/createSession",
        "params": params,
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreateSessionResponse | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = CreateSessionResponse.from_dict(response.json())

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

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CreateSessionResponse | ErrorResponse]:
    status_code: int
    try:
        status_code = HTTPStatus(response.status_code)
    except ValueError:
        status_code = response.status_code
    parsed: CreateSessionResponse | ErrorResponse | None
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
    body: CreateSessionRequest | Unset = UNSET,
    image_id: str | Unset = UNSET,
    sdk_stats: str | Unset = UNSET,
) -> Response[CreateSessionResponse | ErrorResponse]:
    """Create a session

     Starts a new sandbox from an image and returns its session id. Labels, an idle-release timeout and
    a policy id travel in the body; the image id and the client statistics travel in the query.

    Old clients send no `imageId` at all; the service then uses its default image (`code_latest`).
    Clients decide success from `data.success` and `data.sessionId`, so a successful reply always
    carries both. An unknown image id is a 400 whose message lists the known images; too many live
    sessions for the key is a 429.

    Args:
        image_id (str | Unset):
        sdk_stats (str | Unset):
        body (CreateSessionRequest | Unset): Optional settings of a new session. Every field may
            be omitted; `{}` is the common body, and a missing body means `{}`. Example: {'labels':
            '{"project": "demo"}', 'timeout': 300}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateSessionResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        image_id=image_id,
        sdk_stats=sdk_stats,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: CreateSessionRequest | Unset = UNSET,
    image_id: str | Unset = UNSET,
    sdk_stats: str | Unset = UNSET,
) -> CreateSessionResponse | ErrorResponse | None:
    """Create a session

     Starts a new sandbox from an image and returns its session id. Labels, an idle-release timeout and
    a policy id travel in the body; the image id and the client statistics travel in the query.

    Old clients send no `imageId` at all; the service then uses its default image (`code_latest`).
    Clients decide success from `data.success` and `data.sessionId`, so a successful reply always
    carries both. An unknown image id is a 400 whose message lists the known images; too many live
    sessions for the key is a 429.

    Args:
        image_id (str | Unset):
        sdk_stats (str | Unset):
        body (CreateSessionRequest | Unset): Optional settings of a new session. Every field may
            be omitted; `{}` is the common body, and a missing body means `{}`. Example: {'labels':
            '{"project": "demo"}', 'timeout': 300}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateSessionResponse | ErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        image_id=image_id,
        sdk_stats=sdk_stats,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateSessionRequest | Unset = UNSET,
    image_id: str | Unset = UNSET,
    sdk_stats: str | Unset = UNSET,
) -> Response[CreateSessionResponse | ErrorResponse]:
    """Create a session

     Starts a new sandbox from an image and returns its session id. Labels, an idle-release timeout and
    a policy id travel in the body; the image id and the client statistics travel in the query.

    Old clients send no `imageId` at all; the service then uses its default image (`code_latest`).
    Clients decide success from `data.success` and `data.sessionId`, so a successful reply always
    carries both. An unknown image id is a 400 whose message lists the known images; too many live
    sessions for the key is a 429.

    Args:
        image_id (str | Unset):
        sdk_stats (str | Unset):
        body (CreateSessionRequest | Unset): Optional settings of a new session. Every field may
            be omitted; `{}` is the common body, and a missing body means `{}`. Example: {'labels':
            '{"project": "demo"}', 'timeout': 300}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateSessionResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        image_id=image_id,
        sdk_stats=sdk_stats,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CreateSessionRequest | Unset = UNSET,
    image_id: str | Unset = UNSET,
    sdk_stats: str | Unset = UNSET,
) -> CreateSessionResponse | ErrorResponse | None:
    """Create a session

     Starts a new sandbox from an image and returns its session id. Labels, an idle-release timeout and
    a policy id travel in the body; the image id and the client statistics travel in the query.

    Old clients send no `imageId` at all; the service then uses its default image (`code_latest`).
    Clients decide success from `data.success` and `data.sessionId`, so a successful reply always
    carries both. An unknown image id is a 400 whose message lists the known images; too many live
    sessions for the key is a 429.

    Args:
        image_id (str | Unset):
        sdk_stats (str | Unset):
        body (CreateSessionRequest | Unset): Optional settings of a new session. Every field may
            be omitted; `{}` is the common body, and a missing body means `{}`. Example: {'labels':
            '{"project": "demo"}', 'timeout': 300}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateSessionResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            image_id=image_id,
            sdk_stats=sdk_stats,
        )
    ).parsed
