"""The survey's figures: counts of the answers given in a period."""

from __future__ import annotations

import datetime

import pytest
from django_tenants.utils import tenant_context

from tenants.surveys.models import Channel, Occasion, SurveyAnswer
from tenants.surveys.selectors import survey_figures

pytestmark = pytest.mark.django_db


def test_figures_count_the_answers_given_in_the_period_both_ends_included(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        rows = [
            (datetime.date(2025, 6, 30), True, True, 2, True),  # before the period
            (datetime.date(2025, 7, 1), True, False, 0, False),
            (datetime.date(2026, 2, 28), None, True, 1, None),
            (datetime.date(2026, 6, 30), True, True, 2, True),
            (datetime.date(2026, 7, 1), False, False, 0, False),  # after
        ]
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(
                answered_on=day,
                occasion=Occasion.ANNUAL,
                channel=Channel.LINK,
                satisfied_exchange=exchange,
                satisfied_broker=broker,
                neighbours=neighbours,
                lasting_contact=lasting,
            )
            for day, exchange, broker, neighbours, lasting in rows
        )
        figures = survey_figures(datetime.date(2025, 7, 1), datetime.date(2026, 6, 30))
    assert figures == {
        "answers": 3,
        "satisfied_exchange": 2,
        "satisfied_broker": 2,
        "neighbours_0": 1,
        "neighbours_1": 1,
        "neighbours_2_plus": 1,
        "lasting_contacts": 1,
    }
