"""The report's period picker (shape only: `periods.period_from_query` decides)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.forms import DateInput, ServiceErrorsMixin

from .periods import PeriodKind


class PeriodForm(ServiceErrorsMixin, forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices, required=False)
    year = forms.CharField(
        label=_("Year (the year it starts in)"),
        required=False,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6}),
    )
    start = forms.CharField(label=_("From"), required=False, widget=DateInput())
    end = forms.CharField(label=_("Until"), required=False, widget=DateInput())
