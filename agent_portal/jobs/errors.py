"""Errors of job coordination.

CoordinationError
└── LockTimeout    another worker held the lock for longer than the caller would wait
"""


class CoordinationError(Exception):
    """Workers could not agree on who does a piece of work."""


class LockTimeout(CoordinationError):
    def __init__(self, name: str, seconds: float) -> None:
        super().__init__(f"the lock {name!r} was held by another worker for over {seconds:g} s")
        self.name = name
        self.seconds = seconds
