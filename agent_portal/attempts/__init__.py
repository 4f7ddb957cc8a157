"""Attempt limits: wrong codes and failed sign-ins counted per key, with a lock."""
