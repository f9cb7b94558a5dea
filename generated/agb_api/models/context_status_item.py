from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.sync_mode import SyncMode, check_sync_mode
from ..types import UNSET, Unset

T = TypeVar("T", bound="ContextStatusItem")


@_attrs_define
class ContextStatusItem:
    """
    Example:
        {'contextId': 'ctx-1', 'path': '/home/user/data', 'errorMessage': '', 'status': 'Success', 'startTime':
            1764579600, 'finishTime': 1764579601, 'taskType': 'download'}

    Attributes:
        context_id (str):
        path (str): The sandbox path of the task.
        status (str): `Pending` while the task runs, then `Success` or `Failed` (exact case).
        task_type (SyncMode): Seen from the sandbox: `upload` copies its files into the context, `download` the other
            way. Example: upload.
        error_message (str | Unset): Empty unless the task failed.
        start_time (int | Unset): Epoch seconds.
        finish_time (int | Unset): Epoch seconds; 0 while the task runs.
    """

    context_id: str
    path: str
    status: str
    task_type: SyncMode
    error_message: str | Unset = UNSET
    start_time: int | Unset = UNSET
    finish_time: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        context_id = self.context_id

        path = self.path

        status = self.status

        task_type: str = self.task_type

        error_message = self.error_message

        start_time = self.start_time

        finish_time = self.finish_time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "contextId": context_id,
                "path": path,
                "status": status,
                "taskType": task_type,
            }
        )
        if error_message is not UNSET:
            field_dict["errorMessage"] = error_message
        if start_time is not UNSET:
            field_dict["startTime"] = start_time
        if finish_time is not UNSET:
            field_dict["finishTime"] = finish_time

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        context_id = d.pop("contextId")

        path = d.pop("path")

        status = d.pop("status")

        task_type = check_sync_mode(d.pop("taskType"))

        error_message = d.pop("errorMessage", UNSET)

        start_time = d.pop("startTime", UNSET)

        finish_time = d.pop("finishTime", UNSET)

        context_status_item = cls(
            context_id=context_id,
            path=path,
            status=status,
            task_type=task_type,
            error_message=error_message,
            start_time=start_time,
            finish_time=finish_time,
        )

        context_status_item.additional_properties = d
        return context_status_item

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
