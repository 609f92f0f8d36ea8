"""Forms of the broker's participant pages: shape only, the services decide."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.forms import DateInput, ServiceErrorsMixin

from .models import (
    PROFILE_FIELDS,
    ConductCertificate,
    ConsentTopic,
    Participant,
    ParticipantProfile,
)
from .selectors import find_participants, pickable_participants
from .services.privacy import erase_word
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
    # A withdrawal with consequences is asked once more first: the registration's (their
    # details may no longer be kept) and the self-reported figures' (the answers are deleted).
    confirmed = forms.BooleanField(required=False)

    @property
    def needs_confirmation(self) -> bool:
        data = self.cleaned_data
        return (
            data["action"] == "withdraw"
            and data["topic"] in (ConsentTopic.REGISTRATION, ConsentTopic.SELF_REPORTED)
            and not data["confirmed"]
        )


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
            "valid_until": _(
                "Leave empty: the VOG then counts for three years from the date it was seen."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["valid_until"].required = False

    def _post_clean(self) -> None:
        pass


class EraseForm(ServiceErrorsMixin, forms.Form):
    confirmation = forms.CharField(max_length=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The page language's word ("WISSEN"), which the service accepts with "ERASE".
        self.fields["confirmation"].label = _("Type %(word)s to confirm") % {"word": erase_word()}


# --- Choosing a participant in a broker's form -------------------------------------------
# One way for every form that names a participant (mediation, placement, referral, group
# visit): their number, or a search that lists a few matches to choose from. Nothing lists
# all participants, so the page stays small with thousands of them, and it needs no
# JavaScript: "Check" and "Find" are submit buttons named LOOKUP_BUTTON that re-show the form.

LOOKUP_BUTTON = "lookup"
MATCH_LIMIT = 10


def _split_numbers(text: str) -> list[str]:
    return [token for token in re.split(r"[\s,;]+", text.replace("#", " ")) if token]


class ParticipantPicker(forms.Widget):
    """A number box with "Check", a search box with "Find", and after a search the matches
    as radio buttons (`<name>_pick`). The hidden `<name>_shown` holds the number as shown,
    so a changed number wins over a match chosen from an earlier search."""

    template_name = "people/widgets/participant_picker.html"
    use_fieldset = True
    multiple = False

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.query = ""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        self.query = (data.get(f"{name}_find") or "").strip()[:100]
        text = (data.get(name) or "").strip()
        pick = (data.get(f"{name}_pick") or "").strip()
        if pick and text == (data.get(f"{name}_shown") or "").strip():
            return pick
        return text

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_pick" not in data

    def _ids(self, value: Any) -> list[Any]:
        items = value if isinstance(value, (list, tuple)) else [value]
        ids: list[Any] = []
        for item in items:
            if isinstance(item, Participant):
                ids.append(item)
            elif item not in (None, ""):
                ids.extend(_split_numbers(str(item)))
        return ids

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        items = self._ids(value)
        numbers = [str(item.pk) if isinstance(item, Participant) else item for item in items]
        wanted = [int(number) for number in numbers if number.isdecimal()]
        known = {item.pk: item for item in items if isinstance(item, Participant)}
        missing = [pk for pk in wanted if pk not in known]
        if missing:
            known.update(
                (participant.pk, participant)
                for participant in pickable_participants().filter(pk__in=missing)
            )
        chosen = [known[pk] for pk in dict.fromkeys(wanted) if pk in known]
        matches = find_participants(self.query, limit=MATCH_LIMIT) if self.query else []
        widget = context["widget"]
        widget_id = widget["attrs"].get("id") or f"id_{name}"
        described_by = [f"{widget_id}_numberhelp"]
        invalid = bool(widget["attrs"].get("aria-invalid"))
        if invalid:
            described_by.append(f"{widget_id}_errors")
        chosen_ids = {participant.pk for participant in chosen}
        widget.update(
            id=widget_id,
            multiple=self.multiple,
            text=" ".join(numbers) if self.multiple else (numbers[0] if numbers else ""),
            chosen=chosen,
            chosen_ids=chosen_ids,
            query=self.query,
            matches=matches[:MATCH_LIMIT],
            more=len(matches) > MATCH_LIMIT,
            described_by=" ".join(described_by),
            lookup_button=LOOKUP_BUTTON,
            invalid=invalid,
        )
        return context

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> str:
        # The project's (themed) templates, not the form renderer's built-in ones.
        return mark_safe(render_to_string(template_name, context))  # noqa: S308


class ParticipantsPicker(ParticipantPicker):
    """Several participants: numbers separated by commas or spaces; the matches of a search
    are checkboxes that add to them."""

    multiple = True

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        self.query = (data.get(f"{name}_find") or "").strip()[:100]
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
        if isinstance(values, str):
            values = [values]
        picks = data.getlist(f"{name}_pick") if hasattr(data, "getlist") else []
        tokens = [token for value in values for token in _split_numbers(str(value))]
        return list(dict.fromkeys([*tokens, *picks]))


class ParticipantField(forms.Field):
    """A participant (not erased, of this neighbourhood) chosen by their number."""

    widget = ParticipantPicker
    default_error_messages = {
        "invalid": _("Enter a participant's number, such as 42."),
        "unknown": _("No participant with number %(number)s."),
    }

    def to_python(self, value: Any) -> Participant | None:
        if isinstance(value, Participant) or value in self.empty_values:
            return value or None
        number = str(value).strip().lstrip("#")
        if not number.isdecimal():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        found = pickable_participants().filter(pk=int(number)).first()
        if found is None:
            raise ValidationError(
                self.error_messages["unknown"], code="unknown", params={"number": number}
            )
        return found


class ParticipantsField(forms.Field):
    """Several participants (not erased, of this neighbourhood) chosen by their numbers."""

    widget = ParticipantsPicker
    default_error_messages = {
        "invalid": _("Enter participants' numbers separated by commas or spaces, such as 4, 17."),
        "unknown": _("No participant with number %(number)s."),
    }

    def to_python(self, value: Any) -> list[Participant]:
        items = value if isinstance(value, (list, tuple)) else _split_numbers(str(value or ""))
        if any(isinstance(item, Participant) for item in items):
            return [item for item in items if isinstance(item, Participant)]
        numbers = [str(item).strip().lstrip("#") for item in items if str(item).strip()]
        if any(not number.isdecimal() for number in numbers):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        wanted = list(dict.fromkeys(int(number) for number in numbers))
        found = pickable_participants().in_bulk(wanted) if wanted else {}
        unknown = [str(pk) for pk in wanted if pk not in found]
        if unknown:
            raise ValidationError(
                self.error_messages["unknown"],
                code="unknown",
                params={"number": ", ".join(unknown)},
            )
        return [found[pk] for pk in wanted]

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


class ParticipantLookupMixin:
    """For forms with a ParticipantField: a press on "Check" or "Find" (or another button in
    `lookup_buttons`) only re-shows the form. It is then never valid, and shows only what is
    wrong with a number that was entered, not "required" for the fields still empty."""

    lookup_buttons: tuple[str, ...] = (LOOKUP_BUTTON,)

    @property
    def is_lookup(self) -> bool:
        return bool(self.is_bound) and any(  # type: ignore[attr-defined]
            button in self.data  # type: ignore[attr-defined]
            for button in self.lookup_buttons
        )

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        if self.is_lookup and self._errors is not None:  # type: ignore[attr-defined]
            kept = ErrorDict()
            for name, errors in self._errors.items():  # type: ignore[attr-defined]
                field = self.fields.get(name)  # type: ignore[attr-defined]
                if isinstance(field, (ParticipantField, ParticipantsField)):
                    wrong = [e for e in errors.as_data() if e.code in ("invalid", "unknown")]
                    if wrong:
                        kept[name] = self.error_class(wrong, renderer=self.renderer)  # type: ignore[attr-defined]
            self._errors = kept

    def is_valid(self) -> bool:
        return super().is_valid() and not self.is_lookup  # type: ignore[misc]
