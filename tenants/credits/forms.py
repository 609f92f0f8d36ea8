"""The credits pages' forms: shape only; the services decide (their refusals come back on
the fields they name)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.organisations.models import Organisation
from tenants.people.forms import ParticipantField, ParticipantLookupMixin, ParticipantsField
from tenants.people.models import Participant
from tijdvoorelkaar.forms import ServiceErrorsMixin

from .services import MAX_AMOUNT


class AmountField(forms.DecimalField):
    """Hours in quarters; finer amounts reach the service, which says why they are refused."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 9)
        kwargs.setdefault("decimal_places", 4)
        super().__init__(
            min_value=None,
            widget=forms.NumberInput(attrs={"step": "0.25", "min": "0.25", "max": str(MAX_AMOUNT)}),
            localize=False,
            **kwargs,
        )


class RewardForm(ServiceErrorsMixin, ParticipantLookupMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("From the organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("The neighbourhood (the broker's own)"),
        help_text=_("Whose volunteers they are. Its own credits come from it."),
    )
    recipients = ParticipantsField(
        label=_("Volunteers"),
        help_text=_("Their numbers, separated by commas or spaces, or find them by name."),
    )
    amount_each = AmountField(label=_("Each gets"))
    description = forms.CharField(
        label=_("What for"), max_length=200, help_text=_("For example: Christmas action 2026.")
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class MemberRewardForm(ServiceErrorsMixin, forms.Form):
    """An organisation's member rewards its volunteers: ticked from its own people only."""

    recipients = forms.ModelMultipleChoiceField(
        label=_("Volunteers"),
        queryset=Participant.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The organisation's members and the people placed with it."),
    )
    amount_each = AmountField(label=_("Each gets"))
    description = forms.CharField(
        label=_("What for"), max_length=200, help_text=_("For example: Christmas action 2026.")
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, volunteers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["recipients"]
        field.queryset = volunteers  # type: ignore[attr-defined]
        field.label_from_instance = lambda participant: participant.display_name  # type: ignore[attr-defined]


class GiftForm(ServiceErrorsMixin, ParticipantLookupMixin, forms.Form):
    giver = ParticipantField(
        label=_("From"), help_text=_("Who thanks: it comes off their balance.")
    )
    receiver = ParticipantField(label=_("To"))
    amount = AmountField(label=_("How many"))
    description = forms.CharField(label=_("What for"), max_length=200)
    mediation = forms.IntegerField(widget=forms.HiddenInput, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class ThankForm(ServiceErrorsMixin, forms.Form):
    """A resident thanks the other side of a match (from the link in their mail)."""

    amount = AmountField(label=_("How many"))
    description = forms.CharField(label=_("A word of thanks"), max_length=200)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class ReverseForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why"), max_length=200, help_text=_("Shown on the statements of everyone involved.")
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class CreditSettingsForm(ServiceErrorsMixin, forms.Form):
    credit_max_balance = forms.DecimalField(
        label=_("Maximum balance of a participant"),
        required=False,
        max_digits=9,
        decimal_places=2,
        min_value=1,
        help_text=_("Empty: no maximum. Nobody can receive credits that take them above it."),
    )
    credit_expiry_months = forms.IntegerField(
        label=_("Credits expire after (months without use)"),
        required=False,
        min_value=1,
        max_value=120,
        help_text=_("Empty: credits never expire. People are told a month before theirs expire."),
    )

    @classmethod
    def initial_from(cls, neighbourhood: Any) -> dict[str, Any]:
        return {name: getattr(neighbourhood, name) for name in cls.base_fields}


class ExportForm(forms.Form):
    file_format = forms.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "XLSX")])
