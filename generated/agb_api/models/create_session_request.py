from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.persistence_data import PersistenceData


T = TypeVar("T", bound="CreateSessionRequest")


@_attrs_define
class CreateSessionRequest:
    """Optional settings of a new session. Every field may be omitted; `{}` is the common body, and a missing body means
    `{}`.

        Example:
            {'labels': '{"project": "demo"}', 'timeout': 300}

        Attributes:
            labels (str | Unset): A `Labels` object serialised into a string, for example `{"project": "demo"}`: a JSON
                object whose
                keys and values are non-empty JSON strings (clients use Python `json.dumps`, so `": "` and `", "`
                separators and `\\uXXXX` escapes are common; any JSON whitespace is accepted). `{}` means no labels
                (as a filter: match every session). The pattern is exactly that grammar, written for every regex
                engine (ECMA 262, Rust, Python); the text is Unicode, so lone surrogates are not labels.
                 Example: {"project": "demo", "env": "staging"}.
            mcp_policy_id (str | Unset): A policy id for the session's tools (`CreateSessionParams.policy_id`).
            timeout (int | Unset): Idle-release timeout in seconds. Omitted means the service default (300 s).
            persistence_data_list (list[PersistenceData] | Unset): Contexts to mount into the new session: each item's
                context is copied into the sandbox at its
                `path` before the reply (per its policy's `downloadPolicy`), and copied back when the session is
                released (`uploadPolicy`). GetContextInfo reports each copy as a task. An unknown context (or one
                of another key) is a 404 and no session is made.
            context_id (str | Unset): Modelled by clients but never sent; ignored.
            session_id (str | Unset): Modelled by clients but never sent; ignored (the service chooses the id).
    """

    labels: str | Unset = UNSET
    mcp_policy_id: str | Unset = UNSET
    timeout: int | Unset = UNSET
    persistence_data_list: list[PersistenceData] | Unset = UNSET
    context_id: str | Unset = UNSET
    session_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        labels = self.labels

        mcp_policy_id = self.mcp_policy_id

        timeout = self.timeout

        persistence_data_list: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.persistence_data_list, Unset):
            persistence_data_list = []
            for persistence_data_list_item_data in self.persistence_data_list:
                persistence_data_list_item = persistence_data_list_item_data.to_dict()
                persistence_data_list.append(persistence_data_list_item)

        context_id = self.context_id

        session_id = self.session_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if labels is not UNSET:
            field_dict["labels"] = labels
        if mcp_policy_id is not UNSET:
            field_dict["mcpPolicyId"] = mcp_policy_id
        if timeout is not UNSET:
            field_dict["timeout"] = timeout
        if persistence_data_list is not UNSET:
            field_dict["persistenceDataList"] = persistence_data_list
        if context_id is not UNSET:
            field_dict["contextId"] = context_id
        if session_id is not UNSET:
            field_dict["sessionId"] = session_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.persistence_data import PersistenceData

        d = dict(src_dict)
        labels = d.pop("labels", UNSET)

        mcp_policy_id = d.pop("mcpPolicyId", UNSET)

        timeout = d.pop("timeout", UNSET)

        _persistence_data_list = d.pop("persistenceDataList", UNSET)
        persistence_data_list: list[PersistenceData] | Unset = UNSET
        if _persistence_data_list is not UNSET:
            persistence_data_list = []
            for persistence_data_list_item_data in _persistence_data_list:
                persistence_data_list_item = PersistenceData.from_dict(persistence_data_list_item_data)

                persistence_data_list.append(persistence_data_list_item)

        context_id = d.pop("contextId", UNSET)

        session_id = d.pop("sessionId", UNSET)

        create_session_request = cls(
            labels=labels,
            mcp_policy_id=mcp_policy_id,
            timeout=timeout,
            persistence_data_list=persistence_data_list,
            context_id=context_id,
            session_id=session_id,
        )

        create_session_request.additional_properties = d
        return create_session_request

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
