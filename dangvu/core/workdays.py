"""Working days in Vietnam: deadlines in the Party's rules are counted in them.

Public holidays (including the lunar New Year) come from the `holidays` package's Vietnam
calendar; Saturdays and Sundays are days off.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.Vietnam(years=year).keys())


def is_working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in _holidays(d.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (the day of the act itself is not counted)."""
    d = start
    remaining = days
    while remaining > 0:
        d += timedelta(days=1)
        if is_working_day(d):
            remaining -= 1
    return d


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    count, d = 0, start
    while d < end:
        d += timedelta(days=1)
        count += is_working_day(d)
    return count
