from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.desktop_info import DesktopInfo


T = TypeVar("T", bound="GetMcpResourceData")


@_attrs_define
class GetMcpResourceData:
    """
    Example:
        {'sessionId': 's-0a1b2c3d4e5f60718293a4b5', 'resourceUrl': ''}

    Attributes:
        session_id (str | Unset):
        resource_url (str | Unset): Valid for 30 minutes.
        desktop_info (DesktopInfo | Unset):  Example: {'appId': 'app-1', 'resourceType': 'desktop'}.
    """

    session_id: str | Unset = UNSET
    resource_url: str | Unset = UNSET
    desktop_info: DesktopInfo | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        session_id = self.session_id

        resource_url = self.resource_url

        desktop_info: dict[str, Any] | Unset = UNSET
        if not isinstance(self.desktop_info, Unset):
            desktop_info = self.desktop_info.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if session_id is not UNSET:
            field_dict["sessionId"] = session_id
        if resource_url is not UNSET:
            field_dict["resourceUrl"] = resource_url
        if desktop_info is not UNSET:
            field_dict["desktopInfo"] = desktop_info

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.desktop_info import DesktopInfo

        d = dict(src_dict)
        session_id = d.pop("sessionId", UNSET)

        resource_url = d.pop("resourceUrl", UNSET)

        _desktop_info = d.pop("desktopInfo", UNSET)
        desktop_info: DesktopInfo | Unset
        if isinstance(_desktop_info, Unset):
            desktop_info = UNSET
        else:
            desktop_info = DesktopInfo.from_dict(_desktop_info)

        get_mcp_resource_data = cls(
            session_id=session_id,
            resource_url=resource_url,
            desktop_info=desktop_info,
        )

        get_mcp_resource_data.additional_properties = d
        return get_mcp_resource_data

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
