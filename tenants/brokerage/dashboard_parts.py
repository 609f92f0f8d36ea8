"""The dashboard's context (`dashboard_context`): its lists written as list items in Python,
with the markup the template's loops wrote (whitespace and all): every value escaped, the
translations not (as `{% translate %}` and `{% blocktranslate %}` write them). The loops'
nodes (a link, a `{% csrf_token %}`, a date filter and a `{% blocktranslate %}` per row, for
up to sixty rows) were half of the page's rendering; each list's words, URL pattern and
days are looked up once, not once per row."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from tijdvoorelkaar.formats import day_text
from tijdvoorelkaar.reversed_urls import links
from tijdvoorelkaar.theming.widgets import csrf_input

from .selectors import Dashboard, Section

Row = dict[str, Any]


def dashboard_context(day: Dashboard, csrf_token: object) -> dict[str, Any]:
    """What `brokerage/dashboard.html` shows: the day's sections and their list items."""
    csrf, language = csrf_input(csrf_token), get_language()
    return {
        "day": day,
        "csrf_token": csrf_token,  # the page's other forms write the same token
        "follow_up_items": _items(day.follow_ups.items, _follow_up(timezone.localdate(), language)),
        "response_items": _items(day.responses.items, _response(csrf)),
        "message_items": _items(day.messages.items, _message(csrf)),
        "awaiting_items": _line(day.awaiting.items, gettext("Waiting for approval:"), "owner"),
        "report_items": _line(day.reports.items, gettext("Reported:"), "reason"),
        "stale_items": _items(day.stale.items, _stale(language)),
        "showing": {
            "follow_ups": _showing(day.follow_ups),
            "responses": _showing(day.responses),
            "messages": _showing(day.messages),
            "moderation": _showing(day.awaiting, day.reports),
            "stale": _showing(day.stale),
        },
    }


def _showing(*sections: Section) -> str:
    """ "Showing 10 of 13." under a list that holds fewer rows than its heading counts, so the
    count and the list do not seem to disagree; "" when the list holds them all."""
    shown, total = sum(len(s.items) for s in sections), sum(s.total for s in sections)
    if total <= shown:
        return ""
    return gettext("Showing %(shown)s of %(total)s.") % {"shown": shown, "total": total}


def _items(rows: Iterable[Row], item: Callable[[Row], str]) -> SafeString:
    """A list's items, each as its loop wrote it: a new line before, two spaces after."""
    return mark_safe("".join(f"\n    <li>{item(row)}</li>\n  " for row in rows))  # noqa: S308


def _line(rows: Iterable[Row], label: str, after: str) -> SafeString:
    """The moderation section's items, on one line: the label, the ad's title, `after`."""
    return mark_safe(  # noqa: S308
        "".join(f"<li>{label} “{_text(row['title'])}” – {_text(row[after])}</li>" for row in rows)
    )


def _text(value: object) -> str:
    """A value as `{{ value }}` writes it (None as "None")."""
    return conditional_escape(value)


def _follow_up(today: datetime.date, language: str) -> Callable[[Row], str]:
    overdue = f"<strong>{gettext('overdue')}</strong> – "
    due, mediation = gettext("due %(date)s"), links("mediations:detail")

    def item(row: Row) -> str:
        other = row["provider"] if row["provider_id"] else row["organisation"]
        return (
            f'<a href="{mediation(row["mediation_id"])}">'
            f"{_text(row['requester'])} – {_text('' if other is None else other)}</a>"
            f'\n      <span class="help">{overdue if row["due_on"] < today else ""}'
            f"{due % {'date': day_text(row['due_on'], language)}}</span>"
        )

    return item


def _response(csrf: str) -> Callable[[Row], str]:
    responded = gettext("%(responder)s responded to “%(title)s”")
    mark = gettext("Mark as seen")
    person, seen = links("people:detail"), links("brokerage:response-seen")

    def item(row: Row) -> str:
        responder = _text(row["responder_name"])
        owner = f'<a href="{person(row["owner_id"])}">{_text(row["owner"])}</a>'
        return (
            f"{responded % {'responder': responder, 'title': _text(row['title'])}}"
            f"\n      ({owner})"
            f"\n      {_form(seen(row['pk']), csrf)}"
            f'\n        <button class="link-button" type="submit">{mark}'
            f'<span class="visually-hidden"> – {responder}</span></button>'
            "\n      </form>"
        )

    return item


def _message(csrf: str) -> Callable[[Row], str]:
    mark, held_message = gettext("Mark as passed on"), links("brokerage:held-message")

    def item(row: Row) -> str:
        url = held_message(row["pk"])
        subject, owner = _text(row["subject"]), _text(row["owner"])
        return (
            f'<a href="{url}">{subject}</a> – {owner}'
            f"\n      {_form(url, csrf)}"
            f'\n        <button class="link-button" type="submit">{mark}'
            f'<span class="visually-hidden"> – {subject}, {owner}</span></button>'
            "\n      </form>"
        )

    return item


def _form(action: str, csrf: str) -> str:
    return f'<form method="post" action="{action}" class="inline-form">{csrf}'


def _stale(language: str) -> Callable[[Row], str]:
    since, person = gettext("at “%(step)s” since %(date)s"), links("people:detail")
    zone = timezone.get_current_timezone()

    def item(row: Row) -> str:
        moved_on = timezone.localtime(row["moved_at"], zone).date()  # `|date` of a moment
        at = since % {"step": _text(row["step_name"]), "date": day_text(moved_on, language)}
        return f'<a href="{person(row["participant_id"])}">{_text(row["name"])}</a>\n      – {at}'

    return item
