"""The one way dates are written on pages and in mails: Django's `DATE_FORMAT` and
`DATETIME_FORMAT` of the page's language (`{{ day|date }}`, `{{ moment|date:"DATETIME_FORMAT" }}`,
`django.utils.formats.date_format` in Python). Dutch "6 december 2026", English
"6 December 2026"; Django's own English would be "Dec. 6, 2026". Exports keep ISO dates
(2026-12-06): spreadsheets in every language read them as dates, and the import reads them back."""

from __future__ import annotations

import datetime
import functools

from django.utils.formats import date_format
from django.utils.html import conditional_escape


@functools.lru_cache(maxsize=4096)
def day_text(day: datetime.date, language: str | None) -> str:  # the language as a key
    """`{{ day|date }}` in the active language (`language`), escaped, formatted once per
    process: the pages that write their rows in Python (the timeline, the dashboard's lists,
    the ad cards) share a handful of days between many rows."""
    return conditional_escape(date_format(day))


@functools.lru_cache(maxsize=4096)
def moment_text(at: datetime.datetime, zone: datetime.tzinfo, language: str | None) -> str:
    """`{{ at|date:"DATETIME_FORMAT" }}` in the time zone `zone` and the active language
    (`language`), escaped, formatted once per process (a page shows the same moments on
    every visit: when a consent was given, a note written). `at` is aware: equal moments
    are one key whatever their own zone, and `zone` says where they are shown."""
    return conditional_escape(date_format(at.astimezone(zone), "DATETIME_FORMAT"))
