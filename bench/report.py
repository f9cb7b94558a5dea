"""The one table: a row per measurement, with our figure, the baseline's, the ratio and the target."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HEADERS = ("Measure", "Ours", "Baseline (same run)", "Ratio", "Target", "Result")


@dataclass
class Row:
    """One measurement. ``passed`` is None for rows that only inform (no target)."""

    section: str
    measure: str
    ours: str
    baseline: str
    ratio: float = math.nan
    target: str = "info"
    passed: bool | None = None
    data: dict[str, Any] = field(default_factory=dict)
    ratio_spread: float = math.nan  # ± of a paired ratio (half its interquartile range)

    @property
    def result(self) -> str:
        if self.passed is None:
            return "-"
        return "PASS" if self.passed else "FAIL"

    def cells(self) -> tuple[str, ...]:
        r = "" if math.isnan(self.ratio) else f"{self.ratio:.2f}x"
        if r and not math.isnan(self.ratio_spread):
            r += f" ±{self.ratio_spread:.2f}"
        return (self.measure, self.ours, self.baseline, r, self.target, self.result)


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row

    def note(self, text: str) -> None:
        self.notes.append(text)

    def render(self) -> str:
        widths = [len(h) for h in HEADERS]
        for row in self.rows:
            for i, cell in enumerate(row.cells()):
                widths[i] = max(widths[i], len(cell))
        line = "  ".join("-" * w for w in widths)
        out = ["  ".join(h.ljust(w) for h, w in zip(HEADERS, widths, strict=True)), line]
        section = None
        for row in self.rows:
            if row.section != section:
                section = row.section
                out.append(f"[{section}]")
            out.append("  ".join(c.ljust(w) for c, w in zip(row.cells(), widths, strict=True)).rstrip())
        out.append(line)
        failed = [r for r in self.rows if r.passed is False]
        judged = [r for r in self.rows if r.passed is not None]
        out.append(f"{len(judged) - len(failed)} of {len(judged)} targets met")
        out.extend(f"note: {n}" for n in self.notes)
        return "\n".join(out)

    def to_json(self) -> dict[str, Any]:
        rows = []
        for row in self.rows:
            item = asdict(row)
            item["ratio"] = None if math.isnan(row.ratio) else row.ratio
            item["ratio_spread"] = None if math.isnan(row.ratio_spread) else row.ratio_spread
            item["result"] = row.result
            rows.append(item)
        return {"meta": self.meta, "rows": rows, "notes": self.notes}

    def write_json(self, path: Path) -> None:
        path.write_text(json.dumps(_plain(self.to_json()), indent=2, allow_nan=False) + "\n")


def _plain(value: object) -> object:
    """`value` as strict JSON: NaN becomes null, tuples lists, other objects their fields or text."""
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | bool):
        return value
    if hasattr(value, "__dict__"):
        return _plain(vars(value))
    return str(value)
