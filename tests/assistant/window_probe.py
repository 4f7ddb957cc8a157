"""Run under a screen (`python -m tests.assistant.window_probe`): opens the assistant's
real DesktopWindow on a blank page, minimises it the way a customer would (from a normal
and from a maximised window), asks it to come forward as a question for the customer
does, and prints the window's state after each step as JSON. Qt must own the main thread,
so the steps run beside it."""

from __future__ import annotations

import json
import threading
import time

from assistant.window import DesktopWindow

STEP_SECONDS = 15


def main() -> None:
    window = DesktopWindow("about:blank", "Internet Assistant")
    seen: list[list[str]] = []

    def settle(step: str, expected: str) -> None:
        deadline = time.monotonic() + STEP_SECONDS
        while window.state != expected and time.monotonic() < deadline:
            time.sleep(0.05)
        seen.append([step, window.state])

    def steps() -> None:
        try:
            window.loaded.wait(60)
            window.bring_forward()  # open already: nothing changes
            settle("open, asked forward", "normal")
            window.window.minimize()
            settle("minimised", "minimised")
            window.bring_forward()
            settle("asked forward", "normal")
            window.window.maximize()
            settle("maximised", "maximised")
            window.window.minimize()
            settle("minimised from maximised", "minimised")
            window.bring_forward()
            settle("asked forward again", "maximised")
            print(json.dumps(seen), flush=True)
        finally:
            window.close()

    threading.Thread(target=steps, name="probe-steps", daemon=True).start()
    window.run()


if __name__ == "__main__":
    main()
