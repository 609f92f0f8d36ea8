"""Visits to a neighbourhood's public pages, counted without cookies and without storing an IP
address or any other identifier of the visitor (see docs/features/surveys-and-site-use.md).

`DailyVisitor` is keyed by a hash of (IP, user agent) salted with a salt that lives one day
(`DailySalt`, deleted when the day is over): it gives visits and unique visitors per day.
`RegularVisitor` is keyed by a hash with a salt of the neighbourhood's reporting year
(`YearSalt`, deleted when that year is over) and counts visits per visitor per month, only to
find the regular visitors (6 or more visits in a period): a daily salt cannot recognise anyone
the next day, so this second, longer-lived salt is the honest price of that one figure."""

from __future__ import annotations

from django.db import models


class DailySalt(models.Model):
    day = models.DateField(primary_key=True)
    salt = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"salt of {self.day}"


class YearSalt(models.Model):
    # The calendar year in which the neighbourhood's reporting year starts.
    year = models.PositiveSmallIntegerField(primary_key=True)
    salt = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"salt of {self.year}"


class DailyVisitor(models.Model):
    day = models.DateField()
    visitor = models.CharField(max_length=32)  # hex of 16 bytes of the day's salted hash
    visits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "visitor"], name="one_row_per_visitor_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.visits} visits on {self.day}"


class RegularVisitor(models.Model):
    """Visits per visitor per month, to count regular visitors. Coarser than a day on purpose:
    it keeps no trail of the days someone visited."""

    month = models.DateField()  # the first day of the month
    visitor = models.CharField(max_length=32)  # hex of 16 bytes of the year's salted hash
    visits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "visitor"], name="one_row_per_visitor_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.visits} visits in {self.month:%Y-%m}"
