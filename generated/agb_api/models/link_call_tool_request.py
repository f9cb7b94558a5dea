from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.link_call_tool_request_args import LinkCallToolRequestArgs


T = TypeVar("T", bound="LinkCallToolRequest")


@_attrs_define
class LinkCallToolRequest:
    """
    Example:
        {'args': {'path': '/home/user'}, 'server': 'agb_local', 'requestId': 'link-1764580000000-123456789', 'tool':
            'list_directory', 'token': 's-0a1b2c3d4e5f60718293a4b5.c2b1a7e09d4f3e6a8b5c7d9e0f1a2b3c'}

    Attributes:
        tool (str): The tool to call (see `/mcp`'s `x-agb-tools`).
        token (str): The session's access token for the LinkUrl route and the WebSocket (`X-Access-Token`). Opaque to
            clients; it authorises this session only and stays the same for the session's life.
             Example: s-0a1b2c3d4e5f60718293a4b5.c2b1a7e09d4f3e6a8b5c7d9e0f1a2b3c.
        args (LinkCallToolRequestArgs | Unset): The tool's arguments as an object (not a string, unlike `/mcp`); the
            tool's `*Args` schema.
        server (str | Unset): The tool's server from `toolList`. Informational.
        request_id (str | Unset): A client-made id, `link-<epoch ms>-<9 digits>`. Informational.
    """

    tool: str
    token: str
    args: LinkCallToolRequestArgs | Unset = UNSET
    server: str | Unset = UNSET
    request_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tool = self.tool

        token = self.token

        args: dict[str, Any] | Unset = UNSET
        if not isinstance(self.args, Unset):
            args = self.args.to_dict()

        server = self.server

        request_id = self.request_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tool": tool,
                "token": token,
            }
        )
        if args is not UNSET:
            field_dict["args"] = args
        if server is not UNSET:
            field_dict["server"] = server
        if request_id is not UNSET:
            field_dict["requestId"] = request_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.link_call_tool_request_args import LinkCallToolRequestArgs

        d = dict(src_dict)
        tool = d.pop("tool")

        token = d.pop("token")

        _args = d.pop("args", UNSET)
        args: LinkCallToolRequestArgs | Unset
        if isinstance(_args, Unset):
            args = UNSET
        else:
            args = LinkCallToolRequestArgs.from_dict(_args)

        server = d.pop("server", UNSET)

        request_id = d.pop("requestId", UNSET)

        link_call_tool_request = cls(
            tool=tool,
            token=token,
            args=args,
            server=server,
            request_id=request_id,
        )

        link_call_tool_request.additional_properties = d
        return link_call_tool_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
