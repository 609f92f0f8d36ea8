"""Redemption offers: what organisations and shops give for credits, and taking one.

Redeeming moves the offer's price from the participant's account to the provider's in one
transfer. The offer's row is locked first (then the accounts, in `make_transfer`), so two
people taking the last one wait for each other and only one gets it: stock never goes below
zero. Lock order everywhere: offer, then accounts by id."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.organisations.models import Organisation
from tenants.people.models import Participant
from tijdvoorelkaar.accounts.models import STAFF_ROLES

from .models import Account, Offer, Redemption, Transfer
from .services import account_for, check_amount, credits_settings, make_transfer

MAX_STOCK = 10_000


def organisations_run_by(user: Any) -> QuerySet[Organisation]:
    """The organisations whose offers this user manages: staff every one, an organisation's
    member their own, anyone else none."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    if user.role in STAFF_ROLES:
        return Organisation.objects.all()
    return Organisation.objects.filter(members__user=user).distinct()


def available_offers() -> QuerySet[Offer]:
    """Offers people can take today: not withdrawn, not ended, not sold out."""
    today = timezone.localdate()
    return (
        Offer.objects.filter(withdrawn_at=None)
        .filter(Q(ends_on=None) | Q(ends_on__gte=today))
        .filter(Q(stock=None) | Q(stock__gt=0))
        .select_related("provider")
        .order_by("title", "id")
    )


def offers_managed_by(user: Any) -> QuerySet[Offer]:
    return Offer.objects.filter(provider__in=organisations_run_by(user)).select_related("provider")


def redemptions_received_by(user: Any) -> QuerySet[Redemption]:
    """What was redeemed with the user's organisations (staff: with every one), newest first."""
    return (
        Redemption.objects.filter(offer__provider__in=organisations_run_by(user))
        .select_related("offer__provider", "participant", "transfer")
        .order_by("-redeemed_at", "-id")
    )


def create_offer(
    *,
    provider: Organisation,
    title: str,
    price: Decimal,
    by: Any,
    description: str = "",
    stock: int | None = None,
    ends_on: datetime.date | None = None,
) -> Offer:
    """A new offer of `provider`, made by its member or by staff."""
    credits_settings()
    # by=None: the system itself (the demo); pages and the API always pass the user.
    if by is not None and not organisations_run_by(by).filter(pk=provider.pk).exists():
        raise ValidationError(
            {"provider": _("You can only make offers for your own organisation.")}
        )
    price = check_amount(price, field="price")
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the offer a title.")})
    if len(title) > 100:
        raise ValidationError({"title": _("Keep it under 100 characters.")})
    if len(description or "") > 1000:
        raise ValidationError({"description": _("Keep it under 1,000 characters.")})
    if stock is not None and not 0 < stock <= MAX_STOCK:
        raise ValidationError(
            {"stock": _("Give a number from 1 to %(max)s, or leave it empty.") % {"max": MAX_STOCK}}
        )
    if ends_on is not None and ends_on < timezone.localdate():
        raise ValidationError({"ends_on": _("That day has passed.")})
    with transaction.atomic():
        offer = Offer.objects.create(
            provider=provider,
            title=title,
            description=(description or "").strip(),
            price=price,
            stock=stock,
            ends_on=ends_on,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        record_audit_event(actor=by, action="credit_offer.created", target=offer)
    return offer


def withdraw_offer(*, offer: Offer, by: Any) -> Offer:
    """Take an offer off the list; what was redeemed stays."""
    credits_settings()
    if not organisations_run_by(by).filter(pk=offer.provider_id).exists():
        raise ValidationError({"offer": _("You can only withdraw your own organisation's offers.")})
    with transaction.atomic():
        if offer.withdrawn_at is None:
            offer.withdrawn_at = timezone.now()
            offer.save(update_fields=["withdrawn_at"])
            record_audit_event(actor=by, action="credit_offer.withdrawn", target=offer)
    return offer


def redeem_offer(
    *, offer: Offer, participant: Participant, by: Any, idempotency_key: str | None = None
) -> Redemption:
    """`participant` takes the offer: its price goes from their account to the provider's,
    in one transfer, and one of its stock is gone. By the participant, or by a broker on
    their behalf. The same `idempotency_key` twice is one redemption."""
    credits_settings()
    if participant.erased_at:
        raise ValidationError({"participant": _("This participant has been erased.")})
    with transaction.atomic():
        locked = Offer.objects.select_for_update().select_related("provider").get(pk=offer.pk)
        if idempotency_key:
            earlier = Redemption.objects.filter(transfer__idempotency_key=idempotency_key).first()
            if earlier is not None:
                return earlier
        _check_available(locked)
        transfer = make_transfer(
            kind=Transfer.Kind.REDEMPTION,
            postings=[
                (
                    account_for(kind=Account.Kind.PARTICIPANT, participant=participant),
                    -locked.price,
                ),
                (
                    account_for(kind=Account.Kind.ORGANISATION, organisation=locked.provider),
                    locked.price,
                ),
            ],
            by=by,
            description=locked.title,
            on_behalf_of=None if _is_self(by, participant) else participant,
            idempotency_key=idempotency_key,
        )
        if locked.stock is not None:
            Offer.objects.filter(pk=locked.pk).update(stock=F("stock") - 1)
        return Redemption.objects.create(offer=locked, participant=participant, transfer=transfer)


def _check_available(offer: Offer) -> None:
    ended = offer.ends_on is not None and offer.ends_on < timezone.localdate()
    if offer.withdrawn_at is not None or ended:
        raise ValidationError({"offer": _("This offer is no longer available.")})
    if offer.stock is not None and offer.stock <= 0:
        raise ValidationError({"offer": _("This offer is sold out.")})


def _is_self(by: Any, participant: Participant) -> bool:
    """Whether the participant acts themselves: signed in by a link (no user) or as the
    user they are."""
    if not getattr(by, "is_authenticated", False):
        return True
    return participant.user_id is not None and participant.user_id == by.pk
