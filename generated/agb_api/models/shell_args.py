from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.shell_args_envs import ShellArgsEnvs


T = TypeVar("T", bound="ShellArgs")


@_attrs_define
class ShellArgs:
    """
    Example:
        {'command': 'echo hi', 'timeout_ms': 5000, 'cwd': '/tmp', 'envs': {'A': '1'}}

    Attributes:
        command (str): Run by `/bin/bash -c`.
        timeout_ms (int | Unset): Milliseconds before the command and its children are killed (default 1000).
        cwd (str | Unset): Working directory (default the home directory).
        envs (ShellArgsEnvs | Unset): Extra environment variables.
    """

    command: str
    timeout_ms: int | Unset = UNSET
    cwd: str | Unset = UNSET
    envs: ShellArgsEnvs | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        command = self.command

        timeout_ms = self.timeout_ms

        cwd = self.cwd

        envs: dict[str, Any] | Unset = UNSET
        if not isinstance(self.envs, Unset):
            envs = self.envs.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "command": command,
            }
        )
        if timeout_ms is not UNSET:
            field_dict["timeout_ms"] = timeout_ms
        if cwd is not UNSET:
            field_dict["cwd"] = cwd
        if envs is not UNSET:
            field_dict["envs"] = envs

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.shell_args_envs import ShellArgsEnvs

        d = dict(src_dict)
        command = d.pop("command")

        timeout_ms = d.pop("timeout_ms", UNSET)

        cwd = d.pop("cwd", UNSET)

        _envs = d.pop("envs", UNSET)
        envs: ShellArgsEnvs | Unset
        if isinstance(_envs, Unset):
            envs = UNSET
        else:
            envs = ShellArgsEnvs.from_dict(_envs)

        shell_args = cls(
            command=command,
            timeout_ms=timeout_ms,
            cwd=cwd,
            envs=envs,
        )

        shell_args.additional_properties = d
        return shell_args

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
