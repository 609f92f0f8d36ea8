"""One-time links for participants without an account (confirm an ad, sign in, say how it
worked out): only a hash of the token is kept."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tenants.people.models import (
    Participant,
    ParticipantLink,
)

LINK_LIFETIME = {
    ParticipantLink.Purpose.CONFIRM_AD: timedelta(days=7),
    ParticipantLink.Purpose.SIGN_IN: timedelta(days=2),
    ParticipantLink.Purpose.OUTCOME: timedelta(days=30),
    ParticipantLink.Purpose.SURVEY: timedelta(days=42),
}


class LinkProblem(Exception):
    """A link that cannot be used; `reason` is "unknown", "expired" or "used"."""

    def __init__(self, reason: str, link: ParticipantLink | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.link = link


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


def live_link(*, token: str, purpose: str) -> ParticipantLink:
    """The link behind `token`, without using it up; unlike `find_link` a used link stays
    valid until it expires (a "did it work out?" link may be opened again). Raises
    LinkProblem("unknown" | "expired")."""
    link = (
        ParticipantLink.objects.select_related("participant")
        .filter(token_hash=_hash(token), purpose=purpose)
        .first()
    )
    if link is None or link.subject_id is None:
        raise LinkProblem("unknown")
    if link.expires_at <= timezone.now():
        raise LinkProblem("expired", link)
    return link


def _usable(link: ParticipantLink | None) -> ParticipantLink:
    if link is None:
        raise LinkProblem("unknown")
    if link.used_at is not None:
        raise LinkProblem("used", link)
    if link.expires_at <= timezone.now():
        raise LinkProblem("expired", link)
    return link


def find_link(*, token: str, purpose: str) -> ParticipantLink:
    """The link `token` names, without using it (to show the page it opens). Raises
    LinkProblem("unknown" | "expired" | "used") as `redeem_link` would."""
    return _usable(
        ParticipantLink.objects.select_related("participant")
        .filter(token_hash=_hash(token), purpose=purpose)
        .first()
    )


@transaction.atomic
def redeem_link(*, token: str, purpose: str) -> ParticipantLink:
    """Use a link once. Raises LinkProblem("unknown" | "expired" | "used")."""
    link = _usable(
        ParticipantLink.objects.select_for_update()
        .select_related("participant")
        .filter(token_hash=_hash(token), purpose=purpose)
        .first()
    )
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    if link.participant.email_confirmed_at is None and link.participant.email:
        link.participant.email_confirmed_at = link.used_at
        link.participant.save(update_fields=["email_confirmed_at"])
    return link
