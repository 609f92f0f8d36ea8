"""Forms for responding to an ad, the owner's reply and reporting an ad (shape only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.market.forms import HoneypotMixin
from tenants.market.models import Report
from tijdvoorelkaar.forms import ServiceErrorsMixin

from .services.messages import MESSAGE_MAX_LENGTH
from .services.reports import EXPLANATION_MAX_LENGTH


class RespondForm(ServiceErrorsMixin, HoneypotMixin, forms.Form):
    display_name = forms.CharField(
        label=_("Your name"),
        max_length=80,
        help_text=_("Shown to the person who placed the ad."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        help_text=_("Not shown to anyone; the reply comes to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Or your phone number"),
        max_length=30,
        required=False,
        help_text=_("Only if you have no e-mail address: the broker then passes the reply on."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, signed_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if signed_in:  # they respond as themselves
            for name in ("display_name", "email", "phone"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "email" in self.fields and not data.get("email") and not data.get("phone"):
            if "email" not in self.errors:
                self.add_error("email", _("Give an e-mail address or a phone number."))
        return data


class ReplyForm(ServiceErrorsMixin, forms.Form):
    message = forms.CharField(
        label=_("Your reply"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    share_email = forms.BooleanField(label=_("Pass on my e-mail address"), required=False)
    share_phone = forms.BooleanField(label=_("Pass on my phone number"), required=False)

    def __init__(self, *args: Any, has_email: bool, has_phone: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_email:
            del self.fields["share_email"]
        else:
            self.fields["share_email"].initial = True
        if not has_phone:
            del self.fields["share_phone"]


class ReportForm(ServiceErrorsMixin, HoneypotMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this ad?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
    )
    explanation = forms.CharField(
        label=_("Explanation (optional)"),
        max_length=EXPLANATION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
