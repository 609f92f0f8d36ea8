"""Upload and confirm forms of the import (shape only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.credits.naming import credit_word
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood

from .preview.columns import MEDIATIONS, PARTICIPANTS, REWARDS
from .reading import ENCODINGS
from .services import consent_refusal

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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if current_neighbourhood().credits_enabled:  # rewards exist only while credits are on
            label = _("Rewards in %(credit)s for volunteers") % {"credit": credit_word()}
            self.fields["kind"].choices = [*KIND_CHOICES, (REWARDS, label)]


CONSENT_LABEL = _(
    "They agreed earlier (e.g. on paper) to us storing their details: record that consent "
    "for each of them"
)


class ConfirmForm(forms.Form):
    """The import's confirmation: the consent question for participants, and the choice to
    skip rows with errors when there are any."""

    consent_confirmed = forms.BooleanField(label=CONSENT_LABEL)
    only_good_rows = forms.BooleanField(
        label=_("Import only the rows without errors (skip the others)"), required=False
    )

    def __init__(self, *args: Any, kind: str, has_errors: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind == PARTICIPANTS:
            self.fields["consent_confirmed"].error_messages["required"] = consent_refusal()
        else:
            del self.fields["consent_confirmed"]
        if not has_errors:
            del self.fields["only_good_rows"]


class EncodingForm(forms.Form):
    encoding = forms.ChoiceField(
        label=_("Encoding"),
        choices=list(ENCODINGS.items()),
        help_text=_(
            "If names look wrong (“Zoļ” or “ZoÃ«” for “Zoë”), choose another encoding and read "
            "the file again."
        ),
    )


class ExportForm(forms.Form):
    kind = forms.ChoiceField(choices=KIND_CHOICES)
    file_format = forms.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "Excel (.xlsx)")])
