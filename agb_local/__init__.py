"""agb_local: a local AGB backend that speaks the AGB wire protocol with real sandboxes.

It is driven by the spec (openapi/agb.yaml, read through agb_spec) and imports neither the
SDK (`agb`) nor the generated client (`agb_api`), so it is an independent second implementation of the
protocol and the contract tests mean something.
"""
