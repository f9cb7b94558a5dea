from typing import Literal

SyncContextMode = Literal["download", "upload"]

SYNC_CONTEXT_MODE_VALUES: set[SyncContextMode] = {
    "download",
    "upload",
}


def check_sync_context_mode(value: str) -> SyncContextMode:
    if value in SYNC_CONTEXT_MODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SYNC_CONTEXT_MODE_VALUES!r}")
