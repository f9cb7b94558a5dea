from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.run_code_result_item import RunCodeResultItem


T = TypeVar("T", bound="WsResultPayload")


@_attrs_define
class WsResultPayload:
    """One rich result of the run, its data keyed by full MIME type under `mime`.

    Example:
        {'isMainResult': True, 'mime': {'text/plain': '42'}}

    Attributes:
        is_main_result (bool | Unset):
        mime (RunCodeResultItem | Unset): One output of a code run (an `execute_result` or a `display_data`), keyed by
            MIME type. `image/png`
            and `image/jpeg` are base64 strings; `application/json` is a JSON value.
             Example: {'text/plain': '42', 'isMainResult': True}.
    """

    is_main_result: bool | Unset = UNSET
    mime: RunCodeResultItem | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        is_main_result = self.is_main_result

        mime: dict[str, Any] | Unset = UNSET
        if not isinstance(self.mime, Unset):
            mime = self.mime.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if is_main_result is not UNSET:
            field_dict["isMainResult"] = is_main_result
        if mime is not UNSET:
            field_dict["mime"] = mime

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.run_code_result_item import RunCodeResultItem

        d = dict(src_dict)
        is_main_result = d.pop("isMainResult", UNSET)

        _mime = d.pop("mime", UNSET)
        mime: RunCodeResultItem | Unset
        if isinstance(_mime, Unset):
            mime = UNSET
        else:
            mime = RunCodeResultItem.from_dict(_mime)

        ws_result_payload = cls(
            is_main_result=is_main_result,
            mime=mime,
        )

        ws_result_payload.additional_properties = d
        return ws_result_payload

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
