"""The time-credits ledger of a neighbourhood ("Roosjes"), double-entry.

A `Transfer` is one event (a reward, a gift, a reversal ...); its `Movement`s say which
accounts gain and lose how much, and always sum to zero. An account's balance is the sum of
its movements: there is no balance column to drift from it. Transfers and movements are
written once, by `services.py`, and never changed or deleted: a mistake is undone by a
reversal, a transfer of its own. The invariants are in docs/architecture.md#the-credits-ledger.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.market.models import Ad
from tenants.mediations.models import Mediation
from tenants.organisations.models import Organisation
from tenants.people.models import Participant
from tijdvoorelkaar.user_keys import user_reference

# Amounts are hours, counted in quarter hours: the smallest thing anyone thanks a neighbour
# for is a short errand, and a quarter is what brokers already write down.
AMOUNT_DIGITS = 9
AMOUNT_PLACES = 2
QUARTER = Decimal("0.25")


def amount_field(verbose_name: str) -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(verbose_name, max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES)


def amount_text(amount: Decimal, *, signed: bool = False) -> str:
    """An amount as people write it: 2, 0.5, 1.25 (no trailing zeros, no exponent)."""
    return f"{amount.normalize():{'+' if signed else ''}f}"


class Account(models.Model):
    class Kind(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        ORGANISATION = "organisation", _("Organisation")
        ORGANISATION_ISSUING = "organisation_issuing", _("Issued by an organisation")
        NEIGHBOURHOOD_ISSUING = "neighbourhood_issuing", _("Issued by the neighbourhood")
        VOUCHERS = "vouchers", _("Vouchers in circulation")

    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    # No index of its own: credit_account_one_per_participant is one on it.
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_accounts",
        db_index=False,
    )
    # No index of its own: credit_account_one_per_organisation_kind leads with it (partial, for
    # keys that are set, which is every row a lookup by organisation can find).
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_accounts",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("credit account")
        verbose_name_plural = _("credit accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="participant", participant__isnull=False, organisation=None)
                | Q(
                    kind__in=["organisation", "organisation_issuing"],
                    participant=None,
                    organisation__isnull=False,
                )
                | Q(
                    kind__in=["neighbourhood_issuing", "vouchers"],
                    participant=None,
                    organisation=None,
                ),
                name="credit_account_owner_matches_kind",
            ),
            # Without a condition: only a participant's account has one (the check above),
            # and as a whole index it serves every lookup by participant, kind or not.
            models.UniqueConstraint(
                fields=["participant"], name="credit_account_one_per_participant"
            ),
            models.UniqueConstraint(
                fields=["organisation", "kind"],
                condition=Q(organisation__isnull=False),
                name="credit_account_one_per_organisation_kind",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind__in=["neighbourhood_issuing", "vouchers"]),
                name="credit_account_one_neighbourhood_account_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"credit account {self.pk}"

    @property
    def issues(self) -> bool:
        """Issuing accounts are where credits come from: their balance is minus what they
        handed out, so they alone may go below zero."""
        return self.kind in (self.Kind.ORGANISATION_ISSUING, self.Kind.NEIGHBOURHOOD_ISSUING)

    @property
    def capped(self) -> bool:
        """The neighbourhood's maximum balance applies to what a participant holds."""
        return self.kind == self.Kind.PARTICIPANT


class Transfer(models.Model):
    class Kind(models.TextChoices):
        REWARD = "reward", _("Reward")
        GIFT = "gift", _("Gift")
        REDEMPTION = "redemption", _("Redemption")
        VOUCHER_PRINT = "voucher_print", _("Vouchers printed")
        VOUCHER_REDEEM = "voucher_redeem", _("Voucher handed in")
        VOID = "void", _("Vouchers voided")
        REVERSAL = "reversal", _("Reversal")
        EXPIRY = "expiry", _("Expiry")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200)
    made_by = user_reference()
    made_at = models.DateTimeField(_("made at"), default=timezone.now, db_index=True)
    # The participant a broker or an organisation acted for (someone without a computer).
    on_behalf_of = models.ForeignKey(
        Participant,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_transfers_made_for",
        db_index=False,  # shown, never filtered by; only a participant's removal looks
    )
    mediation = models.ForeignKey(
        Mediation,
        verbose_name=_("mediation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_transfers",
    )
    ad = models.ForeignKey(
        Ad,
        verbose_name=_("ad"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="credit_transfers",
    )
    # A double click or a retried API call carries the same key: one transfer.
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=64, null=True, blank=True, unique=True
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )

    class Meta:
        ordering = ["-made_at", "-id"]
        verbose_name = _("credit transfer")
        verbose_name_plural = _("credit transfers")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="reversal", reverses__isnull=False)
                | (~Q(kind="reversal") & Q(reverses=None)),
                name="credit_transfer_reversal_names_its_transfer",
            ),
        ]

    def __str__(self) -> str:
        return f"credit transfer {self.pk}"


