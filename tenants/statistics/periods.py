"""The periods a report covers: the neighbourhood's reporting year (starting in its
`reporting_year_start_month`), a calendar year, any custom range, and the whole term.

A period is a pair of dates, both included. Parsing a period from a page's or the API's query
raises `ValidationError` naming the field, with a reason a person understands.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MAX_YEARS = 20
EARLIEST_YEAR = 1990


class PeriodKind(models.TextChoices):
    REPORTING_YEAR = "reporting_year", _("Reporting year")
    CALENDAR_YEAR = "calendar_year", _("Calendar year")
    WHOLE_TERM = "whole_term", _("Whole term")
    CUSTOM = "custom", _("Custom period")


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def days_until(self, today: datetime.date) -> int:
        """Days of the period that have passed by `today` (at least one): the divisor of
        per-day averages, so that a running year is not diluted by its future."""
        last = min(self.end, today)
        return max((last - self.start).days + 1, 1)

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.CALENDAR_YEAR:
            return str(self.start.year)
        if self.kind == PeriodKind.REPORTING_YEAR and self.start.month == 1:
            return str(self.start.year)
        if self.kind == PeriodKind.REPORTING_YEAR:
            return f"{self.start.year}–{self.end.year}"
        span = f"{formats.date_format(self.start)} – {formats.date_format(self.end)}"
        if self.kind == PeriodKind.WHOLE_TERM:
            return gettext("Whole term (%(span)s)") % {"span": span}
        return span

    def previous(self) -> Period | None:
        """The period just before, of the same kind and length (none for the whole term)."""
        if self.kind == PeriodKind.WHOLE_TERM:
            return None
        if self.kind in (PeriodKind.REPORTING_YEAR, PeriodKind.CALENDAR_YEAR):
            return Period(self.kind, _shift_year(self.start, -1), _shift_year(self.end, -1))
        end = self.start - datetime.timedelta(days=1)
        return Period(self.kind, end - datetime.timedelta(days=self.days - 1), end)

    def query(self) -> dict[str, str]:
        """The query string that names this period on the report page and in the API."""
        if self.kind in (PeriodKind.REPORTING_YEAR, PeriodKind.CALENDAR_YEAR):
            return {"period": self.kind, "year": str(self.start.year)}
        if self.kind == PeriodKind.WHOLE_TERM:
            return {"period": self.kind}
        return {"period": self.kind, "start": self.start.isoformat(), "end": self.end.isoformat()}


def _shift_year(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def reporting_year(year: int, start_month: int) -> Period:
    """The reporting year that starts in `start_month` of `year` (1 July 2025 – 30 June 2026)."""
    start = datetime.date(year, start_month, 1)
    end = _shift_year(start, 1) - datetime.timedelta(days=1)
    return Period(PeriodKind.REPORTING_YEAR, start, end)


def reporting_year_of(day: datetime.date, start_month: int) -> Period:
    year = day.year if day.month >= start_month else day.year - 1
    return reporting_year(year, start_month)


def calendar_year(year: int) -> Period:
    return Period(PeriodKind.CALENDAR_YEAR, datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def whole_term(first_day: datetime.date, today: datetime.date) -> Period:
    return Period(PeriodKind.WHOLE_TERM, min(first_day, today), today)


def _year(raw: str, today: datetime.date) -> int:
    if not raw.isdecimal() or len(raw) != 4:
        raise ValidationError({"year": gettext("Give the year as four digits, e.g. 2025.")})
    year = int(raw)
    if not EARLIEST_YEAR <= year <= today.year + 1:
        raise ValidationError(
            {
                "year": gettext("Choose a year from %(first)s to %(last)s.")
                % {"first": EARLIEST_YEAR, "last": today.year + 1}
            }
        )
    return year


def _date(raw: str, field: str, today: datetime.date) -> datetime.date:
    try:
        if len(raw) != 10 or not raw.isascii():
            raise ValueError(raw)
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(
            {field: gettext("Write the date as year-month-day, e.g. 2025-07-01.")}
        ) from None
    if not EARLIEST_YEAR <= day.year <= today.year + 1:
        raise ValidationError(
            {
                field: gettext("Choose a date from %(first)s to %(last)s.")
                % {"first": EARLIEST_YEAR, "last": today.year + 1}
            }
        )
    return day


def custom(start: datetime.date, end: datetime.date) -> Period:
    if end < start:
        raise ValidationError({"end": gettext("The end lies before the start.")})
    if _shift_year(start, MAX_YEARS) <= end:
        raise ValidationError(
            {"end": gettext("A period can span at most %(years)s years.") % {"years": MAX_YEARS}}
        )
    return Period(PeriodKind.CUSTOM, start, end)


def period_from_query(
    query: Any, *, start_month: int, first_day: datetime.date, today: datetime.date
) -> Period:
    """The period a query string names (`period`, with `year`, or `start` and `end`); the
    current reporting year when it names none. Raises `ValidationError` naming the field."""
    kind = str(query.get("period", "") or PeriodKind.REPORTING_YEAR)
    if kind == PeriodKind.WHOLE_TERM:
        return whole_term(first_day, today)
    if kind == PeriodKind.CUSTOM:
        start = _date(str(query.get("start", "")).strip(), "start", today)
        end = _date(str(query.get("end", "")).strip(), "end", today)
        return custom(start, end)
    if kind not in (PeriodKind.REPORTING_YEAR, PeriodKind.CALENDAR_YEAR):
        raise ValidationError({"period": gettext("Choose one of the periods offered.")})
    raw_year = str(query.get("year", "")).strip()
    if kind == PeriodKind.CALENDAR_YEAR:
        return calendar_year(_year(raw_year, today) if raw_year else today.year)
    if not raw_year:
        return reporting_year_of(today, start_month)
    return reporting_year(_year(raw_year, today), start_month)
