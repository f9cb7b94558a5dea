from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.describe_context_files_response import DescribeContextFilesResponse
from ...models.empty_request import EmptyRequest
from ...models.error_response import ErrorResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: EmptyRequest | Unset = UNSET,
    context_id: str,
    parent_folder_path: str | Unset = UNSET,
    page_number: int | Unset = 1,
    page_size: int | Unset = 50,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["contextId"] = context_id

    params["parentFolderPath"] = parent_folder_path

    params["pageNumber"] = page_number

    params["pageSize"] = page_size

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/sdk/DescribeContextFiles",
        "params": params,
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DescribeContextFilesResponse | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = DescribeContextFilesResponse.from_dict(response.json())

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
) -> Response[DescribeContextFilesResponse | ErrorResponse]:
    status_code: int
    try:
        status_code = HTTPStatus(response.status_code)
    except ValueError:
        status_code = response.status_code
    parsed: DescribeContextFilesResponse | ErrorResponse | None
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
    context_id: str,
    parent_folder_path: str | Unset = UNSET,
    page_number: int | Unset = 1,
    page_size: int | Unset = 50,
) -> Response[DescribeContextFilesResponse | ErrorResponse]:
    """List the files of a context folder, one page at a time

     Lists the direct children (files and folders) of `parentFolderPath` (default `/`) in the context,
    sorted by name, `pageSize` per page; page numbers start at 1. The total number of children is the
    top-level `count`. File paths are absolute-looking keys such as `/tmp/a.txt`; they are the sandbox
    paths the files sync to.

    Args:
        context_id (str): A context id, as returned by GetContext. Example:
            ctx-0a1b2c3d4e5f60718293a4b5.
        parent_folder_path (str | Unset): A path in a context or a sandbox, absolute
            (`/tmp/a.txt`). A context's files are keyed by
            the sandbox path they sync to; `..` and repeated slashes are resolved within the context,
            so no key
            reaches outside it. A path no file can have (a NUL character, a name over 255 bytes) names
            no file:
            deleting or listing it finds nothing, and an upload to it is a 400.
             Example: /tmp/a.txt.
        page_number (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 50.
        body (EmptyRequest | Unset): The empty object `{}`. Unknown keys are ignored. A missing
            body means `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DescribeContextFilesResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        context_id=context_id,
        parent_folder_path=parent_folder_path,
        page_number=page_number,
        page_size=page_size,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: EmptyRequest | Unset = UNSET,
    context_id: str,
    parent_folder_path: str | Unset = UNSET,
    page_number: int | Unset = 1,
    page_size: int | Unset = 50,
) -> DescribeContextFilesResponse | ErrorResponse | None:
    """List the files of a context folder, one page at a time

     Lists the direct children (files and folders) of `parentFolderPath` (default `/`) in the context,
    sorted by name, `pageSize` per page; page numbers start at 1. The total number of children is the
    top-level `count`. File paths are absolute-looking keys such as `/tmp/a.txt`; they are the sandbox
    paths the files sync to.

    Args:
        context_id (str): A context id, as returned by GetContext. Example:
            ctx-0a1b2c3d4e5f60718293a4b5.
        parent_folder_path (str | Unset): A path in a context or a sandbox, absolute
            (`/tmp/a.txt`). A context's files are keyed by
            the sandbox path they sync to; `..` and repeated slashes are resolved within the context,
            so no key
            reaches outside it. A path no file can have (a NUL character, a name over 255 bytes) names
            no file:
            deleting or listing it finds nothing, and an upload to it is a 400.
             Example: /tmp/a.txt.
        page_number (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 50.
        body (EmptyRequest | Unset): The empty object `{}`. Unknown keys are ignored. A missing
            body means `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DescribeContextFilesResponse | ErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        context_id=context_id,
        parent_folder_path=parent_folder_path,
        page_number=page_number,
        page_size=page_size,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: EmptyRequest | Unset = UNSET,
    context_id: str,
    parent_folder_path: str | Unset = UNSET,
    page_number: int | Unset = 1,
    page_size: int | Unset = 50,
) -> Response[DescribeContextFilesResponse | ErrorResponse]:
    """List the files of a context folder, one page at a time

     Lists the direct children (files and folders) of `parentFolderPath` (default `/`) in the context,
    sorted by name, `pageSize` per page; page numbers start at 1. The total number of children is the
    top-level `count`. File paths are absolute-looking keys such as `/tmp/a.txt`; they are the sandbox
    paths the files sync to.

    Args:
        context_id (str): A context id, as returned by GetContext. Example:
            ctx-0a1b2c3d4e5f60718293a4b5.
        parent_folder_path (str | Unset): A path in a context or a sandbox, absolute
            (`/tmp/a.txt`). A context's files are keyed by
            the sandbox path they sync to; `..` and repeated slashes are resolved within the context,
            so no key
            reaches outside it. A path no file can have (a NUL character, a name over 255 bytes) names
            no file:
            deleting or listing it finds nothing, and an upload to it is a 400.
             Example: /tmp/a.txt.
        page_number (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 50.
        body (EmptyRequest | Unset): The empty object `{}`. Unknown keys are ignored. A missing
            body means `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DescribeContextFilesResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        context_id=context_id,
        parent_folder_path=parent_folder_path,
        page_number=page_number,
        page_size=page_size,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: EmptyRequest | Unset = UNSET,
    context_id: str,
    parent_folder_path: str | Unset = UNSET,
    page_number: int | Unset = 1,
    page_size: int | Unset = 50,
) -> DescribeContextFilesResponse | ErrorResponse | None:
    """List the files of a context folder, one page at a time

     Lists the direct children (files and folders) of `parentFolderPath` (default `/`) in the context,
    sorted by name, `pageSize` per page; page numbers start at 1. The total number of children is the
    top-level `count`. File paths are absolute-looking keys such as `/tmp/a.txt`; they are the sandbox
    paths the files sync to.

    Args:
        context_id (str): A context id, as returned by GetContext. Example:
            ctx-0a1b2c3d4e5f60718293a4b5.
        parent_folder_path (str | Unset): A path in a context or a sandbox, absolute
            (`/tmp/a.txt`). A context's files are keyed by
            the sandbox path they sync to; `..` and repeated slashes are resolved within the context,
            so no key
            reaches outside it. A path no file can have (a NUL character, a name over 255 bytes) names
            no file:
            deleting or listing it finds nothing, and an upload to it is a 400.
             Example: /tmp/a.txt.
        page_number (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 50.
        body (EmptyRequest | Unset): The empty object `{}`. Unknown keys are ignored. A missing
            body means `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DescribeContextFilesResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            context_id=context_id,
            parent_folder_path=parent_folder_path,
            page_number=page_number,
            page_size=page_size,
        )
    ).parsed
