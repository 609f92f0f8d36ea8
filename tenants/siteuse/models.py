"""Visits to a neighbourhood's public pages, counted without cookies and without storing an IP
address or any other identifier of the visitor (see docs/features/surveys-and-site-use.md).

A `Visitor` row of kind `day` is keyed by a hash of (IP, user agent) salted with a salt that
lives one day (a day's `Salt`, deleted when the day is over): it gives visits and unique
visitors per day. A row of kind `month` is keyed by a hash with a salt of the neighbourhood's
reporting year (a year's `Salt`, deleted when that year is over) and counts visits per visitor
per month, only to find the regular visitors (6 or more visits in a period): a daily salt
cannot recognise anyone the next day, so this second, longer-lived salt is the honest price of
that one figure. The two kinds share a table, never a hash: each is made with its own salt, so
a day's row and a month's row of one person cannot be matched."""

from __future__ import annotations

from django.db import models


class Salt(models.Model):
    """A random salt for the visitor hashes of one day or one reporting year, deleted when that
    is over. One table for both kinds, keyed by (kind, day): a neighbourhood holds two or three
    rows, and a table of its own for each kind cost a table and a key in every schema."""

    class Kind(models.TextChoices):
        DAY = "day"
        YEAR = "year"

    pk = models.CompositePrimaryKey("kind", "day")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    # The day itself; for a year salt January 1 of the calendar year in which the
    # neighbourhood's reporting year starts.
    day = models.DateField()
    salt = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.kind} salt of {self.day}"


class Visitor(models.Model):
    """One (pseudonymous) visitor's visits in one period: a day, or a month. One table for both
    kinds, keyed by (kind, period, visitor), as `Salt` is: a table of its own for each kind
    cost a table and a key in every schema."""

    class Kind(models.TextChoices):
        DAY = "day"  # `visitor` is the day's salted hash
        # `visitor` is the reporting year's salted hash, counted per month: coarser than a
        # day on purpose, it keeps no trail of the days someone visited
        MONTH = "month"

    pk = models.CompositePrimaryKey("kind", "period", "visitor")  # ADR 0011
    kind = models.CharField(max_length=5, choices=Kind.choices)
    period = models.DateField()  # the day; for a month its first day
    visitor = models.CharField(max_length=32)  # hex of 16 bytes of the salted hash
    visits = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.visits} visits in the {self.kind} of {self.period}"
