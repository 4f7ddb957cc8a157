"""Linked devices: customer sign-in credentials, linking and unlinking, device-signed
requests, and offline-code secrets."""
