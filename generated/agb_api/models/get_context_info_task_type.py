from typing import Literal

GetContextInfoTaskType = Literal["download", "upload"]

GET_CONTEXT_INFO_TASK_TYPE_VALUES: set[GetContextInfoTaskType] = {
    "download",
    "upload",
}


def check_get_context_info_task_type(value: str) -> GetContextInfoTaskType:
    if value in GET_CONTEXT_INFO_TASK_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GET_CONTEXT_INFO_TASK_TYPE_VALUES!r}")
