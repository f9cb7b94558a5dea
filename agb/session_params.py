"""Parameters of ``agb.create()`` and ``agb.list()``.

They are plain holders: nothing is checked when you build them. ``create()`` and ``list()`` check them
before any request and return a failed result with an ``InvalidParameterError`` when they are wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .context_sync import ContextSync

from agb_api import facts

__all__ = ["DEFAULT_IMAGES", "DEFAULT_IMAGE_ID", "CreateSessionParams", "ListSessionParams"]

# The images offered by default, id to description, and the one a session starts from: the spec's x-agb-images.
DEFAULT_IMAGES: dict[str, str] = dict(facts.DEFAULT_IMAGES)
DEFAULT_IMAGE_ID: str = facts.DEFAULT_IMAGE_ID


@dataclass
class CreateSessionParams:
    """Settings of a new session.

    Args:
        labels: labels to organise and filter sessions by; a dict of non-empty strings to non-empty strings.
        image_id: the image to start from; None means ``"code_latest"`` (sent explicitly, so
            ``session.image_id`` is what the service used).
        idle_release_timeout: seconds of inactivity after which the service releases the session;
            None (or 0) means the service default (300 s).
        policy_id: a tool policy id (``mcpPolicyId`` on the wire).
        context_syncs: contexts to mount, ``[ContextSync(context_id, "/home/user/data", SyncPolicy())]``: their
            files are in the session when ``create()`` returns, and go back to the context when it is deleted.
    """

    labels: dict[str, str] | None = None
    image_id: str | None = None
    idle_release_timeout: int | None = None
    policy_id: str | None = None
    context_syncs: list[ContextSync] | None = None


@dataclass
class ListSessionParams:
    """Which sessions ``agb.list()`` returns.

    Args:
        labels: only sessions carrying every one of these labels with these values; None or ``{}`` lists all.
        limit: page size, 1 to 100 (default 10).
        next_token: the ``next_token`` of the previous page, to fetch the next one.
    """

    labels: dict[str, str] | None = None
    limit: int | None = None
    next_token: str | None = None
