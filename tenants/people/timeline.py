"""A participant's page is a timeline: what happened with them, newest first, gathered from
every app that declares a `timeline` in its contributions (`tijdvoorelkaar.contributions`).

Each app declares a `TimelineSource`: the rows it needs (`values()` querysets of one
participant) and how its entries are made of them. The page runs every app's reads in one
statement, compiled once per process for any participant (`combined_reads.ANY_ID`): one
round trip, and no SQL compilation per request, however many apps contribute."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from tijdvoorelkaar.combined_reads import ANY_ID, Rows, Statement, prepare, read_together
from tijdvoorelkaar.contributions import hooks

from .models import Participant

Found = dict[str, list[dict[str, Any]]]  # a source's rows, by the names of its reads


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    kind: str  # a short code: "registered", "ad", "mediation", "note", "conversation"...
    title: str  # already translated, shown to staff only
    url: str = ""
    detail: str = ""


@dataclass(frozen=True)
class TimelineSource:
    """What one app adds to the timeline. `reads(participant)` names the rows it needs:
    `Rows` of `values()` querysets that depend on nothing but the participant's id (they are
    compiled once for any participant). `entries(participant, found)` makes its entries of
    those rows, in the active language."""

    reads: Callable[[Participant], dict[str, Rows]]
    entries: Callable[[Participant, Found], list[TimelineEntry]]

    def entries_for(self, participant: Participant) -> list[TimelineEntry]:
        """This app's entries alone, its reads in a statement of their own."""
        reads = self.reads(participant)
        return self.entries(participant, read_together(**reads) if reads else {})


def at_end_of_day(day: datetime.date) -> datetime.datetime:
    """A date on the timeline (shown as a day): entries that only have a day sort after that
    day's timed ones, so a mediation started on the day someone registered shows above the
    registration, whatever the hour."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def timeline_for(participant: Participant) -> list[TimelineEntry]:
    """Every app's entries for `participant`, newest first, in one query (and the people
    app's own three when `participant` was not read by `participant_for_staff`)."""
    sources = tuple(hooks("timeline"))
    statement = _statement(sources)
    found = statement.run(replacing={ANY_ID: participant.pk}) if statement else {}
    entries: list[TimelineEntry] = []
    for index, source in enumerate(sources):
        prefix = f"{index}:"
        own = {
            name.removeprefix(prefix): rows
            for name, rows in found.items()
            if name.startswith(prefix)
        }
        entries.extend(source.entries(participant, own))
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def timeline_items(entries: list[TimelineEntry]) -> SafeString:
    """The entries as the page's list items (`<li>` with the day, the title, linked when
    there is a link, and the start of the detail). Written here, not by a template loop: its
    eight nodes and two date filters per entry were half of the page's rendering."""
    return format_html_join("", _ITEM, (_item_values(entry) for entry in entries))


# What the template's loop wrote per entry, whitespace and all.
_ITEM = '\n    <li class="timeline-{}"><time datetime="{}">{}</time>\n      {}\n      {}</li>\n  '


def _item_values(entry: TimelineEntry) -> tuple[Any, ...]:
    at = timezone.localtime(entry.at)
    title = format_html('<a href="{}">{}</a>', entry.url, entry.title) if entry.url else entry.title
    detail = (
        format_html("<br><small>{}</small>", Truncator(entry.detail).chars(200))
        if entry.detail
        else ""
    )
    return entry.kind, date_format(at, "c"), date_format(at), title, detail


@functools.cache
def _statement(sources: tuple[TimelineSource, ...]) -> Statement | None:
    """Every source's reads as one statement for any participant, compiled once."""
    anyone = Participant(pk=ANY_ID)
    reads = {
        f"{index}:{name}": read
        for index, source in enumerate(sources)
        for name, read in source.reads(anyone).items()
    }
    return prepare(**reads) if reads else None


def _entries(participant: Participant, found: Found) -> list[TimelineEntry]:
    """The people app's own entries: registration, consents given and withdrawn, notes, and
    certificates of conduct seen: what `participant_for_staff` read for the page, else three
    queries, however much there is."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from .models import ConductCertificate, Consent
    from .selectors import notes_of, prefetched

    entries: list[TimelineEntry] = []
    consents = prefetched(participant, "consents", Consent.objects.filter(participant=participant))
    for consent in consents:
        label = consent.get_topic_display()
        entries.append(
            TimelineEntry(
                at=consent.given_at,
                kind="consent",
                title=_("Consent given: %(topic)s") % {"topic": label},
            )
        )
        if consent.withdrawn_at is not None:
            entries.append(
                TimelineEntry(
                    at=consent.withdrawn_at,
                    kind="consent",
                    title=_("Consent withdrawn: %(topic)s") % {"topic": label},
                )
            )
    for note in notes_of(participant):
        entries.append(
            TimelineEntry(
                at=note.created_at,
                kind="note",
                title=_("Note by %(author)s") % {"author": note.author or _("a former colleague")},
                detail=note.text,
            )
        )
    certificates = prefetched(
        participant,
        "conduct_certificates",
        ConductCertificate.objects.filter(participant=participant),
    )
    for certificate in certificates:
        entries.append(
            TimelineEntry(
                at=certificate.recorded_at,
                kind="vog",
                title=_("Certificate of conduct (VOG) seen"),
                detail=_("Seen on %(seen)s, counts until %(until)s")
                % {
                    "seen": date_format(certificate.seen_on),
                    "until": date_format(certificate.valid_until),
                },
            )
        )
    # Last, so that it sorts below the consents recorded at the same moment (the sort is stable).
    entries.append(
        TimelineEntry(
            at=participant.created_at,
            kind="registered",
            title=_("Registered by a broker")
            if participant.registered_by_id
            else _("Registered themselves"),
        )
    )
    return entries


TIMELINE = TimelineSource(reads=lambda participant: {}, entries=_entries)
