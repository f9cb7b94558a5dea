from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PascalCaseEnvelope")


@_attrs_define
class PascalCaseEnvelope:
    """The envelope with PascalCase keys, which some releaseSessionAsync replies carry.

    Example:
        {'Success': True, 'Code': 'ok', 'Message': '', 'HttpStatusCode': 200, 'RequestId':
            '5B1C2D3E-0000-4000-8000-000000000011'}

    Attributes:
        success (bool):
        code (str | Unset):
        message (str | Unset):
        http_status_code (int | Unset):
        request_id (str | Unset):
    """

    success: bool
    code: str | Unset = UNSET
    message: str | Unset = UNSET
    http_status_code: int | Unset = UNSET
    request_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        code = self.code

        message = self.message

        http_status_code = self.http_status_code

        request_id = self.request_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "Success": success,
            }
        )
        if code is not UNSET:
            field_dict["Code"] = code
        if message is not UNSET:
            field_dict["Message"] = message
        if http_status_code is not UNSET:
            field_dict["HttpStatusCode"] = http_status_code
        if request_id is not UNSET:
            field_dict["RequestId"] = request_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        success = d.pop("Success")

        code = d.pop("Code", UNSET)

        message = d.pop("Message", UNSET)

        http_status_code = d.pop("HttpStatusCode", UNSET)

        request_id = d.pop("RequestId", UNSET)

        pascal_case_envelope = cls(
            success=success,
            code=code,
            message=message,
            http_status_code=http_status_code,
            request_id=request_id,
        )

        pascal_case_envelope.additional_properties = d
        return pascal_case_envelope

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
