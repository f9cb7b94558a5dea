from typing import Literal

ContextTypesItem = Literal["file_transfer"]

CONTEXT_TYPES_ITEM_VALUES: set[ContextTypesItem] = {
    "file_transfer",
}


def check_context_types_item(value: str) -> ContextTypesItem:
    if value in CONTEXT_TYPES_ITEM_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {CONTEXT_TYPES_ITEM_VALUES!r}")
