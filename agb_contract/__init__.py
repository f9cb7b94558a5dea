"""Tools for backend teams and maintainers of the AGB protocol: ``agb-spec diff`` (what a spec change breaks)."""
