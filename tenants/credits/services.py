"""Every write to the credits ledger. `make_transfer` is the one core: it checks the amounts
and the neighbourhood's limits, locks the accounts involved and writes one transfer with its
movements, all in one transaction. `reward_participants`, `give_credits` and
`reverse_transfer` say what a transfer means and call it.

Concurrency: the accounts of a transfer are locked (`SELECT ... FOR UPDATE`) in the order of
their ids before their balances are read, so two transfers from one account wait for each
other instead of both spending the same balance, and two transfers over the same accounts
cannot deadlock. The idempotency key is looked up after the locks, so a second submission
waits for the first and then finds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tenants.audit.actions import CREDIT_REWARD_BY_MEMBER
from tenants.audit.services import record_audit_event
from tenants.mediations.models import Mediation, MediationStatus
from tenants.organisations.models import Organisation
from tenants.people.models import Participant
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood

from .models import (
    AMOUNT_DIGITS,
    AMOUNT_PLACES,
    QUARTER,
    Account,
    Movement,
    Transfer,
    amount_text,
)
from .naming import amount_display
from .selectors import volunteers_of

# One person's share of one transfer: more than this is a typing error, not a thank-you.
MAX_AMOUNT = Decimal("100")
MAX_RECIPIENTS = 2000
# What a movement's column can hold; the core refuses more (an issuing account's side of a
# large reward is many shares at once).
MAX_MOVEMENT = Decimal(10) ** (AMOUNT_DIGITS - AMOUNT_PLACES) - 1

Posting = tuple[Account, Decimal]
ALREADY_REVERSED = gettext_noop("This transfer is already reversed.")
VOUCHER_KINDS = frozenset(
    {Transfer.Kind.VOUCHER_PRINT, Transfer.Kind.VOUCHER_REDEEM, Transfer.Kind.VOID}
)


def credits_settings() -> Neighbourhood:
    """The current neighbourhood's row as it is now (an admin may just have changed it), or
    a refusal when credits are off: the ledger is kept, but nothing moves."""
    neighbourhood = Neighbourhood.objects.get(pk=current_neighbourhood().pk)
    if not neighbourhood.credits_enabled:
        raise ValidationError({"credits_enabled": _("Time credits are off in this neighbourhood.")})
    return neighbourhood


def check_amount(amount: Decimal, *, field: str = "amount") -> Decimal:
    """Refuse what cannot be one person's share: zero, negative, finer than a quarter hour,
    absurdly large. Returns the amount at the ledger's precision."""
    if not isinstance(amount, Decimal | int) or isinstance(amount, bool):
        raise ValidationError({field: _("Give the amount as a number.")})
    amount = Decimal(amount)
    if not amount.is_finite():
        raise ValidationError({field: _("Give the amount as a number.")})
    if amount == 0:
        raise ValidationError({field: _("An amount of zero moves nothing.")})
    if amount < 0:
        raise ValidationError({field: _("Give a positive amount.")})
    if amount % QUARTER:
        raise ValidationError({field: _("Amounts are counted in quarter hours: 0.25, 0.5, 0.75 …")})
    if amount > MAX_AMOUNT:
        raise ValidationError(
            {field: _("At most %(max)s at once.") % {"max": amount_text(MAX_AMOUNT)}}
        )
    return amount.quantize(QUARTER)


