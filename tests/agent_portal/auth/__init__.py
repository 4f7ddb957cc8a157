"""Tests of staff accounts, login, sessions, CSRF, role checks, API keys and the admin page."""
