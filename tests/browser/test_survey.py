"""A participant answers the survey on a 375 px phone, from the link in the mail, without
logging in: no sideways scrolling, axe-core clean, and the link says "already answered" after."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context
from playwright.sync_api import Page, expect

from tenants.surveys.models import Occasion, SurveyAnswer
from tenants.surveys.services.invitations import invite
from tests.browser.support import BrowserCast, assert_accessible, in_dutch
from tests.support.factories import participant
from tests.support.live_server import LiveSite
from tests.support.outbox import link_in, mails_to
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PERSON = "survey.phone@example.org"


@pytest.fixture(scope="module")
def survey_path(browser_cast: BrowserCast, django_db_blocker: Any) -> str:
    """The link mailed to a participant of the Utrecht copy, committed for the server thread."""
    with django_db_blocker.unblock():
        site = browser_cast.utrecht
        with tenant_context(Neighbourhood.objects.get(slug=site.slug)):
            person = participant("Fatima", email=PERSON)
            invite(
                participant=person,
                occasion=Occasion.ANNUAL,
                round="year:phone",
                today=timezone.localdate(),
            )
            [mail] = mails_to(PERSON, purpose="survey")
            return link_in(mail.body, "/survey/")


def test_a_participant_answers_the_survey_on_a_phone(
    page: Page, live_site: LiveSite, browser_cast: BrowserCast, survey_path: str
) -> None:
    site = browser_cast.utrecht
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_site.url(site.host, survey_path))
    expect(page.get_by_role("heading", level=1)).to_have_text(in_dutch("Five short questions"))
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    assert_accessible(page, "the survey on a phone")

    exchange = page.get_by_role(
        "group", name=in_dutch("Are you satisfied with the help you gave or got?")
    )
    exchange.get_by_label(in_dutch("Yes")).check()
    page.get_by_role(
        "group", name=in_dutch("How many neighbours did you get to know through it?")
    ).get_by_label(in_dutch("Two or more")).check()
    page.get_by_label(in_dutch("Anything you want to add?")).fill(
        "Leuk om de buren te leren kennen."
    )
    page.get_by_role("button", name=in_dutch("Send my answers")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(in_dutch("Thank you"))
    assert_accessible(page, "the thanks after the survey")

    page.goto(live_site.url(site.host, survey_path))
    expect(page.get_by_role("heading", level=1)).to_have_text(in_dutch("Already answered"))
    with tenant_context(Neighbourhood.objects.get(slug=site.slug)):
        answer = SurveyAnswer.objects.get(remark="Leuk om de buren te leren kennen.")
        assert (answer.satisfied_exchange, answer.neighbours, answer.satisfied_broker) == (
            True,
            2,
            None,
        )