def make_transfer(
    *,
    kind: str,
    postings: Sequence[Posting],
    by: Any,
    description: str,
    on_behalf_of: Participant | None = None,
    mediation: Mediation | None = None,
    ad: Any = None,
    idempotency_key: str | None = None,
    reverses: Transfer | None = None,
) -> Transfer:
    """Write one transfer: its movements (`postings`, one per account) sum to zero, no
    account that holds credits goes below zero, and no participant above the neighbourhood's
    maximum (a reversal, which gives back what was someone's, may). A known
    `idempotency_key` returns the transfer it made instead of making another."""
    neighbourhood = credits_settings()
    description = _check_postings_and_text(postings, description, idempotency_key)
    with transaction.atomic():
        locked = _lock_accounts([account.pk for account, _amount in postings])
        if idempotency_key:
            existing = Transfer.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing
        _check_limits(
            neighbourhood,
            [(locked[account.pk], amount) for account, amount in postings],
            enforce_maximum=kind != Transfer.Kind.REVERSAL,
        )
        try:
            with transaction.atomic():  # a savepoint: the race below must not end the outer one
                transfer = Transfer.objects.create(
                    kind=kind,
                    description=description,
                    made_by=by if getattr(by, "is_authenticated", False) else None,
                    on_behalf_of=on_behalf_of,
                    mediation=mediation,
                    ad=ad,
                    idempotency_key=idempotency_key or None,
                    reverses=reverses,
                )
        except IntegrityError:
            # Another submission with this key, or another reversal of this transfer, on
            # other accounts than ours, committed between our look-up and our insert.
            if idempotency_key:
                existing = Transfer.objects.filter(idempotency_key=idempotency_key).first()
                if existing is not None:
                    return existing
            if reverses is not None:
                raise ValidationError(
                    {"transfer": _("This transfer is already reversed.")}
                ) from None
            raise
        Movement.objects.bulk_create(
            Movement(transfer=transfer, account_id=account.pk, amount=amount)
            for account, amount in postings
        )
        record_audit_event(
            actor=by,
            action="credit_transfer.made",
            target=transfer,
            detail={"kind": kind, "movements": len(postings)},
        )
    return transfer


def _check_postings_and_text(
    postings: Sequence[Posting], description: str, idempotency_key: str | None
) -> str:
    accounts = [account.pk for account, _amount in postings]
    if len(postings) < 2 or None in accounts:
        raise ValidationError({"amount": _("A transfer moves credits between two accounts.")})
    if len(set(accounts)) != len(accounts):
        raise ValidationError({"amount": _("An account appears twice in one transfer.")})
    for _account, amount in postings:
        if (
            not isinstance(amount, Decimal)
            or not amount.is_finite()
            or amount == 0
            or amount % QUARTER
            or abs(amount) > MAX_MOVEMENT
        ):
            raise ValidationError({"amount": _("This amount cannot be booked.")})
    if sum(amount for _account, amount in postings) != 0:
        raise ValidationError({"amount": _("What leaves one account must arrive in another.")})
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Say in a few words what this is for.")})
    if len(description) > 200:
        raise ValidationError({"description": _("Keep it under 200 characters.")})
    if idempotency_key is not None and len(idempotency_key) > 64:
        raise ValidationError({"idempotency_key": _("At most 64 characters.")})
    return description


def _lock_accounts(account_ids: list[int]) -> dict[int, Account]:
    """Lock the accounts in one fixed order (their ids), so that two transfers over the same
    accounts wait for each other and never deadlock."""
    locked = Account.objects.select_for_update().filter(pk__in=account_ids).order_by("pk")
    return {account.pk: account for account in locked}


def balances_of(account_ids: Sequence[int]) -> dict[int, Decimal]:
    """Each account's balance: the sum of its movements (zero for an account without any)."""
    sums = (
        Movement.objects.filter(account_id__in=account_ids)
        .values("account_id")
        .annotate(total=Sum("amount"))
        .values_list("account_id", "total")
    )
    found = dict(sums)
    return {pk: found.get(pk, Decimal(0)) for pk in account_ids}


