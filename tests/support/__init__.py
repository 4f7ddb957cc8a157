"""Helpers the tests share: throw-away databases, a live server, system requirements."""
