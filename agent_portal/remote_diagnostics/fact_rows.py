"""A check's facts as rows for the report page: each field under its label
(`fact_labels`), each value written by its kind in the page's language and the portal's
time zone (`isp_common.formatting`): yes/no, counts grouped, bytes as sizes, shares as
percentages, seconds as durations, times in the portal's zone. Lists of records become
nested rows. A value the report does not have (None) is left out, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel

from agent_portal.i18n import _
from agent_portal.remote_diagnostics import fact_labels
from isp_common import formatting

MAX_ITEMS = 10
# Numbers that name something (a port, a process) rather than count: written as they are.
IDENTIFIERS = {"port", "pid", "status_code", "channel", "mtu"}


@dataclass(frozen=True)
class FactRow:
    label: str
    value: str = ""
    technical: bool = False
    """The computer's own words (e.g. an error message): shown as is, marked."""
    items: list[list[FactRow]] = field(default_factory=list)
    """A list of records (the partitions, the ports tried), each its own rows."""
    more: int = 0
    """How many records of `items` are left out."""


@dataclass(frozen=True)
class Reader:
    """The page's language and time zone."""

    locale: str
    zone: str

    def rows(self, facts: BaseModel | None) -> list[FactRow]:
        if facts is None:
            return []
        model = type(facts).__name__
        rows = []
        for name, value in facts:
            if name == "kind" or value is None or value == []:
                continue
            rows.append(self._row(model, name, value))
        return rows

    def _row(self, model: str, name: str, value) -> FactRow:
        label = _(fact_labels.label(model, name) or name)
        if name in fact_labels.TECHNICAL:
            text = "; ".join(value) if isinstance(value, list) else str(value)
            return FactRow(label, text, technical=True)
        if isinstance(value, BaseModel):
            return FactRow(label, items=[self.rows(value)])
        if isinstance(value, list) and value and isinstance(value[0], BaseModel):
            return FactRow(
                label,
                items=[self.rows(item) for item in value[:MAX_ITEMS]],
                more=max(len(value) - MAX_ITEMS, 0),
            )
        if isinstance(value, list):
            return FactRow(label, " · ".join(self.value(model, name, item) for item in value))
        return FactRow(label, self.value(model, name, value))

    def value(self, model: str, name: str, value) -> str:
        """One value by its kind; the field's name tells the unit."""
        locale = self.locale
        codes = fact_labels.codes(model, name)
        if codes is not None and isinstance(value, str):
            return _(codes[value]) if value in codes else value
        if isinstance(value, bool):
            return formatting.yes_no(value, locale=locale)
        if isinstance(value, datetime):
            return formatting.moment(value, locale=locale, zone=self.zone)
        if name == "band":  # "2.4 GHz" as the report spells it
            return formatting.measure(float(value.split()[0]), "frequency-gigahertz", locale=locale)
        if not isinstance(value, int | float) or name in IDENTIFIERS:
            return str(value)
        return self._measurement(name, value)

    def _measurement(self, name: str, value: int | float) -> str:
        locale = self.locale
        if name.endswith("_bytes"):
            return formatting.file_size(value, locale=locale)
        if name.endswith("percent") or name == "percentage_used":
            return formatting.percent(value, locale=locale)
        if name == "busy_ms":
            return formatting.duration(value / 1000, locale=locale)
        if name.endswith("_ms"):
            return formatting.measure(value, "duration-millisecond", locale=locale)
        if name.endswith("_seconds") or name == "seconds_left":
            return formatting.duration(value, locale=locale)
        if name.endswith("_days"):
            return formatting.duration(value * 86_400, locale=locale)
        if name.endswith("_hours"):
            return formatting.measure(value, "duration-hour", locale=locale, digits=0)
        if name.endswith("_mhz"):
            return formatting.measure(value, "frequency-megahertz", locale=locale, digits=0)
        if name.endswith("_mbps"):
            return formatting.measure(value, "digital-megabit", locale=locale) + "/s"
        if name.endswith("_c"):
            return formatting.measure(value, "temperature-celsius", locale=locale)
        if name.endswith("_dbm"):
            return f"{formatting.decimal(value, locale=locale)} dBm"
        if isinstance(value, int):
            return formatting.number(value, locale=locale)
        return formatting.decimal(value, locale=locale, digits=2)
