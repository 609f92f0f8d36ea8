"""Forms of the broker's participant pages: shape only, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.forms import DateInput, ServiceErrorsMixin

from .models import (
    PROFILE_FIELDS,
    ConductCertificate,
    ConsentTopic,
    Participant,
    ParticipantProfile,
)
from .services.registration import EDITABLE_FIELDS

LANGUAGE_CHOICES = [
    ("nl", "Nederlands"),
    ("en", "English"),
    ("tr", "Türkçe"),
    ("ar", "العربية"),
    ("pl", "Polski"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("other", _("Another language")),
]


class ParticipantForm(ServiceErrorsMixin, forms.ModelForm):  # type: ignore[type-arg]
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=LANGUAGE_CHOICES)
    confirm_not_duplicate = forms.BooleanField(
        label=_("I checked: this is someone else than the participant(s) shown above"),
        required=False,
    )

    class Meta:
        model = Participant
        fields = list(EDITABLE_FIELDS)
        help_texts = {
            "display_name": _("Shown on the site with their ads, e.g. a first name."),
            "email": _("Leave empty for someone without e-mail."),
            "contact_person_name": _(
                "For someone offline: who receives what we would otherwise mail them."
            ),
            "through_broker_only": _(
                "Referred or vulnerable: responses to their ads reach the broker first."
            ),
        }
        widgets = {"introduction": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The checkbox only appears once a duplicate was found.
        if self.data.get("confirm_not_duplicate") not in ("on", "true", "True", "1"):
            self.fields["confirm_not_duplicate"].widget = forms.HiddenInput()

    def allow_confirm(self) -> None:
        self.fields["confirm_not_duplicate"].widget = forms.CheckboxInput()

    def _post_clean(self) -> None:
        # Validation against the model happens in the service (after normalising).
        pass

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


class RegisterParticipantForm(ParticipantForm):
    consents = forms.MultipleChoiceField(
        label=_("Consent given"),
        choices=ConsentTopic.choices,
        widget=forms.CheckboxSelectMultiple,
        # Never pre-ticked: the broker records what the participant actually said.
        help_text=_("Storing their details is needed to register them."),
    )

    field_order = [*EDITABLE_FIELDS, "consents", "confirm_not_duplicate"]

    def clean_consents(self) -> list[str]:
        consents = self.cleaned_data["consents"]
        if ConsentTopic.REGISTRATION not in consents:
            raise ValidationError(_("Record that they agree to us storing their details."))
        return consents


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name, e-mail address or phone"), required=False, max_length=100)


class ConsentForm(forms.Form):
    topic = forms.ChoiceField(choices=ConsentTopic.choices)
    action = forms.ChoiceField(choices=[("give", "give"), ("withdraw", "withdraw")])


class ProfileForm(ServiceErrorsMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ParticipantProfile
        fields = list(PROFILE_FIELDS)
        widgets = dict.fromkeys(PROFILE_FIELDS, forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in PROFILE_FIELDS:
            field = self.fields[name]
            field.required = False
            field.choices = [("", _("Not answered"))] + [
                choice for choice in field.choices if choice[0]
            ]

    def _post_clean(self) -> None:
        pass


class NoteForm(ServiceErrorsMixin, forms.Form):
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class CertificateForm(ServiceErrorsMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ConductCertificate
        fields = ["seen_on", "valid_until"]
        widgets = {
            "seen_on": DateInput(),
            "valid_until": DateInput(),
        }
        help_texts = {
            "valid_until": _("Leave empty to count it for three years."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["valid_until"].required = False

    def _post_clean(self) -> None:
        pass


class EraseForm(ServiceErrorsMixin, forms.Form):
    # The word is the same in every language: the service checks ERASE_CONFIRMATION.
    confirmation = forms.CharField(label=_("Type ERASE to confirm"), max_length=20)
