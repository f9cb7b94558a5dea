from typing import Literal

UploadPolicyUploadStrategy = Literal["UploadBeforeResourceRelease"]

UPLOAD_POLICY_UPLOAD_STRATEGY_VALUES: set[UploadPolicyUploadStrategy] = {
    "UploadBeforeResourceRelease",
}


def check_upload_policy_upload_strategy(value: str) -> UploadPolicyUploadStrategy:
    if value in UPLOAD_POLICY_UPLOAD_STRATEGY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {UPLOAD_POLICY_UPLOAD_STRATEGY_VALUES!r}")
