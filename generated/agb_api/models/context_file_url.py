from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ContextFileUrl")


@_attrs_define
class ContextFileUrl:
    """
    Example:
        {'url': 'http://127.0.0.1:8787/presigned/context-file?token=eyJjIjoiY3R4LTEifQ.c2lnbmF0dXJl', 'expireTime':
            1764583200}

    Attributes:
        url (str): The presigned URL; absolute.
        expire_time (int | Unset): When the URL stops working, in epoch seconds.
    """

    url: str
    expire_time: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        expire_time = self.expire_time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "url": url,
            }
        )
        if expire_time is not UNSET:
            field_dict["expireTime"] = expire_time

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        url = d.pop("url")

        expire_time = d.pop("expireTime", UNSET)

        context_file_url = cls(
            url=url,
            expire_time=expire_time,
        )

        context_file_url.additional_properties = d
        return context_file_url

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
