from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.call_tool_result import CallToolResult


T = TypeVar("T", bound="LinkCallToolData")


@_attrs_define
class LinkCallToolData:
    """Clients also accept this object serialised into a string; a backend sends the object.

    Example:
        {'result': {'isError': False, 'content': [{'type': 'text', 'text': '[DIR] data'}]}}

    Attributes:
        result (CallToolResult):  Example: {'isError': False, 'content': [{'type': 'text', 'text': 'hello'}]}.
    """

    result: CallToolResult
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result = self.result.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "result": result,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.call_tool_result import CallToolResult

        d = dict(src_dict)
        result = CallToolResult.from_dict(d.pop("result"))

        link_call_tool_data = cls(
            result=result,
        )

        link_call_tool_data.additional_properties = d
        return link_call_tool_data

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
