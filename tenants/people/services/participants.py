"""The participant record itself: contact details compared as equal, duplicates found,
someone registered or found by their contact details, the erased check, the broker-only flag,
and the sub-areas people live in."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.people.models import (
    Consent,
    ConsentTopic,
    Participant,
    SubArea,
)
from tijdvoorelkaar.contributions import hooks


def normalise_email(email: str) -> str:
    return email.strip().lower()


def normalise_phone(phone: str) -> str:
    """Digits and a leading + only, so "030-123 45 67" and "0301234567" are the same number."""
    phone = phone.strip()
    digits = "".join(ch for ch in phone if ch.isdigit())
    return ("+" + digits) if phone.startswith("+") else digits


def find_duplicates(
    *, email: str = "", phone: str = "", exclude_id: int | None = None
) -> list[Participant]:
    """Participants (not erased) with the same e-mail address or phone number."""
    email, phone = normalise_email(email), normalise_phone(phone)
    if not email and not phone:
        return []
    matches = Participant.objects.filter(erased_at__isnull=True)
    if exclude_id is not None:
        matches = matches.exclude(pk=exclude_id)
    found = matches.none()
    if email:
        found = found | matches.filter(email=email)
    if phone:
        found = found | matches.filter(phone=phone)
    return list(found.order_by("id")[:10])


@transaction.atomic
def register_participant(
    *, registered_by: Any = None, consents: Iterable[str] = (), **fields: Any
) -> Participant:
    """Create a participant from validated fields (a broker's registration or a first ad).

    `registered_by` is the staff member who did it, or None when people register themselves.
    `consents` are the topics (ConsentTopic) given now, recorded with the registration; a
    broker's registration goes through `registration.enrol_participant`, which requires the
    registration consent and checks for duplicates first.
    """
    fields["email"] = normalise_email(fields.get("email", ""))
    fields["phone"] = normalise_phone(fields.get("phone", ""))
    participant = Participant(registered_by=registered_by, **fields)
    participant.full_clean()
    participant.save()
    topics = sorted({ConsentTopic(topic) for topic in consents})
    Consent.objects.bulk_create(
        Consent(
            participant=participant,
            topic=topic,
            given_at=participant.created_at,
            recorded_by=registered_by,
        )
        for topic in topics
    )
    if registered_by is not None:
        record_audit_event(
            actor=registered_by,
            action="participant.registered",
            target=participant,
            detail={"consents": [str(topic) for topic in topics]},
        )
    return participant


def participant_for_contact(*, display_name: str, email: str = "", phone: str = "") -> Participant:
    """The participant behind a self-service form: the existing one with this e-mail address
    (or, without one, this phone number), or a new one. Returns it unsaved if new."""
    email, phone = normalise_email(email), normalise_phone(phone)
    existing = Participant.objects.filter(erased_at__isnull=True)
    found = existing.filter(email=email).first() if email else existing.filter(phone=phone).first()
    if found is not None:
        return found
    return Participant(display_name=display_name.strip(), email=email, phone=phone)


def validate_not_erased(participant: Participant) -> None:
    if participant.erased_at is not None:
        raise ValidationError(_("This participant's data has been erased."))


@transaction.atomic
def mark_through_broker_only(*, participant: Participant, by: Any, why: str) -> Participant:
    """From now on responses to their ads reach the broker first (someone referred or
    vulnerable). Idempotent; `why` is a code for the audit log ("referral_in")."""
    validate_not_erased(participant)
    updated = Participant.objects.filter(pk=participant.pk, through_broker_only=False).update(
        through_broker_only=True, updated_at=timezone.now()
    )
    participant.through_broker_only = True
    if updated:
        record_audit_event(
            actor=by,
            action="participant.through_broker_only",
            target=participant,
            detail={"why": why},
        )
    return participant


@transaction.atomic
def ensure_sub_areas(*, names: Iterable[str]) -> list[SubArea]:
    """The neighbourhood's sub-areas in this order (made when missing, positions set)."""
    areas, created = [], False
    for position, name in enumerate(names):
        area, made = SubArea.objects.get_or_create(name=name, defaults={"position": position})
        areas.append(area)
        created = created or made
    if created:
        for refresh in hooks("public_face_changed"):  # the marketplace's filter options
            refresh()
    return areas
