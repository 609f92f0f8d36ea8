"""The marketplace's mails to a resident: the confirmation link of a new ad, sign-in links."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from tenants.outbox.services import queue_mail
from tenants.people.models import Participant, ParticipantLink
from tenants.people.services.links import issue_link
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood
from tijdvoorelkaar.sites import site_url

from ..models import Ad


def mail_participant(
    *, to: str, participant: Participant, template: str, context: dict[str, Any]
) -> str:
    """Render a mail body and subject in the participant's language and queue it; returns
    the subject."""
    with translation.override(participant.preferred_language or None):
        context = {"neighbourhood": current_neighbourhood(), "participant": participant, **context}
        body = render_to_string(f"market/mail/{template}.txt", context)
        subject = render_to_string(f"market/mail/{template}_subject.txt", context).strip()
    queue_mail(to=to, subject=subject, body=body, purpose=f"market.{template}")
    return subject


def mail_confirmation(ad: Ad) -> None:
    """A fresh confirmation link for an ad that waits for its owner."""
    token = issue_link(
        participant=ad.participant, purpose=ParticipantLink.Purpose.CONFIRM_AD, subject_id=ad.pk
    )
    link = site_url(current_neighbourhood(), f"/ads/confirm/{token}/")
    mail_participant(
        to=ad.participant.email,
        participant=ad.participant,
        template="confirm_ad",
        context={"ad": ad, "link": link},
    )


def sign_in_link(participant: Participant, *, ad: Ad | None = None) -> str:
    """A one-time link that signs `participant` in (about `ad`, for a reminder)."""
    token = issue_link(
        participant=participant,
        purpose=ParticipantLink.Purpose.SIGN_IN,
        subject_id=ad.pk if ad is not None else None,
    )
    return site_url(current_neighbourhood(), f"/ads/sign-in/{token}/")
