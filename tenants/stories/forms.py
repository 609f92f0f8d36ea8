"""Forms of the stories pages (shape only; the services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from tenants.market.photos import clean_photo
from tijdvoorelkaar.forms import ServiceErrorsMixin

from .models import Story
from .selectors import matched_mediations


class MediationChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        giving = obj.provider.display_name if obj.provider else obj.organisation.name
        # The date as the page's language writes it (13 augustus 2026), like every date shown.
        ended = f" ({date_format(obj.ended_on)})" if obj.ended_on else ""
        return f"{obj.requester.display_name} – {giving}{ended}"


class StoryForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    text = forms.CharField(
        label=_("Story"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("A few short paragraphs: who met whom, what they did, what it brought."),
    )
    photo = forms.ImageField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 5 MB. Only with the consent of who is on it."),
    )
    photo_description = forms.CharField(
        label=_("What the photo shows"),
        max_length=200,
        required=False,
        help_text=_("For people who cannot see the photo."),
    )

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        return clean_photo(photo) if photo else None


class NewStoryForm(StoryForm):
    mediation = MediationChoice(label=_("Match"), queryset=matched_mediations())

    field_order = ["mediation", "title", "text", "photo", "photo_description"]


class EditStoryForm(StoryForm):
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)

    @classmethod
    def for_story(cls, story: Story) -> EditStoryForm:
        return cls(
            initial={
                "title": story.title,
                "text": story.text,
                "photo_description": story.photo_description,
            }
        )
