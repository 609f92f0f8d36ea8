"""The moderation queue and ads the broker places, edits, renews and closes for someone."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext
from django_tenants.utils import tenant_context

from tenants.audit.models import AuditEvent
from tenants.market.models import Ad, AdStatus, Category, Report
from tenants.market.services.ads import confirm_ad, place_ad
from tests.support.factories import participant

pytestmark = pytest.mark.django_db


def _resident_ad(title: str = "Hulp gezocht", **contact: str) -> Ad:
    return place_ad(
        participant=participant("Ans", **(contact or {"phone": "0612345678"})),
        kind="request",
        title=title,
        body="<script>alert(1)</script> Wie helpt mij met de tuin?",
        category=Category.objects.first(),
    )


def test_the_broker_approves_and_rejects_waiting_ads(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        first = _resident_ad("Eerste")
        second = _resident_ad("Tweede")
        assert first.status == second.status == AdStatus.AWAITING_APPROVAL
    client = cast.a.client(cast.a.broker)
    page = client.get("/broker/moderation/").content.decode()
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    assert client.post(f"/broker/moderation/ads/{first.pk}/approve/").status_code == 302
    client.post(f"/broker/moderation/ads/{second.pk}/reject/", {"reason": "Geen burenhulp"})
    with tenant_context(cast.a.neighbourhood):
        first.refresh_from_db()
        second.refresh_from_db()
        assert first.status == AdStatus.PUBLISHED and second.status == AdStatus.REJECTED
        assert second.rejection_reason == "Geen burenhulp"  # kept for colleagues
        assert {"ad.approved", "ad.rejected"} <= set(
            AuditEvent.objects.values_list("action", flat=True)
        )
    assert "Geen burenhulp" in client.get(f"/broker/ads/{second.pk}/edit/").content.decode()
    assert client.get(f"/ads/{second.pk}/").status_code == 404  # never public
    again = client.post(f"/broker/moderation/ads/{first.pk}/approve/", follow=True)
    assert again.status_code == 200  # not waiting any more: a message, no crash


def test_reports_are_kept_or_removed(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        kept = confirm_ad(ad=_resident_ad("Blijft", email="ans@example.org"))
        removed = confirm_ad(ad=_resident_ad("Weg", email="bert@example.org"))
        keep_report = Report.objects.create(ad=kept, reason="other", explanation="Twijfel")
        remove_report = Report.objects.create(ad=removed, reason="commercial")
    client = cast.a.client(cast.a.broker)
    page = client.get("/broker/moderation/").content.decode()
    assert "Twijfel" in page
    client.post(f"/broker/moderation/reports/{keep_report.pk}/", {"outcome": "kept"})
    api = client.post(
        f"/api/v1/moderation/reports/{remove_report.pk}/handle/",
        {"outcome": "removed"},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["outcome"] == "removed"
    with tenant_context(cast.a.neighbourhood):
        kept.refresh_from_db()
        removed.refresh_from_db()
        assert kept.status == AdStatus.PUBLISHED and removed.status == AdStatus.REJECTED
    assert client.get("/api/v1/moderation/reports/").json()["count"] == 0


def test_a_broker_places_an_ad_for_someone_without_email_and_it_is_live_at_once(cast) -> None:
    cast.a.neighbourhood.moderation = "before"  # even where the neighbourhood moderates first
    cast.a.neighbourhood.save(update_fields=["moderation"])
    with tenant_context(cast.a.neighbourhood):
        fatima = participant("Fatima", phone="0301234567")
        category = Category.objects.first()
    client = cast.a.client(cast.a.broker)
    form = {
        "kind": "offer",
        "title": "Ik lees voor",
        "body": "Voorlezen aan kinderen.",
        "category": category.pk,
    }
    response = client.post(f"/broker/participants/{fatima.pk}/ads/new/", form)
    assert response.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        ad = Ad.objects.get(participant=fatima)
        assert ad.status == AdStatus.PUBLISHED and ad.placed_by_broker == cast.a.broker.user
    edit = f"/broker/ads/{ad.pk}/edit/"
    shown = client.get(edit)
    with translation.override(shown["Content-Language"]):
        assert gettext("placed by the broker") in shown.content.decode()
    assert (
        client.post(
            edit, {"title": "Ik lees graag voor", "body": "Voorlezen.", "category": category.pk}
        ).status_code
        == 302
    )
    assert client.post(f"/broker/ads/{ad.pk}/renew/").status_code == 302
    assert client.post(f"/broker/ads/{ad.pk}/close/").status_code == 302
    with tenant_context(cast.a.neighbourhood):
        ad.refresh_from_db()
        assert ad.title == "Ik lees graag voor" and ad.status == AdStatus.CLOSED
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        assert {"ad.placed_for", "ad.edited_for", "ad.renewed_for", "ad.closed_for"} <= actions
    # An empty title is refused with a reason, and nothing is placed.
    bad = client.post(f"/broker/participants/{fatima.pk}/ads/new/", {**form, "title": ""})
    assert bad.status_code == 400 and "title" in bad.context["form"].errors


def test_the_api_places_and_changes_ads_on_behalf(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        fatima = participant("Fatima", phone="0301234567")
        category = Category.objects.first()
    client = cast.a.client(cast.a.broker)
    created = client.post(
        "/api/v1/broker-ads/",
        {
            "participant": fatima.pk,
            "kind": "request",
            "title": "Hulp bij de computer",
            "body": "Wie helpt met e-mail?",
            "category": category.pk,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    ad = created.json()
    assert ad["status"] == "published" and ad["placed_by_broker"] is True
    changed = client.patch(
        f"/api/v1/broker-ads/{ad['id']}/",
        {"title": "Hulp met e-mail"},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["title"] == "Hulp met e-mail"
    assert client.post(f"/api/v1/broker-ads/{ad['id']}/renew/").status_code == 200
    assert client.post(f"/api/v1/broker-ads/{ad['id']}/close/").json()["status"] == "closed"
    refused = client.post(f"/api/v1/broker-ads/{ad['id']}/renew/")
    assert refused.status_code == 400
    missing = client.post(
        "/api/v1/broker-ads/", {"participant": fatima.pk}, content_type="application/json"
    )
    assert missing.status_code == 400 and "title" in missing.json()


def test_a_broker_places_a_vacancy_for_an_organisations_member_only(cast) -> None:
    from tenants.organisations.services import add_organisation_member, create_organisation

    with tenant_context(cast.a.neighbourhood):
        karin = participant("Karin", email="karin@basisschool.test")
        piet = participant("Piet", phone="0612345678")
        school = create_organisation(by=cast.a.broker.user, name="Basisschool De Linde")
        add_organisation_member(organisation=school, participant=karin, by=cast.a.broker.user)
        category = Category.objects.first()
    client = cast.a.client(cast.a.broker)
    vacancy = {
        "kind": "vacancy",
        "title": "Voorleesouders gezocht",
        "body": "Op vrijdagochtend in groep 3.",
        "category": category.pk,
    }
    # Without choosing the organisation it is refused; Piet, no member, is not offered one.
    refused = client.post(f"/broker/participants/{karin.pk}/ads/new/", vacancy)
    assert refused.status_code == 400 and "organisation" in refused.context["form"].errors
    assert (
        "organisation"
        not in client.get(f"/broker/participants/{piet.pk}/ads/new/").context["form"].fields
    )
    placed = client.post(
        f"/broker/participants/{karin.pk}/ads/new/", {**vacancy, "organisation": school.pk}
    )
    assert placed.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        ad = Ad.objects.get(kind="vacancy")
        assert (ad.organisation, ad.participant, ad.status) == (school, karin, AdStatus.PUBLISHED)


@pytest.mark.parametrize("ad_id", ["abc", "1.5", "-1", "99999999999999999999999"])
def test_moderating_an_ad_by_an_id_that_names_none_answers_404(cast, ad_id: str) -> None:
    client = cast.a.client(cast.a.broker)
    for action in ("approve", "reject"):
        answer = client.post(f"/api/v1/moderation/ads/{ad_id}/{action}/", {})
        assert answer.status_code == 404


@pytest.mark.parametrize("report_id", ["abc", "99999999999999999999999"])
def test_handling_a_report_by_an_id_that_names_none_answers_404(cast, report_id: str) -> None:
    answer = cast.a.client(cast.a.broker).post(
        f"/api/v1/moderation/reports/{report_id}/handle/",
        {"outcome": "kept"},
        content_type="application/json",
    )
    assert answer.status_code == 404


def test_a_handled_report_answers_the_same_404_as_a_missing_one(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = confirm_ad(ad=_resident_ad("Al bekeken", email="ans@example.org"))
        report = Report.objects.create(ad=ad, reason="other")
    client = cast.a.client(cast.a.broker)
    url = f"/api/v1/moderation/reports/{report.pk}/handle/"
    body = {"outcome": "kept"}
    assert client.post(url, body, content_type="application/json").status_code == 200
    again = client.post(url, body, content_type="application/json")
    missing = client.post(
        f"/api/v1/moderation/reports/{report.pk + 1000}/handle/",
        body,
        content_type="application/json",
    )
    assert again.status_code == missing.status_code == 404
    assert again.content == missing.content
