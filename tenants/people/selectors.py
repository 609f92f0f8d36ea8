"""Reads about participants for the broker's workspace (staff only)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from tijdvoorelkaar.combined_reads import Rows

from .models import (
    PROFILE_FIELDS,
    ConductCertificate,
    ConsentTopic,
    HeldMessage,
    Note,
    Participant,
    ParticipantProfile,
    SubArea,
)
from .services.participants import normalise_phone
from .timeline import TimelineEntry, read_timeline_of

M = TypeVar("M", bound=models.Model)


def participants(*, search: str = "") -> QuerySet[Participant]:
    """Participants for the staff list, newest certificate date and pending messages counted
    in the same query; `search` matches name, e-mail address or phone."""
    found = Participant.objects.select_related("sub_area").annotate(
        vog_valid_until=Max("conduct_certificates__valid_until"),
        pending_messages=Count(
            "held_messages", filter=Q(held_messages__handled_at__isnull=True), distinct=True
        ),
    )
    search = search.strip()
    if search:
        found = found.filter(search_condition(search))
    return found.order_by("display_name", "id")


def search_condition(search: str) -> Q:
    """What a broker's search for a participant matches: name, e-mail address or phone."""
    condition = (
        Q(display_name__icontains=search)
        | Q(full_name__icontains=search)
        | Q(email__icontains=search)
    )
    digits = normalise_phone(search)
    if len(digits) >= 3:
        condition |= Q(phone__contains=digits)
    return condition


def pickable_participants() -> QuerySet[Participant]:
    """Participants a broker may name in a form (a mediation, referral, placement, group
    visit): everyone in this neighbourhood who is not erased."""
    return Participant.objects.filter(erased_at__isnull=True).select_related("sub_area")


def find_participants(search: str, *, limit: int) -> list[Participant]:
    """At most `limit` + 1 pickable participants matching `search` (the extra one tells the
    form there are more), in one query."""
    search = search.strip()
    if not search:
        return []
    found = pickable_participants().filter(search_condition(search))
    return list(found.order_by("display_name", "id")[: limit + 1])


def participant_for_staff(pk: int) -> Participant:
    """One participant with their sub-area, who registered them and their profile; raises
    DoesNotExist. Their page reads them with everything it shows (`participant_page`)."""
    return Participant.objects.select_related("sub_area", "registered_by", "profile").get(pk=pk)


@dataclass(frozen=True)
class ParticipantPage:
    """A participant's page: their row, and what it shows of them as `values()` rows."""

    participant: Participant  # with their sub-area and profile (None for none)
    consents: list[dict[str, Any]]  # topic, given_at, withdrawn_at; oldest first
    notes: list[dict[str, Any]]  # pk, text, created_at, edited_at, author_name (or None)
    certificates: list[dict[str, Any]]  # seen_on, valid_until, recorded_at; longest valid first
    held_messages: list[dict[str, Any]]  # pk, subject, body, created_at; oldest first
    timeline: list[TimelineEntry]


def participant_page(pk: int) -> ParticipantPage:
    """The page of the participant with id `pk`: their row, the page's rows and the timeline
    in one statement (`read_timeline_of`); raises Participant.DoesNotExist."""
    read = read_timeline_of(pk, also=_page_reads, participant_from=_participant_from)
    return ParticipantPage(
        participant=read.participant,
        consents=read.people["consents"],
        notes=read.people["notes"],
        certificates=read.people["certificates"],
        held_messages=read.people["held_messages"],
        timeline=read.entries,
    )


def _page_reads(participant: Participant) -> dict[str, Rows]:
    """The participant's row, their sub-area's and profile's (every column, as
    `participant_for_staff` reads them), and the messages waiting for them."""
    waiting = HeldMessage.objects.filter(participant=participant, handled_at__isnull=True)
    return {
        "participant": Rows(
            Participant.objects.filter(pk=participant.pk).values(*_columns(Participant))
        ),
        "sub_area": Rows(
            SubArea.objects.filter(participants=participant.pk).values(*_columns(SubArea))
        ),
        "profile": Rows(
            ParticipantProfile.objects.filter(participant=participant.pk).values(
                *_columns(ParticipantProfile)
            )
        ),
        "held_messages": Rows(waiting.values("pk", "subject", "body", "created_at")),
    }


def _participant_from(rows: dict[str, list[dict[str, Any]]]) -> Participant:
    """The participant made of `_page_reads`' rows, their sub-area and profile in place as
    `select_related` puts them."""
    found = rows.pop("participant")
    if not found:
        raise Participant.DoesNotExist("No participant with this id.")
    participant = _instance(Participant, found[0])
    sub_area, profile = rows.pop("sub_area"), rows.pop("profile")
    participant._state.fields_cache["sub_area"] = (
        _instance(SubArea, sub_area[0]) if sub_area else None
    )
    participant._state.fields_cache["profile"] = (
        _instance(ParticipantProfile, profile[0]) if profile else None
    )
    return participant


def _columns(model: type[models.Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _instance(model: type[M], row: dict[str, Any]) -> M:
    """An instance as the ORM loads one (`from_db`) from a row of all its columns."""
    names = _columns(model)
    return model.from_db(DEFAULT_DB_ALIAS, names, [row[name] for name in names])


def profile_of(participant: Participant) -> ParticipantProfile | None:
    if "profile" in participant._state.fields_cache:  # read with select_related("profile")
        return participant._state.fields_cache["profile"]
    return ParticipantProfile.objects.filter(participant=participant).first()


def notes_of(participant: Participant) -> QuerySet[Note]:
    """The notes on a participant, newest first, with their authors."""
    return Note.objects.filter(participant=participant).select_related("author")


def note_for_staff(*, participant: Participant, pk: int) -> Note:
    return Note.objects.select_related("participant").get(participant=participant, pk=pk)


def certificate_is_valid(
    certificate: ConductCertificate | None, today: datetime.date | None = None
) -> bool:
    return certificate is not None and certificate.is_valid_on(today or timezone.localdate())


def pending_held_messages() -> QuerySet[HeldMessage]:
    """Messages for offline participants that still wait to be passed on, oldest first (for
    the broker's dashboard)."""
    return (
        HeldMessage.objects.filter(handled_at__isnull=True)
        .select_related("participant")
        .order_by("created_at", "id")
    )


def held_message_for_staff(pk: int) -> HeldMessage:
    return HeldMessage.objects.select_related("participant").get(pk=pk)


def profile_figures() -> dict[str, dict[str, int]]:
    """Counts per answer of the self-reported fields, only for participants whose consent
    stands and who are not erased: aggregates, never a person. Unanswered counts as ""."""
    profiles = ParticipantProfile.objects.filter(
        participant__erased_at__isnull=True,
        participant__consents__topic=ConsentTopic.SELF_REPORTED,
        participant__consents__withdrawn_at__isnull=True,
    )
    figures: dict[str, dict[str, int]] = {}
    for field in PROFILE_FIELDS:
        rows = profiles.values(field).annotate(count=Count("pk", distinct=True)).order_by(field)
        figures[field] = {row[field]: row["count"] for row in rows}
    return figures
