"""The credits demo: where credits are on, rewards, thank-yous after matches and a reversal,
keeping the ledger's rules; where they are off, nothing."""

from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context

from tenants.credits import demo
from tenants.credits.models import Transfer
from tenants.mediations import demo as mediations_demo
from tenants.organisations import demo as organisations_demo
from tenants.people import demo as people_demo
from tests.support.credits import assert_ledger_invariants

pytestmark = pytest.mark.django_db


def _demo_world(place) -> None:  # type: ignore[no-untyped-def]
    for app_demo in (people_demo, organisations_demo, mediations_demo):
        app_demo.add_demo_data(place.neighbourhood)


def test_the_demo_shows_rewards_thanks_and_a_reversal_where_credits_are_on(
    cast, credits_on
) -> None:
    with tenant_context(cast.a.neighbourhood):
        _demo_world(cast.a)
        demo.add_demo_data(credits_on)
        demo.add_demo_data(credits_on)  # idempotent

        kinds = list(Transfer.objects.values_list("kind", flat=True))
        assert kinds.count("reward") == 3 and kinds.count("reversal") == 1
        gifts = Transfer.objects.filter(kind="gift")
        assert gifts.exists() and all(g.mediation_id for g in gifts)
        assert_ledger_invariants()


def test_the_demo_leaves_no_credits_where_they_are_off(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        _demo_world(cast.a)
        demo.add_demo_data(cast.a.neighbourhood)
        assert not Transfer.objects.exists()


def test_the_demo_has_two_shop_offers_and_a_voucher_batch_partly_handed_in(
    cast, credits_on
) -> None:
    from tenants.credits.models import Offer, Redemption, Voucher, VoucherBatch
    from tests.support.credits import assert_vouchers_backed

    with tenant_context(cast.a.neighbourhood):
        _demo_world(cast.a)
        demo.add_demo_data(credits_on)
        demo.add_demo_data(credits_on)  # idempotent

        assert Offer.objects.count() == 2 and Offer.objects.filter(provider__kind="shop").exists()
        assert Redemption.objects.count() == 1
        assert VoucherBatch.objects.count() == 1
        assert Voucher.objects.filter(redeemed_at__isnull=False).count() == 6
        assert_ledger_invariants()
        assert_vouchers_backed()


def test_no_offers_or_vouchers_where_credits_are_off(cast) -> None:
    from tenants.credits.models import Offer, VoucherBatch

    with tenant_context(cast.a.neighbourhood):
        _demo_world(cast.a)
        demo.add_demo_data(cast.a.neighbourhood)
        assert not Offer.objects.exists() and not VoucherBatch.objects.exists()
