from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="GetMetricsOutput")


@_attrs_define
class GetMetricsOutput:
    """The decoded output of `get_metrics`: the session's own cgroup accounting and disk quota, in the keys
    clients parse. Sizes are bytes, rates KB/s, counters KB; a figure the backend cannot know (the network
    of a sandbox without one) is 0.

        Example:
            {'cpu_count': 2, 'cpu_used_pct': 3.5, 'mem_total': 1073741824, 'mem_used': 52428800, 'disk_total': 2147483648,
                'disk_used': 81920, 'rx_rate_kbyte_per_s': 0, 'tx_rate_kbyte_per_s': 0, 'rx_used_kbyte': 0, 'tx_used_kbyte': 0,
                'timestamp': '2026-12-01T09:30:00Z'}

        Attributes:
            cpu_count (int): CPUs the session may use.
            cpu_used_pct (float): CPU use of the session since the previous call (or since it started), as a share of its
                CPUs.
            mem_total (int): The session's memory limit, bytes.
            mem_used (int): Memory the session uses now, bytes.
            disk_total (int): The session's disk quota, bytes.
            disk_used (int): Disk the session's files use, bytes.
            timestamp (str): When the figures were taken, ISO 8601 UTC.
            rx_rate_kbyte_per_s (float | Unset):
            tx_rate_kbyte_per_s (float | Unset):
            rx_used_kbyte (float | Unset):
            tx_used_kbyte (float | Unset):
    """

    cpu_count: int
    cpu_used_pct: float
    mem_total: int
    mem_used: int
    disk_total: int
    disk_used: int
    timestamp: str
    rx_rate_kbyte_per_s: float | Unset = UNSET
    tx_rate_kbyte_per_s: float | Unset = UNSET
    rx_used_kbyte: float | Unset = UNSET
    tx_used_kbyte: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cpu_count = self.cpu_count

        cpu_used_pct = self.cpu_used_pct

        mem_total = self.mem_total

        mem_used = self.mem_used

        disk_total = self.disk_total

        disk_used = self.disk_used

        timestamp = self.timestamp

        rx_rate_kbyte_per_s = self.rx_rate_kbyte_per_s

        tx_rate_kbyte_per_s = self.tx_rate_kbyte_per_s

        rx_used_kbyte = self.rx_used_kbyte

        tx_used_kbyte = self.tx_used_kbyte

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cpu_count": cpu_count,
                "cpu_used_pct": cpu_used_pct,
                "mem_total": mem_total,
                "mem_used": mem_used,
                "disk_total": disk_total,
                "disk_used": disk_used,
                "timestamp": timestamp,
            }
        )
        if rx_rate_kbyte_per_s is not UNSET:
            field_dict["rx_rate_kbyte_per_s"] = rx_rate_kbyte_per_s
        if tx_rate_kbyte_per_s is not UNSET:
            field_dict["tx_rate_kbyte_per_s"] = tx_rate_kbyte_per_s
        if rx_used_kbyte is not UNSET:
            field_dict["rx_used_kbyte"] = rx_used_kbyte
        if tx_used_kbyte is not UNSET:
            field_dict["tx_used_kbyte"] = tx_used_kbyte

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        cpu_count = d.pop("cpu_count")

        cpu_used_pct = d.pop("cpu_used_pct")

        mem_total = d.pop("mem_total")

        mem_used = d.pop("mem_used")

        disk_total = d.pop("disk_total")

        disk_used = d.pop("disk_used")

        timestamp = d.pop("timestamp")

        rx_rate_kbyte_per_s = d.pop("rx_rate_kbyte_per_s", UNSET)

        tx_rate_kbyte_per_s = d.pop("tx_rate_kbyte_per_s", UNSET)

        rx_used_kbyte = d.pop("rx_used_kbyte", UNSET)

        tx_used_kbyte = d.pop("tx_used_kbyte", UNSET)

        get_metrics_output = cls(
            cpu_count=cpu_count,
            cpu_used_pct=cpu_used_pct,
            mem_total=mem_total,
            mem_used=mem_used,
            disk_total=disk_total,
            disk_used=disk_used,
            timestamp=timestamp,
            rx_rate_kbyte_per_s=rx_rate_kbyte_per_s,
            tx_rate_kbyte_per_s=tx_rate_kbyte_per_s,
            rx_used_kbyte=rx_used_kbyte,
            tx_used_kbyte=tx_used_kbyte,
        )

        get_metrics_output.additional_properties = d
        return get_metrics_output

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
