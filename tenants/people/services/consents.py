"""Consents (what, when, recorded by whom) and the self-reported profile they allow."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.people.models import (
    PROFILE_FIELDS,
    Consent,
    ConsentTopic,
    Participant,
    ParticipantProfile,
)
from tenants.people.services.participants import validate_not_erased


def has_consent(participant: Participant, topic: str) -> bool:
    return participant.consents.filter(topic=topic, withdrawn_at__isnull=True).exists()


@transaction.atomic
def give_consent(*, participant: Participant, topic: str, recorded_by: Any) -> Consent:
    """Record that the participant agreed to `topic` now. A consent that still stands is
    returned unchanged."""
    validate_not_erased(participant)
    if topic not in ConsentTopic.values:
        raise ValidationError({"topic": [_("Unknown consent.")]})
    Participant.objects.select_for_update().filter(pk=participant.pk).first()
    standing = participant.consents.filter(topic=topic, withdrawn_at__isnull=True).first()
    if standing is not None:
        return standing
    consent = Consent.objects.create(
        participant=participant, topic=topic, given_at=timezone.now(), recorded_by=recorded_by
    )
    record_audit_event(
        actor=recorded_by,
        action="participant.consent_given",
        target=participant,
        detail={"topic": topic, "consent": consent.pk},
    )
    return consent


@transaction.atomic
def withdraw_consent(*, participant: Participant, topic: str, withdrawn_by: Any) -> Consent | None:
    """Record that the participant withdrew `topic`. Withdrawing the self-reported consent
    deletes the answers it allowed. Returns the withdrawn consent (None if none stood)."""
    if topic not in ConsentTopic.values:
        raise ValidationError({"topic": [_("Unknown consent.")]})
    consent = (
        participant.consents.select_for_update()
        .filter(topic=topic, withdrawn_at__isnull=True)
        .first()
    )
    if consent is None:
        return None
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    if topic == ConsentTopic.SELF_REPORTED:
        ParticipantProfile.objects.filter(participant=participant).delete()
    record_audit_event(
        actor=withdrawn_by,
        action="participant.consent_withdrawn",
        target=participant,
        detail={"topic": topic, "consent": consent.pk},
    )
    return consent


@transaction.atomic
def update_profile(
    *, participant: Participant, changed_by: Any, **answers: str
) -> ParticipantProfile:
    """Set the self-reported answers (every one optional). Only while the participant's
    "self_reported" consent stands."""
    validate_not_erased(participant)
    unexpected = set(answers) - set(PROFILE_FIELDS)
    if unexpected:
        raise ValidationError({"__all__": [_("Unknown fields: %s") % ", ".join(unexpected)]})
    if not has_consent(participant, ConsentTopic.SELF_REPORTED):
        raise ValidationError(
            {
                "__all__": [
                    _("Record their consent for self-reported figures before filling these in.")
                ]
            }
        )
    profile, _created = ParticipantProfile.objects.select_for_update().get_or_create(
        participant=participant
    )
    for name, value in answers.items():
        setattr(profile, name, value or "")
    profile.full_clean()
    profile.save()
    record_audit_event(
        actor=changed_by,
        action="participant.profile_changed",
        target=participant,
        detail={"fields": sorted(answers)},
    )
    return profile
