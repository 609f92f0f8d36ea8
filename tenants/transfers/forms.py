"""Upload and confirm forms of the import (shape only)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .preview import MEDIATIONS, PARTICIPANTS

KIND_CHOICES = [(PARTICIPANTS, _("Participants")), (MEDIATIONS, _("Mediations"))]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What does the file hold?"), choices=KIND_CHOICES, widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (comma or semicolon, any encoding, e.g. an Outlook contacts export) or Excel "
            "(.xlsx, the first sheet). The first row names the columns."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )


class ConfirmForm(forms.Form):
    only_good_rows = forms.BooleanField(
        label=_("Import only the rows without errors (skip the others)"), required=False
    )


class ExportForm(forms.Form):
    kind = forms.ChoiceField(choices=KIND_CHOICES)
    file_format = forms.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "Excel (.xlsx)")])
