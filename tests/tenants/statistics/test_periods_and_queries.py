"""Periods (reporting years that do not start in January, leap days), the constant number of
queries, credits where they are on, and tables that add up for any history."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import tenant_context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenants.credits.offers import create_offer, redeem_offer
from tenants.credits.services import reward_participants
from tenants.mediations.services import set_mediation_status, start_mediation
from tenants.organisations.services import create_organisation
from tenants.people.services.participants import register_participant
from tenants.statistics import periods
from tenants.statistics.computing import compute_figures
from tenants.statistics.figures import FIGURES
from tests.support.factories import grow
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

D = datetime.date
TODAY = D(2026, 1, 1)


def test_a_reporting_year_starting_in_april_runs_to_the_end_of_march() -> None:
    year = periods.reporting_year_of(D(2025, 3, 31), 4)
    assert (year.start, year.end) == (D(2024, 4, 1), D(2025, 3, 31))
    assert periods.reporting_year_of(D(2025, 4, 1), 4).start == D(2025, 4, 1)
    assert year.previous() == periods.reporting_year(2023, 4)
    assert year.label == "2024–2025"


def test_leap_days() -> None:
    year = periods.reporting_year(2023, 7)  # holds 29 February 2024
    assert year.days == 366
    custom = periods.custom(D(2024, 2, 29), D(2024, 3, 1))
    assert custom.previous() == periods.custom(D(2024, 2, 27), D(2024, 2, 28))
    assert periods.custom(D(2004, 2, 29), D(2024, 2, 28)).days > 0
    with pytest.raises(ValidationError):
        periods.custom(D(2004, 2, 29), D(2024, 2, 29))  # 20 years to the day: too long


def test_the_running_year_is_not_diluted_by_its_future() -> None:
    year = periods.reporting_year(2025, 7)
    assert year.days_until(D(2025, 7, 10)) == 10


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"period": "custom", "start": "2025-07-01", "end": "2025-06-30"}, "end"),
        ({"period": "custom", "start": "2001-01-01", "end": "2021-01-01"}, "end"),
        ({"period": "custom", "start": "1/7/2025", "end": "2025-07-02"}, "start"),
        ({"period": "custom", "start": "2025-07-01"}, "end"),
        ({"period": "calendar_year", "year": "1850"}, "year"),
        ({"period": "custom", "start": "9999-12-31", "end": "9999-12-31"}, "start"),
        ({"period": "custom", "start": "2025-07-01", "end": "２０２５-07-02"}, "end"),
        ({"period": "weekly"}, "period"),
    ],
)
def test_bad_periods_name_the_field(query, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        periods.period_from_query(query, start_month=7, first_day=D(2020, 1, 1), today=TODAY)
    assert field in refused.value.message_dict


def _queries(django_assert_num_queries, count):  # type: ignore[no-untyped-def]
    return django_assert_num_queries(count)


@pytest.mark.django_db
def test_a_snapshot_takes_the_same_number_of_queries_for_more_data(
    cast, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    period = periods.whole_term(D(2020, 1, 1), TODAY)
    with tenant_context(cast.a.neighbourhood):
        grow(5)
        with django_assert_num_queries(QUERIES):
            compute_figures(period, today=TODAY, credits_enabled=True)
        grow(200)
        people = register_participant(display_name="Vera"), register_participant(display_name="Wim")
        for day in range(30):
            start_mediation(
                requester=people[day % 2],
                provider=people[1 - day % 2],
                active=bool(day % 3),
                started_on=D(2025, 1, 1) + datetime.timedelta(days=day),
            )
        with django_assert_num_queries(QUERIES):
            compute_figures(period, today=TODAY, credits_enabled=True)


# mediations 1, participants 2, heard via 1, composition 1, prompts 1, support 3, ads and
# responses 2, placements 1, referrals 1, group visits 2, credits 2, and the site-use (2) and
# survey (1) selectors.
QUERIES = 20


@pytest.mark.django_db
def test_credit_figures_where_credits_are_on(cast) -> None:  # type: ignore[no-untyped-def]
    with tenant_context(cast.a.neighbourhood):
        Neighbourhood.objects.filter(pk=cast.a.neighbourhood.pk).update(credits_enabled=True)
        cast.a.neighbourhood.credits_enabled = True
        people = [register_participant(display_name=name) for name in ("Ria", "Sem")]
        shop = create_organisation(by=cast.a.broker.user, name="Bakkerij Zuid")
        reward_participants(
            recipients=people,
            amount_each=Decimal("2.5"),
            by=cast.a.broker.user,
            description="Buurtfeest opgeruimd",
        )
        offer = create_offer(provider=shop, title="Krentenbol", price=Decimal("1"), by=None)
        redeem_offer(offer=offer, participant=people[0], by=cast.a.broker.user)
        period = periods.calendar_year(timezone.localdate().year)
        figures = compute_figures(period, today=period.end, credits_enabled=True)
    # 2 × 2.5 issued by the neighbourhood; Ria handed 1 in at the bakery.
    assert figures["credits.issued"] == 5.0
    assert figures["credits.redeemed"] == 1.0
    assert figures["credits.in_circulation"] == 4.0
    assert figures["credits_by_organisation"] == [["Bakkerij Zuid", 0.0, 1.0]]


@pytest.mark.django_db
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.tuples(
            st.integers(0, 700),
            st.booleans(),
            st.sampled_from(["open", "match", "no_match", "cancelled"]),
        ),
        max_size=12,
    )
)
def test_the_tables_add_up_for_any_history(cast, mediations) -> None:  # type: ignore[no-untyped-def]
    with tenant_context(cast.a.neighbourhood):
        people = [register_participant(display_name=name) for name in ("Xan", "Yara")]
        for index, (days, active, status) in enumerate(mediations):
            started = D(2024, 1, 1) + datetime.timedelta(days=days)
            mediation = start_mediation(
                requester=people[index % 2],
                provider=people[1 - index % 2],
                active=active,
                started_on=started,
            )
            if status != "open":
                set_mediation_status(
                    mediation=mediation,
                    status=status,
                    ended_on=started + datetime.timedelta(days=3),
                    reason="Klaar.",
                )
        for year in (2023, 2024, 2025):
            figures = compute_figures(
                periods.reporting_year(year, 7), today=TODAY, credits_enabled=False
            )
            sums: dict[str, int] = {}
            for figure in FIGURES:
                if figure.adds_to and figure.key in figures:
                    sums[figure.adds_to] = sums.get(figure.adds_to, 0) + figures[figure.key]
            assert sums["mediations.total"] == 2 * figures["mediations.total"]
            assert figures["mediations.residents_active"] <= figures["mediations.residents"]
        total = sum(
            compute_figures(periods.reporting_year(year, 7), today=TODAY, credits_enabled=False)[
                "mediations.total"
            ]
            for year in (2023, 2024, 2025, 2026)
        )
        assert total >= len(mediations)


def test_the_feature_page_defines_every_figure() -> None:
    from pathlib import Path

    page = (Path(__file__).parents[3] / "docs/features/statistics.md").read_text()
    missing = [figure.key for figure in FIGURES if f"`{figure.key}`" not in page]
    assert not missing


@pytest.mark.django_db
@pytest.mark.parametrize("answers", [4, 5])
def test_site_use_and_the_survey_come_from_their_apps_with_small_cells_suppressed(
    cast, monkeypatch, answers: int
) -> None:  # type: ignore[no-untyped-def]
    import sys
    import types

    survey = dict.fromkeys(
        ("satisfied_exchange", "satisfied_broker", "neighbours_0", "neighbours_1"), 1
    )
    survey.update(answers=answers, neighbours_2_plus=2, lasting_contacts=1)
    site = {"visits": 62, "unique_visitors": 20, "regular_visitors": 3,
            "per_day": [(D(2025, 1, 1), 40), (D(2025, 1, 2), 22)]}  # fmt: skip
    monkeypatch.setitem(
        sys.modules, "tenants.surveys.selectors",
        types.SimpleNamespace(survey_figures=lambda start, end: survey),
    )  # fmt: skip
    monkeypatch.setitem(
        sys.modules, "tenants.siteuse.selectors",
        types.SimpleNamespace(site_use_figures=lambda start, end: site),
    )  # fmt: skip
    period = periods.custom(D(2025, 1, 1), D(2025, 1, 2))
    with tenant_context(cast.a.neighbourhood):
        figures = compute_figures(period, today=TODAY, credits_enabled=False)
    assert figures["site.visits"] == 62 and figures["site.visits_per_day"] == 31.0
    assert figures["site_per_day"] == [["2025-01-01", 40], ["2025-01-02", 22]]
    if answers < 5:
        assert all(figures[f"survey.{key}"] is None for key in survey)
    else:
        assert figures["survey.answers"] == 5 and figures["survey.neighbours_2_plus"] == 2
