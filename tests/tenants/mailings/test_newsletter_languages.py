"""The newsletter in each reader's language: what the platform wrote (headings, contact
labels, the subject and introduction as assembled) in the reader's, what the broker wrote as
she wrote it; in the mail per subscriber or participant, in the web version per visitor."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django_tenants.utils import tenant_context

from tenants.mailings import rendering, subscriptions
from tenants.mailings.models import Newsletter
from tests.support import factories
from tests.tenants.mailings.sending import (
    draft,
    form_data,
    registered_readers,
    send,
    subscribed,
    work,
)

pytestmark = pytest.mark.django_db

PHONE = "030 000 00 00"  # the cast's broker phone


def _bodies(message) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    text, html = (part.get_payload(decode=True).decode() for part in message.get_payload())
    return text, html


def _new_ads(place) -> None:  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        factories.published_ad(title="Wie helpt met mijn fiets", kind="request")
        factories.published_ad(title="Ik kook graag voor twee", kind="offer")


def test_each_subscriber_reads_the_platforms_words_in_their_language_and_hers_as_written(
    cast,
) -> None:
    # given: new ads, a Dutch and an English subscriber, and a draft the broker edited
    _new_ads(cast.a)
    subscribed(cast.a, "nl@example.org", "nl")
    subscribed(cast.a, "en@example.org", "en")
    newsletter = draft(cast.a)
    sections = newsletter.sections
    offers = next(s for s in sections if s["heading"]["msgid"] == "New offers")
    offers["title"] = "Aanbod van de buren"  # her own heading
    offers["items"][0]["text"] = "Elke dinsdag, met verse groente."
    newsletter = draft(
        cast.a,
        subject="Nieuws uit de buurt: fietsles gezocht",
        intro="Fijn dat u meeleest.",
        sections=sections,
    )

    # when: it is sent
    received = {m["To"]: m for m in send(cast.a, newsletter)}

    # then: each mail has the platform's headings and labels in its reader's language ...
    dutch_text, dutch_html = _bodies(received["nl@example.org"])
    english_text, english_html = _bodies(received["en@example.org"])
    assert "== Nieuwe vragen ==" in dutch_text and ">Nieuwe vragen</h2>" in dutch_html
    assert "== New requests ==" in english_text and ">New requests</h2>" in english_html
    assert f"Telefoon: {PHONE}" in dutch_text and f"Phone: {PHONE}" in english_text
    assert "Nieuwe vragen" not in english_text + english_html
    assert "Telefoon" not in english_text + english_html
    # ... and the broker's own words as she wrote them, the same in both
    for text, html in ((dutch_text, dutch_html), (english_text, english_html)):
        assert "== Aanbod van de buren ==" in text and ">Aanbod van de buren</h2>" in html
        assert "Fijn dat u meeleest." in text and "Fijn dat u meeleest." in html
        assert "Elke dinsdag, met verse groente." in text
        assert "Wie helpt met mijn fiets" in text  # what residents wrote: as it is
    subjects = {received[to]["Subject"] for to in received}
    assert subjects == {"Nieuws uit de buurt: fietsles gezocht"}


def test_an_issue_left_as_assembled_is_wholly_in_each_readers_language(cast) -> None:
    _new_ads(cast.a)
    subscribed(cast.a, "nl@example.org", "nl")
    subscribed(cast.a, "en@example.org", "en")
    newsletter = draft(cast.a)
    assert newsletter.language == "nl" and newsletter.subject.startswith("Nieuwsbrief ")

    received = {m["To"]: m for m in send(cast.a, newsletter)}

    assert received["nl@example.org"]["Subject"] == newsletter.subject
    english = received["en@example.org"]
    assert english["Subject"].startswith(f"Newsletter {cast.a.neighbourhood.name}, ")
    english_text, _html = _bodies(english)
    assert "What neighbours asked for and offered this month." in english_text
    assert "Wat buren" not in english_text


def test_a_draft_left_as_it_is_on_the_page_still_follows_each_reader(cast) -> None:
    # The browser sends the contact lines back with CRLF; nothing was changed.
    _new_ads(cast.a)
    subscribed(cast.a, "en@example.org", "en")
    client = cast.a.client(cast.a.broker)
    edit = client.post("/broker/newsletters/")["Location"]
    page = client.get(edit)
    form = form_data(page.context["form"])
    form.update(contact=form["contact"].replace("\n", "\r\n"), action="send")
    confirm = client.post(edit, form)["Location"]  # saved; "Send now" on the confirmation
    assert client.post(confirm).status_code == 302
    mail.outbox.clear()
    work(cast.a, page.context["newsletter"])

    (english,) = mail.outbox
    assert "== New requests ==" in english.body and f"Phone: {PHONE}" in english.body
    assert english.subject.startswith("Newsletter ")


def test_the_web_version_and_the_archive_are_in_the_visitors_language(cast) -> None:
    _new_ads(cast.a)
    subscribed(cast.a, "nl@example.org", "nl")
    newsletter = draft(cast.a, intro="Fijn dat u meeleest.")
    send(cast.a, newsletter)
    visitor = Client(HTTP_HOST=cast.a.host)

    dutch = visitor.get(f"/newsletter/{newsletter.number}/", HTTP_ACCEPT_LANGUAGE="nl")
    english = visitor.get(f"/newsletter/{newsletter.number}/", HTTP_ACCEPT_LANGUAGE="en")

    assert dutch.status_code == english.status_code == 200
    dutch_page, english_page = dutch.content.decode(), english.content.decode()
    assert "<h2>Nieuwe vragen</h2>" in dutch_page and "Telefoon:" in dutch_page
    assert "<h2>New requests</h2>" in english_page and "Phone:" in english_page
    assert "Nieuwe vragen" not in english_page
    assert "Fijn dat u meeleest." in dutch_page and "Fijn dat u meeleest." in english_page
    archive = visitor.get("/newsletter/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Newsletter {cast.a.neighbourhood.name}, " in archive


def test_the_broker_previews_and_tests_the_mail_as_each_language_gets_it(cast) -> None:
    _new_ads(cast.a)
    newsletter = draft(cast.a)
    client = cast.a.client(cast.a.broker)
    base = f"/broker/newsletters/{newsletter.pk}/"
    english = client.get(base + "preview/?language=en").content.decode()
    dutch = client.get(base + "preview/?language=nl").content.decode()
    assert ">New requests</h2>" in english and ">Nieuwe vragen</h2>" in dutch
    web = client.get(base + "web/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h2>New requests</h2>" in web

    # the test mail is in the language of the page she pressed the button on
    form = form_data(client.get(base).context["form"])
    mail.outbox.clear()
    client.post(base, {**form, "action": "test"}, HTTP_ACCEPT_LANGUAGE="en")
    work(cast.a)
    (test_mail,) = mail.outbox
    assert "== New requests ==" in test_mail.body


def test_participants_get_it_in_the_language_they_chose_where_it_is_written_in_it(cast) -> None:
    _new_ads(cast.a)
    registered_readers(cast.a, ("Emma", "en"), ("Elif", "tr"))

    received = {m["To"]: m for m in send(cast.a, draft(cast.a))}

    assert "== New requests ==" in _bodies(received["emma@example.org"])[0]
    assert "== Nieuwe vragen ==" in _bodies(received["elif@example.org"])[0]  # no Turkish one


def test_a_draft_stored_before_headings_were_kept_still_renders_its_titles(cast) -> None:
    # A draft of a deployed neighbourhood, assembled before: titles only, in Dutch.
    _new_ads(cast.a)
    newsletter = draft(cast.a)
    with tenant_context(cast.a.neighbourhood):
        old = [
            {key: value for key, value in section.items() if key != "heading"}
            for section in newsletter.sections
        ]
        Newsletter.objects.filter(pk=newsletter.pk).update(sections=old)
        newsletter.refresh_from_db()
        english = rendering.render_newsletter(newsletter, "en")
    assert "== Nieuwe vragen ==" in english["text"]  # as stored: it cannot know better
    assert f"Phone: {PHONE}" in english["text"]  # the contact is recognised as the platform's
    page = cast.a.client(cast.a.broker).get(f"/broker/newsletters/{newsletter.pk}/")
    assert page.status_code == 200 and "Wie helpt met mijn fiets" in page.content.decode()


def test_the_api_keeps_the_heading_so_an_unchanged_title_still_follows_each_reader(cast) -> None:
    _new_ads(cast.a)
    client = cast.a.client(cast.a.broker)
    created = client.post("/api/v1/mailings/newsletters/").json()
    sections = created["sections"]
    assert sections[0]["heading"] == {"msgid": "New requests", "params": {}}
    sections[1]["title"] = "Aanbod van de buren"
    url = f"/api/v1/mailings/newsletters/{created['id']}/"
    patched = client.patch(url, {"sections": sections}, content_type="application/json")
    assert patched.status_code == 200
    with tenant_context(cast.a.neighbourhood):
        english = rendering.issue_in(Newsletter.objects.get(pk=created["id"]), "en")
    assert [s["title"] for s in english.sections][:2] == ["New requests", "Aanbod van de buren"]


def test_a_send_writes_each_language_once_whatever_the_number_of_recipients(cast) -> None:
    _new_ads(cast.a)
    for n in range(6):
        subscribed(cast.a, f"lezer{n}@example.org", "en" if n % 2 else "nl")
    newsletter = draft(cast.a)
    with mock.patch.object(
        rendering, "render_newsletter", wraps=rendering.render_newsletter
    ) as rendered:
        received = send(cast.a, newsletter)
    assert len(received) == 6
    assert sorted(call.args[1] for call in rendered.call_args_list) == sorted(
        subscriptions.LANGUAGES
    )
