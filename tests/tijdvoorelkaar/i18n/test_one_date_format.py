"""One way to write a date: the page language's DATE_FORMAT or DATETIME_FORMAT (and for a
month without its day, such as a newsletter's, YEAR_MONTH_FORMAT)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template import Context, Template
from django.utils import translation

# 'c': the ISO value of <time datetime="…">; YEAR_MONTH_FORMAT: a month, in the page's language
ALLOWED = {'"DATETIME_FORMAT"', '"YEAR_MONTH_FORMAT"', "'c'"}


def test_templates_write_dates_only_the_one_localised_way() -> None:
    odd = []
    for path in (Path(settings.REPO_ROOT) / "themes").rglob("*.*"):
        if path.suffix in (".html", ".txt"):
            for found in re.findall(r"\|date:(\"[^\"]*\"|'[^']*')", path.read_text()):
                if found not in ALLOWED:
                    odd.append(f"{path.name}: {found}")
    assert not odd, f'write {{{{ day|date }}}} or |date:"DATETIME_FORMAT": {odd}'


def test_a_date_reads_the_same_order_in_dutch_and_english() -> None:
    template = Template(
        '{{ day|date }} / {{ moment|date:"DATETIME_FORMAT" }} / {{ day|date:"YEAR_MONTH_FORMAT" }}'
    )
    moment = dt.datetime(2026, 12, 6, 9, 5, tzinfo=ZoneInfo(settings.TIME_ZONE))
    context = Context({"day": dt.date(2026, 12, 6), "moment": moment})
    with translation.override("nl"):
        assert template.render(context) == "6 december 2026 / 6 december 2026 09:05 / december 2026"
    with translation.override("en"):
        assert template.render(context) == "6 December 2026 / 6 December 2026 09:05 / December 2026"


def test_day_and_moment_texts_are_what_the_date_filter_writes() -> None:
    from django.utils import timezone

    from tijdvoorelkaar.formats import day_text, moment_text

    template = Template('{{ day|date }} / {{ moment|date:"DATETIME_FORMAT" }}')
    utc = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)  # 01:30 in Amsterdam, before DST
    later = utc + dt.timedelta(hours=1)  # 03:30 in Amsterdam: the clocks went forward
    zone, elsewhere = ZoneInfo(settings.TIME_ZONE), ZoneInfo("America/New_York")
    for language in ("nl", "en"):
        with translation.override(language):
            for moment in (utc, later):
                context = Context({"day": moment.date(), "moment": moment})
                expected = template.render(context)
                assert (
                    f"{day_text(moment.date(), language)} / " + moment_text(moment, zone, language)
                    == expected
                )
            # the same moment shown in another zone is not the kept text of the first
            with timezone.override(elsewhere):
                shown = Template('{{ moment|date:"DATETIME_FORMAT" }}').render(
                    Context({"moment": utc})
                )
            assert (
                moment_text(utc, elsewhere, language) == shown != moment_text(utc, zone, language)
            )
