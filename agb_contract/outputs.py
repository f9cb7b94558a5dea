"""Tool outputs: what a successful tool call's text must look like (its `*Output` schema, or the line format of a
text output), and the whole /mcp reply of a tool call."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from .contract import Contract, schema_errors

FILE_INFO_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*): ?(.*)$")
LIST_LINE = re.compile(r"^\[(DIR|FILE)\] (.+)$")


def tool_output_problems(contract: Contract, tool: str, args: Any, text: str) -> list[str]:
    """What is wrong with the output text of a successful (`isError: false`) call of `tool` with `args`."""
    entry = contract.tools[tool]
    if not entry["output_is_text"]:
        try:
            value = json.loads(text)
        except ValueError as exc:
            return [f"{tool} output is not the JSON document {entry['output_ref']} describes: {exc}: {text[:200]!r}"]
        return [f"{tool} output vs {entry['output_ref']}: {e}" for e in schema_errors(entry["output"], value)]
    args = args if isinstance(args, dict) else {}
    problems: list[str] = []
    if tool == "get_file_info":
        keys = {}
        for line in text.splitlines():
            if not line.strip():
                continue
            m = FILE_INFO_LINE.match(line)
            if not m:
                problems.append(f"get_file_info line is not `key: value`: {line!r}")
                continue
            keys[m.group(1)] = m.group(2).strip()
        if not re.fullmatch(r"\d+", keys.get("size", "")):
            problems.append(f"get_file_info has no integer `size` line: {text[:200]!r}")
        if keys.get("isDirectory", "").lower() not in ("true", "false"):
            problems.append(f"get_file_info has no boolean `isDirectory` line: {text[:200]!r}")
    elif tool == "list_directory":
        for line in text.splitlines():
            if line.strip() and not LIST_LINE.match(line):
                problems.append(f"list_directory line is not `[DIR] name` or `[FILE] name`: {line!r}")
    elif tool == "search_files":
        if text.strip() != "No matches found":
            for line in text.strip().splitlines():
                if not line.startswith("/"):
                    problems.append(f"search_files line is not a full path: {line!r}")
    elif tool == "read_multiple_files":
        lines = text.split("\n")
        for path in args.get("paths") or []:
            if not any(line.startswith(f"{path}:") for line in lines):
                problems.append(f"read_multiple_files has no `{path}:` block: {text[:300]!r}")
    elif tool == "read_file" and args.get("format") == "binary":
        try:
            data = base64.b64decode(text, validate=True)
        except ValueError:
            problems.append(f"read_file format=binary did not return base64: {text[:200]!r}")
        else:
            length = args.get("length")
            if isinstance(length, int) and length > 0 and len(data) > length:
                problems.append(f"read_file returned {len(data)} bytes for length={length}")
    elif entry["output_ref"].endswith("/StatusTextOutput") and not text.strip():
        problems.append(f"{tool} returned an empty confirmation")
    return problems


def tool_text(data: Any) -> str | None:
    """The output of a call the way current clients read it: the `text` of every `type: text` item, joined."""
    if not isinstance(data, dict) or not isinstance(data.get("content"), list):
        return None
    texts = [c.get("text") for c in data["content"] if isinstance(c, dict) and c.get("type") == "text"]
    strings = [t for t in texts if isinstance(t, str)]
    if not texts or len(strings) != len(texts):
        return None
    return "\n".join(strings)


def tool_reply_problems(contract: Contract, request: Any, body: dict[str, Any]) -> list[str]:
    """A /mcp 200: a tool result; a successful call of a known tool with object args has a valid output."""
    data = body.get("data")
    problems: list[str] = []
    if body.get("success") is not True or body.get("message") not in ("", None):
        problems.append(
            f"a tool result must keep success:true and message:'' (got {body.get('success')!r}, "
            f"{body.get('message')!r}); old clients show a non-empty message instead of the tool's text"
        )
    text = tool_text(data)
    if text is None or not isinstance(data, dict):
        problems.append(f"data.content has no `type: text` item with a string text: {json.dumps(data)[:300]}")
        return problems
    if data.get("isError") is True:
        if not text.strip():
            problems.append("a tool error with an empty text")
        return problems
    name = request.get("name") if isinstance(request, dict) else None
    raw = request.get("args") if isinstance(request, dict) else None
    if name in contract.tools:
        try:
            args = json.loads(raw) if raw not in (None, "") else {}
        except ValueError:
            problems.append(f"{name} with args that are not JSON ({str(raw)[:100]!r}) must be a tool error")
            return problems
        if not isinstance(args, dict):
            problems.append(f"{name} with args that are not an object ({str(raw)[:100]!r}) must be a tool error")
        elif schema_errors(contract.tools[name]["args"], args):
            problems.append(f"{name} with args that do not fit {contract.tools[name]['args_ref']} must be a tool error")
        else:
            problems += tool_output_problems(contract, name, args, text)
    elif isinstance(name, str):
        problems.append(f"the unknown tool {name!r} must be a tool error")
    return problems
