"""The offers' and vouchers' lists cost the same number of queries with more rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from tenants.credits.offers import create_offer, redeem_offer
from tenants.credits.services import reward_participants
from tenants.credits.vouchers import print_vouchers, redeem_voucher
from tests.support.cast import client_for

pytestmark = pytest.mark.django_db
D = Decimal
PAGES = (
    "/credits/offers/",
    "/credits/offers/received/",
    "/broker/credits/vouchers/",
)


def _grow(place, ledger, n: int) -> int:  # type: ignore[no-untyped-def]
    """n more offers, each taken once, and n more batches with one voucher handed in;
    returns the last batch's id."""
    with tenant_context(place.neighbourhood):
        reward_participants(recipients=[ledger.ans], amount_each=D(n), by=None, description="Start")
        batch = 0
        for i in range(n):
            offer = create_offer(provider=ledger.scouting, title=f"Thee {i}", price=D(1), by=None)
            redeem_offer(offer=offer, participant=ledger.ans, by=None)
            printed = print_vouchers(count=3, value=D(1), by=None, description=f"Vel {i}")
            redeem_voucher(code=printed.codes[0], by=None, organisation=ledger.scouting)
            batch = printed.batch.pk
    return batch


def _queries(client, path: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200, path
    return len(queries)


def test_the_lists_keep_a_constant_number_of_queries(cast, ledger) -> None:
    broker = client_for(cast.a.host, cast.a.neighbourhood, cast.a.broker)
    first = _grow(cast.a, ledger, 1)
    broker.get("/credits/offers/")  # the session's first request does more than any other
    few = [_queries(broker, path) for path in (*PAGES, f"/broker/credits/vouchers/{first}/")]
    last = _grow(cast.a, ledger, 6)
    many = [_queries(broker, path) for path in (*PAGES, f"/broker/credits/vouchers/{last}/")]
    assert few == many
