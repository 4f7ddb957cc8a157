"""The audit log: who issued, used, revoked or failed which code, and device links."""
