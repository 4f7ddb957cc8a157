"""The diagnostics wire format, shared by the assistant that makes a report and the server
that stores it and shows it to the hotline.

- `report`: the report itself (`DiagnosticsReport`) and its parts: `Severity`, `Category`,
  `CheckStatus`, `QuickLink`, `Finding`, `CheckResult`, `HostInfo`, `Progress`.
- `facts`: the facts each check collects, one pydantic model per check.
- `catalogue`: which checks and findings exist, with their titles in German and English
  (`checks.json`), for the server, which never runs a check.

Everything here needs nothing heavier than pydantic.
"""
