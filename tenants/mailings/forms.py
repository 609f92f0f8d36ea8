"""The mailings app's page forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.forms import ServiceErrorsMixin

from .models import MailingSettings, Newsletter


class SubscribeForm(ServiceErrorsMixin, forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    language = forms.ChoiceField(label=_("Language of the newsletter"), choices=settings.LANGUAGES)


class PaperSubscriberForm(ServiceErrorsMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    agreed = forms.BooleanField(
        label=_("They agreed to get the newsletter (on paper or in person)"), required=False
    )


class MailingSettingsForm(ServiceErrorsMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = MailingSettings
        fields = ["sender_name", "bounce_address", "send_day", "per_second"]


class NewsletterForm(ServiceErrorsMixin, forms.Form):
    """Subject, introduction, contact, and each section's title and items (an item can be
    left out); links and images stay as assembled."""

    subject = forms.CharField(label=_("Subject"), max_length=150, required=False)
    intro = forms.CharField(
        label=_("Introduction"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=3000,
    )
    contact = forms.CharField(
        label=_("Contact and office hours"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=500,
    )

    def __init__(self, *args: Any, newsletter: Newsletter, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "subject": newsletter.subject,
                "intro": newsletter.intro,
                "contact": newsletter.contact,
            },
        )
        super().__init__(*args, **kwargs)
        self.original = newsletter.sections
        for i, section in enumerate(newsletter.sections):
            self.fields[f"s{i}"] = forms.CharField(
                label=_("Section title"), initial=section["title"], required=False, max_length=120
            )
            for j, item in enumerate(section["items"]):
                prefix = f"s{i}_{j}"
                self.fields[f"{prefix}_keep"] = forms.BooleanField(
                    label=_("Include"), initial=True, required=False
                )
                self.fields[f"{prefix}_title"] = forms.CharField(
                    label=_("Title"), initial=item["title"], required=False, max_length=200
                )
                self.fields[f"{prefix}_text"] = forms.CharField(
                    label=_("Text"),
                    initial=item["text"],
                    required=False,
                    max_length=1000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def groups(self) -> list[dict[str, Any]]:
        """The section fields grouped for the template."""
        return [
            {
                "title": self[f"s{i}"],
                "items": [
                    {
                        "keep": self[f"s{i}_{j}_keep"],
                        "title": self[f"s{i}_{j}_title"],
                        "text": self[f"s{i}_{j}_text"],
                        "url": item["url"],
                    }
                    for j, item in enumerate(section["items"])
                ],
            }
            for i, section in enumerate(self.original)
        ]

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        sections = []
        for i, section in enumerate(self.original):
            items = [
                {
                    **item,
                    "title": data[f"s{i}_{j}_title"] or item["title"],
                    "text": data[f"s{i}_{j}_text"],
                }
                for j, item in enumerate(section["items"])
                if data[f"s{i}_{j}_keep"]
            ]
            # The platform's heading and switch stay as assembled (the heading is written in
            # each reader's language while the title is left as it was).
            kept = {key: section[key] for key in ("heading", "only_if") if section.get(key)}
            sections.append({"title": data[f"s{i}"], "items": items, **kept})
        return {
            "subject": data["subject"],
            "intro": data["intro"],
            "contact": data["contact"],
            "sections": sections,
        }


class ScheduleForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Send at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
