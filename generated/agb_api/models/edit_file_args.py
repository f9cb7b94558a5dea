from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.file_edit import FileEdit


T = TypeVar("T", bound="EditFileArgs")


@_attrs_define
class EditFileArgs:
    """
    Example:
        {'path': '/home/user/notes.txt', 'edits': [{'oldText': 'hello', 'newText': 'goodbye'}], 'dryRun': False}

    Attributes:
        path (str):
        edits (list[FileEdit]):
        dry_run (bool | Unset): Only show the diff.
    """

    path: str
    edits: list[FileEdit]
    dry_run: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        edits = []
        for edits_item_data in self.edits:
            edits_item = edits_item_data.to_dict()
            edits.append(edits_item)

        dry_run = self.dry_run

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "path": path,
                "edits": edits,
            }
        )
        if dry_run is not UNSET:
            field_dict["dryRun"] = dry_run

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.file_edit import FileEdit

        d = dict(src_dict)
        path = d.pop("path")

        edits = []
        _edits = d.pop("edits")
        for edits_item_data in _edits:
            edits_item = FileEdit.from_dict(edits_item_data)

            edits.append(edits_item)

        dry_run = d.pop("dryRun", UNSET)

        edit_file_args = cls(
            path=path,
            edits=edits,
            dry_run=dry_run,
        )

        edit_file_args.additional_properties = d
        return edit_file_args

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
