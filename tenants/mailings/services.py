"""Writes of the mailings app: the mailing settings, and the newsletter from a draft
(`drafts.py`) to sending. Subscribers are subscriptions.py's, bounces bounces.py's.

Sending writes the issue once per language (`rendering.py`) into an outbox batch
(tenants/outbox: `OutboxBatch`), then one outbox message per recipient, naming their
language, in slices of RECIPIENTS_PER_TRANSACTION, one transaction each; the outbox's lanes
deliver them exactly once in effect.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Case, Count, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.outbox.models import OutboxBatch
from tenants.outbox.services import BatchMessage, add_to_batch
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
from .subscriptions import (
    LANGUAGES,
    clean_address,
    enrol_consenting_participants,
    participants_to_enrol,
    reader_language,
    unsubscribe_url,
)

RECIPIENTS_PER_TRANSACTION = 1000


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
        participants_to_enrol()
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
    to = clean_address(to)
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
