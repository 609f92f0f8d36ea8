"""Forms validate shape; the services decide. Their errors are mapped back onto fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.postgres.forms import SimpleArrayField
from django.contrib.postgres.validators import ArrayMaxLengthValidator
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.forms import ServiceErrorsMixin
from tijdvoorelkaar.theming.registry import theme_choices

from .models import Language, Moderation, Neighbourhood

MONTHS = [
    (n, _(name))
    for n, name in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
]


class SettingsForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    theme = forms.ChoiceField(label=_("Theme"), choices=theme_choices)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Dutch is the default when it is on."),
    )
    credits_enabled = forms.BooleanField(label=_("Use time credits"), required=False)
    credit_name = forms.CharField(
        label=_("Name of the time credit"),
        max_length=30,
        required=False,
        help_text=_("As in “2 Roosjes”. For example: Roosjes."),
    )
    credit_name_singular = forms.CharField(
        label=_("Name of one time credit"),
        max_length=30,
        required=False,
        help_text=_("As in “1 Roosje”. Empty: the name above is used for one too."),
    )
    reporting_year_start_month = forms.TypedChoiceField(
        label=_("The reporting year starts in"), choices=MONTHS, coerce=int
    )
    moderation = forms.ChoiceField(
        label=_("New ads"), choices=Moderation.choices, widget=forms.RadioSelect
    )
    ad_lifetime_weeks = forms.IntegerField(
        label=_("Ads run for (weeks)"),
        min_value=1,
        max_value=52,
        help_text=_("Owners are mailed a renewal link a week before their ad expires."),
    )
    support_conversation_limit = forms.IntegerField(
        label=_("Support conversations per participant"),
        min_value=1,
        max_value=20,
        help_text=_("The broker is warned when a participant reaches it."),
    )
    # Our own words for the list's errors: django.contrib.postgres (not an installed app, so
    # its catalogue is not loaded) spoke of "the array" in English on Dutch pages.
    follow_up_weeks = SimpleArrayField(
        forms.IntegerField(min_value=1, max_value=52),
        label=_("Follow up after (weeks)"),
        validators=[ArrayMaxLengthValidator(5, message=_("Give at most %(limit_value)d weeks."))],
        error_messages={"item_invalid": _("Number %(nth)s in the list:")},
        help_text=_("Comma-separated, e.g. 2,6: follow-ups scheduled when a mediation starts."),
    )
    broker_phone = forms.CharField(label=_("Broker's phone number"), max_length=30, required=False)
    broker_office_hours = forms.CharField(
        label=_("Broker's office hours"), max_length=200, required=False
    )
    broker_address = forms.CharField(label=_("Broker's address"), max_length=200, required=False)
    accent_colour = forms.RegexField(
        label=_("Accent colour"),
        regex=r"^#[0-9a-fA-F]{6}$",
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"placeholder": "#1a5f7a", "autocomplete": "off"}),
        help_text=_("Optional, as a code like #1a5f7a. Must be dark enough for white text on it."),
        error_messages={"invalid": _("Use a colour code like #1a5f7a.")},
    )
    tagline = forms.CharField(label=_("Tagline"), max_length=140, required=False)

    @classmethod
    def initial_from(cls, neighbourhood: Neighbourhood) -> dict[str, Any]:
        return {name: getattr(neighbourhood, name) for name in cls.base_fields}


class NewNeighbourhoodForm(SettingsForm):
    slug = forms.CharField(
        label=_("Short name (slug)"),
        max_length=40,
        help_text=_("Lowercase letters, digits and hyphens, e.g. breda-hoge-vucht."),
    )
    domains = forms.CharField(
        label=_("Domains"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line; the first is the main one."),
    )
    admin_name = forms.CharField(label=_("First admin's name"), max_length=120, required=False)
    admin_email = forms.EmailField(
        label=_("First admin's e-mail address"), help_text=_("They receive an invitation.")
    )
    field_order = ["name", "slug", "domains", "admin_name", "admin_email"]

    def clean_domains(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["domains"].splitlines() if line.strip()]


class DeleteNeighbourhoodForm(forms.Form):
    confirm_slug = forms.CharField(
        label=_("Type the slug of the neighbourhood to confirm"), max_length=40
    )


class AdminSettingsForm(SettingsForm):
    """What a neighbourhood's own admin may change: everything but the theme."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["theme"]
