"""A broker enrols a participant, or corrects their details: with the registration consent,
and with a check for someone already registered under the same e-mail address or phone."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.people.models import ConsentTopic, Participant
from tenants.people.services.participants import (
    find_duplicates,
    normalise_email,
    normalise_phone,
    register_participant,
    validate_not_erased,
)
from tijdvoorelkaar.contributions import hooks

# What a broker may set on a participant (the public face and the contact details).
EDITABLE_FIELDS = (
    "display_name",
    "full_name",
    "email",
    "phone",
    "street_address",
    "postal_code",
    "sub_area",
    "preferred_language",
    "heard_via",
    "contact_person_name",
    "contact_person_email",
    "contact_person_phone",
    "through_broker_only",
    "introduction",
)


class DuplicateParticipants(ValidationError):
    """Someone with the same e-mail address or phone number is already registered; the
    broker may confirm that this is someone else (`confirm_not_duplicate=True`)."""

    def __init__(self, duplicates: list[Participant]) -> None:
        super().__init__(
            {
                "confirm_not_duplicate": [
                    _(
                        "Someone with this e-mail address or phone number is already "
                        "registered. Check, or confirm that this is someone else."
                    )
                ]
            }
        )
        self.duplicates = duplicates


def _check_duplicates(
    *, email: str, phone: str, exclude_id: int | None, confirm_not_duplicate: bool
) -> None:
    if confirm_not_duplicate:
        return
    duplicates = find_duplicates(email=email, phone=phone, exclude_id=exclude_id)
    if duplicates:
        raise DuplicateParticipants(duplicates)


@transaction.atomic
def enrol_participant(
    *,
    registered_by: Any,
    consents: Iterable[str],
    confirm_not_duplicate: bool = False,
    **fields: Any,
) -> Participant:
    """Register a participant on a broker's word. Requires the registration consent (storing
    their details); raises DuplicateParticipants unless `confirm_not_duplicate`."""
    consents = set(consents)
    unknown = consents - set(ConsentTopic.values)
    if unknown:
        raise ValidationError({"consents": [_("Unknown consent.")]})
    if ConsentTopic.REGISTRATION not in consents:
        raise ValidationError(
            {"consents": [_("Record that they agree to us storing their details.")]}
        )
    unexpected = set(fields) - set(EDITABLE_FIELDS)
    if unexpected:
        raise ValidationError({"__all__": [_("Unknown fields: %s") % ", ".join(unexpected)]})
    _check_duplicates(
        email=fields.get("email", ""),
        phone=fields.get("phone", ""),
        exclude_id=None,
        confirm_not_duplicate=confirm_not_duplicate,
    )
    participant = register_participant(registered_by=registered_by, consents=consents, **fields)
    if confirm_not_duplicate and find_duplicates(
        email=participant.email, phone=participant.phone, exclude_id=participant.pk
    ):
        record_audit_event(
            actor=registered_by,
            action="participant.duplicate_confirmed_different",
            target=participant,
        )
    return participant


@transaction.atomic
def update_participant(
    *,
    participant: Participant,
    changed_by: Any,
    confirm_not_duplicate: bool = False,
    **changes: Any,
) -> Participant:
    """Change a participant's details (same rules as registering). Records which fields
    changed, never their values."""
    validate_not_erased(participant)
    unexpected = set(changes) - set(EDITABLE_FIELDS)
    if unexpected:
        raise ValidationError({"__all__": [_("Unknown fields: %s") % ", ".join(unexpected)]})
    if "email" in changes:
        changes["email"] = normalise_email(changes["email"] or "")
    if "phone" in changes:
        changes["phone"] = normalise_phone(changes["phone"] or "")
    changed = [name for name, value in changes.items() if getattr(participant, name) != value]
    if not changed:
        return participant
    if {"email", "phone"} & set(changed):
        _check_duplicates(
            email=changes.get("email", participant.email) if "email" in changed else "",
            phone=changes.get("phone", participant.phone) if "phone" in changed else "",
            exclude_id=participant.pk,
            confirm_not_duplicate=confirm_not_duplicate,
        )
    for name in changed:
        setattr(participant, name, changes[name])
    participant.full_clean()
    participant.save(update_fields=[*changed, "updated_at"])
    if {"display_name", "sub_area"} & set(changed):
        for refresh in hooks("public_face_changed"):  # e.g. the marketplace's cached lists
            refresh()
    record_audit_event(
        actor=changed_by,
        action="participant.changed",
        target=participant,
        detail={"fields": sorted(changed)},
    )
    return participant
