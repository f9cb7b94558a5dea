from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.empty_request import EmptyRequest
from ...models.error_response import ErrorResponse
from ...models.list_tools_response import ListToolsResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: EmptyRequest | Unset = UNSET,
    image_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["imageId"] = image_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/mcp/listTools",
        "params": params,
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ListToolsResponse | None:
    if response.status_code == 200:
        response_200 = ListToolsResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

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
) -> Response[ErrorResponse | ListToolsResponse]:
    status_code: int
    try:
        status_code = HTTPStatus(response.status_code)
    except ValueError:
        status_code = response.status_code
    parsed: ErrorResponse | ListToolsResponse | None
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
    image_id: str | Unset = UNSET,
) -> Response[ErrorResponse | ListToolsResponse]:
    """List the tools of an image

     Lists the tools a session of the image offers. `data` is a JSON array of `ToolDescriptor`
    serialised into a string. An unknown image id is a 400 whose message lists the known images.

    The list depends on the image's family (`x-agb-images.families`): the tools of `x-agb-tools`, and
    the
    tools of the family's capabilities (`x-agb-capabilities`) that the backend serves. agb_local serves
    no
    capability, so it lists the tools of `x-agb-tools` for every image; the cloud lists a browser-use
    image's browser tools too.

    Args:
        image_id (str | Unset):
        body (EmptyRequest | Unset): The empty object `{}`. Unknown keys are ignored. A missing
            body means `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListToolsResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        image_id=image_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: EmptyRequest | Unset = UNSET,
    image_id: str | Unset = UNSET,
) -> ErrorResponse | ListToolsResponse | None:
    """List the tools of an image

     Lists the tools a session of the image offers. `data` is a JSON array of `ToolDescriptor`
    serialised into a string. An unknown image id is a 400 whose message lists the known images.

    The list depends on the image's family (`x-agb-images.families`): the tools of `x-agb-tools`, and
    the
    tools of the family's capabilities (`x-agb-capabilities`) that the backend serves. agb_local serves
    no
    capability, so it lists the tools of `x-agb-tools` for every image; the cloud lists a browser-use
    image's browser tools too.

    Args:
        image_id (str | Unset):
        body (EmptyRequest | Unset): The empty object `{}`. Unknown keys are ignored. A missing
            body means `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListToolsResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        image_id=image_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: EmptyRequest | Unset = UNSET,
    image_id: str | Unset = UNSET,
) -> Response[ErrorResponse | ListToolsResponse]:
    """List the tools of an image

     Lists the tools a session of the image offers. `data` is a JSON array of `ToolDescriptor`
    serialised into a string. An unknown image id is a 400 whose message lists the known images.

    The list depends on the image's family (`x-agb-images.families`): the tools of `x-agb-tools`, and
    the
    tools of the family's capabilities (`x-agb-capabilities`) that the backend serves. agb_local serves
    no
    capability, so it lists the tools of `x-agb-tools` for every image; the cloud lists a browser-use
    image's browser tools too.

    Args:
        image_id (str | Unset):
        body (EmptyRequest | Unset): The empty object `{}`. Unknown keys are ignored. A missing
            body means `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListToolsResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        image_id=image_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: EmptyRequest | Unset = UNSET,
    image_id: str | Unset = UNSET,
) -> ErrorResponse | ListToolsResponse | None:
    """List the tools of an image

     Lists the tools a session of the image offers. `data` is a JSON array of `ToolDescriptor`
    serialised into a string. An unknown image id is a 400 whose message lists the known images.

    The list depends on the image's family (`x-agb-images.families`): the tools of `x-agb-tools`, and
    the
    tools of the family's capabilities (`x-agb-capabilities`) that the backend serves. agb_local serves
    no
    capability, so it lists the tools of `x-agb-tools` for every image; the cloud lists a browser-use
    image's browser tools too.

    Args:
        image_id (str | Unset):
        body (EmptyRequest | Unset): The empty object `{}`. Unknown keys are ignored. A missing
            body means `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListToolsResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            image_id=image_id,
        )
    ).parsed
