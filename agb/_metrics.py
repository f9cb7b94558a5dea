"""``session.get_metrics()``: the ``get_metrics`` tool's JSON output, read through the spec's model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agb_api.models import GetMetricsOutput

from ._flow import Flow, guarded
from ._tools import tool_text
from ._wire import as_int, number, read_json_model, text
from .results import SessionMetrics, SessionMetricsResult

if TYPE_CHECKING:
    from .session import SessionCore


@guarded(SessionMetricsResult)
def get_metrics(session: SessionCore) -> Flow[SessionMetricsResult]:
    """The session's cpu, memory, disk and network use: ``result.metrics`` (a ``SessionMetrics``)."""
    output = yield from tool_text(session, "get_metrics", {})
    doc = read_json_model(GetMetricsOutput, output.text, "get_metrics", output.request_id)
    metrics = SessionMetrics(
        cpu_count=as_int(doc.cpu_count) or 0,
        cpu_used_pct=number(doc.cpu_used_pct) or 0.0,
        disk_total=as_int(doc.disk_total) or 0,
        disk_used=as_int(doc.disk_used) or 0,
        mem_total=as_int(doc.mem_total) or 0,
        mem_used=as_int(doc.mem_used) or 0,
        rx_rate_kbyte_per_s=number(doc.rx_rate_kbyte_per_s) or 0.0,
        tx_rate_kbyte_per_s=number(doc.tx_rate_kbyte_per_s) or 0.0,
        rx_used_kbyte=number(doc.rx_used_kbyte) or 0.0,
        tx_used_kbyte=number(doc.tx_used_kbyte) or 0.0,
        timestamp=text(doc.timestamp),
    )
    return SessionMetricsResult(success=True, metrics=metrics, raw=doc.to_dict(), request_id=output.request_id)
