from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SearchFilesArgs")


@_attrs_define
class SearchFilesArgs:
    """
    Example:
        {'path': '/home/user', 'pattern': '*.py', 'excludePatterns': ['node_modules']}

    Attributes:
        path (str): Directory to search recursively.
        pattern (str): A glob (`*.py`) or a case-insensitive substring of the file name.
        exclude_patterns (list[str] | Unset):
    """

    path: str
    pattern: str
    exclude_patterns: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        path = self.path

        pattern = self.pattern

        exclude_patterns: list[str] | Unset = UNSET
        if not isinstance(self.exclude_patterns, Unset):
            exclude_patterns = self.exclude_patterns

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "path": path,
                "pattern": pattern,
            }
        )
        if exclude_patterns is not UNSET:
            field_dict["excludePatterns"] = exclude_patterns

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        path = d.pop("path")

        pattern = d.pop("pattern")

        exclude_patterns = cast(list[str], d.pop("excludePatterns", UNSET))

        search_files_args = cls(
            path=path,
            pattern=pattern,
            exclude_patterns=exclude_patterns,
        )

        search_files_args.additional_properties = d
        return search_files_args

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
