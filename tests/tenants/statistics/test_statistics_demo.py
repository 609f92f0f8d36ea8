"""The demo: two reporting years of history made through the services, and a full report."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.market.models import Ad
from tenants.people.models import Consent, Participant
from tenants.statistics.models import Snapshot
from tenants.statistics.periods import reporting_year_of
from tijdvoorelkaar.contributions import hooks

pytestmark = pytest.mark.django_db
ONE_DAY = datetime.timedelta(days=1)


def test_the_demo_reports_over_two_reporting_years(cast) -> None:  # type: ignore[no-untyped-def]
    neighbourhood = cast.a.neighbourhood
    with tenant_context(neighbourhood):
        for add_demo_data in hooks("demo"):
            add_demo_data(neighbourhood)
        this_year = reporting_year_of(
            timezone.localdate(), neighbourhood.reporting_year_start_month
        )
        last_year = this_year.previous()
        assert last_year is not None
        snapshots = {
            (s.start, s.end): s.figures for s in Snapshot.objects.filter(kind="reporting_year")
        }
        whole = Snapshot.objects.get(kind="whole_term").figures
        # a backdated registration takes its consents along; an ad is in its own category
        registered = dict(Participant.objects.values_list("pk", "created_at"))
        for consent in Consent.objects.all():
            assert consent.given_at <= registered[consent.participant_id] + ONE_DAY
        garden = Ad.objects.filter(title="Wie helpt met de tuin?")
        assert garden.exists() and {ad.category.name_en for ad in garden} == {"Garden"}
    for year in (this_year, last_year):
        figures = snapshots[(year.start, year.end)]
        assert figures["mediations.total"] > 5
        assert figures["participants.new"] > 5
        assert figures["group_visits.count"] > 3
        parts = ("matches", "no_match", "cancelled", "open")
        assert sum(figures[f"mediations.{part}"] for part in parts) == figures["mediations.total"]
    assert whole["mediations.matches"] > 10
    assert whole["composition.born_answered"] is not None  # enough answered to show
