from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.init_browser_data import InitBrowserData


T = TypeVar("T", bound="InitBrowserResponse")


@_attrs_define
class InitBrowserResponse:
    """
    Attributes:
        success (bool): Whether the call succeeded at the API level. Tool errors keep this `true`.
        request_id (str): Identifies the request; quote it when reporting a problem. A reply without it is identified by
            its `x-request-id` header instead (clients read that when the body has no `requestId`).
        code (str | Unset): `ok` on success, otherwise a machine-readable error code such as
            `InvalidMcpSession.NotFound`.
        message (str | Unset): Empty on success, otherwise a human-readable reason.
        http_status_code (int | Unset): The business status; usually equal to the HTTP status.
        access_denied_detail (None | str | Unset): Parsed by clients but never used.
        data (InitBrowserData | Unset):  Example: {'port': 9222}.
    """

    success: bool
    request_id: str
    code: str | Unset = UNSET
    message: str | Unset = UNSET
    http_status_code: int | Unset = UNSET
    access_denied_detail: None | str | Unset = UNSET
    data: InitBrowserData | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        request_id = self.request_id

        code = self.code

        message = self.message

        http_status_code = self.http_status_code

        access_denied_detail: None | str | Unset
        if isinstance(self.access_denied_detail, Unset):
            access_denied_detail = UNSET
        else:
            access_denied_detail = self.access_denied_detail

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "requestId": request_id,
            }
        )
        if code is not UNSET:
            field_dict["code"] = code
        if message is not UNSET:
            field_dict["message"] = message
        if http_status_code is not UNSET:
            field_dict["httpStatusCode"] = http_status_code
        if access_denied_detail is not UNSET:
            field_dict["accessDeniedDetail"] = access_denied_detail
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.init_browser_data import InitBrowserData

        d = dict(src_dict)
        success = d.pop("success")

        request_id = d.pop("requestId")

        code = d.pop("code", UNSET)

        message = d.pop("message", UNSET)

        http_status_code = d.pop("httpStatusCode", UNSET)

        def _parse_access_denied_detail(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        access_denied_detail = _parse_access_denied_detail(d.pop("accessDeniedDetail", UNSET))

        _data = d.pop("data", UNSET)
        data: InitBrowserData | Unset
        if isinstance(_data, Unset):
            data = UNSET
        else:
            data = InitBrowserData.from_dict(_data)

        init_browser_response = cls(
            success=success,
            request_id=request_id,
            code=code,
            message=message,
            http_status_code=http_status_code,
            access_denied_detail=access_denied_detail,
            data=data,
        )

        init_browser_response.additional_properties = d
        return init_browser_response

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
