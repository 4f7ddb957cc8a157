"""The fee income chart, drawn on the server as SVG (no script): one bar per month, with
the figures as text beside it; the page shows the same figures as a table under it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from agent_portal.billing.service import MonthFee

WIDTH = 640
HEIGHT = 220
LEFT = 8
TOP = 24
BOTTOM = 40  # room for the month labels and, below them, the year


@dataclass(frozen=True)
class Bar:
    month: date
    amount: int  # minor units; the floats below are the SVG's pixel coordinates
    x: float
    y: float
    width: float
    height: float
    label_x: float


@dataclass(frozen=True)
class FeeChart:
    currency: str
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM


def last_months(today: date, count: int) -> list[date]:
    """The first days of the `count` months up to and including today's."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def fee_charts(fees: list[MonthFee], months: list[date]) -> list[FeeChart]:
    """One chart per currency with income, over the given months (missing ones at 0)."""
    currencies = sorted({fee.currency for fee in fees})
    charts = []
    for currency in currencies:
        amounts = {fee.month: fee.amount for fee in fees if fee.currency == currency}
        values = [amounts.get(month, 0) for month in months]
        top = max([value for value in values if value > 0], default=1)
        plot = HEIGHT - BOTTOM - TOP
        slot = (WIDTH - LEFT * 2) / len(months)
        bars = []
        for index, (month, value) in enumerate(zip(months, values, strict=True)):
            height = max(value, 0) / top * plot
            x = LEFT + index * slot + slot * 0.15
            bars.append(
                Bar(
                    month=month,
                    amount=value,
                    x=round(x, 1),
                    y=round(HEIGHT - BOTTOM - height, 1),
                    width=round(slot * 0.7, 1),
                    height=round(height, 1),
                    label_x=round(LEFT + index * slot + slot / 2, 1),
                )
            )
        charts.append(FeeChart(currency=currency, bars=bars))
    return charts
