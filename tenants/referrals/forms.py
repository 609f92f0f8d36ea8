"""Forms for referrals and group visits (shape only; the services hold the rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.organisations.models import Organisation
from tijdvoorelkaar.forms import DateInput, ServiceErrorsMixin

from .models import GroupVisit, Referral
from .selectors import participant_choices


class ReferralInForm(ServiceErrorsMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Referral
        fields = [
            "participant",
            "referred_on",
            "institution",
            "referrer_name",
            "referrer_role",
            "reason",
            "category",
        ]
        widgets = {"referred_on": DateInput()}

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participant_choices()
        self.fields["institution"].required = True


class ReferralOutForm(ServiceErrorsMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Referral
        fields = ["participant", "referred_on", "service", "service_name", "reason", "category"]
        widgets = {"referred_on": DateInput()}

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = participant_choices()
        self.fields["service"].required = True


class ReferralFilterForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[("", _("Both directions")), ("in", _("Referred in")), ("out", _("Referred on"))],
    )


class GroupVisitForm(ServiceErrorsMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = GroupVisit
        fields = ["visited_on", "organisation", "group_name", "reached", "joined", "note"]
        widgets = {
            "visited_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
            "joined": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "organisation": _("Optional: the organisation the group belongs to."),
            "joined": _("Hold Ctrl (or Cmd) to choose several."),
        }

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["joined"].queryset = participant_choices()
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True)
