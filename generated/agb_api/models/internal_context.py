from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="InternalContext")


@_attrs_define
class InternalContext:
    """
    Example:
        {'contextId': 'ctx-0a1b2c3d4e5f60718293a4b6', 'contextType': 'file_transfer', 'contextPath':
            '/tmp/file_transfer'}

    Attributes:
        context_id (str):
        context_type (str): `file_transfer`.
        context_path (str): Where the context is mounted in the session.
    """

    context_id: str
    context_type: str
    context_path: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        context_id = self.context_id

        context_type = self.context_type

        context_path = self.context_path

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "contextId": context_id,
                "contextType": context_type,
                "contextPath": context_path,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        context_id = d.pop("contextId")

        context_type = d.pop("contextType")

        context_path = d.pop("contextPath")

        internal_context = cls(
            context_id=context_id,
            context_type=context_type,
            context_path=context_path,
        )

        internal_context.additional_properties = d
        return internal_context

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
