"""The customers domain: the ISP's customers, their subscription and devices.

- `models`: the tables; `schemas`: wire formats and input rules; `tiers`: what a
  subscription means now (active, device limit).
- `service`: read, save, erase, search, add devices; `importer`: the CSV import.
- `views`: the provisioning API; `pages`: the agent's portal pages; `cli`: the import
  command.
"""
