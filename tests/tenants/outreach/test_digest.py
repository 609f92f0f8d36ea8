"""The digest of new ads: each person's choice (frequency, sub-areas, categories), nothing
when nothing is new, once per period, the one-click stop link, and the choice pages."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail as sent_mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.mailings.services import update_mailing_settings
from tenants.market.models import Category
from tenants.market.services.lists import delete_sub_area
from tenants.outbox.services import deliver_message
from tenants.outreach.digest import send_digests, set_digest_preference, unsubscribe_token
from tenants.outreach.models import MAX_CHOSEN, DigestPreference
from tenants.outreach.personal_data import export_for
from tenants.people.models import SubArea
from tests.support.factories import broker_ad, participant
from tests.support.outbox import link_in, mails_to

pytestmark = pytest.mark.django_db


def _reader(email, frequency="weekly", language="nl", **choice):  # type: ignore[no-untyped-def]
    person = participant(email.split("@")[0].title(), email=email, preferred_language=language)
    set_digest_preference(participant=person, frequency=frequency, by=None, **choice)
    return person


def _categories():  # type: ignore[no-untyped-def]
    return list(Category.objects.order_by("position")[:2])


def test_each_person_gets_the_new_ads_they_chose(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        north, south = SubArea.objects.create(name="Noord"), SubArea.objects.create(name="Zuid")
        first, second = _categories()
        everyone = _reader("alles@example.org")
        northern = _reader("noord@example.org", sub_areas=[north])
        by_topic = _reader("thema@example.org", categories=[second], language="en")
        monthly = _reader("maand@example.org", frequency="monthly")
        owner = participant("Ans")
        broker_ad(
            owner, "request", "Boodschappen in Noord", "Graag.", sub_area=north, category=first
        )
        broker_ad(owner, "offer", "Fietsen in Zuid", "Graag.", sub_area=south, category=second)
        assert send_digests(frequency="weekly") == 3
        assert send_digests(frequency="weekly") == 0  # nothing new since
        [to_all] = mails_to(everyone.email, "digest")
        [to_north] = mails_to(northern.email, "digest")
        [to_topic] = mails_to(by_topic.email, "digest")
        assert "Boodschappen in Noord" in to_all.body and "Fietsen in Zuid" in to_all.body
        assert "Boodschappen in Noord" in to_north.body and "Fietsen in Zuid" not in to_north.body
        assert "Fietsen in Zuid" in to_topic.body and "Boodschappen" not in to_topic.body
        assert "New requests and offers" in to_topic.subject
        assert mails_to(monthly.email, "digest") == []
        assert send_digests(frequency="monthly") == 1


def test_nothing_new_sends_nothing_and_old_ads_are_not_repeated(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        reader = _reader("leeg@example.org")
        assert send_digests(frequency="weekly") == 0
        owner = participant("Ans")
        broker_ad(owner, "offer", "Eerste aanbod", "Tekst.")
        assert send_digests(frequency="weekly") == 1
        later = timezone.now() + datetime.timedelta(days=7)
        assert send_digests(frequency="weekly", now=later) == 0
        assert len(mails_to(reader.email, "digest")) == 1


def test_own_ads_erased_people_and_people_without_email_get_nothing(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        reader = _reader("eigen@example.org")
        broker_ad(reader, "offer", "Mijn eigen aanbod", "Tekst.")
        assert send_digests(frequency="weekly") == 0
        nameless = participant("Zonder")
        with pytest.raises(ValidationError) as refused:
            set_digest_preference(participant=nameless, frequency="weekly", by=None)
        assert "frequency" in refused.value.message_dict


def test_the_stop_link_sets_never_in_one_click_without_login(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        reader = _reader("stop@example.org")
        broker_ad(participant("Ans"), "offer", "Iets nieuws", "Tekst.")
        send_digests(frequency="weekly")
        [mail] = mails_to(reader.email, "digest")
        token = unsubscribe_token(reader)
    path = link_in(mail.body, "/digest/stop/")
    assert cast.a.client().post(path).status_code == 200  # a mail program's one-click POST
    with tenant_context(cast.a.neighbourhood):
        assert DigestPreference.objects.get(participant=reader).frequency == "never"
    assert cast.a.client().get(path).status_code == 200  # again: still fine
    forged = cast.a.client().get("/digest/stop/" + token[:-2] + "xx/")
    assert forged.status_code == 400
    assert cast.b.client().get(f"/digest/stop/{token}/").status_code == 400  # not B's


def test_residents_and_brokers_set_the_choice_on_their_pages(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        person = participant("Dina", email="dina@example.org")
        area = SubArea.objects.create(name="Oost")
    broker = cast.a.client(cast.a.broker)
    page = f"/broker/participants/{person.pk}/digest/"
    assert broker.get(page).status_code == 200
    assert cast.a.client(cast.a.resident).get(page).status_code == 403
    saved = broker.post(page, {"frequency": "monthly", "sub_areas": [area.pk]})
    assert saved.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        preference = DigestPreference.objects.get(participant=person)
        assert preference.frequency == "monthly" and preference.sub_area_ids == [area.pk]
    assert cast.b.client(cast.b.broker).get(page).status_code == 404
    assert cast.a.client().get("/ads/mine/digest/").status_code == 302  # sign in first
    odd = broker.post(page, {"frequency": "daily"})
    assert odd.status_code == 400


def test_a_removed_sub_area_no_longer_narrows_the_choice(cast) -> None:
    # The choice holds ids without a foreign key: what is gone is ignored, as the join rows'
    # cascade removed it before (docs/adr/0011).
    with tenant_context(cast.a.neighbourhood):
        gone, kept = (
            SubArea.objects.create(name="Verdwenen hoek"),
            SubArea.objects.create(name="Blijvend plein"),
        )
        only_gone = _reader("weg@example.org", sub_areas=[gone])
        both = _reader("beide@example.org", sub_areas=[gone, kept])
        delete_sub_area(sub_area=gone, by=cast.a.admin.user)
        broker_ad(participant("Ans"), "offer", "Fietsen plakken", "Graag.")  # in no sub-area
        broker_ad(participant("Bep"), "offer", "Bij Blijft", "Graag.", sub_area=kept)
        assert send_digests(frequency="weekly") == 2
        [to_all] = mails_to(only_gone.email, "digest")
        [to_kept] = mails_to(both.email, "digest")
        assert "Fietsen plakken" in to_all.body and "Bij Blijft" in to_all.body  # none left: all
        assert "Bij Blijft" in to_kept.body and "Fietsen plakken" not in to_kept.body
        assert export_for(both)["digest"]["sub_areas"] == ["Blijvend plein"]
    page = cast.a.client(cast.a.broker).get(f"/broker/participants/{both.pk}/digest/")
    assert page.status_code == 200 and "Verdwenen hoek" not in page.content.decode()


def test_a_choice_wider_than_the_row_allows_is_refused_by_name(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        areas = SubArea.objects.bulk_create(
            SubArea(name=f"Hoek {n}") for n in range(MAX_CHOSEN + 1)
        )
        reader = participant("Veel", email="veel@example.org")
        with pytest.raises(ValidationError) as refused:
            set_digest_preference(participant=reader, frequency="weekly", sub_areas=areas, by=None)
        assert "sub_areas" in refused.value.message_dict
        assert not DigestPreference.objects.filter(participant=reader).exists()


def test_sending_takes_a_fixed_number_of_queries_plus_one_insert_per_mail(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        owner = participant("Ans")
        broker_ad(owner, "offer", "Aanbod", "Tekst.")
        for n in range(2):
            _reader(f"lezer{n}@example.org")
        with CaptureQueriesContext(connection) as few:
            send_digests(frequency="weekly")
        broker_ad(owner, "offer", "Nog een aanbod", "Tekst.")
        for n in range(2, 8):
            _reader(f"lezer{n}@example.org")
        with CaptureQueriesContext(connection) as many:
            send_digests(frequency="weekly")
    assert len(many) - len(few) == 6  # one outbox insert per extra mail


def test_the_digest_is_multipart_from_the_neighbourhood_in_each_language(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        update_mailing_settings(changes={"sender_name": "Buurtpost Zuid"}, by=None)
        dutch = _reader("nl@example.org")
        english = _reader("en@example.org", language="en")
        broker_ad(participant("Ans"), "offer", "Fietsen <samen>", "Tekst.")
        assert send_digests(frequency="weekly") == 2
        queued = [*mails_to(dutch.email, "digest"), *mails_to(english.email, "digest")]
        for message in queued:
            assert deliver_message(message.pk)
    to_dutch, to_english = (mail.message() for mail in sent_mail.outbox)
    for message in (to_dutch, to_english):
        assert message.get_content_type() == "multipart/alternative"
        text, html = message.get_payload()
        assert (text.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
        assert message["From"].startswith("Buurtpost Zuid <")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        stop = message["List-Unsubscribe"]
        assert stop.startswith("<http") and "/digest/stop/" in stop and stop.endswith(">")
        page = html.get_payload(decode=True).decode()
        assert "Fietsen &lt;samen&gt;" in page and stop[1:-1] in page  # the visible link
    dutch_page = to_dutch.get_payload()[1].get_payload(decode=True).decode()
    english_page = to_english.get_payload()[1].get_payload(decode=True).decode()
    assert 'lang="nl"' in dutch_page and "Stop het overzicht" in dutch_page
    assert 'lang="en"' in english_page and "Stop the digest" in english_page
    assert "Nieuwe vragen en aanbod" in to_dutch["Subject"]


def test_a_mail_programs_one_click_post_stops_the_digest_without_cookies(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        reader = _reader("klik@example.org")
        broker_ad(participant("Ans"), "offer", "Iets", "Tekst.")
        send_digests(frequency="weekly")
        [message] = mails_to(reader.email, "digest")
    stop = message.headers["List-Unsubscribe"][1:-1]
    path = stop.split("://", 1)[1].split("/", 1)[1]
    program = Client(HTTP_HOST=cast.a.host, enforce_csrf_checks=True)
    assert not program.cookies  # no session, no CSRF token: as a mail program posts
    answer = program.post(
        "/" + path,
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200
    with tenant_context(cast.a.neighbourhood):
        assert DigestPreference.objects.get(participant=reader).frequency == "never"


def test_a_digest_refused_by_the_mail_server_stops_that_persons_digest(cast) -> None:
    """A 5xx to the recipient while the digest goes out (not only a bounce read later): her
    digest is set to never and her newsletter subscription marked undeliverable at once; a
    refusal of the content leaves the address alone."""
    import smtplib
    from unittest import mock

    from tenants.mailings.models import Subscriber
    from tenants.mailings.subscriptions import subscribe_on_paper

    refusals = {
        "verhuisd@example.org": smtplib.SMTPRecipientsRefused(
            {"verhuisd@example.org": (550, b"5.1.1 user unknown")}
        ),
        "inhoud@example.org": smtplib.SMTPDataError(554, b"5.7.1 content rejected"),
    }

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        refusal = refusals.get(messages[0].to[0])
        if refusal:
            raise refusal
        return 1

    with tenant_context(cast.a.neighbourhood):
        readers = {address: _reader(address) for address in [*refusals, "blijft@example.org"]}
        for address in readers:
            subscribe_on_paper(email=address, language="nl", agreed=True, by=cast.a.broker.user)
        broker_ad(participant("Ans"), "offer", "Hulp bij de boodschappen", "Graag.")
        assert send_digests(frequency="weekly") == 3
        with mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages", send_messages
        ):
            for address in readers:
                [digest] = mails_to(address, "digest")
                deliver_message(digest.pk)

        def state(address: str) -> tuple[str, str, str]:
            [digest] = mails_to(address, "digest")
            preference = DigestPreference.objects.get(participant=readers[address])
            subscriber = Subscriber.objects.get(email=address)
            return digest.status, preference.frequency, subscriber.status

        assert state("verhuisd@example.org") == ("failed", "never", "undeliverable")
        assert state("inhoud@example.org") == ("failed", "weekly", "active")
        assert state("blijft@example.org") == ("sent", "weekly", "active")
