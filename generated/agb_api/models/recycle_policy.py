from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.recycle_policy_lifecycle import RecyclePolicyLifecycle, check_recycle_policy_lifecycle
from ..types import UNSET, Unset

T = TypeVar("T", bound="RecyclePolicy")


@_attrs_define
class RecyclePolicy:
    """
    Example:
        {'lifecycle': 'Lifecycle_Forever', 'paths': ['']}

    Attributes:
        lifecycle (RecyclePolicyLifecycle | Unset):  Default: 'Lifecycle_Forever'.
        paths (list[str] | Unset):
    """

    lifecycle: RecyclePolicyLifecycle | Unset = "Lifecycle_Forever"
    paths: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        lifecycle: str | Unset = UNSET
        if not isinstance(self.lifecycle, Unset):
            lifecycle = self.lifecycle

        paths: list[str] | Unset = UNSET
        if not isinstance(self.paths, Unset):
            paths = self.paths

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if lifecycle is not UNSET:
            field_dict["lifecycle"] = lifecycle
        if paths is not UNSET:
            field_dict["paths"] = paths

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        _lifecycle = d.pop("lifecycle", UNSET)
        lifecycle: RecyclePolicyLifecycle | Unset
        if isinstance(_lifecycle, Unset):
            lifecycle = UNSET
        else:
            lifecycle = check_recycle_policy_lifecycle(_lifecycle)

        paths = cast(list[str], d.pop("paths", UNSET))

        recycle_policy = cls(
            lifecycle=lifecycle,
            paths=paths,
        )

        recycle_policy.additional_properties = d
        return recycle_policy

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
