"""Each figure against the hand-made history of conftest.py (reporting year 1 July 2024 –
30 June 2025); the expected numbers are worked out beside them."""

from __future__ import annotations

import datetime

import pytest

from tenants.people.services.consents import update_profile
from tenants.statistics.computing import compute_figures
from tenants.statistics.periods import reporting_year

pytestmark = pytest.mark.django_db

YEAR = reporting_year(2024, 7)
TODAY = datetime.date(2026, 1, 1)


@pytest.fixture
def figures(history):  # type: ignore[no-untyped-def]
    return compute_figures(YEAR, today=TODAY, credits_enabled=False)


def test_mediations_are_counted_in_the_period_they_started(figures) -> None:  # type: ignore[no-untyped-def]
    # Started in the year: Bob–Cas match (10 days), Cas–Bob match (20), Dirk–Eva no match
    # (started 30 June, ended 1 July: 1 day), Eva–organisation cancelled (4), Ann–Dirk open,
    # and Dirk's response to Cas's offer (open). Ann–Bob started 30 June 2024: last year.
    assert figures["mediations.total"] == 6
    assert figures["mediations.residents"] == 5
    assert figures["mediations.residents_active"] == 2
    assert figures["mediations.organisations"] == 1
    assert figures["mediations.organisations_active"] == 1
    assert figures["mediations.matches"] == 2
    assert figures["mediations.matches_active"] == 1
    assert figures["mediations.no_match"] == 1
    assert figures["mediations.cancelled"] == 1
    assert figures["mediations.open"] == 2
    # Days to an outcome: 1, 4, 10, 20: the middle lies between 4 and 10.
    assert figures["mediations.median_days"] == 7.0


def test_the_mediation_started_30_june_belongs_to_the_year_before(history) -> None:  # type: ignore[no-untyped-def]
    before = compute_figures(reporting_year(2023, 7), today=TODAY, credits_enabled=False)
    assert before["mediations.total"] == 1
    assert before["mediations.matches"] == 1
    assert before["mediations.median_days"] == 1.0


def test_participants_new_active_total_and_how_they_heard(figures) -> None:  # type: ignore[no-untyped-def]
    # New: Bob, Cas, Dirk, Eva, Gijs (Ann came before, Fien after). Total adds Ann.
    assert figures["participants.new"] == 5
    assert figures["participants.total"] == 6
    # Active: all six (Ann asked in the open mediation, Gijs joined at a group visit).
    assert figures["participants.active"] == 6
    assert figures["heard_via.poster"] == 2
    assert figures["heard_via.website"] == 1
    assert figures["heard_via.word_of_mouth"] == 1
    assert figures["heard_via.unknown"] == 1
    assert sum(v for k, v in figures.items() if k.startswith("heard_via.")) == 5


def test_composition_is_shown_only_where_five_answered(figures) -> None:  # type: ignore[no-untyped-def]
    # Five stand (Gijs withdrew). Gender: four answered (Eva's "unknown" is no answer).
    assert figures["composition.gender_answered"] is None
    assert figures["composition.women"] is None
    assert figures["composition.born_answered"] == 5
    assert figures["composition.born_abroad"] == 2
    assert figures["composition.work_answered"] == 5
    assert figures["composition.without_paid_work"] == 3
    # Household: three answered.
    assert figures["composition.household_answered"] is None
    assert figures["composition.living_alone"] is None


def test_age_bands_of_those_who_answered(figures) -> None:  # type: ignore[no-untyped-def]
    # Five stand and all gave a band: Dirk 25-44, Eva 45-64, Bob and Cas 65-74, Ann 75+.
    # Gijs (under 25) withdrew his consent, so no one is under 25.
    assert figures["composition.age_answered"] == 5
    assert figures["composition.age_under_25"] == 0
    assert figures["composition.age_25_44"] == 1
    assert figures["composition.age_45_64"] == 1
    assert figures["composition.age_65_74"] == 2
    assert figures["composition.age_75_plus"] == 1
    bands = [f"composition.age_{band}" for band in ("under_25", "25_44", "45_64", "65_74")]
    bands.append("composition.age_75_plus")
    assert sum(figures[key] for key in bands) == figures["composition.age_answered"]


