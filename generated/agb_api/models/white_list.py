from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WhiteList")


@_attrs_define
class WhiteList:
    """
    Example:
        {'path': '/Default/Cookies', 'excludePaths': []}

    Attributes:
        path (str | Unset): A path relative to the mount; only what is under a white-listed path syncs.
        exclude_paths (list[str] | Unset):
    """

    path: str | Unset = UNSET
    exclude_paths: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        exclude_paths: list[str] | Unset = UNSET
        if not isinstance(self.exclude_paths, Unset):
            exclude_paths = self.exclude_paths

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if path is not UNSET:
            field_dict["path"] = path
        if exclude_paths is not UNSET:
            field_dict["excludePaths"] = exclude_paths

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        path = d.pop("path", UNSET)

        exclude_paths = cast(list[str], d.pop("excludePaths", UNSET))

        white_list = cls(
            path=path,
            exclude_paths=exclude_paths,
        )

        white_list.additional_properties = d
        return white_list

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
