"""Forms of the outreach pages (shape only)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.market.models import Category
from tenants.market.selectors import active_categories
from tenants.people.models import SubArea
from tijdvoorelkaar.forms import ServiceErrorsMixin

from .models import Frequency
from .printables import LANGUAGES, SIZES

LANGUAGE_NAMES = {"nl": _("Dutch"), "en": _("English")}


class PrintableForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"), choices=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]
    )
    size = forms.ChoiceField(
        label=_("Poster size"), choices=[(size, size) for size in SIZES], required=False
    )


class CategoryChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Category) -> str:
        return obj.display_name


class DigestForm(ServiceErrorsMixin, forms.Form):
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Frequency.choices, widget=forms.RadioSelect
    )
    sub_areas = forms.ModelMultipleChoiceField(
        label=_("Sub-areas"),
        queryset=SubArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: the whole neighbourhood."),
    )
    categories = CategoryChoices(
        label=_("Categories"),
        queryset=active_categories(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every category."),
    )
