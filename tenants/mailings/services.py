"""Writes of the mailings app: subscribers (double opt-in, one-click unsubscribe; bounces
are bounces.py's), the mailing settings, and the newsletter from a draft (`drafts.py`) to
sending.

Sending writes the issue once per language (`rendering.py`) into an outbox batch
(tenants/outbox: `OutboxBatch`), then one outbox message per recipient, naming their
language, in slices of RECIPIENTS_PER_TRANSACTION, one transaction each; the outbox's lanes
deliver them exactly once in effect. Every link in a mail is signed with the subscriber's
nonce: a forged link does nothing, an old one unsubscribes the address it was sent to and no
other.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import Case, Count, F, QuerySet, Value, When
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.outbox.models import OutboxBatch
from tenants.outbox.services import BatchMessage, add_to_batch, queue_mail
from tenants.people.models import ConsentTopic, Participant
from tijdvoorelkaar.jobs import enqueue_on_commit
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood
from tijdvoorelkaar.sites import site_url

from . import rendering
from .drafts import assemble_newsletter, local_time, validate_content
from .models import (
    MailingSettings,
    Newsletter,
    NewsletterStatus,
    Subscriber,
    SubscriberSource,
    SubscriberStatus,
)

CONFIRMATION_EVERY = timedelta(hours=1)  # at most one confirmation mail per address per hour
RECIPIENTS_PER_TRANSACTION = 1000
LANGUAGES = {code for code, _name in settings.LANGUAGES}


# --- settings -----------------------------------------------------------------------------


def mailing_settings() -> MailingSettings:
    found, _created = MailingSettings.objects.get_or_create(pk=1)
    return found


@transaction.atomic
def update_mailing_settings(*, changes: dict[str, Any], by: Any) -> MailingSettings:
    current = mailing_settings()
    unknown = set(changes) - {"sender_name", "bounce_address", "send_day", "per_second"}
    if unknown:
        raise ValidationError({"__all__": [_("Unknown fields: %s") % ", ".join(sorted(unknown))]})
    for name, value in changes.items():
        setattr(current, name, value)
    current.sender_name = " ".join(str(current.sender_name).split())  # a header: one line
    current.full_clean()
    current.save()
    record_audit_event(
        actor=by, action="mailings.settings_changed", detail={"fields": sorted(changes)}
    )
    return current


def sender_name() -> str:
    return mailing_settings().sender_name or current_neighbourhood().name


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


def _clean_address(email: str) -> str:
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


def _chosen_language() -> Case:
    """Per subscriber: the participant's own language choice when they subscribed at
    registration (they chose no other), as it is now; else nothing (their `language`)."""
    return Case(
        When(
            source=SubscriberSource.REGISTRATION,
            then=F("participant__preferred_language"),
        ),
        default=Value(""),
    )


@transaction.atomic
def subscribe(*, email: str, language: str) -> Subscriber:
    """Someone asks for the newsletter on the website: a confirmation link is mailed (at
    most once an hour per address); nothing changes until it is followed. The answer is the
    same whether the address was known or not."""
    email = _clean_address(email)
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
    email = _clean_address(email)
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


def _participants_to_enrol() -> QuerySet[Participant]:
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
        for participant in _participants_to_enrol()
    ]
    Subscriber.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def newsletter_audience() -> dict[str, int]:
    """How many a mailing started now reaches, per language they get it in: the active
    subscribers and the participants it will enrol as it starts (as `start_mailing` picks)."""
    per_language: Counter[str] = Counter()
    subscribers = (
        Subscriber.objects.filter(status=SubscriberStatus.ACTIVE)
        .annotate(chosen_language=_chosen_language())
        .values_list("chosen_language", "language")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for chosen, language, count in subscribers:
        per_language[reader_language(chosen, language)] += count
    default = current_neighbourhood().default_language
    newcomers = (
        _participants_to_enrol()
        .values_list("preferred_language")
        .annotate(count=Count("pk", distinct=True))
        .order_by()
    )
    for preferred, count in newcomers:
        per_language[reader_language(preferred, default)] += count
    return dict(per_language)


# --- sending ------------------------------------------------------------------------------


def _batch_for(newsletter: Newsletter, name: str, lanes: int) -> OutboxBatch:
    chosen = mailing_settings()
    from email.utils import formataddr, parseaddr

    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    # Each language once, whatever the number of recipients: they differ only in their link.
    contents = {
        language: rendering.render_newsletter(newsletter, language)
        for language in sorted(LANGUAGES)
    }
    return OutboxBatch.objects.create(
        name=name,
        from_email=formataddr((" ".join(sender_name().split()), address)),
        bounce_address=chosen.bounce_address,
        contents=contents,
        headers={
            "List-Unsubscribe": "<[[unsubscribe_url]]>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"<newsletter.{connection.schema_name}.tijdvoorelkaar>",
        },
        per_second=chosen.per_second,
        lanes=lanes,
    )


@transaction.atomic
def send_test(*, newsletter: Newsletter, to: str, by: Any, language: str = "") -> None:
    """The newsletter, as subscribers in `language` get it (default: the draft's), to `to`
    alone (the broker herself)."""
    validate_content(newsletter)
    to = _clean_address(to)
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    batch = _batch_for(newsletter, f"newsletter-{newsletter.number}-test-{stamp}", lanes=1)
    add_to_batch(
        batch=batch,
        messages=[
            BatchMessage(
                to=to,
                language=reader_language(language, newsletter.language),
                fields={"unsubscribe_url": ""},
            )
        ],
    )
    record_audit_event(actor=by, action="mailings.newsletter_tested", target=newsletter)


@transaction.atomic
def schedule_newsletter(*, newsletter: Newsletter, at: datetime | None, by: Any) -> Newsletter:
    """Send at `at` (None: now). Refused when the subject or content is missing."""
    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    if not newsletter.is_editable:
        raise ValidationError({"__all__": [_("This newsletter is already being sent.")]})
    validate_content(newsletter)
    now = timezone.now()
    if at is not None and at > now:
        newsletter.status = NewsletterStatus.SCHEDULED
        newsletter.scheduled_for = at
        newsletter.save(update_fields=["status", "scheduled_for"])
        action = "mailings.newsletter_scheduled"
    else:
        _start(newsletter)
        action = "mailings.newsletter_sent"
    record_audit_event(actor=by, action=action, target=newsletter)
    return newsletter


@transaction.atomic
def unschedule_newsletter(*, newsletter: Newsletter, by: Any) -> Newsletter:
    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    if newsletter.status == NewsletterStatus.SCHEDULED:
        newsletter.status = NewsletterStatus.DRAFT
        newsletter.scheduled_for = None
        newsletter.save(update_fields=["status", "scheduled_for"])
        record_audit_event(actor=by, action="mailings.newsletter_unscheduled", target=newsletter)
    return newsletter


def _start(newsletter: Newsletter) -> None:
    newsletter.status = NewsletterStatus.SENDING
    newsletter.started_at = timezone.now()
    newsletter.save(update_fields=["status", "started_at"])
    enqueue_on_commit("mailings.write_recipients", newsletter.pk)


def write_recipients(newsletter_id: int) -> int:
    """Make the outbox batch of a newsletter being sent and write its recipients (everyone
    subscribed when it started), RECIPIENTS_PER_TRANSACTION per transaction. Run again after
    a crash it adds only who is missing. Returns the number of recipients."""
    newsletter = Newsletter.objects.filter(
        pk=newsletter_id, status=NewsletterStatus.SENDING
    ).first()
    if newsletter is None:
        return 0
    enrol_consenting_participants()
    with transaction.atomic():
        newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
        if newsletter.batch is None:
            newsletter.batch = _batch_for(newsletter, f"newsletter-{newsletter.number}", lanes=2)
            newsletter.save(update_fields=["batch"])
    recipients = (
        Subscriber.objects.filter(status=SubscriberStatus.ACTIVE)
        .annotate(chosen_language=_chosen_language())
        .order_by("pk")
    )
    total, last_pk = 0, 0
    base = site_url(current_neighbourhood(), "")
    while True:
        chunk = list(recipients.filter(pk__gt=last_pk)[:RECIPIENTS_PER_TRANSACTION])
        if not chunk:
            break
        add_to_batch(
            batch=newsletter.batch,
            messages=[
                BatchMessage(
                    to=subscriber.email,
                    language=reader_language(subscriber.chosen_language, subscriber.language),
                    fields={"unsubscribe_url": unsubscribe_url(subscriber, base=base)},
                )
                for subscriber in chunk
            ],
        )
        total += len(chunk)
        last_pk = chunk[-1].pk
    Newsletter.objects.filter(pk=newsletter.pk).update(recipients=total)
    return total


def settle_sending() -> int:
    """Newsletters whose every message is sent or failed are done (the addresses the server
    refused were marked undeliverable as it refused them). Returns how many were finished."""
    from tenants.outbox.services import batch_counts

    finished = 0
    for newsletter in Newsletter.objects.filter(
        status=NewsletterStatus.SENDING, batch__isnull=False
    ).select_related("batch"):
        counts = batch_counts(newsletter.batch)
        if (
            counts["queued"]
            or counts["sent"] + counts["failed"] + counts["bounced"] < newsletter.recipients
        ):
            continue
        Newsletter.objects.filter(pk=newsletter.pk).update(
            status=NewsletterStatus.SENT, sent_at=timezone.now()
        )
        finished += 1
    return finished


def next_issue_month(today: date) -> date:
    """The month whose draft should be waiting: this one until its send day, then the next."""
    this_month = today.replace(day=1)
    if (
        today.day < mailing_settings().send_day
        and not Newsletter.objects.filter(
            issue_month=this_month, status=NewsletterStatus.SENT
        ).exists()
    ):
        return this_month
    return (this_month + timedelta(days=32)).replace(day=1)


def run_schedule() -> dict[str, int]:
    """The beat's job, per neighbourhood: start what is due, finish what is done, and have
    the next month's draft ready (scheduled issues go out on their time; a draft the broker
    left alone is not sent)."""
    now = timezone.now()
    started = 0
    for newsletter in Newsletter.objects.filter(
        status=NewsletterStatus.SCHEDULED, scheduled_for__lte=now
    ):
        with transaction.atomic():
            locked = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
            if locked.status == NewsletterStatus.SCHEDULED:
                _start(locked)
                started += 1
    finished = settle_sending()
    stuck = Newsletter.objects.filter(
        status=NewsletterStatus.SENDING, started_at__lt=now - timedelta(minutes=5), recipients=0
    )
    for newsletter in stuck:  # its recipients were never written (a lost task): again
        with transaction.atomic():
            enqueue_on_commit("mailings.write_recipients", newsletter.pk)
    assemble_newsletter(month=next_issue_month(timezone.localdate()))
    return {"started": started, "finished": finished}


def default_send_time(newsletter: Newsletter) -> datetime:
    """The neighbourhood's send day in the newsletter's month, at nine."""
    day = newsletter.issue_month.replace(day=mailing_settings().send_day)
    return local_time(day, 9)
