from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ws_run_code_data import WsRunCodeData


T = TypeVar("T", bound="WsClientFrame")


@_attrs_define
class WsClientFrame:
    """A request on the WebSocket: compact JSON in a text frame. `invocationId` (the official client sends
    32 hex characters) correlates every frame the server sends back for it.

        Example:
            {'invocationId': '0a7dba6c7ce246708cd3b6d48853ee79', 'source': 'SDK', 'target': 'agb_local', 'data': {'method':
                'run_code', 'mode': 'stream', 'params': {'language': 'python', 'timeoutS': 30, 'code': "print('hello')"}}}

        Attributes:
            invocation_id (str):
            data (WsRunCodeData):  Example: {'method': 'run_code', 'mode': 'stream', 'params': {'language': 'python',
                'timeoutS': 30, 'code': "print('hello')"}}.
            source (str | Unset): `SDK` from clients.
            target (str | Unset): The `server` of `run_code` in `toolList` (else `wuying_codespace`). Echoed back.
    """

    invocation_id: str
    data: WsRunCodeData
    source: str | Unset = UNSET
    target: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        invocation_id = self.invocation_id

        data = self.data.to_dict()

        source = self.source

        target = self.target

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "invocationId": invocation_id,
                "data": data,
            }
        )
        if source is not UNSET:
            field_dict["source"] = source
        if target is not UNSET:
            field_dict["target"] = target

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.ws_run_code_data import WsRunCodeData

        d = dict(src_dict)
        invocation_id = d.pop("invocationId")

        data = WsRunCodeData.from_dict(d.pop("data"))

        source = d.pop("source", UNSET)

        target = d.pop("target", UNSET)

        ws_client_frame = cls(
            invocation_id=invocation_id,
            data=data,
            source=source,
            target=target,
        )

        ws_client_frame.additional_properties = d
        return ws_client_frame

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
