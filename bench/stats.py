"""Summaries of repeated measurements: median and spread, percentiles, formatting."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], q: float) -> float:
    """The `q`-th percentile (0..100) with linear interpolation between closest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


@dataclass(frozen=True)
class Summary:
    """A sample: its size, median, quartiles and tail percentiles (in the sample's unit)."""

    n: int
    median: float
    p25: float
    p75: float
    p95: float
    p99: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Iterable[float]) -> Summary:
        data = [float(v) for v in values]
        if not data:
            nan = math.nan
            return cls(0, nan, nan, nan, nan, nan, nan, nan)
        return cls(
            n=len(data),
            median=statistics.median(data),
            p25=percentile(data, 25),
            p75=percentile(data, 75),
            p95=percentile(data, 95),
            p99=percentile(data, 99),
            low=min(data),
            high=max(data),
        )

    @property
    def spread(self) -> float:
        """Half the interquartile range: the ± shown beside a median."""
        return (self.p75 - self.p25) / 2


def ratio(ours: float, baseline: float) -> float:
    if not baseline or math.isnan(baseline) or math.isnan(ours):
        return math.nan
    return ours / baseline


def paired_ratio(ours: Sequence[float], baseline: Sequence[float]) -> Summary:
    """The ratios of figures measured side by side (round i of ours against round i of the baseline):
    a drift in the machine's load between rounds cancels out, which it does not in a ratio of medians."""
    return Summary.of(ratio(o, b) for o, b in zip(ours, baseline, strict=False) if not math.isnan(ratio(o, b)))


def fmt_ms(seconds: float) -> str:
    if math.isnan(seconds):
        return "n/a"
    ms = seconds * 1000
    if ms >= 100:
        return f"{ms:.0f} ms"
    if ms >= 10:
        return f"{ms:.1f} ms"
    return f"{ms:.2f} ms"


def fmt_summary_ms(s: Summary) -> str:
    """``median ±half-IQR`` in milliseconds."""
    if s.n == 0:
        return "n/a"
    if s.n == 1:
        return fmt_ms(s.median)
    return f"{fmt_ms(s.median)} ±{fmt_ms(s.spread).removesuffix(' ms')}"


def fmt_mb(nbytes: float) -> str:
    return "n/a" if math.isnan(nbytes) else f"{nbytes / 1e6:.1f} MB"


def fmt_rate(per_s: float) -> str:
    return "n/a" if math.isnan(per_s) else f"{per_s:,.0f}/s"