def _check_limits(
    neighbourhood: Neighbourhood, postings: list[Posting], *, enforce_maximum: bool
) -> None:
    maximum = neighbourhood.credit_max_balance
    # Only the balances a limit applies to: an issuing account's is never checked, and
    # summing its hundreds of thousands of movements would cost every reward.
    checked = [
        account.pk
        for account, amount in postings
        if (amount < 0 and not account.issues)
        or (amount > 0 and enforce_maximum and account.capped and maximum is not None)
    ]
    balances = balances_of(checked) if checked else {}
    for account, amount in postings:
        if account.pk not in balances:
            continue
        after = balances[account.pk] + amount
        if amount < 0 and not account.issues and after < 0:
            raise ValidationError(
                {
                    "amount": _("That is more than the balance: %(balance)s left.")
                    % {"balance": amount_display(balances[account.pk])}
                }
            )
        if amount > 0 and enforce_maximum and account.capped and maximum is not None:
            if after > maximum:
                raise ValidationError(
                    {
                        "amount": _("That would take someone above the maximum balance of %(max)s.")
                        % {"max": amount_display(maximum)}
                    }
                )


def account_for(
    *, kind: str, participant: Participant | None = None, organisation: Organisation | None = None
) -> Account:
    """The account of this kind and owner, opened on first use."""
    account, _created = Account.objects.get_or_create(
        kind=kind, participant=participant, organisation=organisation
    )
    return account


def participant_accounts(participants: Sequence[Participant]) -> list[Account]:
    """The participants' accounts in their order, opening the missing ones in one insert
    (a reward of hundreds of volunteers must not cost a query per person)."""
    kind = Account.Kind.PARTICIPANT
    Account.objects.bulk_create(
        [Account(kind=kind, participant=participant) for participant in participants],
        ignore_conflicts=True,
    )
    ids = [participant.pk for participant in participants]
    found = {a.participant_id: a for a in Account.objects.filter(kind=kind, participant_id__in=ids)}
    return [found[pk] for pk in ids]


def reward_participants(
    *,
    recipients: Sequence[Participant],
    amount_each: Decimal,
    by: Any,
    description: str,
    organisation: Organisation | None = None,
    idempotency_key: str | None = None,
    member: Participant | None = None,
) -> Transfer:
    """New credits for one volunteer or many, as one transfer from the organisation's
    issuing account (or the neighbourhood's when no organisation is named): all or none.
    A `member` of the organisation rewards on its behalf, only its members and the people
    placed with it; the audit log says which member did."""
    amount_each = check_amount(amount_each, field="amount_each")
    if not recipients:
        raise ValidationError({"recipients": _("Choose at least one person.")})
    if len(recipients) > MAX_RECIPIENTS:
        raise ValidationError(
            {"recipients": _("At most %(max)s people at once.") % {"max": MAX_RECIPIENTS}}
        )
    if len({participant.pk for participant in recipients}) != len(recipients):
        raise ValidationError({"recipients": _("Someone is listed twice.")})
    if any(participant.erased_at for participant in recipients):
        raise ValidationError({"recipients": _("Someone in the list has been erased.")})
    if member is not None:
        check_member_reward(member, organisation, recipients)
    with transaction.atomic():
        if member is not None and organisation is not None:
            done = (
                bool(idempotency_key)
                and Transfer.objects.filter(idempotency_key=idempotency_key).exists()
            )
            transfer = reward_participants(
                recipients=recipients,
                amount_each=amount_each,
                by=by,
                description=description,
                organisation=organisation,
                idempotency_key=idempotency_key,
            )
            if not done:
                record_audit_event(
                    actor=by,
                    action=CREDIT_REWARD_BY_MEMBER,
                    target=transfer,
                    detail={"organisation": organisation.pk, "participant": member.pk},
                )
            return transfer
        if organisation is None:
            source = account_for(kind=Account.Kind.NEIGHBOURHOOD_ISSUING)
        else:
            source = account_for(kind=Account.Kind.ORGANISATION_ISSUING, organisation=organisation)
        receiving = participant_accounts(recipients)
        return make_transfer(
            kind=Transfer.Kind.REWARD,
            postings=[
                (source, -amount_each * len(receiving)),
                *((account, amount_each) for account in receiving),
            ],
            by=by,
            description=description,
            idempotency_key=idempotency_key,
        )


