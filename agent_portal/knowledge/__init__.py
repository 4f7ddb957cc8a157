"""The knowledge base: what solved a problem, written down by the hotline so that customers
can help themselves first and agents need not solve the same problem twice.

- `models`: the tables; `errors`: what can go wrong; `schemas`: input rules and wire output.
- `findings`: the diagnostics findings an article can explain, read from the assistant's
  checks.
- `service`: create, edit, publish, list, drafts from a conversation; `search`: full-text
  search on SQLite (FTS5) and PostgreSQL (tsvector).
- `pages`: the portal pages; `views`: the assistant's API; `seed`: starter articles.
"""
