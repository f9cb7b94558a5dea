from typing import Literal

GetLinkProtocolType = Literal["http", "https", "ws", "wss"]

GET_LINK_PROTOCOL_TYPE_VALUES: set[GetLinkProtocolType] = {
    "http",
    "https",
    "ws",
    "wss",
}


def check_get_link_protocol_type(value: str) -> GetLinkProtocolType:
    if value in GET_LINK_PROTOCOL_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GET_LINK_PROTOCOL_TYPE_VALUES!r}")
