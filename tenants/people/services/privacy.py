"""A participant's rights: a machine-readable copy of everything kept about them, and erasure
on request (personal fields anonymised, the rows kept so the statistics still add up)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.market.cache import bump_list_version
from tenants.market.models import Ad, Response
from tenants.market.services.ads import OPEN_STATUSES, close_ad
from tenants.mediations.models import Mediation
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
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood

ERASE_CONFIRMATION = "ERASE"

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


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


@transaction.atomic
def export_participant_data(*, participant: Participant, exported_by: Any) -> dict[str, Any]:
    """Everything kept about the participant, as plain JSON-ready data. Audited."""
    data = {
        "format": "tijdvoorelkaar.participant/1",
        "exported_at": timezone.now().isoformat(),
        "participant": _record(participant),
        "consents": _consents(participant),
        "self_reported": _self_reported(participant),
        "certificates_of_conduct": _certificates(participant),
        "notes": _notes(participant),
        "ads": _ads(participant),
        "responses": _responses(participant),
        "mediations": _mediations(participant),
        "held_messages": _held_messages(participant),
    }
    record_audit_event(actor=exported_by, action="participant.exported", target=participant)
    return data


def _record(participant: Participant) -> dict[str, Any]:
    return {
        "id": participant.pk,
        **{name: getattr(participant, name) for name in PERSONAL_FIELDS},
        "sub_area": participant.sub_area.name if participant.sub_area_id else None,
        "has_account": participant.user_id is not None,
        "email_confirmed_at": _when(participant.email_confirmed_at),
        "registered_at": _when(participant.created_at),
        "erased_at": _when(participant.erased_at),
    }


def _consents(participant: Participant) -> list[dict[str, Any]]:
    return [
        {
            "topic": consent.topic,
            "given_at": _when(consent.given_at),
            "withdrawn_at": _when(consent.withdrawn_at),
        }
        for consent in participant.consents.order_by("given_at", "id")
    ]


def _self_reported(participant: Participant) -> dict[str, Any] | None:
    profile = ParticipantProfile.objects.filter(participant=participant).first()
    return {name: getattr(profile, name) for name in PROFILE_FIELDS} if profile else None


def _certificates(participant: Participant) -> list[dict[str, Any]]:
    return [
        {"seen_on": _when(c.seen_on), "valid_until": _when(c.valid_until)}
        for c in ConductCertificate.objects.filter(participant=participant).order_by("id")
    ]


def _notes(participant: Participant) -> list[dict[str, Any]]:
    return [
        {
            "text": note.text,
            "created_at": _when(note.created_at),
            "edited_at": _when(note.edited_at),
        }
        for note in Note.objects.filter(participant=participant).order_by("created_at", "id")
    ]


def _ads(participant: Participant) -> list[dict[str, Any]]:
    return [
        {
            "id": ad.pk,
            "kind": ad.kind,
            "title": ad.title,
            "text": ad.body,
            "when": ad.when,
            "category": ad.category.name,
            "status": ad.status,
            "created_at": _when(ad.created_at),
            "published_at": _when(ad.published_at),
            "closed_at": _when(ad.closed_at),
        }
        for ad in Ad.objects.filter(participant=participant)
        .select_related("category")
        .order_by("created_at", "id")
    ]


def _responses(participant: Participant) -> list[dict[str, Any]]:
    return [
        {
            "id": response.pk,
            "ad": response.ad_id,
            "message": response.message,
            "created_at": _when(response.created_at),
        }
        for response in Response.objects.filter(responder=participant).order_by("created_at", "id")
    ]


def _mediations(participant: Participant) -> list[dict[str, Any]]:
    mediations = (
        Mediation.objects.filter(Q(requester=participant) | Q(provider=participant))
        .prefetch_related("ads")
        .order_by("started_on", "id")
    )
    return [
        {
            "id": mediation.pk,
            "role": "requester" if mediation.requester_id == participant.pk else "provider",
            "status": mediation.status,
            "active": mediation.active,
            "started_on": _when(mediation.started_on),
            "ended_on": _when(mediation.ended_on),
            "ads": [ad.pk for ad in mediation.ads.all()],
        }
        for mediation in mediations
    ]


def _held_messages(participant: Participant) -> list[dict[str, Any]]:
    return [
        {
            "subject": message.subject,
            "body": message.body,
            "created_at": _when(message.created_at),
            "handled_at": _when(message.handled_at),
        }
        for message in HeldMessage.objects.filter(participant=participant).order_by("id")
    ]


@transaction.atomic
def erase_participant(
    *, participant: Participant, erased_by: Any, confirmation: str
) -> Participant:
    """Anonymise a participant on their request: names become "Erased participant N",
    contact fields and introduction are blanked, the self-reported profile, notes, certificates,
    links and held messages are deleted, their ads are closed with their texts blanked and
    their responses' messages blanked. The rows stay, so the counts do. Audited."""
    if (confirmation or "").strip() != ERASE_CONFIRMATION:
        raise ValidationError(
            {"confirmation": [_("Type %(word)s to confirm.") % {"word": ERASE_CONFIRMATION}]}
        )
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    validate_not_erased(participant)
    now = timezone.now()
    anonymous = erased_name(participant.pk)
    participant.display_name = anonymous
    participant.full_name = anonymous
    for name in BLANKED_FIELDS:
        setattr(participant, name, "")
    participant.erased_at = now
    participant.save(
        update_fields=["display_name", "full_name", *BLANKED_FIELDS, "erased_at", "updated_at"]
    )
    counts = {
        "notes": Note.objects.filter(participant=participant).delete()[0],
        "profile": ParticipantProfile.objects.filter(participant=participant).delete()[0],
        "certificates": ConductCertificate.objects.filter(participant=participant).delete()[0],
        "links": ParticipantLink.objects.filter(participant=participant).delete()[0],
        "held_messages": HeldMessage.objects.filter(participant=participant).delete()[0],
    }
    ads = Ad.objects.filter(participant=participant)
    open_ads = list(ads.filter(status__in=OPEN_STATUSES))
    for ad in open_ads:  # through the marketplace's own service, as if the owner closed them
        close_ad(ad=ad, by=erased_by)
    counts["ads_closed"] = len(open_ads)
    for ad in ads.exclude(photo=""):
        ad.photo.delete(save=False)
    counts["ads"] = ads.update(
        title="", body="", when="", photo="", search_vector=None, updated_at=now
    )
    counts["responses"] = Response.objects.filter(responder=participant).update(message="")
    bump_list_version()  # the marketplace's cached lists showed their ads
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
