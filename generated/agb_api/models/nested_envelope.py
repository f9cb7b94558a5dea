from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.nested_envelope_body import NestedEnvelopeBody


T = TypeVar("T", bound="NestedEnvelope")


@_attrs_define
class NestedEnvelope:
    """An envelope nested under `body` (camelCase or PascalCase), which some releaseSessionAsync replies carry.

    Example:
        {'body': {'success': True, 'code': 'ok', 'message': '', 'httpStatusCode': 200, 'requestId':
            '5B1C2D3E-0000-4000-8000-000000000012'}}

    Attributes:
        body (NestedEnvelopeBody): An `Envelope` or a `PascalCaseEnvelope`.
    """

    body: NestedEnvelopeBody
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        body = self.body.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "body": body,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.nested_envelope_body import NestedEnvelopeBody

        d = dict(src_dict)
        body = NestedEnvelopeBody.from_dict(d.pop("body"))

        nested_envelope = cls(
            body=body,
        )

        nested_envelope.additional_properties = d
        return nested_envelope

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