class Movement(models.Model):
    # Keyed by (transfer, account), one movement per account in a transfer (docs/adr/0011):
    # nothing refers to a movement or names one by an id. No indexes of their own: the key
    # leads with the transfer, credit_movement_account with the account.
    pk = models.CompositePrimaryKey("transfer", "account")
    transfer = models.ForeignKey(
        Transfer,
        verbose_name=_("transfer"),
        on_delete=models.PROTECT,
        related_name="movements",
        db_index=False,
    )
    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="movements",
        db_index=False,
    )
    amount = amount_field(_("amount"))

    class Meta:
        # Within a transfer what leaves before what arrives (the order every transfer but a
        # reversal was written in), then by account: a reward's recipients by account.
        ordering = ["transfer_id", "amount", "account_id"]
        verbose_name = _("credit movement")
        verbose_name_plural = _("credit movements")
        indexes = [models.Index(fields=["account", "transfer"], name="credit_movement_account")]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="credit_movement_not_zero"),
        ]

    def __str__(self) -> str:
        return f"credit movement of transfer {self.transfer_id} on account {self.account_id}"


class Offer(models.Model):
    """What an organisation or shop gives for credits: a cup of tea, a discount on a course.
    Redeeming it moves `price` from the participant to the provider's account."""

    provider = models.ForeignKey(  # no index: tens of offers, scanned
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="credit_offers",
        db_index=False,
    )
    title = models.CharField(_("title"), max_length=100)
    # Bounded in the table, not only in the form and the API: with every column bounded a row
    # always fits a page, and the table is stored without TOAST (docs/adr/0013).
    description = models.CharField(_("description"), max_length=1000, blank=True)
    price = amount_field(_("price"))
    # None: as many as people want; counted down under the offer's row lock.
    stock = models.PositiveIntegerField(_("stock"), null=True, blank=True)
    ends_on = models.DateField(_("available until"), null=True, blank=True)
    created_by = user_reference()
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="credit_offer_price_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def price_text(self) -> str:
        return amount_text(self.price)


class Redemption(models.Model):
    """One offer taken: by whom, and the transfer that paid for it."""

    # No indexes: hundreds of redemptions a year; an offer's or a resident's list scans them.
    offer = models.ForeignKey(
        Offer,
        verbose_name=_("offer"),
        on_delete=models.PROTECT,
        related_name="redemptions",
        db_index=False,
    )
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="credit_redemptions",
        db_index=False,
    )
    transfer = models.OneToOneField(
        Transfer, verbose_name=_("transfer"), on_delete=models.PROTECT, related_name="redemption"
    )
    redeemed_at = models.DateTimeField(_("redeemed at"), default=timezone.now)

    class Meta:
        ordering = ["-redeemed_at", "-id"]
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")

    def __str__(self) -> str:
        return f"redemption {self.pk}"


class VoucherBatch(models.Model):
    """A sheet of paper vouchers printed at once: `count` vouchers worth `value` each, backed
    by one transfer from the issuing account to the vouchers-in-circulation account."""

    value = amount_field(_("value"))
    count = models.PositiveIntegerField(_("number of vouchers"))
    description = models.CharField(_("description"), max_length=200)
    # No index: nothing lists batches by account, and an account is never deleted (the
    # ledger keeps it), so nothing looks batches up by it (benchmarks.md, "Schema footprint").
    issuing_account = models.ForeignKey(
        Account,
        verbose_name=_("issued from"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    printed_by = user_reference()
    printed_at = models.DateTimeField(_("printed at"), default=timezone.now)
    print_transfer = models.OneToOneField(
        Transfer, verbose_name=_("print transfer"), on_delete=models.PROTECT, related_name="+"
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_transfer = models.OneToOneField(
        Transfer,
        verbose_name=_("void transfer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-printed_at", "-id"]
        verbose_name = _("voucher batch")
        verbose_name_plural = _("voucher batches")

    def __str__(self) -> str:
        return f"voucher batch {self.pk}"

    @property
    def value_text(self) -> str:
        return amount_text(self.value)


class Voucher(models.Model):
    """One paper voucher. Only a hash of its code is kept (docs/features/credits.md#paper-
    vouchers): whoever reads the database cannot spend what is in circulation."""

    batch = models.ForeignKey(  # no index of its own: credit_voucher_number leads with it
        VoucherBatch,
        verbose_name=_("batch"),
        on_delete=models.PROTECT,
        related_name="vouchers",
        db_index=False,
    )
    number = models.PositiveIntegerField(_("number"))  # its place on the sheet: 1, 2, ...
    code_hash = models.CharField(max_length=64, unique=True)
    redeemed_at = models.DateTimeField(_("handed in at"), null=True, blank=True)
    redeem_transfer = models.OneToOneField(
        Transfer,
        verbose_name=_("transfer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="voucher",
    )
    # Where it was handed in: the account that received its value.
    redeemed_into = models.ForeignKey(  # no index, as VoucherBatch.issuing_account
        Account,
        verbose_name=_("handed in at"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["batch_id", "number"]
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        constraints = [
            models.UniqueConstraint(fields=["batch", "number"], name="credit_voucher_number"),
        ]

    def __str__(self) -> str:
        return f"voucher {self.pk}"
