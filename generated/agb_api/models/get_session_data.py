from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tool_list_item import ToolListItem


T = TypeVar("T", bound="GetSessionData")


@_attrs_define
class GetSessionData:
    """
    Example:
        {'sessionId': 's-0a1b2c3d4e5f60718293a4b5', 'status': 'RUNNING'}

    Attributes:
        session_id (str | Unset):
        app_instance_id (str | Unset): Identifies the session's app instance; non-empty and stable for the session's
            life. Example: ai-3b8f0c2d9e1a4f5b.
        resource_id (str | Unset): Identifies the session's resource; non-empty and stable for the session's life.
            Example: p-3b8f0c2d9e1a4f5b.
        resource_url (str | Unset): The URL of the session's live view (desktop or browser images), valid 30 minutes. It
            carries
            `resourceId=` and an `authcode` that differs on every call. agb_local has no desktop view and the URL
            only names the resource.
             Example:
            http://127.0.0.1:8787/resource?authcode=Zk9xQ2VhT1RmS3dB&resourceId=p-3b8f0c2d9e1a4f5b&resourceType=local.
        status (str | Unset): `RUNNING` for a live session.
        link_url (str | Unset): The base of the session's direct tool route: clients `POST <linkUrl>/callTool`
            (operation
            `linkCallTool`) instead of `/mcp` when `token` and `toolList` are offered too.
             Example: http://127.0.0.1:8787/link.
        ws_url (str | Unset): The session's WebSocket for streamed `run_code` (see the `x-agb-websocket` extension).
            Example: ws://127.0.0.1:8787/ws.
        token (str | Unset): The session's access token for the LinkUrl route and the WebSocket (`X-Access-Token`).
            Opaque to
            clients; it authorises this session only and stays the same for the session's life.
             Example: s-0a1b2c3d4e5f60718293a4b5.c2b1a7e09d4f3e6a8b5c7d9e0f1a2b3c.
        tool_list (list[ToolListItem] | str | Unset): Which server hosts each tool, for the direct routes: a JSON array
            serialised into a string (what
            backends send) or the array itself. Clients accept `name`/`Name` and `server`/`serverName`/`Server`.
             Example: [{"name": "run_code", "server": "agb_local"}].
    """

    session_id: str | Unset = UNSET
    app_instance_id: str | Unset = UNSET
    resource_id: str | Unset = UNSET
    resource_url: str | Unset = UNSET
    status: str | Unset = UNSET
    link_url: str | Unset = UNSET
    ws_url: str | Unset = UNSET
    token: str | Unset = UNSET
    tool_list: list[ToolListItem] | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        session_id = self.session_id

        app_instance_id = self.app_instance_id

        resource_id = self.resource_id

        resource_url = self.resource_url

        status = self.status

        link_url = self.link_url

        ws_url = self.ws_url

        token = self.token

        tool_list: list[dict[str, Any]] | str | Unset
        if isinstance(self.tool_list, Unset):
            tool_list = UNSET
        elif isinstance(self.tool_list, list):
            tool_list = []
            for componentsschemas_tool_list_items_item_data in self.tool_list:
                componentsschemas_tool_list_items_item = componentsschemas_tool_list_items_item_data.to_dict()
                tool_list.append(componentsschemas_tool_list_items_item)

        else:
            tool_list = self.tool_list

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if session_id is not UNSET:
            field_dict["sessionId"] = session_id
        if app_instance_id is not UNSET:
            field_dict["appInstanceId"] = app_instance_id
        if resource_id is not UNSET:
            field_dict["resourceId"] = resource_id
        if resource_url is not UNSET:
            field_dict["resourceUrl"] = resource_url
        if status is not UNSET:
            field_dict["status"] = status
        if link_url is not UNSET:
            field_dict["linkUrl"] = link_url
        if ws_url is not UNSET:
            field_dict["wsUrl"] = ws_url
        if token is not UNSET:
            field_dict["token"] = token
        if tool_list is not UNSET:
            field_dict["toolList"] = tool_list

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tool_list_item import ToolListItem

        d = dict(src_dict)
        session_id = d.pop("sessionId", UNSET)

        app_instance_id = d.pop("appInstanceId", UNSET)

        resource_id = d.pop("resourceId", UNSET)

        resource_url = d.pop("resourceUrl", UNSET)

        status = d.pop("status", UNSET)

        link_url = d.pop("linkUrl", UNSET)

        ws_url = d.pop("wsUrl", UNSET)

        token = d.pop("token", UNSET)

        def _parse_tool_list(data: object) -> list[ToolListItem] | str | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                componentsschemas_tool_list_type_1 = []
                _componentsschemas_tool_list_type_1 = data
                for componentsschemas_tool_list_items_item_data in _componentsschemas_tool_list_type_1:
                    componentsschemas_tool_list_items_item = ToolListItem.from_dict(
                        componentsschemas_tool_list_items_item_data
                    )

                    componentsschemas_tool_list_type_1.append(componentsschemas_tool_list_items_item)

                return componentsschemas_tool_list_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ToolListItem] | str | Unset, data)

        tool_list = _parse_tool_list(d.pop("toolList", UNSET))

        get_session_data = cls(
            session_id=session_id,
            app_instance_id=app_instance_id,
            resource_id=resource_id,
            resource_url=resource_url,
            status=status,
            link_url=link_url,
            ws_url=ws_url,
            token=token,
            tool_list=tool_list,
        )

        get_session_data.additional_properties = d
        return get_session_data

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
