"""No public page or public endpoint shows a participant's contact details.

The demo's participants (with e-mail addresses, phone numbers, street addresses, full names,
contact persons), ads and responses are loaded into neighbourhood A; then every page and
endpoint an anonymous visitor can reach about them is fetched, and none may contain any of
those details, in any of the forms they are typed in."""

from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context

from tenants.market.demo import add_demo_data as add_ads
from tenants.market.models import Ad, AdStatus
from tenants.organisations.demo import add_demo_data as add_organisations
from tenants.people.demo import add_demo_data as add_people
from tenants.people.models import Participant

pytestmark = pytest.mark.django_db


def _secrets(participant: Participant) -> set[str]:
    found = {
        participant.email,
        participant.street_address,
        participant.postal_code,
        participant.contact_person_email,
        participant.contact_person_phone,
        participant.phone,
        participant.phone[-7:],  # the local part, as it would stand in "030 123 4567"
    }
    if participant.full_name and participant.full_name != participant.display_name:
        found.add(participant.full_name)
    if participant.contact_person_name:
        found.add(participant.contact_person_name)
    return {secret for secret in found if len(secret) >= 5}


def _public_paths(ads: list[Ad], people: list[int]) -> list[str]:
    paths = ["/", "/ads/", "/ads/?page=2", "/ads/?kind=offer", "/api/v1/ads/"]
    paths += [f"/ads/{ad.pk}/" for ad in ads] + [f"/api/v1/ads/{ad.pk}/" for ad in ads]
    paths += [f"/ads/{ad.pk}/respond/" for ad in ads[:3]]
    paths += [f"/people/{pk}/" for pk in people] + [f"/api/v1/people/{pk}/" for pk in people]
    return paths


def test_no_public_page_or_endpoint_shows_contact_details(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        add_people(cast.a.neighbourhood)
        add_organisations(cast.a.neighbourhood)
        add_ads(cast.a.neighbourhood)
        participants = list(Participant.objects.all())
        ads = list(Ad.objects.filter(status=AdStatus.PUBLISHED).order_by("id"))
        secrets = set().union(*(_secrets(p) for p in participants))
        people = sorted({ad.participant_id for ad in ads})
    assert len(ads) >= 20 and len(secrets) >= 40  # the sweep has something to find

    visitor = cast.a.client()
    leaks = []
    for path in _public_paths(ads, people):
        response = visitor.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        leaks += [f"{path}: {secret!r}" for secret in secrets if secret in body]
    assert not leaks, "Contact details on public pages:\n" + "\n".join(leaks)

    # The same search finds them where they belong: the broker's page of an ad's owner.
    owner = next(p for p in participants if p.pk in people and p.email)
    staff_page = cast.a.client(cast.a.broker).get(f"/broker/participants/{owner.pk}/")
    assert owner.email in staff_page.content.decode()
