"""Reporting an ad: stored for the broker's moderation queue, once per session, with the
same honeypot and limits as responding."""

from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context

from tenants.market.models import Report
from tenants.market.services.ads import close_ad
from tests.support.factories import published_ad

pytestmark = pytest.mark.django_db


def test_a_report_is_stored_once_per_session(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad()
    client = cast.a.client()
    page = client.get(f"/ads/{ad.pk}/report/")
    assert page.status_code == 200 and 'type="radio"' in page.content.decode()
    data = {"reason": "commercial", "explanation": "Vraagt €20 per uur.", "website": ""}
    answer = client.post(f"/ads/{ad.pk}/report/", data)
    assert answer.status_code == 302 and answer["Location"] == f"/ads/{ad.pk}/report/sent/"
    assert client.get(answer["Location"]).status_code == 200
    assert client.post(f"/ads/{ad.pk}/report/", data).status_code == 302  # harmless
    with tenant_context(cast.a.neighbourhood):
        report = Report.objects.get(ad=ad)
        assert report.reason == "commercial" and report.handled_at is None
    cast.a.client().post(f"/ads/{ad.pk}/report/", data)  # another visitor
    with tenant_context(cast.a.neighbourhood):
        assert Report.objects.filter(ad=ad).count() == 2


def test_bad_reports_and_honeypots_store_nothing(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad()
        closed = close_ad(ad=published_ad(email="weg@example.org"))
    client = cast.a.client()
    assert client.post(f"/ads/{ad.pk}/report/", {"reason": "nonsense"}).status_code == 400
    long = {"reason": "other", "explanation": "x" * 1001}
    assert client.post(f"/ads/{ad.pk}/report/", long).status_code == 400
    bot = {"reason": "other", "website": "http://spam.example"}
    assert client.post(f"/ads/{ad.pk}/report/", bot).status_code == 302
    assert client.post(f"/ads/{closed.pk}/report/", {"reason": "other"}).status_code == 404
    with tenant_context(cast.a.neighbourhood):
        assert not Report.objects.exists()


def test_reports_are_limited_per_ip_address(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ads = [published_ad(email=f"eigenaar{n}@example.org") for n in range(11)]
    client = cast.a.client()
    for ad in ads[:10]:
        assert client.post(f"/ads/{ad.pk}/report/", {"reason": "other"}).status_code == 302
    assert client.post(f"/ads/{ads[10].pk}/report/", {"reason": "other"}).status_code == 429
    with tenant_context(cast.a.neighbourhood):
        assert Report.objects.count() == 10
