"""The report of a run: one row per operation and per tool, as a table, failure details, JUnit XML and JSON.

A row is *passed*, *failed* (with its first failing check and, where the run has one, a `curl` line that
sends the request again) or *not offered* (an operation marked `x-agb-local: unsupported` that the backend
answers with the spec's NotOffered reply).
"""

from __future__ import annotations

import dataclasses
import json
import shlex
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

# A reproduction never carries the key: it is read from the environment of whoever runs it.
KEY_VARIABLE = "AGB_API_KEY"


def curl(method: str, url: str, *, params: Mapping[str, Any] | None = None, body: Any = None) -> str:
    """A curl line sending this request, with the key taken from $AGB_API_KEY."""
    if params:
        url += ("&" if "?" in url else "?") + urlencode(params)
    parts = ["curl", "-X", method, shlex.quote(url), "-H", f'"authorization: Bearer ${KEY_VARIABLE}"']
    if body is not None:
        parts += ["-H", "'content-type: application/json'", "-d", shlex.quote(json.dumps(body, ensure_ascii=False))]
    return " ".join(parts)


def with_key_variable(command: str) -> str:
    """schemathesis' curl line (its output filters the Authorization header) with the key from $AGB_API_KEY."""
    return command.replace("-H 'Authorization: [Filtered]'", f'-H "Authorization: Bearer ${KEY_VARIABLE}"')


@dataclasses.dataclass
class Finding:
    """One failing check of a row: the first time it failed."""

    check: str
    title: str
    message: str
    curl: str | None = None


@dataclasses.dataclass
class Row:
    """One line of the summary: an operation, or a tool of /mcp."""

    name: str
    cases: int = 0
    phase_cases: dict[str, int] = dataclasses.field(default_factory=dict)  # cases by schemathesis phase
    failures: dict[tuple[str, str], Finding] = dataclasses.field(default_factory=dict)  # by (check, title)
    errors: list[str] = dataclasses.field(default_factory=list)
    note: str = ""
    offered: bool = True

    def fail(self, check: str, title: str, message: str, curl: str | None = None) -> None:
        """Record a failure; only the first of each (check, title) is kept."""
        self.failures.setdefault((check, title), Finding(check, title, message, curl))

    @property
    def failed(self) -> bool:
        return bool(self.failures or self.errors)

    @property
    def result(self) -> str:
        return "FAILED" if self.failed else "passed" if self.offered else "not offered"

    @property
    def first_failure(self) -> Finding | None:
        return next(iter(self.failures.values()), None)

    @property
    def checks_failed(self) -> list[str]:
        return sorted({check for check, _ in self.failures} | ({"error"} if self.errors else set()))

    def as_json(self, kind: str) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": kind,
            "result": self.result,
            "cases": self.cases,
            "failures": [dataclasses.asdict(f) for f in self.failures.values()],
            "errors": self.errors,
            "note": self.note,
        }


