"""Attempt limits: wrong unlock codes, failed sign-ins and failed staff logins counted per
key, each attempt reserved before its secret is checked, with a lock."""
