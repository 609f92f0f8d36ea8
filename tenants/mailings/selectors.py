"""Reads of the mailings app: subscribers, the newsletters, a mailing's progress."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from tenants.outbox.models import OutboxMessage
from tenants.outbox.services import batch_counts

from .models import MailingSettings, Newsletter, NewsletterStatus, Subscriber, SubscriberStatus

EMPTY_COUNTS = {"queued": 0, "sent": 0, "failed": 0, "bounced": 0}


def chosen_sender_name() -> str:
    """The sender name the broker chose in the mailing settings ("" when none): one read that
    writes nothing (the `mail_sender` hook, for other apps' mail)."""
    found = MailingSettings.objects.filter(pk=1).values_list("sender_name", flat=True).first()
    return found or ""


def chosen_bounce_address() -> str:
    """The neighbourhood's bounce address ("" when none): the `bounce_address` hook, for
    other apps' bulk mail (the digest's envelope sender)."""
    found = MailingSettings.objects.filter(pk=1).values_list("bounce_address", flat=True).first()
    return found or ""


def subscriber_counts() -> dict[str, int]:
    return Subscriber.objects.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in SubscriberStatus.values}
    )


def subscribers(*, status: str = "") -> QuerySet[Subscriber]:
    found = Subscriber.objects.order_by("email")
    return found.filter(status=status) if status in SubscriberStatus.values else found


def newsletters() -> QuerySet[Newsletter]:
    return Newsletter.objects.defer("sections").order_by("-number")


def archive() -> QuerySet[Newsletter]:
    """What anyone may read: the issues that went out."""
    return Newsletter.objects.filter(
        status__in=[NewsletterStatus.SENDING, NewsletterStatus.SENT]
    ).order_by("-number")


def mailing_counts(newsletter: Newsletter) -> dict[str, int]:
    counts = batch_counts(newsletter.batch) if newsletter.batch_id else dict(EMPTY_COUNTS)
    counts["recipients"] = newsletter.recipients
    counts["done"] = newsletter.status == NewsletterStatus.SENT
    return counts


def mailing_failures(newsletter: Newsletter, *, limit: int = 100) -> list[OutboxMessage]:
    """The messages that failed for good, with the reason (the SMTP code, never its text)."""
    if not newsletter.batch_id:
        return []
    return list(
        OutboxMessage.objects.filter(batch_id=newsletter.batch_id, status="failed")
        .only("to", "last_error", "attempts")
        .order_by("pk")[:limit]
    )
