"""The broker's mediation pages: who may see them, what they show, bad input, query counts."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.mediations import services
from tenants.mediations.models import FollowUp, Mediation, Placement
from tenants.organisations.services import create_organisation
from tests.support.factories import broker_ad

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
PAGES = [
    "/broker/mediations/",
    "/broker/mediations/new/",
    "/broker/mediations/follow-ups/",
    "/broker/mediations/suggest/",
    "/broker/mediations/placements/",
]


def _mediation(place, requester, provider, **fields):  # type: ignore[no-untyped-def]
    with tenant_context(place.neighbourhood):
        return services.start_mediation(
            requester=requester,
            provider=provider,
            active=fields.pop("active", True),
            created_by=place.broker.user,
            **fields,
        )


@pytest.mark.parametrize("page", PAGES)
def test_only_staff_reach_the_mediation_pages(cast, world, organisation_member, page) -> None:
    assert cast.a.client(cast.a.broker).get(page).status_code == 200
    assert cast.a.client(cast.a.admin).get(page).status_code == 200
    assert cast.a.client(cast.a.resident).get(page).status_code == 403
    assert cast.a.client(organisation_member).get(page).status_code == 403
    assert cast.a.client().get(page).status_code == 302  # to the login page


def test_another_neighbourhoods_broker_gets_nothing(cast, world) -> None:
    mediation = _mediation(cast.a, world.ann, world.bert)
    response = cast.b.client(cast.b.broker).get(f"/broker/mediations/{mediation.pk}/")
    assert response.status_code == 404
    listing = cast.b.client(cast.b.broker).get("/broker/mediations/")
    assert b"Ann" not in listing.content


def test_the_list_filters_and_marks_mediations_found_via_the_site(cast, world) -> None:
    today = timezone.localdate()
    _mediation(cast.a, world.ann, world.bert, started_on=today - 40 * DAY)
    _mediation(cast.a, world.carla, world.bert, active=False, started_on=today - 2 * DAY)
    client = cast.a.client(cast.a.broker)
    everything = client.get("/broker/mediations/").content.decode()
    assert "Ann" in everything and "Carla" in everything
    assert "via de site" in everything or "via the site" in everything
    assert f"/broker/participants/{world.ann.pk}/" in everything
    for query, shown, hidden in [
        ("active=no", "Carla", "Ann"),
        ("active=yes", "Ann", "Carla"),
        (f"started_from={today - 7 * DAY}", "Carla", "Ann"),
        (f"participant={world.ann.pk}", "Ann", "Carla"),
        ("status=match", None, "Carla"),
    ]:
        content = client.get(f"/broker/mediations/?{query}").content.decode()
        assert (shown is None or shown in content) and f">{hidden}<" not in content, query


def _queries_for_few_and_many(cast, path: str, add: Any) -> list[int]:  # type: ignore[no-untyped-def]
    """The queries of `path` after `add(label)` ran once, and after it ran 15 times more."""
    client = cast.a.client(cast.a.broker)
    client.get(path)  # the host lookup is cached from here on
    counts = []
    for extra in (1, 15):
        with tenant_context(cast.a.neighbourhood):
            for index in range(extra):
                add(f"{len(counts)}-{index}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts.append(len(queries))
    return counts


def test_the_list_takes_the_same_queries_for_few_and_many(cast, world) -> None:
    def add(label: str) -> None:
        other = world.participant(f"Buur {label}")
        ad = world.ad(other, "offer", "Hulp", "Ik help")
        services.start_mediation(requester=world.ann, provider=other, ads=[ad], active=True)

    counts = _queries_for_few_and_many(cast, "/broker/mediations/", add)
    assert counts[0] == counts[1]


def test_the_detail_page_shows_both_sides_follow_ups_and_changes_status(cast, world) -> None:
    today = timezone.localdate()
    mediation = _mediation(cast.a, world.ann, world.bert, started_on=today - 5 * DAY)
    client = cast.a.client(cast.a.broker)
    page = client.get(f"/broker/mediations/{mediation.pk}/").content.decode()
    assert f'href="/broker/participants/{world.bert.pk}/"' in page
    assert page.count("follow-ups/") >= 2  # a done button per open follow-up
    for data, field in [
        ({"status": "match", "ended_on": str(today - 6 * DAY)}, "ended_on"),  # before the start
        ({"status": "match", "ended_on": str(today + DAY)}, "ended_on"),  # in the future
        ({"status": "open"}, "status"),  # not offered: open cannot become open
        ({"status": "no_match"}, "reason"),  # ending without a match needs a reason
        ({"status": "cancelled", "reason": " "}, "reason"),
    ]:
        response = client.post(f"/broker/mediations/{mediation.pk}/", {"action": "status", **data})
        assert response.status_code == 400
        assert f'id="id_{field}_errors"' in response.content.decode()
    response = client.post(
        f"/broker/mediations/{mediation.pk}/",
        {"action": "status", "status": "no_match", "reason": "Geen klik"},
    )
    assert response.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        mediation.refresh_from_db()
    assert (mediation.status, mediation.reason, mediation.ended_on) == (
        "no_match",
        "Geen klik",
        today,
    )
    reopened = client.post(
        f"/broker/mediations/{mediation.pk}/", {"action": "status", "status": "open"}
    )
    assert reopened.status_code == 302


def test_a_broker_marks_a_mediation_found_via_the_site_as_supported(cast, world) -> None:
    mediation = _mediation(cast.a, world.ann, world.bert, active=False)
    client = cast.a.client(cast.a.broker)
    assert b'value="support"' in client.get(f"/broker/mediations/{mediation.pk}/").content
    client.post(f"/broker/mediations/{mediation.pk}/", {"action": "support"})
    with tenant_context(cast.a.neighbourhood):
        mediation.refresh_from_db()
        broker_follow_ups = mediation.follow_ups.filter(kind="broker").count()
    assert mediation.active and broker_follow_ups == 2


def test_recording_a_mediation_offers_the_open_ads_of_both_sides(cast, world) -> None:
    with tenant_context(cast.a.neighbourhood):
        request = world.ad(world.ann, "request", "Gezelschap", "Wie gaat mee wandelen?")
        offer = world.ad(world.bert, "offer", "Wandelen", "Ik wandel graag")
        closed = world.ad(world.bert, "offer", "Oud aanbod", "Weg", status="closed")
        other = world.ad(world.carla, "offer", "Strijken", "Ik strijk")
    client = cast.a.client(cast.a.broker)
    form = client.get(
        f"/broker/mediations/new/?requester={world.ann.pk}&provider={world.bert.pk}"
        f"&ads={request.pk}&ads={offer.pk}"
    ).content.decode()
    assert "Gezelschap" in form and "Wandelen" in form
    assert "Oud aanbod" not in form and "Strijken" not in form
    assert form.count("checked") >= 2
    shown = client.post(
        "/broker/mediations/new/",
        {"requester": world.ann.pk, "provider": world.carla.pk, "show_ads": "1"},
    ).content.decode()
    assert "Strijken" in shown and not Mediation.objects.exists()
    today = timezone.localdate()
    bad = client.post(
        "/broker/mediations/new/",
        {"requester": world.ann.pk, "provider": world.ann.pk, "started_on": str(today)},
    )
    assert bad.status_code == 400 and b'class="errorlist"' in bad.content
    future = client.post(
        "/broker/mediations/new/",
        {"requester": world.ann.pk, "provider": world.bert.pk, "started_on": str(today + DAY)},
    )
    assert future.status_code == 400
    response = client.post(
        "/broker/mediations/new/",
        {
            "requester": world.ann.pk,
            "provider": world.bert.pk,
            "ads": [request.pk, offer.pk],
            "started_on": str(today),
        },
    )
    assert response.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        mediation = Mediation.objects.get()
        assert set(mediation.ads.all()) == {request, offer}
        assert mediation.active and mediation.created_by_id == cast.a.broker.user.pk
    assert closed.pk and other.pk


def test_follow_ups_due_are_listed_and_ticked_off(cast, world) -> None:
    today = timezone.localdate()
    mediation = _mediation(cast.a, world.ann, world.bert, started_on=today - 15 * DAY)
    _mediation(cast.a, world.carla, world.bert, started_on=today - 2 * DAY)  # not yet due
    client = cast.a.client(cast.a.broker)
    page = client.get("/broker/mediations/follow-ups/").content.decode()
    assert "Ann" in page and ">Carla<" not in page
    with tenant_context(cast.a.neighbourhood):
        due = FollowUp.objects.get(mediation=mediation, due_on__lte=today)
    response = client.post(
        f"/broker/mediations/follow-ups/{due.pk}/done/",
        {"note": "Gebeld, gaat goed", "next": "/broker/mediations/follow-ups/"},
    )
    assert response.status_code == 302 and response["Location"] == "/broker/mediations/follow-ups/"
    evil = client.post(
        f"/broker/mediations/follow-ups/{due.pk}/done/", {"next": "https://evil.test/"}
    )
    assert evil.status_code == 404  # already done: no longer open
    with tenant_context(cast.a.neighbourhood):
        due.refresh_from_db()
    assert due.note == "Gebeld, gaat goed" and due.done_at is not None
    assert ">Ann<" not in client.get("/broker/mediations/follow-ups/").content.decode()


@pytest.mark.parametrize("target", ["https://evil.test/", "abc", "mediations:follow-ups"])
def test_the_done_form_never_redirects_elsewhere(cast, world, target: str) -> None:
    # A bare word is no path: redirect() would take it for a URL name (a 500, or a jump).
    mediation = _mediation(cast.a, world.ann, world.bert)
    with tenant_context(cast.a.neighbourhood):
        follow_up = mediation.follow_ups.first()
    client = cast.a.client(cast.a.broker)
    client.raise_request_exception = False
    response = client.post(f"/broker/mediations/follow-ups/{follow_up.pk}/done/", {"next": target})
    assert response["Location"] == f"/broker/mediations/{mediation.pk}/"


def test_suggestions_page_offers_a_prefilled_mediation_per_suggestion(cast, world) -> None:
    with tenant_context(cast.a.neighbourhood):
        request = world.ad(
            world.ann, "request", "Tuin snoeien", "Wie snoeit mijn heg?", category=world.garden
        )
        offer = world.ad(world.bert, "offer", "Tuinhulp", "Ik snoei heggen", category=world.garden)
        world.ad(world.ann, "offer", "Mijn eigen tuin", "snoeien", category=world.garden)
    client = cast.a.client(cast.a.broker)
    page = client.get(f"/broker/mediations/suggest/?ad={request.pk}").content.decode()
    assert "Tuinhulp" in page and "Mijn eigen tuin" not in page
    assert (
        f"/broker/mediations/new/?requester={world.ann.pk}&amp;provider={world.bert.pk}"
        f"&amp;ads={request.pk}&amp;ads={offer.pk}"
    ) in page
    assert client.get("/broker/mediations/suggest/?ad=999999").status_code == 404
    # From Ann's page: her requests (not her offer), which stay listed once one is chosen
    suggest = f"/broker/mediations/suggest/?participant={world.ann.pk}"
    listing = client.get(suggest).content.decode()
    assert "Tuin snoeien" in listing and "Mijn eigen tuin" not in listing
    chosen = f"?participant={world.ann.pk}&amp;ad={request.pk}"
    assert f'href="{chosen}"' in listing
    page = client.get(suggest + f"&ad={request.pk}").content.decode()
    assert f'href="{chosen}" aria-current="true">Tuin snoeien<' in page and "Tuinhulp" in page
    assert f'<input type="hidden" name="participant" value="{world.ann.pk}">' in page
    # Someone without requests is told so; an unknown participant is a 404, not a blank page
    bert = client.get(f"/broker/mediations/suggest/?participant={world.bert.pk}").content
    assert b"heeft geen open vragen" in bert
    assert client.get("/broker/mediations/suggest/?participant=999999").status_code == 404
    assert client.get("/broker/mediations/suggest/?participant=x").status_code == 404


def test_placements_are_recorded_listed_and_ended(cast, world) -> None:
    client = cast.a.client(cast.a.broker)
    today = timezone.localdate()
    future = client.post(
        "/broker/mediations/placements/",
        {
            "participant": world.carla.pk,
            "organisation": world.school.pk,
            "started_on": str(today + DAY),
        },
    )
    assert future.status_code == 400
    response = client.post(
        "/broker/mediations/placements/",
        {"participant": world.carla.pk, "organisation": world.school.pk, "started_on": str(today)},
    )
    assert response.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        placement = Placement.objects.get()
    assert (
        "<td>Basisschool De Boomgaard</td>"
        in client.get("/broker/mediations/placements/").content.decode()
    )
    ended = client.post(f"/broker/mediations/placements/{placement.pk}/end/", {"ended_on": ""})
    assert ended.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        placement.refresh_from_db()
    assert placement.ended_on == today
    current = client.get("/broker/mediations/placements/?current=1").content.decode()
    assert "<td>Basisschool De Boomgaard</td>" not in current


def test_follow_ups_and_detail_pages_take_the_same_queries_for_few_and_many(cast, world) -> None:
    today = timezone.localdate()
    client = cast.a.client(cast.a.broker)
    client.get("/broker/mediations/follow-ups/")
    counts: dict[str, list[int]] = {"due": [], "detail": []}
    for extra, weeks in [(1, [2]), (12, [1, 2, 3, 4, 5])]:
        cast.a.neighbourhood.follow_up_weeks = weeks  # in memory; reset after the test
        with tenant_context(cast.a.neighbourhood):
            ads = [world.ad(world.ann, "request", f"Vraag {i}", "Graag") for i in range(extra)]
            mediation = services.start_mediation(
                requester=world.ann, provider=world.bert, ads=ads, active=True
            )
            for index in range(extra):
                services.start_mediation(
                    requester=world.participant(f"Buur {extra}-{index}"),
                    provider=world.bert,
                    active=True,
                    started_on=today - 50 * DAY,
                )
        for name, page in [
            ("due", "/broker/mediations/follow-ups/"),
            ("detail", f"/broker/mediations/{mediation.pk}/"),
        ]:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(page).status_code == 200
            counts[name].append(len(queries))
    assert counts["due"][0] == counts["due"][1]
    assert counts["detail"][0] == counts["detail"][1]


def test_the_follow_ups_list_shows_the_coming_week_on_request(cast, world) -> None:
    today = timezone.localdate()
    _mediation(cast.a, world.ann, world.bert, started_on=today - 15 * DAY)  # overdue
    _mediation(cast.a, world.carla, world.bert, started_on=today - 10 * DAY)  # due in 4 days
    client = cast.a.client(cast.a.broker)
    due_now = client.get("/broker/mediations/follow-ups/").content.decode()
    assert ">Ann<" in due_now and ">Carla<" not in due_now
    assert 'href="/broker/mediations/follow-ups/?until=week"' in due_now
    week = client.get("/broker/mediations/follow-ups/?until=week").content.decode()
    assert ">Ann<" in week and ">Carla<" in week
    assert 'href="/broker/mediations/follow-ups/"' in week
    assert 'name="next" value="/broker/mediations/follow-ups/?until=week"' in week


def _submit_buttons(html: str) -> list[str]:
    """The submit buttons, in document order, of the page's form with a participant picker."""
    picker = html.index('class="participant-picker"')
    form = html[html.rindex("<form", 0, picker) :]
    form = form[: form.index("</form>")]
    return re.findall(r"<button[^>]*>", form)


