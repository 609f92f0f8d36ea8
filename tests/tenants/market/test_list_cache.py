"""The anonymous list cache lives until what it shows changes (not a minute), ends when the
first ad on it reaches its end, and is warmed again after a change."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.market.models import Ad
from tests.support.factories import published_ad

pytestmark = pytest.mark.django_db


def _served_from_cache(client) -> bool:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/ads/")
    assert response.status_code == 200
    return not any('"market_ad"' in query["sql"] for query in queries)


def test_the_cached_list_lives_until_it_changes_not_a_minute(cast) -> None:
    visitor = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        published_ad(title="Lang houdbaar")
        visitor.get("/ads/")
        with time_machine.travel(timezone.now() + datetime.timedelta(hours=3)):
            assert _served_from_cache(visitor)
            ad = published_ad(title="Iets nieuws")
            assert not _served_from_cache(visitor)
            assert f"/ads/{ad.pk}/" in visitor.get("/ads/").content.decode()


def test_the_cached_list_ends_when_an_ad_on_it_reaches_its_end(cast) -> None:
    visitor = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        ad = published_ad(title="Bijna voorbij")
        end = timezone.now() + datetime.timedelta(minutes=10)
        Ad.objects.filter(pk=ad.pk).update(expires_at=end)  # as if placed long ago
        assert f"/ads/{ad.pk}/" in visitor.get("/ads/").content.decode()
        with time_machine.travel(end - datetime.timedelta(minutes=1)):
            assert _served_from_cache(visitor)
        with time_machine.travel(end + datetime.timedelta(minutes=1)):
            # rendered again (the database, at its own time, leaves the ad out once it ends;
            # the hourly expiry has not run, so the version did not change)
            assert not _served_from_cache(visitor)


def test_a_change_warms_the_list_for_the_next_visitor(
    cast, django_capture_on_commit_callbacks
) -> None:
    with tenant_context(cast.a.neighbourhood):
        with django_capture_on_commit_callbacks(execute=True):
            ad = published_ad(title="Net geplaatst")
        visitor = cast.a.client()
        assert _served_from_cache(visitor)
        assert f"/ads/{ad.pk}/" in visitor.get("/ads/").content.decode()
        english = cast.a.client()
        english.cookies["django_language"] = "en"
        if "en" in cast.a.neighbourhood.languages:
            assert _served_from_cache(english)


def test_renaming_an_organisation_changes_what_the_lists_show(cast) -> None:
    from tenants.market.cache import list_version
    from tenants.organisations.services import create_organisation, update_organisation

    admin = cast.a.admin.user
    with tenant_context(cast.a.neighbourhood):
        organisation = create_organisation(by=admin, name="Buurthuis De Linde")
        before = list_version()
        assert before[0] == cast.a.neighbourhood.pk  # not only the schema's name
        update_organisation(organisation=organisation, changes={"name": "De Linde"}, by=admin)
        assert list_version() > before


def test_the_lists_filters_read_categories_and_sub_areas_once_per_change_of_them(
    cast,
) -> None:
    from tenants.market.cache import bump_list_version
    from tenants.market.services.lists import add_category, add_sub_area

    visitor, admin = cast.a.client(), cast.a.admin.user
    with tenant_context(cast.a.neighbourhood):
        visitor.get("/ads/")
        bump_list_version(warm=False)  # an ad changed: the page, not its filters
        with CaptureQueriesContext(connection) as queries:
            assert visitor.get("/ads/").status_code == 200
        read_from = " ".join(q["sql"].split(" JOIN ")[0] for q in queries)  # not the joins
        assert 'FROM "market_category"' not in read_from
        assert 'FROM "people_subarea"' not in read_from
        add_category(name="Fietsen maken", by=admin)
        area = add_sub_area(name="Oog in Al", by=admin)
        page = visitor.get("/ads/").content.decode()
        assert "Fietsen maken" in page and f'<option value="{area.pk}">Oog in Al</option>' in page


def test_sub_areas_made_outside_the_market_show_in_the_cached_lists_filters(cast) -> None:
    from tenants.people.models import SubArea
    from tenants.people.services.participants import ensure_sub_areas

    visitor = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        assert "Tuinwijk-Oost" not in visitor.get("/ads/").content.decode()  # now cached
        ensure_sub_areas(names=["Tuinwijk-Oost"])
        area = SubArea.objects.get(name="Tuinwijk-Oost")
        page = visitor.get("/ads/").content.decode()
    assert f'<option value="{area.pk}">Tuinwijk-Oost</option>' in page


def test_an_ad_that_goes_live_with_an_earlier_end_ends_the_cached_list_then(cast) -> None:
    visitor = cast.a.client()
    with tenant_context(cast.a.neighbourhood):
        published_ad(title="Lang online")
        visitor.get("/ads/")  # the first end known: weeks away
        ad = published_ad(title="Kort online")
        end = timezone.now() + datetime.timedelta(minutes=10)
        Ad.objects.filter(pk=ad.pk).update(expires_at=end)  # as a shorter lifetime would
        assert f"/ads/{ad.pk}/" in visitor.get("/ads/").content.decode()
        with time_machine.travel(end + datetime.timedelta(minutes=1)):
            assert not _served_from_cache(visitor)


def test_the_empty_filter_form_is_kept_per_language(cast) -> None:
    """Its HTML is stored once (`cache.cached_empty_search_form`): a visitor in another
    language gets the form in theirs, and a search gets its own form filled in."""
    from django.utils import translation

    cast.a.neighbourhood.languages = ["nl", "en"]
    cast.a.neighbourhood.save()
    dutch, english = cast.a.client(), cast.a.client()
    english.cookies["django_language"] = "en"
    with tenant_context(cast.a.neighbourhood):
        for client, language in ((dutch, "nl"), (english, "en"), (dutch, "nl")):
            with translation.override(language):
                label = f"<legend>{translation.gettext('Search and filter')}</legend>"
            assert label in client.get("/ads/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        searched = dutch.get("/ads/?q=fiets").content.decode()
        assert 'value="fiets"' in searched
        assert 'value="fiets"' not in dutch.get("/ads/").content.decode()