@dataclasses.dataclass
class Report:
    url: str
    seed: int
    max_examples: int
    operations: dict[str, Row] = dataclasses.field(default_factory=dict)
    tools: dict[str, Row] = dataclasses.field(default_factory=dict)
    run_errors: list[str] = dataclasses.field(default_factory=list)
    links: dict[str, int] = dataclasses.field(default_factory=dict)  # explicit link name -> times followed
    phase_cases: dict[str, int] = dataclasses.field(default_factory=lambda: defaultdict(int))
    elapsed: float = 0.0

    @property
    def rows(self) -> list[Row]:
        return [*self.operations.values(), *self.tools.values()]

    @property
    def failed(self) -> bool:
        return bool(self.run_errors) or any(r.failed for r in self.rows)

    def row(self, label: str) -> Row:
        if label not in self.operations:
            self.operations[label] = Row(label)
        return self.operations[label]

    def tool_row(self, name: str) -> Row:
        return self.tools.setdefault(name, Row(name))

    def table(self) -> str:
        """The summary: a row per operation and per tool, then the first failure of each failed row."""
        rows = self.rows
        width = max([len(r.name) for r in rows] + [9])
        rule = "-" * (width + 58)
        header = f"{'operation':<{width}}  {'result':<11}  {'cases':>6}  {'failures':>8}  first failing check"
        lines = [header, rule]
        for r in rows:
            failures = len(r.failures) + len(r.errors)
            first = r.first_failure
            if first is not None:
                more = len(r.checks_failed) - 1
                detail = first.check + (f" (+{more} more)" if more > 0 else "")
            elif r.errors:
                detail = "error"
            else:
                detail = f"({r.note})" if r.note and r.offered else ""
            lines.append(f"{r.name:<{width}}  {r.result:<11}  {r.cases:>6}  {failures:>8}  {detail}".rstrip())
        total = sum(r.cases for r in rows)
        bad = sum(1 for r in rows if r.failed)
        lines.append(rule)
        explicit = {name: n for name, n in self.links.items() if not name.startswith("(inferred)")}
        missing = sorted(name for name, n in explicit.items() if not n)
        lines.append(
            f"{total} cases, {bad} of {len(rows)} rows failing, {len(self.run_errors)} run errors; seed {self.seed}; "
            f"{self.elapsed:.1f} s"
        )
        lines.append(
            f"stateful: {self.phase_cases.get('stateful', 0)} cases; links of the spec followed: "
            f"{len(explicit) - len(missing)}/{len(explicit)}" + (f" (never: {', '.join(missing)})" if missing else "")
        )
        reproductions = [(r, r.first_failure) for r in rows if r.first_failure is not None]
        if reproductions:
            lines += ["", f"First failures (reproduce with {KEY_VARIABLE} set to the key):"]
            for r, first in reproductions:
                assert first is not None
                lines.append(f"  {r.name}: {first.check}: {first.title}")
                # A stateful failure is a sequence of requests, one curl line each, the failing one last.
                lines += [f"    {line}" for line in (first.curl or "").splitlines() if line.strip()]
        return "\n".join(lines)

    def details(self) -> str:
        out = []
        for r in self.rows:
            for finding in r.failures.values():
                text = finding.message + (f"\n{finding.curl}" if finding.curl else "")
                out.append(f"[{r.name}] {finding.check}: {finding.title}\n    " + text.replace("\n", "\n    "))
            for error in r.errors:
                out.append(f"[{r.name}] error: " + error.replace("\n", "\n    "))
        out += [f"[run] error: {e}" for e in self.run_errors]
        return "\n\n".join(out)

    def as_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "seed": self.seed,
            "max_examples": self.max_examples,
            "elapsed_s": round(self.elapsed, 3),
            "result": "FAILED" if self.failed else "passed",
            "operations": [r.as_json("operation") for r in self.operations.values()],
            "tools": [r.as_json("tool") for r in self.tools.values()],
            "run_errors": self.run_errors,
            "links": self.links,
            "phase_cases": dict(self.phase_cases),
        }

    def junit(self) -> str:
        rows = self.rows
        suite = ET.Element(
            "testsuite",
            name="agb-contract",
            tests=str(len(rows) + 1),
            failures=str(sum(1 for r in rows if r.failures)),
            errors=str(sum(1 for r in rows if r.errors) + bool(self.run_errors)),
            skipped=str(sum(1 for r in rows if not r.offered and not r.failed)),
            time=f"{self.elapsed:.3f}",
        )
        ET.SubElement(ET.SubElement(suite, "properties"), "property", name="seed", value=str(self.seed))
        for r in rows:
            case = ET.SubElement(suite, "testcase", classname="agb-contract", name=r.name)
            ET.SubElement(case, "system-out").text = f"{r.cases} cases" + (f"; {r.note}" if r.note else "")
            if not r.offered and not r.failed:
                ET.SubElement(case, "skipped", message="not offered by this backend")
            for finding in r.failures.values():
                text = finding.message + (f"\n{finding.curl}" if finding.curl else "")
                ET.SubElement(case, "failure", type=finding.check, message=finding.title).text = text
            for error in r.errors:
                ET.SubElement(case, "error", message=error.splitlines()[0][:200]).text = error
        run = ET.SubElement(suite, "testcase", classname="agb-contract", name="run")
        for error in self.run_errors:
            ET.SubElement(run, "error", message=error.splitlines()[0][:200]).text = error
        return ET.tostring(suite, encoding="unicode")
