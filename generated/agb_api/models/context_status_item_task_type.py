from typing import Literal

ContextStatusItemTaskType = Literal["download", "upload"]

CONTEXT_STATUS_ITEM_TASK_TYPE_VALUES: set[ContextStatusItemTaskType] = {
    "download",
    "upload",
}


def check_context_status_item_task_type(value: str) -> ContextStatusItemTaskType:
    if value in CONTEXT_STATUS_ITEM_TASK_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CONTEXT_STATUS_ITEM_TASK_TYPE_VALUES!r}")
