from typing import Literal

WriteFileArgsMode = Literal["append", "overwrite"]

WRITE_FILE_ARGS_MODE_VALUES: set[WriteFileArgsMode] = {
    "append",
    "overwrite",
}


def check_write_file_args_mode(value: str) -> WriteFileArgsMode:
    if value in WRITE_FILE_ARGS_MODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {WRITE_FILE_ARGS_MODE_VALUES!r}")
