"""A list item a neighbourhood names itself (a category, a routing step) in Dutch, and
optionally in English for English-speaking residents. Dutch is required: it is what every
page falls back to."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

ENGLISH_HELP = _("For English-speaking visitors. Empty: they see the Dutch name.")


def english_name_field() -> forms.CharField:
    """The form field for `name_en` on the admin's pages."""
    return forms.CharField(
        label=_("Name in English"), max_length=80, required=False, help_text=ENGLISH_HELP
    )


class NamedInDutchAndEnglish(models.Model):
    """Adds `name_en` beside the model's own `name` (the Dutch name) and `display_name`, the
    name in the active language."""

    name_en = models.CharField(
        _("name in English"),
        max_length=80,
        blank=True,
        help_text=ENGLISH_HELP,
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return name_in_language(self.name, self.name_en)  # type: ignore[attr-defined]


def name_in_language(name: str, name_en: str) -> str:
    """The name in the active language: English when it is active and the name has one,
    else the Dutch name. For rows read without their model (`values()`)."""
    if name_en and english_names_shown():
        return name_en
    return name


def english_names_shown() -> bool:
    """Whether names are shown in English (when they have an English name): English is the
    active language."""
    return (get_language() or "").startswith("en")
