"""The admin's categories and sub-areas, vacancies for organisation members, expiry and
renewal reminders."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.market.models import Ad, AdStatus, Category
from tenants.market.services.lists import add_sub_area
from tenants.market.tasks import expire_ads, send_renewal_reminders
from tenants.organisations.models import Organisation
from tenants.outbox.models import OutboxMessage
from tenants.people.models import HeldMessage
from tenants.people.services.participants import participant_for_contact
from tenants.people.sessions import SESSION_KEY
from tests.support.factories import published_ad

pytestmark = pytest.mark.django_db

PAGES = ["/manage/categories/", "/manage/sub-areas/"]


@pytest.mark.parametrize("page", PAGES)
def test_only_the_admin_keeps_the_lists(cast, page: str) -> None:
    assert cast.a.client(cast.a.admin).get(page).status_code == 200
    assert cast.a.client(cast.a.broker).get(page).status_code == 403
    assert cast.a.client(cast.a.resident).get(page).status_code == 403
    assert cast.a.client().get(page).status_code == 302


def test_the_admin_adds_renames_reorders_and_retires_a_category(cast) -> None:
    admin = cast.a.client(cast.a.admin)
    with tenant_context(cast.a.neighbourhood):
        assert admin.post("/manage/categories/", {"name": "Koken"}).status_code == 302
        category = Category.objects.get(name="Koken")
        assert admin.post("/manage/categories/", {"name": "koken"}).status_code == 400
        response = admin.post(
            f"/manage/categories/{category.pk}/", {"name": "Koken en bakken", "position": 0}
        )
        assert response.status_code == 302
        category.refresh_from_db()
        assert (category.name, category.position, category.is_active) == (
            "Koken en bakken",
            0,
            False,
        )
        assert f'value="{category.pk}"' not in cast.a.client().get("/ads/new/").content.decode()
    assert "Koken" not in cast.b.client(cast.b.admin).get("/manage/categories/").content.decode()


def test_a_sub_area_in_use_cannot_be_deleted_an_unused_one_can(cast) -> None:
    admin = cast.a.client(cast.a.admin)
    with tenant_context(cast.a.neighbourhood):
        admin.post("/manage/sub-areas/", {"name": "Lunetten"})
        admin.post("/manage/sub-areas/", {"name": "Tolsteeg"})
        used = add_sub_area(name="Hoograven", by=cast.a.admin.user)
        published_ad(sub_area=used)
        admin.post(f"/manage/sub-areas/{used.pk}/", {"action": "delete"})
        assert used.__class__.objects.filter(pk=used.pk).exists()
        unused = used.__class__.objects.get(name="Tolsteeg")
        admin.post(f"/manage/sub-areas/{unused.pk}/", {"action": "delete"})
        assert not used.__class__.objects.filter(pk=unused.pk).exists()
        admin.post(f"/manage/sub-areas/{used.pk}/", {"name": "Hoograven-Zuid", "position": 1})
        used.refresh_from_db()
        assert used.name == "Hoograven-Zuid"


def test_only_organisation_members_may_place_a_vacancy(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        member = participant_for_contact(display_name="Piet", email="piet@school.example")
        member.email_confirmed_at = timezone.now()
        member.save()
        school = Organisation.objects.create(name="Basisschool De Regenboog")
        school.members.add(member)
        client = cast.a.client()
        session = client.session
        session[SESSION_KEY] = member.pk
        session.save()
        form = client.get("/ads/new/").content.decode()
        assert 'value="vacancy"' in form and "De Regenboog" in form
        data = {
            "kind": "vacancy",
            "title": "Voorleesouder gezocht",
            "body": "Elke vrijdag.",
            "category": Category.objects.get(slug="kinderen-en-huiswerk").pk,
            "organisation": school.pk,
        }
        assert client.post("/ads/new/", data).status_code == 302
        ad = Ad.objects.get(kind="vacancy")
        assert ad.organisation == school and ad.status == AdStatus.PUBLISHED
        outsider = cast.a.client()
        assert 'value="vacancy"' not in outsider.get("/ads/new/").content.decode()
        data.update(display_name="X", email="x@example.org")
        assert outsider.post("/ads/new/", data).status_code == 400


def test_expiry_and_one_renewal_reminder_a_week_before(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        soon = published_ad(title="Bijna verlopen")
        offline = published_ad(
            title="Zonder mail", email="", phone="0301234567", placed_by_broker=cast.a.broker.user
        )
        late = published_ad(title="Verlopen", email="laat@example.org")
        now = timezone.now()
        Ad.objects.filter(pk__in=[soon.pk, offline.pk]).update(
            expires_at=now + datetime.timedelta(days=5)
        )
        Ad.objects.filter(pk=late.pk).update(expires_at=now - datetime.timedelta(minutes=1))
        assert expire_ads() == 1
        assert Ad.objects.get(pk=late.pk).status == AdStatus.EXPIRED
        assert send_renewal_reminders() == 2
        assert send_renewal_reminders() == 0  # once
        mail = OutboxMessage.objects.get(purpose="market.renewal")
        assert "/ads/sign-in/" in mail.body and "Bijna verlopen" in mail.body
        assert HeldMessage.objects.filter(participant=offline.participant).count() == 1


def test_the_demo_data_publishes_a_realistic_set_of_ads(cast) -> None:
    from tenants.market.demo import add_demo_data

    with tenant_context(cast.b.neighbourhood):
        add_demo_data(cast.b.neighbourhood)
        published = Ad.objects.filter(status=AdStatus.PUBLISHED)
        assert published.count() >= 28
        assert published.filter(placed_by_broker__isnull=False).exists()
        assert {"request", "offer"} <= set(published.values_list("kind", flat=True))
        assert published.values("category").distinct().count() >= 8
        html = cast.b.client().get("/ads/").content.decode()
        assert "Bijles Duits" in html or "page=2" in html
