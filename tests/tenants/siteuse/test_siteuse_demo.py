"""The demo's two years of site use, counted through the service, and the survey's answers."""

from __future__ import annotations

import datetime
import time

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.siteuse import demo as siteuse_demo
from tenants.siteuse.models import Salt
from tenants.siteuse.selectors import site_use_figures
from tenants.surveys import demo as surveys_demo
from tenants.surveys.models import SurveyAnswer, SurveyInvitation
from tenants.surveys.selectors import survey_figures
from tests.support.factories import participant

pytestmark = pytest.mark.django_db


def test_the_demo_fills_two_years_of_visits_and_forgets_the_salts(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        started = time.perf_counter()
        siteuse_demo.add_demo_data(cast.a.neighbourhood)
        seconds = time.perf_counter() - started
        siteuse_demo.add_demo_data(cast.a.neighbourhood)  # once only
        today = timezone.localdate()
        figures = site_use_figures(today - datetime.timedelta(days=730), today)
        assert figures["visits"] > 5000 and figures["unique_visitors"] < figures["visits"]
        assert figures["regular_visitors"] > 5
        assert len(figures["per_day"]) == 731 and figures["per_day"][-1] == (today, 0)
        assert not Salt.objects.filter(kind="day").exists()  # no day before today keeps its salt
        assert Salt.objects.filter(kind="year").count() <= 1
    assert seconds < 15, seconds  # about 4 s under a load of 12; the demo runs it twice


def test_the_survey_demo_answers_through_the_services(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        for name in ("Ans", "Bas", "Cor", "Dirk"):
            participant(name, email=f"{name.lower()}@example.test")
        surveys_demo.add_demo_data(cast.a.neighbourhood)
        surveys_demo.add_demo_data(cast.a.neighbourhood)  # no second round of answers
        answers = SurveyAnswer.objects.count()
        assert 0 < answers <= SurveyInvitation.objects.count()
        today = timezone.localdate()
        assert survey_figures(today - datetime.timedelta(days=800), today)["answers"] == answers
