"""Values as the customer reads them, in the assistant's current language: the functions of
`assistant.diagnostics.formats`, written once there because the diagnostics need them too
and import nothing of the assistant. Importing `assistant.i18n` gives the diagnostics the
assistant's translator, so both follow the language chosen in the window.

    size(30_400) -> "30,4 kB" (German), "30.4 kB" (English)
"""

from __future__ import annotations

import assistant.i18n  # noqa: F401 - the language these follow is the assistant's
from assistant.diagnostics.formats import (
    day,
    decimal,
    language,
    moment,
    number,
    size,
    time_of_day,
    yes_no,
)

__all__ = ["day", "decimal", "language", "moment", "number", "size", "time_of_day", "yes_no"]
