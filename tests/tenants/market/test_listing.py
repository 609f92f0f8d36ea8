"""The list's page from a statement compiled once per filter shape is the page the search
queryset gives, for every shape of filter, and the own-ads statement reads what the
querysets read."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django_tenants.utils import tenant_context

from tenants.market.cards import OWN_AD_VALUES, card_rows
from tenants.market.listing import list_page
from tenants.market.models import AdKind, Category
from tenants.market.selectors import own_ads, own_ads_page, search_ads
from tenants.market.services.lists import add_sub_area
from tenants.organisations.services import add_organisation_member, create_organisation
from tests.support.factories import many_published_ads, published_ad
from tijdvoorelkaar.pagination import CARDS_PAGE_SIZE, page_in_one_query

pytestmark = pytest.mark.django_db


def test_every_filter_shape_gives_the_search_querysets_page(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        many_published_ads(45, word="fiets")
        area = add_sub_area(name="Lunetten", by=cast.a.admin.user)
        published_ad(title="Tuinhulp in Lunetten", sub_area=area, kind=AdKind.REQUEST)
        category = Category.objects.order_by("pk").first()
        texts = ["", "fiets", "Advertentie 3", "tuin", "!!!", "fiets & (buurt", "geen-treffer"]
        compared = 0
        for text in texts:
            for kind in ("", AdKind.REQUEST, AdKind.OFFER):
                for chosen_category in (None, category):
                    for sub_area in (None, area):
                        for page in ("", "?page=2", "?page=3", "?page=0", "?page=x"):
                            filters = {
                                "q": text,
                                "kind": kind,
                                "category": chosen_category,
                                "sub_area": sub_area,
                            }
                            request = RequestFactory().get(f"/ads/{page}")
                            expected = page_in_one_query(
                                request,
                                card_rows(
                                    search_ads(
                                        text=text,
                                        kind=kind,
                                        category=chosen_category,
                                        sub_area=sub_area,
                                    )
                                ),
                                size=CARDS_PAGE_SIZE,
                            )
                            got = list_page(request, filters)
                            assert list(got.object_list) == _rows(expected), filters
                            assert (got.number, got.paginator.count) == (
                                expected.number,
                                expected.paginator.count,
                            )
                            compared += bool(expected.object_list)
        assert compared > 100  # most combinations found ads


def _rows(page):  # type: ignore[no-untyped-def]
    """The page's rows without the total that `page_in_one_query` leaves in them."""
    return [{k: v for k, v in row.items() if k != "rows_in_all"} for row in page.object_list]


def test_own_ads_page_reads_the_participant_their_ads_and_organisations(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        broker = cast.a.broker.user
        first = published_ad(title="Eerste", email="eigen@example.org")
        owner = first.participant
        published_ad(title="Tweede", email="eigen@example.org", kind=AdKind.REQUEST)
        scouting = create_organisation(by=broker, name="Scouting")
        create_organisation(by=broker, name="Koor")  # not theirs
        add_organisation_member(organisation=scouting, participant=owner, by=broker)
        page = own_ads_page(participant_id=owner.pk, organisations=True)
        assert page is not None
        assert page["participant"] == {"pk": owner.pk, "display_name": owner.display_name}
        assert page["ads"] == list(own_ads(participant=owner).values(*OWN_AD_VALUES))
        assert page["organisations"] == [{"pk": scouting.pk, "name": "Scouting"}]
        assert own_ads_page(participant_id=owner.pk, organisations=False)["organisations"] == []
        owner.erased_at = first.created_at
        owner.save(update_fields=["erased_at"])
        assert own_ads_page(participant_id=owner.pk, organisations=True) is None
        assert own_ads_page(participant_id=-1, organisations=True) is None
