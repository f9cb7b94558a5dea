from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.write_file_args_mode import WriteFileArgsMode, check_write_file_args_mode
from ..types import UNSET, Unset

T = TypeVar("T", bound="WriteFileArgs")


@_attrs_define
class WriteFileArgs:
    """
    Example:
        {'path': '/home/user/notes.txt', 'content': 'hello', 'mode': 'overwrite'}

    Attributes:
        path (str):
        content (str):
        mode (WriteFileArgsMode | Unset): Default `overwrite`.
    """

    path: str
    content: str
    mode: WriteFileArgsMode | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        content = self.content

        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "path": path,
                "content": content,
            }
        )
        if mode is not UNSET:
            field_dict["mode"] = mode

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        path = d.pop("path")

        content = d.pop("content")

        _mode = d.pop("mode", UNSET)
        mode: WriteFileArgsMode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = check_write_file_args_mode(_mode)

        write_file_args = cls(
            path=path,
            content=content,
            mode=mode,
        )

        write_file_args.additional_properties = d
        return write_file_args

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
