"""Passing messages on: by e-mail, via a contact person, or held for the broker to pass on to
someone who cannot be mailed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.outbox.services import queue_mail
from tenants.people.models import (
    HeldMessage,
    Participant,
)


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
