"""How much Hypothesis tries: the full count in `make test`, fewer in `make test-fast`.

`make test-fast` loads the `fast` profile (`--hypothesis-profile=fast`, registered in
tests/conftest.py). A test that sets its own numbers asks for them through `examples(n)`
and `steps(n)`, which give n under the default profile and the profile's smaller numbers
under `fast`."""

from __future__ import annotations

from hypothesis import settings

FAST = "fast"
FAST_EXAMPLES = 5
FAST_STEPS = 10


def register_profiles() -> None:
    settings.register_profile(FAST, max_examples=FAST_EXAMPLES, stateful_step_count=FAST_STEPS)


def examples(wanted: int) -> int:
    """`wanted` examples, or fewer if the loaded profile asks for fewer."""
    return min(wanted, settings().max_examples)


def steps(wanted: int) -> int:
    """`wanted` steps per state-machine run, or fewer if the loaded profile asks for fewer."""
    return min(wanted, settings().stateful_step_count)
