"""What the vendor's browser-use and computer-use images have that agb_local does not: the spec's capabilities
(`x-agb-capabilities`: a browser, a desktop). Their sessions start here as code sandboxes; each operation of a
capability is answered with NotOffered and each tool with a tool error, both saying that this backend has no
browser or desktop and what the session does offer, so a user of the official client's `session.browser` or
`session.computer` learns why instead of meeting an unknown tool."""

from __future__ import annotations

import agb_spec

OFFERED_INSTEAD = "this session's shell, file, code and metrics tools work as in a code image"


def _reason(kind: str, name: str, capability: agb_spec.Capability, spec: agb_spec.Spec) -> str:
    families = [f.name for f in agb_spec.image_families(spec).values() if capability.name in f.capabilities]
    return (
        f"this backend has no browser or desktop ({name} is a {capability.name} {kind} of the AGB cloud's "
        f"{' and '.join(families)} images); {OFFERED_INSTEAD}"
    )


def operation_reasons(spec: agb_spec.Spec) -> dict[str, str]:
    """Each capability operation's NotOffered message, by operationId."""
    return {
        op: _reason("operation", op, capability, spec)
        for capability in agb_spec.capabilities(spec).values()
        for op in capability.operations
    }


def tool_reasons(spec: agb_spec.Spec) -> dict[str, str]:
    """Each capability tool's tool-error text, by tool name."""
    return {
        tool: f"agb_local does not offer the tool {tool}: " + _reason("tool", tool, capability, spec)
        for capability in agb_spec.capabilities(spec).values()
        for tool in capability.tools
    }
