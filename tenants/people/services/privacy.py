"""A participant's rights: a machine-readable copy of everything kept about them, and erasure
on request (personal fields anonymised, the rows kept so the statistics still add up)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tenants.audit.services import record_audit_event
from tenants.people.models import (
    PROFILE_FIELDS,
    ConductCertificate,
    HeldMessage,
    Note,
    Participant,
    ParticipantLink,
    ParticipantProfile,
)
from tenants.people.services.participants import validate_not_erased
from tijdvoorelkaar.contributions import hooks
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood

# The word that confirms an erasure: the page language's (erase_word(): "WISSEN" in Dutch),
# and in every language this one, the API's.
ERASE_CONFIRMATION = "ERASE"


def erase_word() -> str:
    """The word a broker types to confirm an erasure, in the page's language."""
    return pgettext("the word typed to confirm an erasure, in capitals", "ERASE")


PERSONAL_FIELDS = (
    "display_name",
    "full_name",
    "email",
    "phone",
    "street_address",
    "postal_code",
    "preferred_language",
    "heard_via",
    "introduction",
    "contact_person_name",
    "contact_person_email",
    "contact_person_phone",
    "through_broker_only",
)
BLANKED_FIELDS = (
    "email",
    "phone",
    "street_address",
    "postal_code",
    "introduction",
    "contact_person_name",
    "contact_person_email",
    "contact_person_phone",
)


def erased_name(number: int) -> str:
    """ "Erased participant N" in the neighbourhood's own language (stored, so not per visitor)."""
    with translation.override(current_neighbourhood().default_language):
        return _("Erased participant %(number)s") % {"number": number}


def as_iso(value: Any) -> str | None:
    """A date or time for the export: ISO 8601, or None."""
    return value.isoformat() if value is not None else None


@transaction.atomic
def export_participant_data(*, participant: Participant, exported_by: Any) -> dict[str, Any]:
    """Everything kept about the participant, as plain JSON-ready data: the people app's own
    records, and what every app declares as its `export` (the marketplace's ads and
    responses, the mediations). Audited."""
    data = {
        "format": "tijdvoorelkaar.participant/1",
        "exported_at": timezone.now().isoformat(),
        "participant": _record(participant),
        "consents": _consents(participant),
        "self_reported": _self_reported(participant),
        "certificates_of_conduct": _certificates(participant),
        "notes": _notes(participant),
    }
    for export_of_app in hooks("export"):
        data.update(export_of_app(participant))
    data["held_messages"] = _held_messages(participant)
    record_audit_event(actor=exported_by, action="participant.exported", target=participant)
    return data


def _record(participant: Participant) -> dict[str, Any]:
    return {
        "id": participant.pk,
        **{name: getattr(participant, name) for name in PERSONAL_FIELDS},
        "sub_area": participant.sub_area.name if participant.sub_area_id else None,
        "has_account": participant.user_id is not None,
        "email_confirmed_at": as_iso(participant.email_confirmed_at),
        "registered_at": as_iso(participant.created_at),
        "erased_at": as_iso(participant.erased_at),
    }


def _consents(participant: Participant) -> list[dict[str, Any]]:
    return [
        {
            "topic": consent.topic,
            "given_at": as_iso(consent.given_at),
            "withdrawn_at": as_iso(consent.withdrawn_at),
        }
        for consent in participant.consents.order_by("given_at", "id")
    ]


def _self_reported(participant: Participant) -> dict[str, Any] | None:
    profile = ParticipantProfile.objects.filter(participant=participant).first()
    return {name: getattr(profile, name) for name in PROFILE_FIELDS} if profile else None


def _certificates(participant: Participant) -> list[dict[str, Any]]:
    return [
        {"seen_on": as_iso(c.seen_on), "valid_until": as_iso(c.valid_until)}
        for c in ConductCertificate.objects.filter(participant=participant).order_by("id")
    ]


def _notes(participant: Participant) -> list[dict[str, Any]]:
    return [
        {
            "text": note.text,
            "created_at": as_iso(note.created_at),
            "edited_at": as_iso(note.edited_at),
        }
        for note in Note.objects.filter(participant=participant).order_by("created_at", "id")
    ]


def _held_messages(participant: Participant) -> list[dict[str, Any]]:
    return [
        {
            "subject": message.subject,
            "body": message.body,
            "created_at": as_iso(message.created_at),
            "handled_at": as_iso(message.handled_at),
        }
        for message in HeldMessage.objects.filter(participant=participant).order_by("id")
    ]


def _anonymise(participant: Participant) -> None:
    anonymous = erased_name(participant.pk)
    participant.display_name = anonymous
    participant.full_name = anonymous
    for name in BLANKED_FIELDS:
        setattr(participant, name, "")
    participant.erased_at = timezone.now()
    participant.save(
        update_fields=["display_name", "full_name", *BLANKED_FIELDS, "erased_at", "updated_at"]
    )


def _delete_records(participant: Participant) -> dict[str, int]:
    return {
        "notes": Note.objects.filter(participant=participant).delete()[0],
        "profile": ParticipantProfile.objects.filter(participant=participant).delete()[0],
        "certificates": ConductCertificate.objects.filter(participant=participant).delete()[0],
        "links": ParticipantLink.objects.filter(participant=participant).delete()[0],
        "held_messages": HeldMessage.objects.filter(participant=participant).delete()[0],
    }


@transaction.atomic
def erase_participant(
    *, participant: Participant, erased_by: Any, confirmation: str
) -> Participant:
    """Anonymise a participant on their request: names become "Erased participant N",
    contact fields and introduction are blanked, the self-reported profile, notes, certificates,
    links and held messages are deleted, and every app that declares an `erase` anonymises its
    rows (the marketplace closes their ads and blanks them and their responses' messages). The rows
    stay, so the counts do. Audited."""
    if (confirmation or "").strip().upper() not in {ERASE_CONFIRMATION, erase_word()}:
        raise ValidationError(
            {"confirmation": [_("Type %(word)s to confirm.") % {"word": erase_word()}]}
        )
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    validate_not_erased(participant)
    _anonymise(participant)
    counts = _delete_records(participant)
    for erase_of_app in hooks("erase"):
        counts.update(erase_of_app(participant, erased_by))
    if participant.user_id is not None:
        _close_account(participant)
    record_audit_event(
        actor=erased_by, action="participant.erased", target=participant, detail=counts
    )
    return participant


def _close_account(participant: Participant) -> None:
    """The participant's own account goes too: deactivated, address replaced."""
    from tijdvoorelkaar.accounts.models import User

    user = User.objects.filter(pk=participant.user_id).first()
    if user is None:
        return
    user.email = f"erased-{user.pk}@erased.invalid"
    user.full_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "full_name", "is_active", "password"])
