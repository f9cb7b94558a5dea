from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ws_server_data import WsServerData


T = TypeVar("T", bound="WsServerFrame")


@_attrs_define
class WsServerFrame:
    """A frame the server sends: zero or more `phase: event` frames for a request, then one `phase: end`
    frame, or instead an error (`data.error` a string, or `phase: error`) that ends it.

        Example:
            {'invocationId': '0a7dba6c7ce246708cd3b6d48853ee79', 'target': 'agb_local', 'data': {'method': 'run_code',
                'mode': 'stream', 'phase': 'event', 'seq': 1, 'eventType': 'stdout', 'chunk': 'hello\\n'}}

        Attributes:
            invocation_id (str):
            data (WsServerData): What a server frame says. `phase` is `event`, `end` or `error`; an event's `eventType` is
                `stdout` or
                `stderr` (with `chunk`, the text as it was printed), `result` (with `result`) or `error` (with `error`,
                an object; the run goes on to its end frame). The end frame carries `status` (`finished`, or `failed`
                when the run could not complete), `executionCount`, `executionTime` and `executionError` (the
                one-line summary of an exception in the code, as in `RunCodeOutput`). A request the server cannot
                take gets a frame whose `error` is a string, with no `phase`. Clients ignore unknown event types.
                 Example: {'method': 'run_code', 'mode': 'stream', 'phase': 'end', 'seq': 2, 'status': 'finished',
                'executionCount': 1, 'executionTime': 0.012, 'executionError': None}.
            source (str | Unset): `WEBSOCKET_SERVER` on error frames.
            target (str | Unset):
    """

    invocation_id: str
    data: WsServerData
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
        from ..models.ws_server_data import WsServerData

        d = dict(src_dict)
        invocation_id = d.pop("invocationId")

        data = WsServerData.from_dict(d.pop("data"))

        source = d.pop("source", UNSET)

        target = d.pop("target", UNSET)

        ws_server_frame = cls(
            invocation_id=invocation_id,
            data=data,
            source=source,
            target=target,
        )

        ws_server_frame.additional_properties = d
        return ws_server_frame

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
