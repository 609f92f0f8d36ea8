"""The broker's newsletter pages as a broker reads them: the list of issues and the
confirmation before an issue goes to every subscriber."""

from __future__ import annotations

import pytest
from django.utils.formats import date_format
from django.utils.translation import override
from django_tenants.utils import tenant_context

from tenants.mailings.models import NewsletterStatus
from tests.tenants.mailings.sending import (
    MONTH,
    draft,
    form_data,
    registered_readers,
    subscribed,
    work,
)

pytestmark = pytest.mark.django_db


def test_the_list_names_the_month_of_an_issue_not_its_first_day(cast) -> None:
    draft(cast.a, subject="Nieuws van de maand")
    page = cast.a.client(cast.a.broker).get("/broker/newsletters/")
    with override("nl"):
        month = date_format(MONTH, "YEAR_MONTH_FORMAT")  # "januari 2027"
        first_day = date_format(MONTH)  # "1 januari 2027"
    cell = f"<td>{month}</td>"
    assert cell in page.content.decode() and first_day not in page.content.decode()


def test_send_now_asks_first_how_many_get_it_in_which_languages(cast) -> None:
    newsletter = draft(cast.a, subject="Nieuws uit wijk A")
    subscribed(cast.a, "een@example.org", "nl")
    subscribed(cast.a, "twee@example.org", "nl")
    subscribed(cast.a, "three@example.org", "en")
    client = cast.a.client(cast.a.broker)
    edit = f"/broker/newsletters/{newsletter.pk}/"
    form = form_data(client.get(edit).context["form"])
    form.update(subject="Nieuws uit wijk A, herzien", action="send")
    # when: "Save and send now"
    asked = client.post(edit, form)
    # then: saved, nothing sent, and the confirmation says who gets it
    assert asked.status_code == 302 and asked["Location"] == edit + "send/"
    with tenant_context(cast.a.neighbourhood):
        newsletter.refresh_from_db()
        assert newsletter.subject == "Nieuws uit wijk A, herzien"
        assert newsletter.status == NewsletterStatus.DRAFT and newsletter.is_editable
    page = client.get(asked["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "It goes at once to 3 subscribers:" in page
    assert "2 in Dutch" in page and "1 in English" in page
    assert f'href="{edit}"' in page and "Back to editing" in page
    # when: "Send now"
    sent = client.post(asked["Location"])
    assert sent.status_code == 302 and sent["Location"].endswith("/mailing/")
    with tenant_context(cast.a.neighbourhood):
        newsletter.refresh_from_db()
        assert newsletter.status != NewsletterStatus.DRAFT
    # a second "Send now" (the back button) sends nothing again: it shows the mailing
    assert client.post(asked["Location"])["Location"].endswith("/mailing/")
    assert client.get(asked["Location"])["Location"].endswith("/mailing/")


def test_the_confirmation_counts_those_who_chose_it_at_registration_as_the_mailing_does(
    cast,
) -> None:
    newsletter = draft(cast.a, subject="Nieuws uit wijk A")
    subscribed(cast.a, "een@example.org", "nl")
    registered_readers(cast.a, ("Emma", "en"), ("Elif", "tr"))  # enrolled as it starts
    client = cast.a.client(cast.a.broker)
    confirm = f"/broker/newsletters/{newsletter.pk}/send/"
    page = client.get(confirm, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "It goes at once to 3 subscribers:" in page
    assert "2 in Dutch" in page and "1 in English" in page  # Turkish: the Dutch issue
    client.post(confirm)
    work(cast.a, newsletter)
    with tenant_context(cast.a.neighbourhood):
        newsletter.refresh_from_db()
        assert newsletter.recipients == 3