def check_member_reward(
    member: Participant, organisation: Organisation | None, recipients: Sequence[Participant]
) -> None:
    """An organisation's member rewards only for it, and only its members and placements."""
    if organisation is None or not organisation.members.filter(pk=member.pk).exists():
        raise ValidationError({"organisation": _("Only its members reward for an organisation.")})
    allowed = set(volunteers_of(organisation).values_list("pk", flat=True))
    if any(participant.pk not in allowed for participant in recipients):
        raise ValidationError(
            {"recipients": _("Choose among the organisation's members and volunteers.")}
        )


def give_credits(
    *,
    giver: Participant,
    receiver: Participant,
    amount: Decimal,
    by: Any,
    description: str,
    mediation: Mediation | None = None,
    idempotency_key: str | None = None,
) -> Transfer:
    """A thank-you from one participant to another, from the giver's own balance; by the
    giver, or recorded for them by a broker (then it is made on their behalf). Linked to a
    mediation, it must be one between the two that ended in a match."""
    amount = check_amount(amount)
    if giver.pk == receiver.pk:
        raise ValidationError({"receiver": _("Nobody can give credits to themselves.")})
    if receiver.erased_at:
        raise ValidationError({"receiver": _("This participant has been erased.")})
    if mediation is not None and (
        mediation.status != MediationStatus.MATCH
        or {mediation.requester_id, mediation.provider_id} != {giver.pk, receiver.pk}
    ):
        raise ValidationError(
            {"mediation": _("Choose a mediation between these two that ended in a match.")}
        )
    with transaction.atomic():
        source = account_for(kind=Account.Kind.PARTICIPANT, participant=giver)
        target = account_for(kind=Account.Kind.PARTICIPANT, participant=receiver)
        return make_transfer(
            kind=Transfer.Kind.GIFT,
            postings=[(source, -amount), (target, amount)],
            by=by,
            description=description,
            on_behalf_of=None
            if giver.user_id and giver.user_id == getattr(by, "pk", None)
            else giver,
            mediation=mediation,
            idempotency_key=idempotency_key,
        )


def reverse_transfer(
    *, transfer: Transfer, by: Any, reason: str, idempotency_key: str | None = None
) -> Transfer:
    """Undo a transfer by its mirror image, with the reason as its description. Refused
    when a holder has already spent what it gave them (their balance would go below zero)."""
    if idempotency_key:  # a second click on "reverse" gets the first click's reversal
        earlier = Transfer.objects.filter(idempotency_key=idempotency_key, reverses=transfer)
        if (existing := earlier.first()) is not None:
            return existing
    if transfer.kind == Transfer.Kind.REVERSAL:
        raise ValidationError(
            {"transfer": _("A reversal is not reversed: make a new transfer instead.")}
        )
    if transfer.kind in VOUCHER_KINDS:  # the vouchers account must match the paper out
        raise ValidationError(
            {"transfer": _("Vouchers are undone by voiding their batch, not by a reversal.")}
        )
    if Transfer.objects.filter(reverses=transfer).exists():
        raise ValidationError({"transfer": _(ALREADY_REVERSED)})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why this transfer is reversed.")})
    movements = list(transfer.movements.select_related("account"))
    try:
        return make_transfer(
            kind=Transfer.Kind.REVERSAL,
            postings=[(movement.account, -movement.amount) for movement in movements],
            by=by,
            description=reason,
            mediation=transfer.mediation,
            idempotency_key=idempotency_key,
            reverses=transfer,
        )
    except ValidationError as error:
        if "description" in error.message_dict:
            raise ValidationError({"reason": error.message_dict["description"]}) from None
        raise


def _acts_for_self(by: Any, participant: Participant) -> bool:
    return participant.user_id is not None and participant.user_id == getattr(by, "pk", None)
