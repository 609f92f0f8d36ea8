"""A participant's page is a timeline: what happened with them, newest first, gathered from
every app that declares a `timeline` in its contributions (`tijdvoorelkaar.contributions`).

Each app declares a `TimelineSource`: the rows it needs (`values()` querysets of one
participant) and how its entries are made of them. The page runs every app's reads in one
statement, compiled once per process for any participant (`combined_reads.ANY_ID`): one
round trip, and no SQL compilation per request, however many apps contribute."""

from __future__ import annotations

import datetime
import functools
import html
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext_noop

from tijdvoorelkaar.combined_reads import ANY_ID, Rows, Statement, prepare, read_together
from tijdvoorelkaar.contributions import hooks
from tijdvoorelkaar.formats import day_text
from tijdvoorelkaar.words import Words, in_active_language

from .models import ConsentTopic, Participant

Found = dict[str, list[dict[str, Any]]]  # a source's rows, by the names of its reads
DETAIL_CHARACTERS = 200  # the start of an entry's detail that the page shows


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
    """Every app's entries for `participant`, newest first, in one query."""
    return read_timeline(participant).entries


@dataclass(frozen=True)
class ReadTimeline:
    participant: Participant
    entries: list[TimelineEntry]  # newest first
    people: Found  # the people app's own rows (consents, notes, certificates) and `also`'s


def read_timeline(
    participant: Participant, also: Callable[[Participant], dict[str, Rows]] | None = None
) -> ReadTimeline:
    """The timeline, and the rows the participant's page shows besides it (the people app's
    own, and `also(participant)`, compiled once with the rest), in one statement."""
    return read_timeline_of(participant.pk, also, lambda _rows: participant)


def read_timeline_of(
    pk: int,
    also: Callable[[Participant], dict[str, Rows]] | None,
    participant_from: Callable[[Found], Participant],
) -> ReadTimeline:
    """`read_timeline` for the participant with id `pk`, whom `participant_from` makes of
    `also`'s rows (so that their own row is read in the same statement; it raises
    DoesNotExist when there is none)."""
    sources = tuple(hooks("timeline"))
    statement = _statement(sources, also)
    found = _by_source(statement.run(replacing={ANY_ID: pk}) if statement else {})
    people: Found = found.get("also", {})
    participant = participant_from(people)
    entries: list[TimelineEntry] = []
    for index, source in enumerate(sources):
        own = found.get(str(index), {})
        entries.extend(source.entries(participant, own))
        if source is TIMELINE:
            people.update(own)
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return ReadTimeline(participant, entries, people)


def _by_source(found: Found) -> dict[str, Found]:
    """The statement's rows by source (its index, or "also") and read name, in one pass over
    their names (`0:ads`, `also:participant`)."""
    by_source: dict[str, Found] = {}
    for name, rows in found.items():
        source, _, read = name.partition(":")
        by_source.setdefault(source, {})[read] = rows
    return by_source


def timeline_items(entries: list[TimelineEntry]) -> SafeString:
    """The entries as the page's list items (`<li>` with the day, the title, linked when
    there is a link, and the start of the detail), each value escaped as `format_html` would.
    Written here, not by a template loop: its eight nodes and two date filters per entry were
    half of the page's rendering."""
    language, zone = get_language(), timezone.get_current_timezone()
    return mark_safe("".join(_item(entry, language, zone) for entry in entries))  # noqa: S308


def _item(entry: TimelineEntry, language: str, zone: datetime.tzinfo) -> str:
    """One entry as the template's loop wrote it, whitespace and all."""
    at = entry.at.astimezone(zone)  # `timezone.localtime`, the zone looked up once per page
    title = escaped(entry.title)
    if entry.url:
        title = f'<a href="{escaped(entry.url)}">{title}</a>'
    detail = f"<br><small>{escaped(_shortened(entry.detail))}</small>" if entry.detail else ""
    # `at.isoformat()` is what `|date:"c"` writes.
    return (
        f'\n    <li class="timeline-{escaped(entry.kind)}">'
        f'<time datetime="{at.isoformat()}">{day_text(at.date(), language)}</time>'
        f"\n      {title}\n      {detail}</li>\n  "
    )


def escaped(value: object) -> str:
    """`conditional_escape`; a plain str (nearly every value here) without its checks for
    lazy and already escaped text, which cost more than the escaping."""
    return html.escape(value) if type(value) is str else conditional_escape(value)


