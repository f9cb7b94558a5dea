from typing import Literal

GetLinkMcpProtocolType = Literal["http", "https", "ws", "wss"]

GET_LINK_MCP_PROTOCOL_TYPE_VALUES: set[GetLinkMcpProtocolType] = {
    "http",
    "https",
    "ws",
    "wss",
}


def check_get_link_mcp_protocol_type(value: str) -> GetLinkMcpProtocolType:
    if value in GET_LINK_MCP_PROTOCOL_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GET_LINK_MCP_PROTOCOL_TYPE_VALUES!r}")
