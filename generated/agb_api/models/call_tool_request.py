from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CallToolRequest")


@_attrs_define
class CallToolRequest:
    """
    Example:
        {'sessionId': 's-0a1b2c3d4e5f60718293a4b5', 'name': 'run_code', 'args': '{"code": "1+1", "language": "python",
            "timeout_s": 60}'}

    Attributes:
        session_id (str): A session id, as returned by createSession. Example: s-0a1b2c3d4e5f60718293a4b5.
        name (str): The tool to call, for example `shell` or `run_code` (see `x-agb-tools`).
        args (str | Unset): The tool's arguments, a JSON object serialised into the string; its shape depends on `name`
            (the `*Args` schemas). Omitted means `{}`. Arguments that are not JSON or do not fit the tool
            are a tool error, not an API error.
        server (str | Unset): Modelled by clients but never sent; ignored.
    """

    session_id: str
    name: str
    args: str | Unset = UNSET
    server: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        session_id = self.session_id

        name = self.name

        args = self.args

        server = self.server

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sessionId": session_id,
                "name": name,
            }
        )
        if args is not UNSET:
            field_dict["args"] = args
        if server is not UNSET:
            field_dict["server"] = server

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        session_id = d.pop("sessionId")

        name = d.pop("name")

        args = d.pop("args", UNSET)

        server = d.pop("server", UNSET)

        call_tool_request = cls(
            session_id=session_id,
            name=name,
            args=args,
            server=server,
        )

        call_tool_request.additional_properties = d
        return call_tool_request

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
