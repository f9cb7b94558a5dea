from typing import Literal

UploadPolicyUploadMode = Literal["Archive", "File"]

UPLOAD_POLICY_UPLOAD_MODE_VALUES: set[UploadPolicyUploadMode] = {
    "Archive",
    "File",
}


def check_upload_policy_upload_mode(value: str) -> UploadPolicyUploadMode:
    if value in UPLOAD_POLICY_UPLOAD_MODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {UPLOAD_POLICY_UPLOAD_MODE_VALUES!r}")
