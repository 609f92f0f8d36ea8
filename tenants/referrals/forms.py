"""Forms for referrals and group visits (shape only; the services hold the rules)."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from tenants.organisations.models import Organisation
from tenants.people.forms import ParticipantField, ParticipantLookupMixin, ParticipantsField
from tijdvoorelkaar.forms import DateInput, ServiceErrorsMixin

from .models import GroupVisit, Referral


class ReferralInForm(ServiceErrorsMixin, ParticipantLookupMixin, forms.ModelForm):  # type: ignore[type-arg]
    participant = ParticipantField(
        label=capfirst(Referral._meta.get_field("participant").verbose_name)
    )

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
        self.fields["institution"].required = True


class ReferralOutForm(ServiceErrorsMixin, ParticipantLookupMixin, forms.ModelForm):  # type: ignore[type-arg]
    participant = ParticipantField(
        label=capfirst(Referral._meta.get_field("participant").verbose_name)
    )

    class Meta:
        model = Referral
        fields = ["participant", "referred_on", "service", "service_name", "reason", "category"]
        widgets = {"referred_on": DateInput()}

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["service"].required = True


class ReferralFilterForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[("", _("Both directions")), ("in", _("Referred in")), ("out", _("Referred on"))],
    )


class GroupVisitForm(ServiceErrorsMixin, ParticipantLookupMixin, forms.ModelForm):  # type: ignore[type-arg]
    joined = ParticipantsField(
        label=capfirst(GroupVisit._meta.get_field("joined").verbose_name), required=False
    )

    class Meta:
        model = GroupVisit
        fields = ["visited_on", "organisation", "group_name", "reached", "joined", "note"]
        widgets = {
            "visited_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "organisation": _("Optional: the organisation the group belongs to."),
        }

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True)
