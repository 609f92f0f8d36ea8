"""Credits on in neighbourhood A (inside the test's transaction) and a small cast of
participants and an organisation, made through the services."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import connection
from django.utils import translation
from django_tenants.utils import tenant_context

from tenants.audit.models import AuditEvent
from tenants.credits.models import (
    Account,
    Movement,
    Offer,
    Redemption,
    Transfer,
    Voucher,
    VoucherBatch,
)
from tenants.organisations.models import Organisation
from tenants.organisations.services import create_organisation
from tenants.people.models import Participant
from tests.support import factories
from tests.support.credits import set_credits
from tests.support.races import RACE_PREFIX


@dataclass
class Ledger:
    ans: Participant
    bert: Participant
    carla: Participant
    scouting: Organisation


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """The tests read the services' messages in the language they are written in."""
    with translation.override("en"):
        yield


@pytest.fixture
def credits_on(cast):  # type: ignore[no-untyped-def]
    """Neighbourhood A with credits on: the row as it now is."""
    return set_credits(cast.a.neighbourhood, cast.a.admin.user, credits_enabled=True)


@pytest.fixture
def ledger(cast, credits_on):  # type: ignore[no-untyped-def]
    with tenant_context(cast.a.neighbourhood):
        return Ledger(
            ans=factories.participant("Ans"),
            bert=factories.participant("Bert"),
            carla=factories.participant("Carla"),
            scouting=create_organisation(by=cast.a.broker.user, name="Scouting Zuid"),
        )


@pytest.fixture
def committed(cast, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """For tests whose threads must see committed rows: credits on in neighbourhood A, and
    afterwards everything the ledger, offers and vouchers hold removed again."""
    place = cast.a
    with django_db_blocker.unblock():
        assert connection.settings_dict["NAME"].startswith("test_"), "not the test database"
        with tenant_context(place.neighbourhood):
            last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
        set_credits(place.neighbourhood, place.admin.user, credits_enabled=True)
        try:
            yield
        finally:
            set_credits(place.neighbourhood, place.admin.user, credits_enabled=False)
            with tenant_context(place.neighbourhood):
                Redemption.objects.all().delete()
                Offer.objects.all().delete()
                Voucher.objects.all().delete()
                VoucherBatch.objects.all().delete()
                Movement.objects.all().delete()
                Transfer.objects.filter(reverses__isnull=False).delete()
                Transfer.objects.all().delete()
                Account.objects.all().delete()
                Organisation.objects.filter(name__startswith=RACE_PREFIX).delete()
                Participant.objects.filter(display_name__startswith=RACE_PREFIX).delete()
                AuditEvent.objects.filter(pk__gt=last_event or 0).delete()
