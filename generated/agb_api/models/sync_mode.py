from typing import Literal

SyncMode = Literal["download", "upload"]

SYNC_MODE_VALUES: set[SyncMode] = {
    "download",
    "upload",
}


def check_sync_mode(value: str) -> SyncMode:
    if value in SYNC_MODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SYNC_MODE_VALUES!r}")
