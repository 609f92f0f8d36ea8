"""What the broker keeps about a participant: notes, and the certificates of conduct seen."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.people.models import ConductCertificate, Note, Participant
from tenants.people.services.participants import validate_not_erased

# How long a certificate of conduct counts when the broker gives no date (common practice).
VOG_COUNTS_FOR_YEARS = 3


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write something.")]})
    return text


@transaction.atomic
def add_note(*, participant: Participant, author: Any, text: str) -> Note:
    """A note on a participant (staff only)."""
    validate_not_erased(participant)
    note = Note(participant=participant, author=author, text=_clean_text(text))
    note.full_clean()
    note.save()
    record_audit_event(
        actor=author, action="note.added", target=participant, detail={"note": note.pk}
    )
    return note


@transaction.atomic
def edit_note(*, note: Note, editor: Any, text: str) -> Note:
    """Change a note's text; the edit time is kept."""
    note.text = _clean_text(text)
    note.edited_at = timezone.now()
    note.full_clean()
    note.save(update_fields=["text", "edited_at"])
    record_audit_event(
        actor=editor, action="note.edited", target=note.participant, detail={"note": note.pk}
    )
    return note


@transaction.atomic
def record_conduct_certificate(
    *,
    participant: Participant,
    seen_on: datetime.date,
    valid_until: datetime.date | None = None,
    recorded_by: Any,
) -> ConductCertificate:
    """Record that the broker saw a certificate of conduct (VOG): only the dates."""
    validate_not_erased(participant)
    if seen_on > timezone.localdate():
        raise ValidationError({"seen_on": [_("The date seen cannot be in the future.")]})
    if valid_until is None:
        try:
            valid_until = seen_on.replace(year=seen_on.year + VOG_COUNTS_FOR_YEARS)
        except ValueError:  # 29 February
            valid_until = seen_on.replace(year=seen_on.year + VOG_COUNTS_FOR_YEARS, day=28)
    if valid_until < seen_on:
        raise ValidationError(
            {"valid_until": [_("The VOG cannot stop counting before the date it was seen.")]}
        )
    certificate = ConductCertificate.objects.create(
        participant=participant, seen_on=seen_on, valid_until=valid_until, recorded_by=recorded_by
    )
    record_audit_event(
        actor=recorded_by,
        action="participant.vog_recorded",
        target=participant,
        detail={"certificate": certificate.pk},
    )
    return certificate
