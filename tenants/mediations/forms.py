"""Forms of the mediations pages: shape only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.market.models import Ad, AdKind, AdStatus
from tenants.organisations.models import Organisation
from tenants.people.forms import ParticipantField, ParticipantLookupMixin
from tijdvoorelkaar.forms import DateInput, ServiceErrorsMixin

from .models import MediationStatus
from .selectors import open_ads_of
from .services import TRANSITIONS


class AdChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_kind_display()}: {obj.title} ({obj.participant.display_name})"


ACTIVE_CHOICES = [("", _("All")), ("yes", _("Supported by the broker")), ("no", _("Via the site"))]


class MediationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *MediationStatus.choices], required=False
    )
    active = forms.ChoiceField(label=_("How it came about"), choices=ACTIVE_CHOICES, required=False)
    started_from = forms.DateField(
        label=_("Started on or after"), required=False, widget=DateInput()
    )
    started_to = forms.DateField(
        label=_("Started on or before"), required=False, widget=DateInput()
    )
    participant = ParticipantField(label=_("Participant"), required=False)

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "status": data["status"],
            "active": {"yes": True, "no": False}.get(data["active"]),
            "started_from": data["started_from"],
            "started_to": data["started_to"],
            "participant": data["participant"],
        }


class MediationForm(ServiceErrorsMixin, ParticipantLookupMixin, forms.Form):
    """Record an active mediation. The ads to choose from are the open ads of the sides chosen
    (after "Show their ads", or prefilled from a suggestion)."""

    lookup_buttons = ("lookup", "show_ads")

    requester = ParticipantField(label=_("Asking"))
    provider = ParticipantField(label=_("Giving: a participant"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("or an organisation"), queryset=None, required=False
    )
    ads = AdChoiceField(
        label=_("Ads involved"),
        queryset=Ad.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The open ads of both sides. Choose the sides and press “Show their ads”."),
    )
    started_on = forms.DateField(label=_("Started on"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True)
        self.fields["started_on"].initial = timezone.localdate()
        source = self.data if self.is_bound else self.initial
        if self.is_bound:
            ids = [
                _int(self.fields[name].widget.value_from_datadict(self.data, None, name))
                for name in ("requester", "provider")
            ]
        else:
            ids = [_int(source.get(name)) for name in ("requester", "provider")]
        self.fields["ads"].queryset = open_ads_of(
            participant_ids=[pk for pk in ids if pk],
            organisation_id=_int(source.get("organisation")),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("provider") and data.get("organisation"):
            raise ValidationError(_("Choose a participant or an organisation, not both."))
        return data


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class StatusForm(ServiceErrorsMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=(), widget=forms.RadioSelect)
    ended_on = forms.DateField(
        label=_("Ended on"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for today. Not needed when reopening."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "In a few words: why it worked out or not. Required for no match and cancelled."
        ),
    )

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS[MediationStatus(current)]
        labels = {MediationStatus.OPEN: _("Reopen")}
        self.fields["status"].choices = [
            (status.value, labels.get(status, status.label))
            for status in MediationStatus
            if status in allowed
        ]


class FollowUpDoneForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(
        label=_("Short note"), max_length=300, required=False, help_text=_("Optional.")
    )


class PlacementForm(ServiceErrorsMixin, ParticipantLookupMixin, forms.Form):
    participant = ParticipantField(label=_("Participant"))
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    vacancy = forms.ModelChoiceField(label=_("Vacancy"), queryset=None, required=False)
    started_on = forms.DateField(label=_("Started on"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True).defer(
            "description"
        )
        # Every vacancy is an option: their texts and search vectors stay in the database.
        self.fields["vacancy"].queryset = Ad.objects.filter(
            kind=AdKind.VACANCY, status__in=[AdStatus.PUBLISHED, AdStatus.CLOSED]
        ).defer("body", "search_vector")
        self.fields["started_on"].initial = timezone.localdate()


class EndPlacementForm(ServiceErrorsMixin, forms.Form):
    ended_on = forms.DateField(
        label=_("Ended on"), required=False, widget=DateInput(), help_text=_("Empty: today.")
    )
