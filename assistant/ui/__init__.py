"""The page the customer sees: its template, styles, script and texts (all files here)."""
