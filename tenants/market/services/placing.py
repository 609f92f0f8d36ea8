"""Placing an ad through the site (the page and the API alike): who places it, the rules
for a vacancy, the confirmation mail, and the reciprocity question after it.

The rules live here once; the page's form and the API's serializer only check the shape."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tenants.people.models import Participant, ParticipantLink
from tenants.people.services.links import redeem_link
from tenants.people.services.participants import participant_for_contact

from ..models import Ad, AdKind, AdStatus, ReciprocityPrompt
from .ads import confirm_ad, place_ad
from .mail import mail_confirmation

OPPOSITE_KIND = {AdKind.OFFER: AdKind.REQUEST, AdKind.REQUEST: AdKind.OFFER}


def _visitor(*, display_name: str, email: str, phone: str, language: str) -> Participant:
    """The participant with this e-mail address (or phone), or a new one (not saved yet)."""
    errors: dict[str, list[str]] = {}
    if not display_name.strip():
        errors["display_name"] = [_("Give the name others will see.")]
    if not email.strip() and not phone.strip():
        errors["email"] = [_("Give an e-mail address, or else a phone number.")]
    if errors:
        raise ValidationError(errors)
    participant = participant_for_contact(display_name=display_name, email=email, phone=phone)
    if participant.pk is None:
        participant.preferred_language = language or translation.get_language() or "nl"
    return participant


def _check_vacancy(*, kind: str, organisation: Any, signed_in: Participant | None) -> None:
    """Only a member, signed in, posts a vacancy of their organisation."""
    if kind == AdKind.VACANCY and (
        signed_in is None
        or organisation is None
        or not organisation.members.filter(pk=signed_in.pk).exists()
    ):
        raise ValidationError(
            {"kind": [_("Only members of an organisation may post its volunteer vacancies.")]}
        )


@transaction.atomic
def submit_ad(
    *,
    signed_in: Participant | None,
    display_name: str = "",
    email: str = "",
    phone: str = "",
    language: str = "",
    prompt: ReciprocityPrompt | None = None,
    **fields: Any,
) -> Ad:
    """A resident places an ad on the site. `signed_in` is the visitor's participant when
    they are signed in; otherwise they give a name and an e-mail address or phone number, and
    the participant is found by those or created. A visitor gets a confirmation link by mail
    (or, with only a phone number, waits for the broker); a participant signed in by an
    earlier link has proven their address, so their ad is confirmed at once. `prompt` is the
    reciprocity question the ad answers."""
    participant = signed_in or _visitor(
        display_name=display_name, email=email, phone=phone, language=language
    )
    _check_vacancy(
        kind=fields["kind"], organisation=fields.get("organisation"), signed_in=signed_in
    )
    ad = place_ad(participant=participant, **fields)
    if ad.status == AdStatus.UNCONFIRMED:
        if signed_in is not None and participant.email_confirmed_at is not None:
            ad = confirm_ad(ad=ad)
        else:
            mail_confirmation(ad)
    if prompt is not None:
        take_reciprocity_prompt(prompt=prompt, ad=ad)
    return ad


@transaction.atomic
def confirm_ad_by_link(*, token: str) -> Ad:
    """Redeem a confirmation link: the ad goes live (or waits for approval). Raises
    LinkProblem when the link is unknown, expired or used."""
    link = redeem_link(token=token, purpose=ParticipantLink.Purpose.CONFIRM_AD)
    ad = Ad.objects.select_related("participant").get(
        pk=link.subject_id, participant=link.participant
    )
    return confirm_ad(ad=ad)


@transaction.atomic
def record_reciprocity_prompt(*, source_ad: Ad) -> ReciprocityPrompt | None:
    """ "And do you also have a request?" is about to be shown after `source_ad`: record it
    once (a reload shows the same prompt). None for a vacancy or an ad the prompt was taken for."""
    if source_ad.kind not in OPPOSITE_KIND:
        return None
    prompt = ReciprocityPrompt.objects.filter(source_ad=source_ad).first()
    return prompt or ReciprocityPrompt.objects.create(source_ad=source_ad)


@transaction.atomic
def take_reciprocity_prompt(*, prompt: ReciprocityPrompt, ad: Ad) -> ReciprocityPrompt:
    """Record that `ad` was placed from `prompt` (first ad wins)."""
    prompt = ReciprocityPrompt.objects.select_for_update().get(pk=prompt.pk)
    if prompt.taken_ad_id is None:
        prompt.taken_ad = ad
        prompt.taken_at = timezone.now()
        prompt.save(update_fields=["taken_ad", "taken_at"])
    return prompt
