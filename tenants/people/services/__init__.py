"""Writes about participants: registering them, their one-time links, and passing messages on
to people who cannot be mailed. The broker's work on a participant is split by topic:
`registration` (enrolling and editing with duplicate checks), `consents` (consents and the
self-reported profile), `records` (notes, certificates of conduct), `privacy` (export, erasure)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.outbox.services import queue_mail
from tenants.people.models import (
    Consent,
    ConsentTopic,
    HeldMessage,
    Participant,
    ParticipantLink,
    SubArea,
)

LINK_LIFETIME = {
    ParticipantLink.Purpose.CONFIRM_AD: timedelta(days=7),
    ParticipantLink.Purpose.SIGN_IN: timedelta(days=2),
    ParticipantLink.Purpose.OUTCOME: timedelta(days=30),
}


class LinkProblem(Exception):
    """A link that cannot be used; `reason` is "unknown", "expired" or "used"."""

    def __init__(self, reason: str, link: ParticipantLink | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.link = link


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


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_link(*, participant: Participant, purpose: str, subject_id: int | None = None) -> str:
    """A new one-time link token for `participant`; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    ParticipantLink.objects.create(
        participant=participant,
        purpose=purpose,
        subject_id=subject_id,
        token_hash=_hash(token),
        expires_at=timezone.now() + LINK_LIFETIME[ParticipantLink.Purpose(purpose)],
    )
    return token


@transaction.atomic
def redeem_link(*, token: str, purpose: str) -> ParticipantLink:
    """Use a link once. Raises LinkProblem("unknown" | "expired" | "used")."""
    link = (
        ParticipantLink.objects.select_for_update()
        .select_related("participant")
        .filter(token_hash=_hash(token), purpose=purpose)
        .first()
    )
    if link is None:
        raise LinkProblem("unknown")
    if link.used_at is not None:
        raise LinkProblem("used", link)
    if link.expires_at <= timezone.now():
        raise LinkProblem("expired", link)
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    if link.participant.email_confirmed_at is None and link.participant.email:
        link.participant.email_confirmed_at = link.used_at
        link.participant.save(update_fields=["email_confirmed_at"])
    return link


def notify_participant(
    *, participant: Participant, subject: str, body: str, purpose: str
) -> HeldMessage | None:
    """Send a participant a message: by e-mail, else to the contact person they named, else it
    is held on the broker's dashboard (returned) so that nothing is lost for someone offline."""
    if participant.email:
        queue_mail(to=participant.email, subject=subject, body=body, purpose=purpose)
        return None
    if participant.contact_person_email:
        intro = _("This message is for %(name)s, who named you as their contact person.") % {
            "name": participant.full_name or participant.display_name
        }
        queue_mail(
            to=participant.contact_person_email,
            subject=subject,
            body=f"{intro}\n\n{body}",
            purpose=purpose,
        )
        return None
    return HeldMessage.objects.create(
        participant=participant, subject=subject, body=body, purpose=purpose
    )


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
def mark_held_message_handled(*, message: HeldMessage, handled_by: Any) -> HeldMessage:
    """The broker passed a held message on (by phone, on paper, in person). Idempotent."""
    message = HeldMessage.objects.select_for_update().get(pk=message.pk)
    if message.handled_at is None:
        message.handled_at = timezone.now()
        message.handled_by = handled_by
        message.save(update_fields=["handled_at", "handled_by"])
        record_audit_event(
            actor=handled_by,
            action="participant.held_message_handled",
            target=message.participant,
            detail={"held_message": message.pk},
        )
    return message


@transaction.atomic
def ensure_sub_areas(*, names: Iterable[str]) -> list[SubArea]:
    """The neighbourhood's sub-areas in this order (made when missing, positions set)."""
    areas = []
    for position, name in enumerate(names):
        area, _created = SubArea.objects.get_or_create(name=name, defaults={"position": position})
        areas.append(area)
    return areas
