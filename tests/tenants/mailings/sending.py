"""What the mailings tests share: a draft, a subscriber, and sending with the workers' steps
done in the test (its transaction never commits, so nothing runs on commit)."""

from __future__ import annotations

import email

from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.mailings import drafts, services, subscriptions
from tenants.mailings.models import Subscriber
from tenants.outbox.models import OutboxBatch
from tenants.outbox.services import deliver_batch
from tenants.people.models import ConsentTopic
from tests.support import factories

MONTH = timezone.localdate().replace(day=1)


def draft(place, **changes):  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        newsletter = drafts.assemble_newsletter(month=MONTH, by=place.broker.user)
        if changes:
            newsletter = drafts.update_newsletter(
                newsletter=newsletter, changes=changes, by=place.broker.user
            )
        return newsletter


def subscribed(place, address: str, language: str = "nl") -> Subscriber:  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        return subscriptions.subscribe_on_paper(
            email=address, language=language, agreed=True, by=place.broker.user
        )


def send(place, newsletter) -> list[email.message.Message]:  # type: ignore[no-untyped-def]
    """Send a newsletter (tasks run eagerly) and return the mails as received."""
    mail.outbox.clear()
    with tenant_context(place.neighbourhood):
        services.schedule_newsletter(newsletter=newsletter, at=None, by=place.broker.user)
    work(place, newsletter)
    return [email.message_from_bytes(message.message().as_bytes()) for message in mail.outbox]


def work(place, newsletter=None) -> None:  # type: ignore[no-untyped-def]
    """What the workers do after commit (tests run inside one transaction): write the
    recipients, send every batch, finish."""
    with tenant_context(place.neighbourhood):
        if newsletter is not None:
            services.write_recipients(newsletter.pk)
        for batch in OutboxBatch.objects.all():
            deliver_batch(batch.pk, for_seconds=5)
        services.settle_sending()


def form_data(form) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """What the browser posts back for an edit page's form left as it is."""
    values = {}
    for name in form.fields:
        value = form[name].value()
        if name.endswith("_keep"):
            if value:
                values[name] = "on"
        elif value is not None:
            values[name] = value
    return values


def registered_readers(place, *people: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Participants (name, preferred language) who chose the newsletter at registration; the
    mailing enrols them as it starts."""
    with tenant_context(place.neighbourhood):
        for name, language in people:
            factories.participant(
                name,
                email=f"{name.lower()}@example.org",
                preferred_language=language,
                consents=[ConsentTopic.NEWSLETTER],
            )
