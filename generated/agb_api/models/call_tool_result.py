from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.content_item import ContentItem


T = TypeVar("T", bound="CallToolResult")


@_attrs_define
class CallToolResult:
    """
    Example:
        {'isError': False, 'content': [{'type': 'text', 'text': 'hello'}]}

    Attributes:
        is_error (bool): `true` when the tool failed; the reason is the content text.
        content (list[ContentItem]):
    """

    is_error: bool
    content: list[ContentItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        is_error = self.is_error

        content = []
        for content_item_data in self.content:
            content_item = content_item_data.to_dict()
            content.append(content_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "isError": is_error,
                "content": content,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.content_item import ContentItem

        d = dict(src_dict)
        is_error = d.pop("isError")

        content = []
        _content = d.pop("content")
        for content_item_data in _content:
            content_item = ContentItem.from_dict(content_item_data)

            content.append(content_item)

        call_tool_result = cls(
            is_error=is_error,
            content=content,
        )

        call_tool_result.additional_properties = d
        return call_tool_result

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
