"""The console's restore forms: shape only (`plan_restore` decides)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.forms import ServiceErrorsMixin

AS_NEW = "new"
OWN_NAME = "own"


class RestoreForm(ServiceErrorsMixin, forms.Form):
    mode = forms.ChoiceField(
        label=_("Restore"),
        choices=[
            (AS_NEW, _("As a new neighbourhood, to inspect (archived, beside the original)")),
            (OWN_NAME, _("Under its own name")),
        ],
        initial=AS_NEW,
        widget=forms.RadioSelect,
    )
    slug = forms.CharField(
        label=_("New short name (slug)"),
        max_length=40,
        required=False,
        help_text=_("Only for a new neighbourhood. Lowercase letters, digits and hyphens."),
    )
    domains = forms.CharField(
        label=_("Domains"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_(
            "Optional, one per line. Empty: a copy gets none, a neighbourhood restored under "
            "its own name gets the domains it had (a backup left by a deletion knows none)."
        ),
    )

    def clean_domains(self) -> list[str] | None:
        lines = [line.strip() for line in self.cleaned_data["domains"].splitlines()]
        return [line for line in lines if line] or None

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        # A slug the field refused already has its reason; "give a name" would contradict it.
        if cleaned.get("mode") == AS_NEW and not cleaned.get("slug") and "slug" not in self.errors:
            self.add_error("slug", _("Give the copy a new short name."))
        return cleaned


class ReplaceForm(ServiceErrorsMixin, forms.Form):
    mismatch = _("Type the neighbourhood's slug exactly to confirm.")
    confirm_slug = forms.CharField(
        label=_("Type the slug of the neighbourhood to confirm"), max_length=40
    )
