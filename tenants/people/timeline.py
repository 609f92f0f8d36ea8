"""A participant's page is a timeline: what happened with them, newest first, gathered from
every app that declares a `timeline` in its contributions (`tijdvoorelkaar.contributions`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from tijdvoorelkaar.contributions import hooks

from .models import Participant


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    kind: str  # a short code: "registered", "ad", "mediation", "note", "conversation"...
    title: str  # already translated, shown to staff only
    url: str = ""
    detail: str = ""


def at_noon(day: datetime.date) -> datetime.datetime:
    """A date on the timeline: entries that only have a day sort at noon of that day."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def timeline_for(participant: Participant) -> list[TimelineEntry]:
    """Every app's entries for `participant`, newest first. Each app's `entries_for` must run
    a fixed number of queries, so the page does too."""
    entries: list[TimelineEntry] = []
    for entries_for_app in hooks("timeline"):
        entries.extend(entries_for_app(participant))
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def entries_for(participant: Participant) -> list[TimelineEntry]:
    """The people app's own entries: registration, consents given and withdrawn, notes, and
    certificates of conduct seen. Three queries, however much there is."""
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