def _shortened(detail: str) -> str:
    """`Truncator(detail).chars(200)`: a text of at most 200 characters comes back whole
    (normalised as Truncator does), without its per-character count."""
    text = unicodedata.normalize("NFC", str(detail))
    return text if len(text) <= DETAIL_CHARACTERS else Truncator(detail).chars(DETAIL_CHARACTERS)


@functools.cache
def _statement(
    sources: tuple[TimelineSource, ...], also: Callable[[Participant], dict[str, Rows]] | None
) -> Statement | None:
    """Every source's reads (and `also`'s) as one statement for any participant, compiled
    once."""
    anyone = Participant(pk=ANY_ID)
    reads = {
        f"{index}:{name}": read
        for index, source in enumerate(sources)
        for name, read in source.reads(anyone).items()
    }
    if also is not None:
        reads.update({f"also:{name}": read for name, read in also(anyone).items()})
    return prepare(**reads) if reads else None


def _reads(participant: Participant) -> dict[str, Rows]:
    """The people app's rows of one participant: its timeline entries, and what their page
    shows of them (the consents, the notes with their author's name, the certificates)."""
    from django.db.models import CharField, F, Value
    from django.db.models.functions import Coalesce, NullIf

    from .models import ConductCertificate, Consent, Note

    author = Coalesce(
        NullIf(F("author__full_name"), Value("")), F("author__email"), output_field=CharField()
    )
    return {
        "consents": Rows(
            Consent.objects.filter(participant=participant).values(
                "topic", "given_at", "withdrawn_at"
            )
        ),
        "notes": Rows(  # `author_name`: str(User), or None for a former colleague
            Note.objects.filter(participant=participant).values(
                "pk", "text", "created_at", "edited_at", author_name=author
            )
        ),
        "certificates": Rows(
            ConductCertificate.objects.filter(participant=participant).values(
                "seen_on", "valid_until", "recorded_at"
            )
        ),
    }


_WORDS = Words(
    {
        "given": gettext_noop("Consent given: %(topic)s"),
        "withdrawn": gettext_noop("Consent withdrawn: %(topic)s"),
        "note": gettext_noop("Note by %(author)s"),
        "former": gettext_noop("a former colleague"),
        "vog": gettext_noop("Certificate of conduct (VOG) seen"),
        "vog_days": gettext_noop("Seen on %(seen)s, counts until %(until)s"),
        "by_broker": gettext_noop("Registered by a broker"),
        "themselves": gettext_noop("Registered themselves"),
    }
)
_TOPICS = Words.of_choices(ConsentTopic)


def _entries(participant: Participant, found: Found) -> list[TimelineEntry]:
    """The people app's own entries: registration, consents given and withdrawn, notes, and
    certificates of conduct seen."""
    words, labels = in_active_language(_WORDS, _TOPICS)
    entries: list[TimelineEntry] = []
    for consent in found["consents"]:
        label = labels.get(consent["topic"], consent["topic"])
        entries.append(
            TimelineEntry(
                at=consent["given_at"],
                kind="consent",
                title=words["given"] % {"topic": label},
            )
        )
        if consent["withdrawn_at"] is not None:
            entries.append(
                TimelineEntry(
                    at=consent["withdrawn_at"],
                    kind="consent",
                    title=words["withdrawn"] % {"topic": label},
                )
            )
    for note in found["notes"]:
        entries.append(
            TimelineEntry(
                at=note["created_at"],
                kind="note",
                title=words["note"] % {"author": note["author_name"] or words["former"]},
                detail=note["text"],
            )
        )
    for certificate in found["certificates"]:
        entries.append(
            TimelineEntry(
                at=certificate["recorded_at"],
                kind="vog",
                title=words["vog"],
                detail=words["vog_days"]
                % {
                    "seen": date_format(certificate["seen_on"]),
                    "until": date_format(certificate["valid_until"]),
                },
            )
        )
    # Last, so that it sorts below the consents recorded at the same moment (the sort is stable).
    entries.append(
        TimelineEntry(
            at=participant.created_at,
            kind="registered",
            title=words["by_broker"] if participant.registered_by_id else words["themselves"],
        )
    )
    return entries


TIMELINE = TimelineSource(reads=_reads, entries=_entries)
