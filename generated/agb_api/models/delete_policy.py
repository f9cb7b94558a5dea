from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DeletePolicy")


@_attrs_define
class DeletePolicy:
    """
    Example:
        {'syncLocalFile': True}

    Attributes:
        sync_local_file (bool | Unset): An upload also deletes from the context what was deleted in the sandbox (a
            mirror); `false` only adds and replaces. Default: True.
    """

    sync_local_file: bool | Unset = True
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sync_local_file = self.sync_local_file

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if sync_local_file is not UNSET:
            field_dict["syncLocalFile"] = sync_local_file

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        sync_local_file = d.pop("syncLocalFile", UNSET)

        delete_policy = cls(
            sync_local_file=sync_local_file,
        )

        delete_policy.additional_properties = d
        return delete_policy

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
