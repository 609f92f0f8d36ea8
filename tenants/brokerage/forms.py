"""Forms of the broker's workspace (shape only; the services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.market.models import AdKind, Category
from tenants.organisations.models import Organisation
from tenants.people.models import SubArea
from tijdvoorelkaar.forms import DateInput, ServiceErrorsMixin
from tijdvoorelkaar.translated_names import english_name_field

from .models import Channel, RoutingStep


class StepNameForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name of the step in Dutch"), max_length=80)
    name_en = english_name_field()


class MoveForm(forms.Form):
    step = forms.ModelChoiceField(
        label=_("Move to step"), queryset=RoutingStep.objects.filter(is_active=True)
    )


class BoardFilterForm(forms.Form):
    sub_area = forms.ModelChoiceField(
        label=_("Sub-area"),
        queryset=SubArea.objects.all(),
        required=False,
        empty_label=_("All sub-areas"),
    )
    step = forms.ModelChoiceField(
        label=_("Step"),
        queryset=RoutingStep.objects.filter(is_active=True),
        required=False,
        empty_label=_("All steps"),
    )


class ConversationForm(ServiceErrorsMixin, forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    channel = forms.ChoiceField(label=_("How"), choices=Channel.choices, widget=forms.RadioSelect)
    summary = forms.CharField(
        label=_("Short summary"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences; no medical or other sensitive details."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=300,
        required=False,
        help_text=_("For your colleagues; it is not sent to the participant."),
    )


BROKER_AD_KINDS = [
    (AdKind.REQUEST.value, AdKind.REQUEST.label),
    (AdKind.OFFER.value, AdKind.OFFER.label),
]


class BrokerAdForm(ServiceErrorsMixin, forms.Form):
    """An ad for a participant; for a member of an organisation also its volunteer vacancy."""

    kind = forms.ChoiceField(label=_("Kind"), choices=BROKER_AD_KINDS, widget=forms.RadioSelect)
    organisation = forms.ModelChoiceField(
        label=_("For the organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Only for a volunteer vacancy."),
    )
    title = forms.CharField(label=_("Title"), max_length=100)
    body = forms.CharField(
        label=_("Text"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True)
    )
    sub_area = forms.ModelChoiceField(
        label=_("Sub-area"), queryset=SubArea.objects.all(), required=False
    )
    when = forms.CharField(label=_("When or how often"), max_length=120, required=False)

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations:  # the participant posts for these: a vacancy is possible too
            self.fields["kind"].choices = [
                *BROKER_AD_KINDS,
                (AdKind.VACANCY.value, AdKind.VACANCY.label),
            ]
            self.fields["organisation"].queryset = organisations
        else:
            del self.fields["organisation"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "organisation" not in self.fields:
            return data
        if data.get("kind") == AdKind.VACANCY and not data.get("organisation"):
            self.add_error("organisation", _("Choose the organisation the vacancy is for."))
        if data.get("kind") != AdKind.VACANCY:
            data["organisation"] = None
        return data


class BrokerAdEditForm(BrokerAdForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]  # a request does not become an offer: place a new ad instead
        self.fields.pop("organisation", None)
