"""The registry of what each app adds: read in the order of the apps, and open to a new app
that only declares."""

from __future__ import annotations

import sys
import types

import pytest
from django.conf import settings

from tijdvoorelkaar import contributions
from tijdvoorelkaar.contributions import Contributions, every_neighbourhood, hooks, staff_menu


@pytest.fixture
def fresh_registry():  # type: ignore[no-untyped-def]
    contributions.declared_by.cache_clear()
    yield
    contributions.declared_by.cache_clear()


def test_demo_content_is_added_in_the_order_of_the_apps() -> None:
    assert [hook.__module__ for hook in hooks("demo")] == [
        "tenants.people.demo",  # people first: the ads, mediations and referrals name them
        "tenants.organisations.demo",
        "tenants.market.demo",
        "tenants.responding.demo",  # responses to the ads just placed
        "tenants.mediations.demo",
        "tenants.brokerage.demo",
        "tenants.referrals.demo",
        "tenants.credits.demo",  # rewards and thank-yous after the mediations' matches
        "tenants.stories.demo",  # a story of one of the mediations' matches
        "tenants.surveys.demo",
        "tenants.siteuse.demo",
        "tenants.mailings.demo",  # subscribers, and newsletters of the ads placed above
        "tenants.outreach.demo",
        "tenants.statistics.demo",  # two years of history, then the report of all above
    ]


def test_an_app_without_contributions_adds_nothing() -> None:
    assert contributions.declared_by("django.contrib.auth") == Contributions()
    assert hooks("seed", ["django.contrib.auth", "tenants.outbox"]) == []


def test_a_new_app_plugs_in_by_declaring_only(monkeypatch, fresh_registry) -> None:
    declared = types.ModuleType("tenants.newapp.contributions")
    declared.CONTRIBUTIONS = Contributions(  # type: ignore[attr-defined]
        seed="tenants.people.timeline.at_end_of_day",
        beat={"newapp-tidy": every_neighbourhood("newapp.tidy", 60.0)},
    )
    monkeypatch.setitem(sys.modules, "tenants.newapp", types.ModuleType("tenants.newapp"))
    monkeypatch.setitem(sys.modules, "tenants.newapp.contributions", declared)
    apps = ["tenants.market", "tenants.newapp", "tenants.brokerage"]
    assert [hook.__name__ for hook in hooks("seed", apps)] == [
        "seed_neighbourhood",
        "at_end_of_day",
        "seed_neighbourhood",
    ]
    schedule = contributions.beat_schedule(apps)
    assert schedule["newapp-tidy"] == {
        "task": "platform.fan_out",
        "schedule": 60.0,
        "args": ("newapp.tidy",),
    }
    assert "market-expire-ads" in schedule


def test_a_declaration_that_cannot_import_what_it_needs_fails_loudly(
    monkeypatch, fresh_registry
) -> None:
    broken = types.ModuleType("tenants.broken")
    broken.__path__ = []  # a package, whose contributions.py imports a missing module
    monkeypatch.setitem(sys.modules, "tenants.broken", broken)

    def find_spec(name, path=None, target=None):  # type: ignore[no-untyped-def]
        if name == "tenants.broken.contributions":
            raise ModuleNotFoundError("No module named 'celeryy'", name="celeryy")
        return None

    finder = types.SimpleNamespace(find_spec=find_spec)
    monkeypatch.setattr(sys, "meta_path", [finder, *sys.meta_path])
    with pytest.raises(ModuleNotFoundError):
        contributions.declared_by("tenants.broken")


def test_the_beat_schedule_is_what_the_apps_declare() -> None:
    assert settings.CELERY_BEAT_SCHEDULE["market-expire-ads"] == every_neighbourhood(
        "market.expire_ads", 3600.0
    )
    assert settings.CELERY_BEAT_SCHEDULE["refill-spare-schemas"]["task"] == (
        "neighbourhoods.refill_spare_schemas"
    )


def test_the_staff_menu_gathers_every_apps_links_in_their_order() -> None:
    assert [item.path for item in staff_menu()] == [
        "/broker/",
        "/broker/participants/",
        "/broker/board/",
        "/broker/mediations/",
        "/broker/moderation/",
        "/broker/organisations/",
        "/broker/referrals/",
        "/broker/group-visits/",
        "/broker/credits/",
        "/broker/stories/",
        "/broker/surveys/",
        "/broker/printables/",
        "/broker/report/",
        "/broker/transfers/",
        "/broker/newsletters/",
    ]


@pytest.mark.parametrize(
    ("page", "current"),
    [
        ("/broker/", "/broker/"),
        ("/broker/ads/7/edit/", "/broker/participants/"),  # an ad on someone's behalf
        ("/broker/participants/7/conversations/", "/broker/participants/"),
        ("/broker/group-visits/new/", "/broker/group-visits/"),
    ],
)
def test_one_menu_link_is_the_current_page(page: str, current: str) -> None:
    assert [item.path for item in staff_menu() if item.is_current(page)] == [current]


@pytest.mark.django_db
def test_the_workspace_pages_show_the_declared_menu(cast) -> None:
    page = cast.a.client(cast.a.broker).get("/broker/board/").content.decode()
    menu = page.split('class="workspace-nav"', 1)[1].split("</nav>", 1)[0]
    assert menu.index('href="/broker/"') < menu.index('href="/broker/transfers/"')
    assert '<a href="/broker/board/" aria-current="page">' in menu
    assert menu.count("aria-current") == 1
    assert 'href="/broker/credits/"' not in menu  # only where credits are on


@pytest.mark.django_db
def test_a_link_for_a_switch_shows_only_while_it_is_on_under_the_neighbourhoods_name(
    cast,
) -> None:
    from tests.support.credits import set_credits

    set_credits(cast.a.neighbourhood, cast.a.admin.user, credits_enabled=True, credit_name="Uren")
    page = cast.a.client(cast.a.broker).get("/broker/board/").content.decode()
    assert '<a href="/broker/credits/">Uren</a>' in page
