"""Writing one test body for both faces of the SDK: the sync one returns values, the async one awaitables."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from typing import Any


async def call(value: Any) -> Any:
    """Await `value` if it is awaitable (the async face), else return it (the sync face)."""
    return await value if inspect.isawaitable(value) else value


async def collect(iterator: Any) -> list[Any]:
    """The items of a sync or an async iterator."""
    if isinstance(iterator, AsyncIterator):
        return [item async for item in iterator]
    return list(iterator)