def test_age_bands_are_suppressed_below_five_answers(history) -> None:  # type: ignore[no-untyped-def]
    # Eva would rather not say after all: four answered, so every band is suppressed.
    eva = history.people["Eva"]
    update_profile(participant=eva, changed_by=None, age_band="")
    figures = compute_figures(YEAR, today=TODAY, credits_enabled=False)
    ages = {k: v for k, v in figures.items() if k.startswith("composition.age_")}
    assert len(ages) == 6
    assert set(ages.values()) == {None}


def test_reciprocity(figures) -> None:  # type: ignore[no-untyped-def]
    # Matches of the year: Bob asked Cas, Cas asked Bob: both gave and received.
    assert figures["reciprocity.in_match"] == 2
    assert figures["reciprocity.gave_and_received"] == 2
    # Requests and offers online in the year: Bob both, Cas an offer.
    assert figures["reciprocity.placers"] == 2
    assert figures["reciprocity.offer_and_request"] == 1
    assert figures["reciprocity.prompts_shown"] == 2
    assert figures["reciprocity.prompts_taken"] == 1


def test_support_and_routing(figures) -> None:  # type: ignore[no-untyped-def]
    assert figures["support.conversations"] == 3
    assert figures["support.participants"] == 2
    assert figures["support.per_participant"] == 1.5
    # Bob started (first step) and moved to the second; Cas started before the year and
    # stayed; Eva started after it.
    assert figures["support.moves"] == 2
    assert [count for _nl, _en, count in figures["routing_steps"]] == [1, 1]
    assert figures["support.without_movement"] == 1


def test_volunteering_referrals_and_group_visits(figures) -> None:  # type: ignore[no-untyped-def]
    assert figures["volunteering.vacancies"] == 1
    assert figures["volunteering.organisations"] == 1
    assert figures["volunteering.placements"] == 2
    assert figures["volunteering.people_placed"] == 2
    assert figures["referrals.in"] == 3
    assert figures["referrals_in_by_kind"] == [["", 1], ["huisarts", 2]]
    assert figures["referrals.out"] == 1
    assert figures["referrals.out.debt_help"] == 1
    assert figures["referrals.out.course"] == 0
    assert figures["group_visits.count"] == 2
    assert figures["group_visits.reached"] == 20
    assert figures["group_visits.joined"] == 1
    assert figures["group_visits.conversion"] == 5.0


def test_ads(figures) -> None:  # type: ignore[no-untyped-def]
    # Online in the year: Bob's offer and request, Cas's offer, Gijs's vacancy (Ann's
    # request expired before). Three by the broker; Bob's offer and Cas's led to a mediation.
    assert figures["ads.placed"] == 4
    assert figures["ads.by_broker"] == 3
    assert figures["ads.led_to_mediation"] == 2
    assert figures["ads.responses"] == 1
    # Each ran its 8 weeks: 57 days counting the first and the last, 4 ads over 365 days.
    assert figures["ads.online_per_day"] == round(4 * 57 / 365, 2)


def test_credit_figures_vanish_when_credits_are_off(figures) -> None:  # type: ignore[no-untyped-def]
    assert not [key for key in figures if key.startswith("credits")]


def test_the_tables_add_up(figures) -> None:  # type: ignore[no-untyped-def]
    from tenants.statistics.figures import FIGURES

    sums: dict[str, int] = {}
    for figure in FIGURES:
        if figure.adds_to and figure.key in figures:
            sums[figure.adds_to] = sums.get(figure.adds_to, 0) + figures[figure.key]
    # residents + organisations and matches + no match + cancelled + open both make the total
    assert sums["mediations.total"] == 2 * figures["mediations.total"]
    assert sums["participants.new"] == figures["participants.new"]
    assert sums["referrals.out"] == figures["referrals.out"]
