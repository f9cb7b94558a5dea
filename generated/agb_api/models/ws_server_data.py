from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ws_error_payload import WsErrorPayload
    from ..models.ws_result_payload import WsResultPayload


T = TypeVar("T", bound="WsServerData")


@_attrs_define
class WsServerData:
    """What a server frame says. `phase` is `event`, `end` or `error`; an event's `eventType` is `stdout` or
    `stderr` (with `chunk`, the text as it was printed), `result` (with `result`) or `error` (with `error`,
    an object; the run goes on to its end frame). The end frame carries `status` (`finished`, or `failed`
    when the run could not complete), `executionCount`, `executionTime` and `executionError` (the
    one-line summary of an exception in the code, as in `RunCodeOutput`). A request the server cannot
    take gets a frame whose `error` is a string, with no `phase`. Clients ignore unknown event types.

        Example:
            {'method': 'run_code', 'mode': 'stream', 'phase': 'end', 'seq': 2, 'status': 'finished', 'executionCount': 1,
                'executionTime': 0.012, 'executionError': None}

        Attributes:
            method (str | Unset):
            mode (str | Unset):
            phase (str | Unset):
            seq (int | Unset): 1, 2, ... per invocation.
            event_type (str | Unset):
            chunk (str | Unset):
            result (WsResultPayload | Unset): One rich result of the run, its data keyed by full MIME type under `mime`.
                Example: {'isMainResult': True, 'mime': {'text/plain': '42'}}.
            error (str | Unset | WsErrorPayload):
            message (str | Unset): The reason, on `phase: error` frames.
            status (str | Unset):
            execution_count (int | None | Unset):
            execution_time (float | Unset): Seconds.
            execution_error (None | str | Unset):
    """

    method: str | Unset = UNSET
    mode: str | Unset = UNSET
    phase: str | Unset = UNSET
    seq: int | Unset = UNSET
    event_type: str | Unset = UNSET
    chunk: str | Unset = UNSET
    result: WsResultPayload | Unset = UNSET
    error: str | Unset | WsErrorPayload = UNSET
    message: str | Unset = UNSET
    status: str | Unset = UNSET
    execution_count: int | None | Unset = UNSET
    execution_time: float | Unset = UNSET
    execution_error: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.ws_error_payload import WsErrorPayload

        method = self.method

        mode = self.mode

        phase = self.phase

        seq = self.seq

        event_type = self.event_type

        chunk = self.chunk

        result: dict[str, Any] | Unset = UNSET
        if not isinstance(self.result, Unset):
            result = self.result.to_dict()

        error: dict[str, Any] | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, WsErrorPayload):
            error = self.error.to_dict()
        else:
            error = self.error

        message = self.message

        status = self.status

        execution_count: int | None | Unset
        if isinstance(self.execution_count, Unset):
            execution_count = UNSET
        else:
            execution_count = self.execution_count

        execution_time = self.execution_time

        execution_error: None | str | Unset
        if isinstance(self.execution_error, Unset):
            execution_error = UNSET
        else:
            execution_error = self.execution_error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if method is not UNSET:
            field_dict["method"] = method
        if mode is not UNSET:
            field_dict["mode"] = mode
        if phase is not UNSET:
            field_dict["phase"] = phase
        if seq is not UNSET:
            field_dict["seq"] = seq
        if event_type is not UNSET:
            field_dict["eventType"] = event_type
        if chunk is not UNSET:
            field_dict["chunk"] = chunk
        if result is not UNSET:
            field_dict["result"] = result
        if error is not UNSET:
            field_dict["error"] = error
        if message is not UNSET:
            field_dict["message"] = message
        if status is not UNSET:
            field_dict["status"] = status
        if execution_count is not UNSET:
            field_dict["executionCount"] = execution_count
        if execution_time is not UNSET:
            field_dict["executionTime"] = execution_time
        if execution_error is not UNSET:
            field_dict["executionError"] = execution_error

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.ws_error_payload import WsErrorPayload
        from ..models.ws_result_payload import WsResultPayload

        d = dict(src_dict)
        method = d.pop("method", UNSET)

        mode = d.pop("mode", UNSET)

        phase = d.pop("phase", UNSET)

        seq = d.pop("seq", UNSET)

        event_type = d.pop("eventType", UNSET)

        chunk = d.pop("chunk", UNSET)

        _result = d.pop("result", UNSET)
        result: WsResultPayload | Unset
        if isinstance(_result, Unset):
            result = UNSET
        else:
            result = WsResultPayload.from_dict(_result)

        def _parse_error(data: object) -> str | Unset | WsErrorPayload:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_1 = WsErrorPayload.from_dict(data)

                return error_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(str | Unset | WsErrorPayload, data)

        error = _parse_error(d.pop("error", UNSET))

        message = d.pop("message", UNSET)

        status = d.pop("status", UNSET)

        def _parse_execution_count(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        execution_count = _parse_execution_count(d.pop("executionCount", UNSET))

        execution_time = d.pop("executionTime", UNSET)

        def _parse_execution_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        execution_error = _parse_execution_error(d.pop("executionError", UNSET))

        ws_server_data = cls(
            method=method,
            mode=mode,
            phase=phase,
            seq=seq,
            event_type=event_type,
            chunk=chunk,
            result=result,
            error=error,
            message=message,
            status=status,
            execution_count=execution_count,
            execution_time=execution_time,
            execution_error=execution_error,
        )

        ws_server_data.additional_properties = d
        return ws_server_data

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
