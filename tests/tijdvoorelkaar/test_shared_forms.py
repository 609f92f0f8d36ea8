"""The form helpers every app shares: one date widget that works in both languages."""

from __future__ import annotations

import datetime

from django.utils import timezone, translation

from tenants.brokerage.forms import ConversationForm
from tenants.people.timeline import at_end_of_day
from tijdvoorelkaar.forms import DateInput


def test_the_date_widget_renders_iso_in_dutch_too() -> None:
    # <input type="date"> shows nothing for "31-12-2025" (the Dutch input format).
    with translation.override("nl"):
        html = DateInput().render("day", datetime.date(2025, 12, 31))
    assert 'type="date"' in html
    assert 'value="2025-12-31"' in html


def test_the_conversation_form_prefills_today_in_a_form_the_browser_reads() -> None:
    with translation.override("nl"):
        html = str(ConversationForm()["held_on"])
    assert f'value="{timezone.localdate().isoformat()}"' in html


def test_a_day_on_the_timeline_sorts_at_its_last_second_local_time() -> None:
    moment = timezone.localtime(at_end_of_day(datetime.date(2025, 3, 1)))
    assert moment.tzinfo is not None
    assert (moment.date(), moment.hour, moment.minute) == (datetime.date(2025, 3, 1), 23, 59)
