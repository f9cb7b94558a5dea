from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WsErrorPayload")


@_attrs_define
class WsErrorPayload:
    """An exception in the code, as an `error` event.

    Example:
        {'code': 'NameError', 'message': "name 'y' is not defined", 'traceId': '', 'traceback': "NameError: name 'y' is
            not defined"}

    Attributes:
        code (str | Unset): The exception's name.
        message (str | Unset): The exception's value.
        trace_id (str | Unset):
        traceback (str | Unset): The traceback, ANSI colours stripped (not read by the official client).
    """

    code: str | Unset = UNSET
    message: str | Unset = UNSET
    trace_id: str | Unset = UNSET
    traceback: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        trace_id = self.trace_id

        traceback = self.traceback

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if code is not UNSET:
            field_dict["code"] = code
        if message is not UNSET:
            field_dict["message"] = message
        if trace_id is not UNSET:
            field_dict["traceId"] = trace_id
        if traceback is not UNSET:
            field_dict["traceback"] = traceback

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = d.pop("code", UNSET)

        message = d.pop("message", UNSET)

        trace_id = d.pop("traceId", UNSET)

        traceback = d.pop("traceback", UNSET)

        ws_error_payload = cls(
            code=code,
            message=message,
            trace_id=trace_id,
            traceback=traceback,
        )

        ws_error_payload.additional_properties = d
        return ws_error_payload

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
