"""Subscribers (double opt-in, one-click unsubscribe, bounces), the newsletter's assembly,
editing and sending through the outbox, its pages and isolation between neighbourhoods."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.mailings import drafts, services, subscriptions
from tenants.mailings.models import Newsletter, Subscriber
from tenants.market.models import Ad
from tenants.outbox.models import OutboxMessage
from tenants.outbox.services import _email_for, batch_counts, deliver_batch
from tenants.people.services.consents import give_consent
from tests.support import factories
from tests.support.outbox import link_in, mails_to
from tests.tenants.mailings.sending import MONTH, draft, form_data, send, subscribed, work

pytestmark = pytest.mark.django_db

# --- assembly -----------------------------------------------------------------------------


def test_assembly_takes_the_ads_published_since_the_last_issue_of_this_neighbourhood(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        old = factories.published_ad(title="Oude vraag om hulp", kind="request")
        Ad.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=90))
        new_request = factories.published_ad(title="Wie helpt met mijn fiets", kind="request")
        new_offer = factories.published_ad(title="Ik kook graag voor twee", kind="offer")
    with tenant_context(cast.b.neighbourhood):
        factories.published_ad(title="Alleen in wijk B", kind="offer")

    newsletter = draft(cast.a)

    titles = {item["title"] for section in newsletter.sections for item in section["items"]}
    assert {new_request.title, new_offer.title} <= titles
    assert old.title not in titles and "Alleen in wijk B" not in titles
    item = next(i for s in newsletter.sections for i in s["items"] if i["title"] == new_offer.title)
    assert item["url"].endswith(f"/ads/{new_offer.pk}/") and "wijk-a" in item["url"]
    assert newsletter.subject and newsletter.status == "draft"
    # the next issue holds only what came after this one started
    send(cast.a, newsletter)
    with tenant_context(cast.a.neighbourhood):
        later = factories.published_ad(title="Nieuw na de vorige", kind="offer")
        next_month = (MONTH + timedelta(days=32)).replace(day=1)
        second = drafts.assemble_newsletter(month=next_month, by=None)
    titles = {item["title"] for section in second.sections for item in section["items"]}
    assert later.title in titles and new_offer.title not in titles
    assert second.number == newsletter.number + 1


def test_empty_subject_or_no_content_is_refused(cast) -> None:
    newsletter = draft(cast.a)
    with tenant_context(cast.a.neighbourhood):
        with pytest.raises(ValidationError) as error:
            drafts.update_newsletter(
                newsletter=newsletter, changes={"subject": "  \n "}, by=cast.a.broker.user
            )
        assert "subject" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            drafts.update_newsletter(
                newsletter=newsletter, changes={"intro": "", "sections": []}, by=cast.a.broker.user
            )
        assert "intro" in error.value.message_dict
        newsletter.refresh_from_db()
        assert newsletter.subject  # nothing half-done
        edited = drafts.update_newsletter(
            newsletter=newsletter,
            changes={"subject": "Nieuws\r\nBcc: iedereen@example.org"},
            by=cast.a.broker.user,
        )
    assert edited.subject == "Nieuws Bcc: iedereen@example.org"  # one line


# --- subscribing --------------------------------------------------------------------------


def test_double_opt_in_with_one_confirmation_an_hour(cast) -> None:
    client = cast.a.client()
    for _attempt in range(3):
        response = client.post("/newsletter/", {"email": "Kees@Example.org", "language": "en"})
        assert response.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        subscriber = Subscriber.objects.get(email="kees@example.org")
        confirmations = mails_to("kees@example.org", "newsletter-confirm")
        assert subscriber.status == "pending" and len(confirmations) == 1
        link = link_in(confirmations[0].body, "/newsletter/confirm/")
    assert client.get(link).status_code == 200  # a page with a button: scanners confirm nothing
    with tenant_context(cast.a.neighbourhood):
        assert Subscriber.objects.get(pk=subscriber.pk).status == "pending"
    assert Client(HTTP_HOST=cast.a.host).post(link).status_code == 200
    with tenant_context(cast.a.neighbourhood):
        assert Subscriber.objects.get(pk=subscriber.pk).status == "active"
        # an hour later a new request may mail again
        Subscriber.objects.filter(pk=subscriber.pk).update(
            status="unsubscribed", confirmation_sent_at=timezone.now() - timedelta(hours=2)
        )
        subscriptions.subscribe(email="kees@example.org", language="en")
        assert len(mails_to("kees@example.org", "newsletter-confirm")) == 2


def test_bad_addresses_keep_the_form(cast) -> None:
    response = cast.a.client().post("/newsletter/", {"email": "not-an-address", "language": "nl"})
    assert response.status_code == 400
    assert b"not-an-address" in response.content


def test_participants_who_chose_it_at_registration_get_it(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        person = factories.participant("Riet", email="riet@example.org")
        give_consent(participant=person, topic="newsletter", recorded_by=cast.a.broker.user)
        factories.participant("Geen", email="geen@example.org")
        assert subscriptions.enrol_consenting_participants() == 1
        assert subscriptions.enrol_consenting_participants() == 0
        subscriber = Subscriber.objects.get(email="riet@example.org")
    assert subscriber.status == "active" and subscriber.source == "registration"


def test_staff_subscribe_someone_who_agreed_on_paper(cast) -> None:
    client = cast.a.client(cast.a.broker)
    response = client.post(
        "/broker/newsletters/subscribers/", {"email": "papier@example.org", "language": "nl"}
    )
    assert response.status_code == 400  # the agreement must be recorded
    response = client.post(
        "/broker/newsletters/subscribers/",
        {"email": "papier@example.org", "language": "nl", "agreed": "on"},
    )
    assert response.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        subscriber = Subscriber.objects.get(email="papier@example.org")
        assert subscriber.status == "active" and subscriber.recorded_by == cast.a.broker.user
    assert b"papier@example.org" in client.get("/broker/newsletters/subscribers/").content
    assert cast.a.client(cast.a.resident).get("/broker/newsletters/subscribers/").status_code in {
        302,
        403,
    }


# --- the mail -----------------------------------------------------------------------------


def test_the_mail_is_multipart_themed_in_the_readers_language_with_one_click_unsubscribe(
    cast,
) -> None:
    with tenant_context(cast.a.neighbourhood):
        factories.published_ad(title="Hulp bij de computer", kind="request")
        services.update_mailing_settings(
            changes={"sender_name": "Buurtpost\nZuid", "bounce_address": "bounce@wijk-a.test"},
            by=cast.a.admin.user,
        )
    dutch, english = (
        subscribed(cast.a, "nl@example.org", "nl"),
        subscribed(cast.a, "en@example.org", "en"),
    )
    received = {m["To"]: m for m in send(cast.a, draft(cast.a))}

    message = received["en@example.org"]
    assert message["From"] == "Buurtpost Zuid <noreply@tijdvoorelkaar.nl>" or message[
        "From"
    ].startswith("Buurtpost Zuid <")
    assert message.get_content_type() == "multipart/alternative"
    text, html = (part.get_payload(decode=True).decode() for part in message.get_payload())
    assert "Hulp bij de computer" in text and "Hulp bij de computer" in html
    assert (
        "Unsubscribe" in text
        and "Afmelden"
        in received["nl@example.org"].get_payload()[1].get_payload(decode=True).decode()
    )
    assert "#0b4f71" in html  # the kade theme's colour
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = "".join(message["List-Unsubscribe"].split())  # unfolded
    assert re.fullmatch(r"<https?://wijk-a\.test[^>]*/newsletter/unsubscribe/\d+/\w+/>", header)
    assert header[1:-1] in text  # the visible link is the same one
    with tenant_context(cast.a.neighbourhood):
        assert Subscriber.objects.get(pk=english.pk).status == "active"
        assert Newsletter.objects.get(number=1).status == "sent"
    # the envelope: where bounces go, with the message's VERP token
    assert re.fullmatch(r"bounce\+\w+-\w+-[a-z2-7]{16}@wijk-a\.test", mail.outbox[0].from_email)
    # one click, as a mail client does it: a POST without cookies or login
    path = header[1:-1].split("wijk-a.test", 1)[1].lstrip(":0123456789")
    response = Client(HTTP_HOST=cast.a.host, enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    with tenant_context(cast.a.neighbourhood):
        assert Subscriber.objects.get(pk=english.pk).status == "unsubscribed"
        assert Subscriber.objects.get(pk=dutch.pk).status == "active"


def test_forged_old_and_reused_unsubscribe_links(cast) -> None:
    one, other = subscribed(cast.a, "een@example.org"), subscribed(cast.a, "twee@example.org")
    with tenant_context(cast.a.neighbourhood):
        token = subscriptions.link_token(one, "unsubscribe")
    client = Client(HTTP_HOST=cast.a.host)
    assert client.post(f"/newsletter/unsubscribe/{other.pk}/{token}/").status_code == 404
    assert client.post(f"/newsletter/unsubscribe/{one.pk}/{'0' * 32}/").status_code == 404
    assert client.post(f"/newsletter/unsubscribe/{one.pk}/x/").status_code == 404
    assert client.post(f"/newsletter/unsubscribe/{one.pk}/{token}/").status_code == 200
    assert client.post(f"/newsletter/unsubscribe/{one.pk}/{token}/").status_code == 200  # again
    # a link of wijk A does nothing in wijk B
    assert (
        Client(HTTP_HOST=cast.b.host).post(f"/newsletter/unsubscribe/{one.pk}/{token}/").status_code
        == 404
    )
    with tenant_context(cast.a.neighbourhood):
        assert Subscriber.objects.get(pk=one.pk).status == "unsubscribed"
        assert Subscriber.objects.get(pk=other.pk).status == "active"


def test_a_5xx_marks_the_address_undeliverable_and_4xx_is_retried(cast, settings) -> None:
    bounced, fine = subscribed(cast.a, "weg@example.org"), subscribed(cast.a, "goed@example.org")
    newsletter = draft(cast.a)

    class Refusing:
        connection = None

        def open(self) -> None:
            self.connection = object()

        def close(self) -> None:
            self.connection = None

        def send_messages(self, messages):  # type: ignore[no-untyped-def]
            import smtplib

            to = messages[0].to[0]
            if to == "weg@example.org":
                raise smtplib.SMTPRecipientsRefused({to: (550, b"5.1.1 no such user")})
            return 1

    settings.CELERY_TASK_ALWAYS_EAGER = True
    from unittest import mock

    with mock.patch("tenants.outbox.services.get_connection", return_value=Refusing()):
        send(cast.a, newsletter)
    with tenant_context(cast.a.neighbourhood):
        newsletter.refresh_from_db()
        counts = batch_counts(newsletter.batch)
        assert counts == {"queued": 0, "sent": 1, "failed": 0, "bounced": 1}
        assert newsletter.status == "sent"
        assert Subscriber.objects.get(pk=bounced.pk).status == "undeliverable"
        assert Subscriber.objects.get(pk=fine.pk).status == "active"
        failed = OutboxMessage.objects.get(batch=newsletter.batch, to="weg@example.org")
        assert failed.last_error == "SMTPRecipientsRefused 550 5.1.1"


def test_one_outbox_row_per_recipient_even_when_started_twice(cast) -> None:
    for n in range(3):
        subscribed(cast.a, f"lezer{n}@example.org")
    newsletter = draft(cast.a)
    send(cast.a, newsletter)
    with tenant_context(cast.a.neighbourhood):
        Newsletter.objects.filter(pk=newsletter.pk).update(status="sending")
        assert services.write_recipients(newsletter.pk) == 3
        assert (
            OutboxMessage.objects.filter(batch__name=f"newsletter-{newsletter.number}").count() == 3
        )
        batch = Newsletter.objects.get(pk=newsletter.pk).batch
        assert deliver_batch(batch.pk) == 0  # nothing is sent twice


def test_isolation_a_newsletter_of_a_never_holds_bs_ads_or_subscribers(cast) -> None:
    with tenant_context(cast.b.neighbourhood):
        factories.published_ad(title="Fietsen repareren in B", kind="offer")
    subscribed(cast.b, "alleen-b@example.org")
    subscribed(cast.a, "alleen-a@example.org")
    newsletter = draft(cast.a, intro="Hallo A")
    received = send(cast.a, newsletter)
    assert [m["To"] for m in received] == ["alleen-a@example.org"]
    assert all("Fietsen repareren in B" not in m.as_string() for m in received)
    # B's pages do not show A's newsletter
    assert Client(HTTP_HOST=cast.b.host).get(f"/newsletter/{newsletter.number}/").status_code == 404
    assert (
        cast.b.client(cast.b.broker).get(f"/broker/newsletters/{newsletter.pk}/").status_code == 404
    )


# --- pages --------------------------------------------------------------------------------


def test_the_broker_edits_tests_and_sends_from_the_page(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        factories.published_ad(title="Samen wandelen", kind="offer")
    subscribed(cast.a, "lezer@example.org")
    client = cast.a.client(cast.a.broker)
    response = client.post("/broker/newsletters/")
    assert response.status_code == 302
    edit = response["Location"]
    page = client.get(edit)
    assert b"Samen wandelen" in page.content
    form = form_data(page.context["form"])
    form.update(subject="", action="save")
    assert client.post(edit, form).status_code == 400  # the empty subject is refused, kept
    form.update(subject="Nieuws uit wijk A", action="test")
    mail.outbox.clear()
    assert client.post(edit, form).status_code == 302
    work(cast.a)
    assert [m.to for m in mail.outbox] == [[cast.a.broker.user.email]]
    form.update(action="send")
    confirm = client.post(edit, form)  # saved, then the confirmation: nothing sent yet
    assert confirm.status_code == 302 and confirm["Location"].endswith("/send/")
    response = client.post(confirm["Location"])
    assert response.status_code == 302 and response["Location"].endswith("/mailing/")
    work(cast.a, page.context["newsletter"])
    counts = client.get(response["Location"] + "counts/")
    assert b'data-count="sent">1<' in counts.content and b"hx-get" not in counts.content
    newsletter_number = page.context["newsletter"].number
    public = Client(HTTP_HOST=cast.a.host)
    issue = public.get(f"/newsletter/{newsletter_number}/")
    assert issue.status_code == 200 and b"Samen wandelen" in issue.content
    assert (
        b"lezer@example.org" not in issue.content
        and cast.a.broker.user.email.encode() not in issue.content
    )
    assert b"Nieuws uit wijk A" in public.get("/newsletter/").content  # the archive
    preview = client.get(edit.rstrip("/") + "/preview/")
    assert preview.status_code == 200
    # the mail's inline styles show in its preview; scripts stay the platform's own
    assert "'unsafe-inline'" in preview["Content-Security-Policy"].split("style-src")[1]
    assert "script-src 'self';" in preview["Content-Security-Policy"] + ";"


def test_the_mailing_counts_keep_a_constant_number_of_queries(cast) -> None:
    for n in range(2):
        subscribed(cast.a, f"q{n}@example.org")
    newsletter = draft(cast.a)
    send(cast.a, newsletter)
    client = cast.a.client(cast.a.broker)
    path = f"/broker/newsletters/{newsletter.pk}/mailing/counts/"
    client.get(path)
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    for n in range(2, 12):
        subscribed(cast.a, f"q{n}@example.org")
    with CaptureQueriesContext(connection) as many:
        client.get(path)
    assert len(many) == len(few)


def test_the_render_of_a_batch_message_fills_its_own_link(cast) -> None:
    subscriber = subscribed(cast.a, "eigen@example.org")
    newsletter = draft(cast.a)
    send(cast.a, newsletter)
    with tenant_context(cast.a.neighbourhood):
        row = OutboxMessage.objects.get(to="eigen@example.org", batch__isnull=False)
        rendered = _email_for(row, row.batch).message().as_string()
        assert subscriptions.link_token(subscriber, "unsubscribe") in rendered
        assert "[[" not in rendered
