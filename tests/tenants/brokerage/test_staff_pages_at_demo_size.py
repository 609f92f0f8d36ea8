"""Every staff page of a neighbourhood with the demo's content answers within 300 ms once
warmed (the median of a few requests, in the test process: the whole middleware, no network).
The figures are printed (`-s`) for docs/operations/benchmarks.md."""

from __future__ import annotations

import statistics
import time

import pytest
from django_tenants.utils import tenant_context

from tenants.mediations.models import Mediation
from tenants.organisations.models import Organisation
from tenants.people.models import Participant
from tijdvoorelkaar.contributions import hooks

pytestmark = pytest.mark.django_db

LIMIT_MS = 300
REQUESTS = 5
LISTS = [
    "/broker/",
    "/broker/board/",
    "/broker/participants/",
    "/broker/participants/new/",
    "/broker/mediations/",
    "/broker/mediations/new/",
    "/broker/mediations/follow-ups/",
    "/broker/mediations/suggest/",
    "/broker/mediations/placements/",
    "/broker/moderation/",
    "/broker/organisations/",
    "/broker/organisations/new/",
    "/broker/referrals/",
    "/broker/referrals/new/in/",
    "/broker/referrals/new/out/",
    "/broker/group-visits/",
    "/broker/transfers/",
    "/manage/audit/",
    "/manage/outbox/",
    "/manage/settings/",
    "/manage/staff/",
    "/manage/categories/",
    "/manage/routing/",
    "/manage/sub-areas/",
]


def _median_ms(client, path: str) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _request in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, path
    return statistics.median(times)


@pytest.mark.alone  # a time limit: not beside another worker's test
def test_every_staff_page_answers_within_300_ms_at_the_demos_size(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        for add_demo_data in hooks("demo"):
            add_demo_data(cast.a.neighbourhood)
        someone = Participant.objects.filter(erased_at=None).order_by("id").first()
        mediation = Mediation.objects.order_by("id").first()
        organisation = Organisation.objects.order_by("id").first()
        size = (Participant.objects.count(), Mediation.objects.count())
    assert someone and mediation and organisation and size[0] >= 20
    pages = [
        *LISTS,
        f"/broker/participants/{someone.pk}/",
        f"/broker/mediations/{mediation.pk}/",
        f"/broker/mediations/suggest/?participant={someone.pk}",
        f"/broker/organisations/{organisation.pk}/",
    ]
    client = cast.a.client(cast.a.admin)  # the admin sees every page the broker sees, and more
    for path in pages:
        client.get(path)  # warm: templates compiled, the host lookup cached
    figures = {path: _median_ms(client, path) for path in pages}
    print(f"\nstaff pages at {size[0]} participants and {size[1]} mediations (median ms):")
    for path, ms in sorted(figures.items(), key=lambda item: -item[1]):
        print(f"  {ms:6.1f}  {path}")
    slow = {path: round(ms) for path, ms in figures.items() if ms > LIMIT_MS}
    assert not slow, f"slower than {LIMIT_MS} ms: {slow}"
