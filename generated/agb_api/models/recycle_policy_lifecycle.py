from typing import Literal

RecyclePolicyLifecycle = Literal[
    "Lifecycle_10Days",
    "Lifecycle_15Days",
    "Lifecycle_180Days",
    "Lifecycle_1Day",
    "Lifecycle_30Days",
    "Lifecycle_360Days",
    "Lifecycle_3Days",
    "Lifecycle_5Days",
    "Lifecycle_90Days",
    "Lifecycle_Forever",
]

RECYCLE_POLICY_LIFECYCLE_VALUES: set[RecyclePolicyLifecycle] = {
    "Lifecycle_10Days",
    "Lifecycle_15Days",
    "Lifecycle_180Days",
    "Lifecycle_1Day",
    "Lifecycle_30Days",
    "Lifecycle_360Days",
    "Lifecycle_3Days",
    "Lifecycle_5Days",
    "Lifecycle_90Days",
    "Lifecycle_Forever",
}


def check_recycle_policy_lifecycle(value: str) -> RecyclePolicyLifecycle:
    if value in RECYCLE_POLICY_LIFECYCLE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RECYCLE_POLICY_LIFECYCLE_VALUES!r}")