def test_enter_and_the_first_button_record_the_mediation_with_the_suggested_ads(
    cast, world
) -> None:
    with tenant_context(cast.a.neighbourhood):
        request = world.ad(world.ann, "request", "Gezelschap", "Wie gaat mee wandelen?")
        offer = world.ad(world.bert, "offer", "Wandelen", "Ik wandel graag")
        world.ad(world.bert, "offer", "Strijken", "Ik strijk")
    client = cast.a.client(cast.a.broker)
    page = client.get(
        f"/broker/mediations/new/?requester={world.ann.pk}&provider={world.bert.pk}"
        f"&ads={request.pk}&ads={offer.pk}"
    ).content.decode()
    # Enter presses the form's first submit button: the save, which has no name (no lookup).
    buttons = _submit_buttons(page)
    assert "name=" not in buttons[0] and 'name="lookup"' in buttons[1]
    visible = [b for b in buttons if "visually-hidden" not in b and "lookup" not in b]
    assert "name=" not in visible[0] and 'name="show_ads"' in visible[1]
    ticked = set(re.findall(r'name="ads" value="(\d+)"[^>]*checked', page))
    assert ticked == {str(request.pk), str(offer.pk)}
    today = timezone.localdate()
    assert f'name="started_on" value="{today.isoformat()}"' in page
    # What a browser sends on Enter: the fields as shown, no button name.
    response = client.post(
        "/broker/mediations/new/",
        {
            "requester": world.ann.pk,
            "provider": world.bert.pk,
            "ads": sorted(ticked),
            "started_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        mediation = Mediation.objects.get()
        assert set(mediation.ads.all()) == {request, offer} and mediation.started_on == today


def test_the_placement_form_saves_on_enter_too(cast, world) -> None:
    page = cast.a.client(cast.a.broker).get("/broker/mediations/placements/").content.decode()
    assert "name=" not in _submit_buttons(page)[0]


def test_the_placements_page_takes_the_same_queries_for_few_and_many(cast, world) -> None:
    def add(label: str) -> None:
        place = create_organisation(by=None, name=f"Club {label}")
        vacancy = broker_ad(
            world.carla, "vacancy", f"Vacature {label}", "Help mee", organisation=place
        )
        services.record_placement(
            participant=world.participant(f"Vrijwilliger {label}"),
            organisation=place,
            vacancy=vacancy,
            by=None,
        )

    counts = _queries_for_few_and_many(cast, "/broker/mediations/placements/", add)
    assert counts[0] == counts[1]
