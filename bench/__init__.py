"""Benchmarks of the SDK and agb_local against baselines measured in the same run (``tools/bench``).

Every figure is a ratio against something measured side by side on the same machine at the same time:
raw httpx, the official ``agbcloud-sdk`` (in its own virtual environment, driven through a subprocess),
and the physical floor (a bare ASGI app, a bare Jupyter kernel). Nothing here is imported by the SDK,
agb_local or the tests.
"""
