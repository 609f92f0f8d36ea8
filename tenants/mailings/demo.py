"""Demo content: subscribers (on the website, at registration, on paper), last month's
newsletter sent to them, and next month's draft waiting for the broker."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tenants.people.models import ConsentTopic, Participant
from tenants.people.services.consents import give_consent
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

from . import drafts, services, subscriptions
from .models import Newsletter, Subscriber, SubscriberStatus

READERS = 24


def add_demo_data(neighbourhood: Neighbourhood) -> None:
    if Newsletter.objects.exists():
        return  # once
    broker = User.objects.filter(role=Role.BROKER, is_active=True).order_by("id").first()
    language = neighbourhood.languages[0] if neighbourhood.languages else "nl"
    for n in range(READERS):
        subscriptions.subscribe_on_paper(
            email=f"lezer{n + 1}@{neighbourhood.slug}.example",
            language="en" if n % 6 == 5 else language,
            agreed=True,
            by=broker,
        )
    for participant in Participant.objects.exclude(email="").order_by("id")[:5]:
        give_consent(participant=participant, topic=ConsentTopic.NEWSLETTER, recorded_by=broker)
    subscriptions.enrol_consenting_participants()
    # someone who asked on the website and has not confirmed yet, and someone who left
    subscriptions.subscribe(email=f"nieuw@{neighbourhood.slug}.example", language=language)
    Subscriber.objects.filter(email=f"lezer{READERS}@{neighbourhood.slug}.example").update(
        status=SubscriberStatus.UNSUBSCRIBED, unsubscribed_at=timezone.now()
    )

    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    sent = drafts.assemble_newsletter(month=last_month, by=broker)
    services.schedule_newsletter(newsletter=sent, at=None, by=broker)
    services.write_recipients(sent.pk)  # the outbox's lanes send them after the demo commits
    # as if it went out three weeks ago: the draft gathers what came since
    three_weeks_ago = timezone.now() - timedelta(weeks=3)
    Newsletter.objects.filter(pk=sent.pk).update(started_at=three_weeks_ago)
    drafts.assemble_newsletter(month=services.next_issue_month(today), by=broker)
