from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.white_list import WhiteList


T = TypeVar("T", bound="BWList")


@_attrs_define
class BWList:
    """
    Example:
        {'whiteLists': []}

    Attributes:
        white_lists (list[WhiteList] | Unset): Empty means everything under the mount syncs.
    """

    white_lists: list[WhiteList] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        white_lists: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.white_lists, Unset):
            white_lists = []
            for white_lists_item_data in self.white_lists:
                white_lists_item = white_lists_item_data.to_dict()
                white_lists.append(white_lists_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if white_lists is not UNSET:
            field_dict["whiteLists"] = white_lists

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.white_list import WhiteList

        d = dict(src_dict)
        _white_lists = d.pop("whiteLists", UNSET)
        white_lists: list[WhiteList] | Unset = UNSET
        if _white_lists is not UNSET:
            white_lists = []
            for white_lists_item_data in _white_lists:
                white_lists_item = WhiteList.from_dict(white_lists_item_data)

                white_lists.append(white_lists_item)

        bw_list = cls(
            white_lists=white_lists,
        )

        bw_list.additional_properties = d
        return bw_list

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
