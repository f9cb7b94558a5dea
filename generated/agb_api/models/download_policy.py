from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.download_policy_download_strategy import (
    DownloadPolicyDownloadStrategy,
    check_download_policy_download_strategy,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="DownloadPolicy")


@_attrs_define
class DownloadPolicy:
    """
    Example:
        {'autoDownload': True, 'downloadStrategy': 'DownloadAsync'}

    Attributes:
        auto_download (bool | Unset): Copy the context's files into the mount when the session is created. Default:
            True.
        download_strategy (DownloadPolicyDownloadStrategy | Unset):  Default: 'DownloadAsync'.
    """

    auto_download: bool | Unset = True
    download_strategy: DownloadPolicyDownloadStrategy | Unset = "DownloadAsync"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        auto_download = self.auto_download

        download_strategy: str | Unset = UNSET
        if not isinstance(self.download_strategy, Unset):
            download_strategy = self.download_strategy

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if auto_download is not UNSET:
            field_dict["autoDownload"] = auto_download
        if download_strategy is not UNSET:
            field_dict["downloadStrategy"] = download_strategy

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        auto_download = d.pop("autoDownload", UNSET)

        _download_strategy = d.pop("downloadStrategy", UNSET)
        download_strategy: DownloadPolicyDownloadStrategy | Unset
        if isinstance(_download_strategy, Unset):
            download_strategy = UNSET
        else:
            download_strategy = check_download_policy_download_strategy(_download_strategy)

        download_policy = cls(
            auto_download=auto_download,
            download_strategy=download_strategy,
        )

        download_policy.additional_properties = d
        return download_policy

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
