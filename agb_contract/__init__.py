"""Tools for backend teams and maintainers of the AGB protocol, installed with the `contract` extra.

``agb-contract-test`` checks a running backend against the spec (schemathesis and hypothesis); ``agb-spec diff``
says what a change of the spec breaks, for clients and for servers. The package reads the spec through
`agb_spec` and imports neither `agb` nor `agb_local`. Its modules, by role:

    guard       the network guard: traffic to the backend under test only
    contract    the spec model: operations, tools, JSON-in-string fields; the spec as schemathesis gets it
    sessions    the session model: what the backend must say about the sessions a run created
    outputs     what a tool call's reply and output text must look like
    checks      the AGB checks, registered with schemathesis
    backend     plain calls to the backend (preflight, cleanup, payloads)
    phase       the schemathesis phase
    payloads    the tool payloads (hypothesis), labels and the tool list
    families    the image families: every documented image, its tool list, its capabilities' tools
    report      the report: table, details, JUnit, JSON, reproductions
    suite       a whole run: what the backend does not offer, the phase, the payloads, the families
    cli         ``agb-contract-test``, the command line
    spec_diff   what a spec change breaks (``agb-spec diff``)
    release     the released specs and the policy of ``agb-spec release-check`` (CI)
    spec_cli    ``agb-spec``, the command line
"""
