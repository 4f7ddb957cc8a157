"""Entitlements: the server's signing keys, subscription entitlements and their refresh."""
