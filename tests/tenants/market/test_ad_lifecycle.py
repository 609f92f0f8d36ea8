"""The life of an ad through its services: confirmation, moderation, renewal, reports."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import tenant_context

from tenants.market.models import Ad, AdStatus, Category, Report
from tenants.market.services.ads import close_ad, confirm_ad, place_ad, renew_ad
from tenants.market.services.moderation import approve_ad, handle_report
from tenants.people.services.participants import participant_for_contact

pytestmark = pytest.mark.django_db


def _place(email: str = "ans@example.org", phone: str = "", **extra: object) -> Ad:
    participant = participant_for_contact(display_name="Ans", email=email, phone=phone)
    values = {
        "kind": "offer",
        "title": "Ik help met de tuin",
        "body": "Snoeien en harken, op zaterdag.",
        "category": Category.objects.get(slug="tuin"),
    }
    values.update(extra)
    return place_ad(participant=participant, **values)  # type: ignore[arg-type]


def test_a_residents_ad_waits_for_its_link_then_goes_live(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = _place()
        assert ad.status == AdStatus.UNCONFIRMED and ad.published_at is None
        ad = confirm_ad(ad=ad)
        assert ad.status == AdStatus.PUBLISHED
        assert ad.expires_at is not None and (ad.expires_at - ad.published_at).days == 8 * 7
        assert Ad.objects.filter(pk=ad.pk, search_vector__isnull=False).exists()


def test_moderation_first_holds_a_confirmed_ad_for_the_broker(cast) -> None:
    cast.b.neighbourhood.moderation = "before"
    cast.b.neighbourhood.save(update_fields=["moderation"])
    with tenant_context(cast.b.neighbourhood):
        ad = confirm_ad(ad=_place())
        assert ad.status == AdStatus.AWAITING_APPROVAL
        ad = approve_ad(ad=ad, by=cast.b.broker.user)
        assert ad.status == AdStatus.PUBLISHED


def test_an_ad_with_only_a_phone_number_needs_the_broker(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = _place(email="", phone="06 1234 5678")
        assert ad.status == AdStatus.AWAITING_APPROVAL
        assert ad.participant.phone == "0612345678"


def test_empty_fields_are_refused_and_nothing_is_stored(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        with pytest.raises(ValidationError) as error:
            _place(title="  ", body="")
        assert {"title", "body"} <= set(error.value.message_dict)
        assert not Ad.objects.exists()


def test_a_closed_ad_cannot_be_renewed_and_a_removed_report_rejects_it(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = confirm_ad(ad=_place())
        renewed = renew_ad(ad=ad)
        assert renewed.expires_at >= ad.expires_at
        report = Report.objects.create(ad=ad, reason="commercial")
        handle_report(report=report, outcome="removed", by=cast.a.broker.user)
        ad.refresh_from_db()
        assert ad.status == AdStatus.REJECTED
        close_ad(ad=ad)
        with pytest.raises(ValidationError):
            renew_ad(ad=ad)


def test_an_erased_participants_expired_ad_cannot_come_back(cast) -> None:
    from tenants.market.services.ads import expire_ads
    from tenants.people.models import Participant

    with tenant_context(cast.a.neighbourhood):
        ad = confirm_ad(ad=_place())
        Ad.objects.filter(pk=ad.pk).update(expires_at=ad.published_at)
        expire_ads()
        Participant.objects.filter(pk=ad.participant_id).update(erased_at=ad.published_at)
        ad.refresh_from_db()
        with pytest.raises(ValidationError):
            renew_ad(ad=ad, by=cast.a.broker.user)


def test_an_ad_past_its_end_leaves_the_site_before_the_hourly_expiry_runs(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = confirm_ad(ad=_place())
        Ad.objects.filter(pk=ad.pk).update(expires_at=ad.published_at)  # ended, still "published"
    visitor = cast.a.client()
    assert visitor.get(f"/ads/{ad.pk}/").status_code == 404
    assert visitor.get(f"/ads/{ad.pk}/respond/").status_code == 404
    assert "Ik help met de tuin" not in visitor.get("/ads/").content.decode()
