"""Forms of the social map (shape only)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.forms import ServiceErrorsMixin

from .models import Organisation


class OrganisationForm(ServiceErrorsMixin, forms.ModelForm):  # type: ignore[type-arg]
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "description",
            "sub_area",
            "website",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "contact_name": _("The person you deal with there (a professional contact)."),
        }

    def validate_unique(self) -> None:
        """The service checks the name (case-insensitive); no second query here."""


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Organisation.Kind.choices]
    )
    inactive = forms.BooleanField(label=_("Also show inactive organisations"), required=False)
