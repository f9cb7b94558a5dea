from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.content_item import ContentItem


T = TypeVar("T", bound="RunCodeWrappedOutput")


@_attrs_define
class RunCodeWrappedOutput:
    """A `run_code` output wrapped once more in a tool-result shape: the first `text` item holds a
    `RunCodeOutput` document (or the code's value as plain text); `isError` marks a failed run.

        Example:
            {'isError': False, 'content': [{'type': 'text', 'text': '{"result": [{"text/plain": "2", "isMainResult": true}],
                "stdout": [], "stderr": []}'}]}

        Attributes:
            content (list[ContentItem]):
            is_error (bool | Unset):
    """

    content: list[ContentItem]
    is_error: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        content = []
        for content_item_data in self.content:
            content_item = content_item_data.to_dict()
            content.append(content_item)

        is_error = self.is_error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "content": content,
            }
        )
        if is_error is not UNSET:
            field_dict["isError"] = is_error

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.content_item import ContentItem

        d = dict(src_dict)
        content = []
        _content = d.pop("content")
        for content_item_data in _content:
            content_item = ContentItem.from_dict(content_item_data)

            content.append(content_item)

        is_error = d.pop("isError", UNSET)

        run_code_wrapped_output = cls(
            content=content,
            is_error=is_error,
        )

        run_code_wrapped_output.additional_properties = d
        return run_code_wrapped_output

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
