from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WsRunCodeParams")


@_attrs_define
class WsRunCodeParams:
    """The arguments of `run_code` in camelCase; `language` and the timeout default as in `RunCodeArgs`.

    Example:
        {'language': 'python', 'timeoutS': 30, 'code': "print('hello')"}

    Attributes:
        code (str):
        language (str | Unset):
        timeout_s (int | Unset): Seconds.
    """

    code: str
    language: str | Unset = UNSET
    timeout_s: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        language = self.language

        timeout_s = self.timeout_s

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
            }
        )
        if language is not UNSET:
            field_dict["language"] = language
        if timeout_s is not UNSET:
            field_dict["timeoutS"] = timeout_s

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = d.pop("code")

        language = d.pop("language", UNSET)

        timeout_s = d.pop("timeoutS", UNSET)

        ws_run_code_params = cls(
            code=code,
            language=language,
            timeout_s=timeout_s,
        )

        ws_run_code_params.additional_properties = d
        return ws_run_code_params

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
