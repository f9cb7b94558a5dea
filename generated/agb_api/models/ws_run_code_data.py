from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ws_run_code_params import WsRunCodeParams


T = TypeVar("T", bound="WsRunCodeData")


@_attrs_define
class WsRunCodeData:
    """
    Example:
        {'method': 'run_code', 'mode': 'stream', 'params': {'language': 'python', 'timeoutS': 30, 'code':
            "print('hello')"}}

    Attributes:
        method (str): `run_code`. Another method is answered with an error frame.
        params (WsRunCodeParams): The arguments of `run_code` in camelCase; `language` and the timeout default as in
            `RunCodeArgs`. Example: {'language': 'python', 'timeoutS': 30, 'code': "print('hello')"}.
        mode (str | Unset): `stream`.
    """

    method: str
    params: WsRunCodeParams
    mode: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        method = self.method

        params = self.params.to_dict()

        mode = self.mode

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "method": method,
                "params": params,
            }
        )
        if mode is not UNSET:
            field_dict["mode"] = mode

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.ws_run_code_params import WsRunCodeParams

        d = dict(src_dict)
        method = d.pop("method")

        params = WsRunCodeParams.from_dict(d.pop("params"))

        mode = d.pop("mode", UNSET)

        ws_run_code_data = cls(
            method=method,
            params=params,
            mode=mode,
        )

        ws_run_code_data.additional_properties = d
        return ws_run_code_data

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
