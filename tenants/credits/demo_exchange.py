"""The demo's offers and paper vouchers where credits are on (Utrecht Zuid): two shops'
offers, one taken; a printed Christmas batch, some of it handed in at the shops. Through
the services, after the rewards of `demo.py` (people have credits to spend)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Case, When
from django.utils import timezone

from tenants.organisations.models import Organisation
from tenants.people.models import Participant

from .models import Account, Offer, VoucherBatch
from .offers import create_offer, redeem_offer
from .selectors import balance
from .vouchers import print_vouchers, redeem_voucher


def add_offers_and_vouchers() -> None:
    # The shops first (Utrecht Zuid's demo has one), then the community centre and others.
    by_kind = Organisation.objects.order_by(
        Case(When(kind=Organisation.Kind.SHOP, then=0), default=1), "id"
    )
    shops = list(by_kind[:2])
    if len(shops) < 2 or Offer.objects.exists() or VoucherBatch.objects.exists():
        return
    coffee = create_offer(
        provider=shops[0],
        title="Kopje koffie met appeltaart",
        description="Af te halen aan de toonbank, elke dag behalve zondag.",
        price=Decimal(1),
        by=None,
    )
    create_offer(
        provider=shops[1],
        title="10% korting op een reparatie",
        description="Eén keer per persoon; zeg bij het afgeven dat u met Roosjes betaalt.",
        price=Decimal(2),
        stock=20,
        ends_on=timezone.localdate() + datetime.timedelta(days=90),
        by=None,
    )
    rich = [
        account.participant
        for account in Account.objects.filter(kind=Account.Kind.PARTICIPANT)
        .select_related("participant")
        .order_by("id")
        if balance(account) >= 1
    ]
    if rich:
        redeem_offer(offer=coffee, participant=rich[0], by=None)
    printed = print_vouchers(
        count=16,
        value=Decimal(1),
        by=None,
        description="Kerstactie: vouchers voor wie niet online is",
    )
    for number, code in enumerate(printed.codes[:5]):
        redeem_voucher(code=code, by=None, organisation=shops[number % 2])
    someone = Participant.objects.filter(erased_at=None).order_by("-id").first()
    if someone is not None:
        redeem_voucher(code=printed.codes[5], by=None, participant=someone)
