"""Subscribers of the newsletter: double opt-in on the website, paper subscriptions by staff,
participants who chose it at registration, one-click unsubscribe, and the signed links in
every mail (signed with the subscriber's nonce: a forged link does nothing, an old one
unsubscribes the address it was sent to and no other). Bounces are bounces.py's; sending is
services.py's."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.outbox.services import queue_mail
from tenants.people.models import ConsentTopic, Participant
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood
from tijdvoorelkaar.sites import site_url

from .models import Subscriber, SubscriberSource, SubscriberStatus

CONFIRMATION_EVERY = timedelta(hours=1)  # at most one confirmation mail per address per hour
LANGUAGES = {code for code, _name in settings.LANGUAGES}


# --- signed links -------------------------------------------------------------------------


def link_token(subscriber: Subscriber, purpose: str) -> str:
    value = f"{connection.schema_name}:{subscriber.pk}:{subscriber.email}:{subscriber.nonce}"
    return salted_hmac(f"mailings.{purpose}", value).hexdigest()[:32]


def subscriber_for_link(subscriber_id: int, token: str, purpose: str) -> Subscriber | None:
    """The subscriber a link names, if its signature holds (None for forged or void links)."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or not constant_time_compare(link_token(subscriber, purpose), token):
        return None
    return subscriber


def unsubscribe_url(subscriber: Subscriber, *, base: str = "") -> str:
    """The subscriber's own one-click link (`base`: the site's address, looked up once for
    many subscribers)."""
    base = base or site_url(current_neighbourhood(), "")
    token = link_token(subscriber, "unsubscribe")
    return f"{base}/newsletter/unsubscribe/{subscriber.pk}/{token}/"


def confirm_url(subscriber: Subscriber) -> str:
    token = link_token(subscriber, "confirm")
    return site_url(current_neighbourhood(), f"/newsletter/confirm/{subscriber.pk}/{token}/")


# --- subscribers --------------------------------------------------------------------------


def clean_address(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": [_("Enter a valid e-mail address.")]}) from None
    return email


def _clean_language(language: str) -> str:
    return language if language in LANGUAGES else settings.LANGUAGE_CODE[:2]


def reader_language(chosen: str | None, otherwise: str) -> str:
    """The language a reader gets: `chosen` when the newsletter is written in it (a
    participant may prefer Turkish; it is not), else `otherwise`."""
    return chosen if chosen in LANGUAGES else otherwise


@transaction.atomic
def subscribe(*, email: str, language: str) -> Subscriber:
    """Someone asks for the newsletter on the website: a confirmation link is mailed (at
    most once an hour per address); nothing changes until it is followed. The answer is the
    same whether the address was known or not."""
    email = clean_address(email)
    subscriber, _created = Subscriber.objects.select_for_update().get_or_create(
        email=email,
        defaults={"language": _clean_language(language), "source": SubscriberSource.WEB},
    )
    if subscriber.status == SubscriberStatus.ACTIVE:
        return subscriber
    now = timezone.now()
    if (
        subscriber.confirmation_sent_at
        and now - subscriber.confirmation_sent_at < CONFIRMATION_EVERY
    ):
        return subscriber
    subscriber.status = SubscriberStatus.PENDING
    subscriber.language = _clean_language(language)
    subscriber.confirmation_sent_at = now
    subscriber.save(update_fields=["status", "language", "confirmation_sent_at"])
    _mail_confirmation(subscriber)
    return subscriber


def _mail_confirmation(subscriber: Subscriber) -> None:
    neighbourhood = current_neighbourhood()
    with translation.override(subscriber.language):
        body = render_to_string(
            "mailings/mail/confirm.txt",
            {"neighbourhood": neighbourhood, "link": confirm_url(subscriber)},
        )
        subject = _("Confirm your subscription to the newsletter of %(name)s") % {
            "name": neighbourhood.name
        }
    queue_mail(to=subscriber.email, subject=subject, body=body, purpose="newsletter-confirm")


@transaction.atomic
def confirm(*, subscriber: Subscriber) -> Subscriber:
    """The confirmation link was followed: subscribed (again, if they had left)."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status != SubscriberStatus.ACTIVE:
        subscriber.status = SubscriberStatus.ACTIVE
        subscriber.confirmed_at = timezone.now()
        subscriber.unsubscribed_at = None
        subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
        record_audit_event(actor=None, action="mailings.subscribed", target=subscriber)
    return subscriber


@transaction.atomic
def subscribe_on_paper(*, email: str, language: str, agreed: bool, by: Any) -> Subscriber:
    """Staff record that someone agreed (on paper, at the desk) to get the newsletter."""
    email = clean_address(email)
    if not agreed:
        raise ValidationError({"agreed": [_("Record that they agreed to get the newsletter.")]})
    subscriber, _created = Subscriber.objects.select_for_update().get_or_create(
        email=email, defaults={"source": SubscriberSource.PAPER}
    )
    subscriber.status = SubscriberStatus.ACTIVE
    subscriber.source = SubscriberSource.PAPER
    subscriber.language = _clean_language(language)
    subscriber.confirmed_at = timezone.now()
    subscriber.unsubscribed_at = None
    subscriber.undeliverable_reason = ""
    subscriber.recorded_by = by
    subscriber.save()
    record_audit_event(actor=by, action="mailings.subscribed_on_paper", target=subscriber)
    return subscriber


@transaction.atomic
def unsubscribe(*, subscriber: Subscriber, by: Any = None) -> Subscriber:
    """Off the list (one click from a mail, or by staff). Doing it again changes nothing."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status in {SubscriberStatus.ACTIVE, SubscriberStatus.PENDING}:
        subscriber.status = SubscriberStatus.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])
        record_audit_event(actor=by, action="mailings.unsubscribed", target=subscriber)
    return subscriber


def participants_to_enrol() -> QuerySet[Participant]:
    """Participants who chose the newsletter at registration (a standing "newsletter" consent
    and an e-mail address) and are no subscriber yet: whoever left stays off."""
    known = Subscriber.objects.values_list("email", flat=True)
    return (
        Participant.objects.filter(
            consents__topic=ConsentTopic.NEWSLETTER,
            consents__withdrawn_at__isnull=True,
            erased_at__isnull=True,
        )
        .exclude(email="")
        .exclude(email__in=known)
        .distinct()
    )


def enrol_consenting_participants() -> int:
    """Those participants become subscribers, once (a mailing does this as it starts)."""
    default = current_neighbourhood().default_language
    new = [
        Subscriber(
            email=participant.email.lower(),
            participant=participant,
            source=SubscriberSource.REGISTRATION,
            status=SubscriberStatus.ACTIVE,
            confirmed_at=timezone.now(),
            language=reader_language(participant.preferred_language, default),
        )
        for participant in participants_to_enrol()
    ]
    Subscriber.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)
