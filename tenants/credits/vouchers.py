"""Paper vouchers: a printed batch, a code handed in once, a batch voided.

Printing N vouchers worth M moves N×M from the issuing account to the vouchers-in-
circulation account (one transfer); handing one in moves M from there to the provider (or the
participant who enters it); voiding a batch moves what is left of it back to where it came
from. So the vouchers account always holds exactly the value of the vouchers still out.

Codes: 12 characters from an alphabet without look-alikes (no 0/O, 1/I), printed as three
groups of four, 60 random bits from `secrets`. Only their SHA-256 is kept, so a copy of the
database spends nothing; the consequence is that a sheet is printed once (the PDF comes with
the print) and a lost sheet is voided and printed anew. 60 bits and a budget of failed tries
per address make guessing hopeless.

Lock order: batch, then voucher, then accounts (by id in `make_transfer`)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.organisations.models import Organisation
from tenants.people.models import Participant

from .models import Account, Transfer, Voucher, VoucherBatch
from .services import account_for, check_amount, credits_settings, make_transfer

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 12
GROUP = 4
MAX_VOUCHERS = 200


@dataclass(frozen=True)
class PrintedBatch:
    """A batch just printed with its codes in sheet order; `codes` is empty when the same
    submission came again (the codes were only ever in the first answer)."""

    batch: VoucherBatch
    codes: list[str]


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def normalise_code(text: str) -> str:
    """What someone typed, as the code it means: case, spaces and dashes do not matter."""
    return "".join(ch for ch in str(text or "").upper() if ch.isalnum())


def code_hash(text: str) -> str:
    return hashlib.sha256(normalise_code(text).encode()).hexdigest()


def print_vouchers(
    *,
    count: int,
    value: Decimal,
    by: Any,
    description: str,
    idempotency_key: str | None = None,
) -> PrintedBatch:
    """A batch of `count` vouchers worth `value` each, issued by the neighbourhood: one
    transfer into the vouchers account, and the new codes (to print now: only their hashes
    are kept)."""
    credits_settings()
    value = check_amount(value, field="value")
    if isinstance(count, bool) or not isinstance(count, int) or not 0 < count <= MAX_VOUCHERS:
        raise ValidationError(
            {"count": _("Print from 1 to %(max)s vouchers at once.") % {"max": MAX_VOUCHERS}}
        )
    with transaction.atomic():
        issuing = account_for(kind=Account.Kind.NEIGHBOURHOOD_ISSUING)
        transfer = make_transfer(
            kind=Transfer.Kind.VOUCHER_PRINT,
            postings=[(issuing, -value * count), (_vouchers_account(), value * count)],
            by=by,
            description=description,
            idempotency_key=idempotency_key,
        )
        earlier = VoucherBatch.objects.filter(print_transfer=transfer).first()
        if earlier is not None:
            return PrintedBatch(batch=earlier, codes=[])
        batch = VoucherBatch.objects.create(
            value=value,
            count=count,
            description=transfer.description,
            issuing_account=issuing,
            printed_by=by if getattr(by, "is_authenticated", False) else None,
            print_transfer=transfer,
        )
        codes = [new_code() for _ in range(count)]
        Voucher.objects.bulk_create(
            Voucher(batch=batch, number=number, code_hash=code_hash(code))
            for number, code in enumerate(codes, start=1)
        )
        record_audit_event(
            actor=by, action="voucher_batch.printed", target=batch, detail={"count": count}
        )
    return PrintedBatch(batch=batch, codes=codes)


def _vouchers_account() -> Account:
    return account_for(kind=Account.Kind.VOUCHERS)


def redeem_voucher(
    *,
    code: str,
    by: Any,
    organisation: Organisation | None = None,
    participant: Participant | None = None,
) -> Voucher:
    """Hand in a voucher: its value goes to `organisation` (a provider) or `participant`
    (who entered it). A code works once; a used one says when and where it was used."""
    credits_settings()
    if (organisation is None) == (participant is None):
        raise ValidationError({"code": _("Say who receives the voucher's value.")})
    found = Voucher.objects.filter(code_hash=code_hash(code)).values_list("pk", "batch_id").first()
    if len(normalise_code(code)) != CODE_LENGTH or found is None:
        raise ValidationError({"code": _("This code is not known. Check it and try again.")})
    voucher_pk, batch_pk = found
    with transaction.atomic():
        batch = VoucherBatch.objects.select_for_update().get(pk=batch_pk)
        voucher = Voucher.objects.select_for_update().get(pk=voucher_pk)
        _check_unused(batch, voucher)
        if organisation is not None:
            receiving = account_for(kind=Account.Kind.ORGANISATION, organisation=organisation)
        else:
            receiving = account_for(kind=Account.Kind.PARTICIPANT, participant=participant)
        transfer = make_transfer(
            kind=Transfer.Kind.VOUCHER_REDEEM,
            postings=[(_vouchers_account(), -batch.value), (receiving, batch.value)],
            by=by,
            description=_("Voucher %(batch)s-%(number)s")
            % {"batch": batch.pk, "number": voucher.number},
        )
        voucher.redeemed_at = transfer.made_at
        voucher.redeem_transfer = transfer
        voucher.redeemed_into = receiving
        voucher.save(update_fields=["redeemed_at", "redeem_transfer", "redeemed_into"])
        voucher.batch = batch
    return voucher


def _check_unused(batch: VoucherBatch, voucher: Voucher) -> None:
    if voucher.redeemed_at is not None:
        raise ValidationError(
            {
                "code": _("This voucher was already handed in on %(when)s, at %(where)s.")
                % {
                    "when": formats.date_format(
                        timezone.localtime(voucher.redeemed_at), "DATETIME_FORMAT"
                    ),
                    "where": where_handed_in(voucher),
                }
            }
        )
    if batch.voided_at is not None:
        raise ValidationError(
            {
                "code": _("This voucher is no longer valid: its batch was voided on %(when)s.")
                % {"when": formats.date_format(timezone.localtime(batch.voided_at), "DATE_FORMAT")}
            }
        )


def where_handed_in(voucher: Voucher) -> str:
    """An organisation by its name; a participant not by theirs (a shop need not learn who
    else had a voucher)."""
    account = Account.objects.select_related("organisation").get(pk=voucher.redeemed_into_id)
    if account.organisation_id:
        return account.organisation.name  # type: ignore[union-attr]
    return _("a participant")


def void_batch(*, batch: VoucherBatch, by: Any, reason: str) -> VoucherBatch:
    """Void every voucher of the batch not yet handed in: their value goes back to the
    account it was issued from, by one compensating transfer with the reason."""
    credits_settings()
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why this batch is voided.")})
    with transaction.atomic():
        locked = VoucherBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.voided_at is not None:
            raise ValidationError({"batch": _("This batch is already voided.")})
        left = len(
            Voucher.objects.select_for_update().filter(batch=locked, redeemed_at=None).values("pk")
        )
        if left:
            try:
                locked.void_transfer = make_transfer(
                    kind=Transfer.Kind.VOID,
                    postings=[
                        (_vouchers_account(), -locked.value * left),
                        (locked.issuing_account, locked.value * left),
                    ],
                    by=by,
                    description=reason,
                )
            except ValidationError as error:
                if "description" in error.message_dict:
                    raise ValidationError({"reason": error.message_dict["description"]}) from None
                raise
        locked.voided_at = timezone.now()
        locked.save(update_fields=["voided_at", "void_transfer"])
        record_audit_event(
            actor=by, action="voucher_batch.voided", target=locked, detail={"voided": left}
        )
    return locked


def batches_with_counts() -> QuerySet[VoucherBatch]:
    return VoucherBatch.objects.annotate(
        handed_in=Count("vouchers", filter=Q(vouchers__redeemed_at__isnull=False))
    ).order_by("-printed_at", "-id")
