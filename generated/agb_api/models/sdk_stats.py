from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SdkStats")


@_attrs_define
class SdkStats:
    """Client statistics carried in the createSession `sdkStats` query string (compact JSON).

    Example:
        {'source': 'sdk', 'sdk_language': 'python', 'sdk_version': '0.12.0', 'is_release': True}

    Attributes:
        source (str | Unset):
        sdk_language (str | Unset):
        sdk_version (str | Unset):
        is_release (bool | Unset):
    """

    source: str | Unset = UNSET
    sdk_language: str | Unset = UNSET
    sdk_version: str | Unset = UNSET
    is_release: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        source = self.source

        sdk_language = self.sdk_language

        sdk_version = self.sdk_version

        is_release = self.is_release

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if source is not UNSET:
            field_dict["source"] = source
        if sdk_language is not UNSET:
            field_dict["sdk_language"] = sdk_language
        if sdk_version is not UNSET:
            field_dict["sdk_version"] = sdk_version
        if is_release is not UNSET:
            field_dict["is_release"] = is_release

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        source = d.pop("source", UNSET)

        sdk_language = d.pop("sdk_language", UNSET)

        sdk_version = d.pop("sdk_version", UNSET)

        is_release = d.pop("is_release", UNSET)

        sdk_stats = cls(
            source=source,
            sdk_language=sdk_language,
            sdk_version=sdk_version,
            is_release=is_release,
        )

        sdk_stats.additional_properties = d
        return sdk_stats

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
