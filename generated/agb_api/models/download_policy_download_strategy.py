from typing import Literal

DownloadPolicyDownloadStrategy = Literal["DownloadAsync"]

DOWNLOAD_POLICY_DOWNLOAD_STRATEGY_VALUES: set[DownloadPolicyDownloadStrategy] = {
    "DownloadAsync",
}


def check_download_policy_download_strategy(value: str) -> DownloadPolicyDownloadStrategy:
    if value in DOWNLOAD_POLICY_DOWNLOAD_STRATEGY_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DOWNLOAD_POLICY_DOWNLOAD_STRATEGY_VALUES!r}")
