"""The session's direct routes: its port links (getLink) and the fields createSession/getSession give for
them (``wsUrl``, ``token``, ``linkUrl``, ``toolList``)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from agb_api.api.links import get_link as get_link_endpoint
from agb_api.models import GetLinkResponse, ToolListItem
from agb_api.models.get_link_protocol_type import (
    GET_LINK_PROTOCOL_TYPE_VALUES,
    GetLinkProtocolType,
    check_get_link_protocol_type,
)
from agb_api.types import UNSET, Unset

from ._flow import Call, Flow, guarded, send
from ._wire import check_int, malformed, read_model, read_reply, text
from .errors import InvalidParameterError
from .results import McpTool, OperationResult

if TYPE_CHECKING:
    from .session import SessionCore

# The ports the service links to (GetLink's `port` in the spec).
LINK_PORT_MIN, LINK_PORT_MAX = 30100, 30199


def tool_list(raw: list[ToolListItem] | str | Unset, request_id: str) -> list[McpTool]:
    """``toolList`` as tools with their servers: the array, or the array in a JSON string."""
    if isinstance(raw, Unset) or raw == "":
        return []
    if isinstance(raw, str):
        try:
            decoded = json.loads(raw)
        except (ValueError, RecursionError):
            raise malformed("toolList", "not a JSON array", request_id) from None
        if not isinstance(decoded, list):
            raise malformed("toolList", "not a JSON array", request_id)
        raw = [read_model(ToolListItem, item, "toolList", request_id) for item in decoded]
    return [McpTool(name=text(item.name), server=text(item.server)) for item in raw if text(item.name)]


@guarded(OperationResult)
def get_link(session: SessionCore, protocol_type: str | None = None, port: int | None = None) -> Flow[OperationResult]:
    """A URL reaching the server listening on `port` (30100 to 30199) inside the session: ``result.data``.

    `protocol_type` (``http``, ``https``, ``ws``, ``wss``) picks the URL's scheme family. Start the server in
    the session first (``nohup ... &`` keeps it running after its command returns); a link to a port nothing
    listens on answers 502.
    """
    kind: GetLinkProtocolType | Unset = UNSET
    if protocol_type is not None:
        try:
            kind = check_get_link_protocol_type(protocol_type)
        except TypeError:
            names = ", ".join(sorted(GET_LINK_PROTOCOL_TYPE_VALUES))
            raise InvalidParameterError(f"protocol_type must be one of {names}, got {protocol_type!r}") from None
    chosen: int | Unset = UNSET if port is None else check_int(port, "port", LINK_PORT_MIN, LINK_PORT_MAX)
    call = Call(
        get_link_endpoint,
        {"session_id": session.session_id, "protocol_type": kind, "port": chosen},
        "getLink",
        idempotent=True,
    )
    outcome = yield from send(session._ctx, call)
    reply = read_reply(outcome, GetLinkResponse, "getLink")
    url = "" if isinstance(reply.data, Unset) else text(reply.data.url)
    if not url:
        raise malformed("getLink", "no `data.url`", reply.request_id)
    return OperationResult(success=True, data=url, request_id=reply.request_id)
