from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tool_descriptor_input_schema import ToolDescriptorInputSchema


T = TypeVar("T", bound="ToolDescriptor")


@_attrs_define
class ToolDescriptor:
    """One tool of an image, as listed (JSON-in-string) by listTools.

    Example:
        {'name': 'shell', 'description': 'Run a shell command.', 'inputSchema': {'type': 'object'}, 'server':
            'agb_local', 'tool': 'shell'}

    Attributes:
        name (str):
        description (str | Unset):
        input_schema (ToolDescriptorInputSchema | Unset): JSON Schema of the tool's decoded `args`.
        server (str | Unset):
        tool (str | Unset):
    """

    name: str
    description: str | Unset = UNSET
    input_schema: ToolDescriptorInputSchema | Unset = UNSET
    server: str | Unset = UNSET
    tool: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        description = self.description

        input_schema: dict[str, Any] | Unset = UNSET
        if not isinstance(self.input_schema, Unset):
            input_schema = self.input_schema.to_dict()

        server = self.server

        tool = self.tool

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if input_schema is not UNSET:
            field_dict["inputSchema"] = input_schema
        if server is not UNSET:
            field_dict["server"] = server
        if tool is not UNSET:
            field_dict["tool"] = tool

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tool_descriptor_input_schema import ToolDescriptorInputSchema

        d = dict(src_dict)
        name = d.pop("name")

        description = d.pop("description", UNSET)

        _input_schema = d.pop("inputSchema", UNSET)
        input_schema: ToolDescriptorInputSchema | Unset
        if isinstance(_input_schema, Unset):
            input_schema = UNSET
        else:
            input_schema = ToolDescriptorInputSchema.from_dict(_input_schema)

        server = d.pop("server", UNSET)

        tool = d.pop("tool", UNSET)

        tool_descriptor = cls(
            name=name,
            description=description,
            input_schema=input_schema,
            server=server,
            tool=tool,
        )

        tool_descriptor.additional_properties = d
        return tool_descriptor

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
