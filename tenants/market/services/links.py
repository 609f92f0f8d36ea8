"""Signing in by a mailed link, and the reminder a week before an ad ends (with such a link)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tenants.people.models import Participant, ParticipantLink
from tenants.people.services.links import redeem_link
from tenants.people.services.messages import notify_participant
from tenants.people.services.participants import normalise_email
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood

from ..models import Ad, AdStatus
from .mail import mail_confirmation, mail_participant, sign_in_link

RENEWAL_NOTICE = datetime.timedelta(days=7)


def sign_in_by_link(*, token: str) -> ParticipantLink:
    """Redeem a sign-in link (LinkProblem when it cannot be used)."""
    return redeem_link(token=token, purpose=ParticipantLink.Purpose.SIGN_IN)


@transaction.atomic
def send_sign_in_link(*, email: str) -> None:
    """Mail a sign-in link to whoever has this address, and tell nobody whether anyone has:
    the caller answers the same either way. Ads still waiting for their confirmation get a
    fresh confirmation link instead, so that an expired one can be replaced here too."""
    email = normalise_email(email)
    if not email:
        return
    for participant in Participant.objects.filter(email=email, erased_at__isnull=True)[:3]:
        waiting = list(Ad.objects.filter(participant=participant, status=AdStatus.UNCONFIRMED)[:5])
        for ad in waiting:
            mail_confirmation(ad)
        if not waiting:
            mail_participant(
                to=participant.email,
                participant=participant,
                template="sign_in",
                context={"link": sign_in_link(participant)},
            )


def _due_for_reminder(now: datetime.datetime) -> QuerySet[Ad]:
    return (
        Ad.objects.filter(
            status=AdStatus.PUBLISHED,
            expires_at__gt=now,
            expires_at__lte=now + RENEWAL_NOTICE,
            renewal_reminded_at__isnull=True,
        )
        .select_related("participant")
        .order_by("expires_at")[:500]
    )


@transaction.atomic
def _remind(ad: Ad, now: datetime.datetime) -> bool:
    """Claim the ad's reminder and send it; False when another run claimed it first."""
    claimed = Ad.objects.filter(pk=ad.pk, renewal_reminded_at__isnull=True).update(
        renewal_reminded_at=now
    )
    if not claimed:
        return False
    participant = ad.participant
    link = sign_in_link(participant, ad=ad) if participant.email else ""
    with translation.override(participant.preferred_language or None):
        context = {
            "neighbourhood": current_neighbourhood(),
            "ad": ad,
            "link": link,
            "participant": participant,
        }
        body = render_to_string("market/mail/renewal_reminder.txt", context)
        subject = render_to_string("market/mail/renewal_reminder_subject.txt", context).strip()
    notify_participant(
        participant=participant, subject=subject, body=body, purpose="market.renewal"
    )
    return True


def send_renewal_reminders(*, now: datetime.datetime | None = None) -> int:
    """A week before an ad ends, tell its owner how to renew it (once per lifetime). Owners
    without e-mail get it through their contact person or the broker (notify_participant).
    Each in its own transaction; returns how many were sent."""
    now = now or timezone.now()
    return sum(_remind(ad, now) for ad in _due_for_reminder(now))
