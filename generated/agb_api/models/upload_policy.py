from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.upload_policy_upload_mode import UploadPolicyUploadMode, check_upload_policy_upload_mode
from ..models.upload_policy_upload_strategy import UploadPolicyUploadStrategy, check_upload_policy_upload_strategy
from ..types import UNSET, Unset

T = TypeVar("T", bound="UploadPolicy")


@_attrs_define
class UploadPolicy:
    """
    Example:
        {'autoUpload': True, 'uploadStrategy': 'UploadBeforeResourceRelease', 'uploadMode': 'File'}

    Attributes:
        auto_upload (bool | Unset): Copy the mount's files into the context when the session is released. Default: True.
        upload_strategy (UploadPolicyUploadStrategy | Unset):  Default: 'UploadBeforeResourceRelease'.
        upload_mode (UploadPolicyUploadMode | Unset): `File` copies file by file; `Archive` packs the folder (agb_local
            copies file by file for both). Default: 'File'.
    """

    auto_upload: bool | Unset = True
    upload_strategy: UploadPolicyUploadStrategy | Unset = "UploadBeforeResourceRelease"
    upload_mode: UploadPolicyUploadMode | Unset = "File"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        auto_upload = self.auto_upload

        upload_strategy: str | Unset = UNSET
        if not isinstance(self.upload_strategy, Unset):
            upload_strategy = self.upload_strategy

        upload_mode: str | Unset = UNSET
        if not isinstance(self.upload_mode, Unset):
            upload_mode = self.upload_mode

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if auto_upload is not UNSET:
            field_dict["autoUpload"] = auto_upload
        if upload_strategy is not UNSET:
            field_dict["uploadStrategy"] = upload_strategy
        if upload_mode is not UNSET:
            field_dict["uploadMode"] = upload_mode

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        auto_upload = d.pop("autoUpload", UNSET)

        _upload_strategy = d.pop("uploadStrategy", UNSET)
        upload_strategy: UploadPolicyUploadStrategy | Unset
        if isinstance(_upload_strategy, Unset):
            upload_strategy = UNSET
        else:
            upload_strategy = check_upload_policy_upload_strategy(_upload_strategy)

        _upload_mode = d.pop("uploadMode", UNSET)
        upload_mode: UploadPolicyUploadMode | Unset
        if isinstance(_upload_mode, Unset):
            upload_mode = UNSET
        else:
            upload_mode = check_upload_policy_upload_mode(_upload_mode)

        upload_policy = cls(
            auto_upload=auto_upload,
            upload_strategy=upload_strategy,
            upload_mode=upload_mode,
        )

        upload_policy.additional_properties = d
        return upload_policy

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
