"""The survey's questions (shape only), for the participant's page and the broker's paper entry."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.forms import ServiceErrorsMixin

from .models import Neighbours
from .services.answers import Answers

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
BOOLEANS = {"yes": True, "no": False}


def _yes_no(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=YES_NO, required=False, widget=forms.RadioSelect)


class SurveyForm(ServiceErrorsMixin, forms.Form):
    """Every question may be left open: an answer to some is worth more than none."""

    satisfied_exchange = _yes_no(_("Are you satisfied with the help you gave or got?"))
    satisfied_broker = _yes_no(_("Are you satisfied with the broker?"))
    neighbours = forms.TypedChoiceField(
        label=_("How many neighbours did you get to know through it?"),
        choices=Neighbours.choices,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    lasting_contact = _yes_no(_("Have you kept in touch with someone you met through it?"))
    remark = forms.CharField(
        label=_("Anything you want to add?"),
        help_text=_("Only the neighbourhood's staff read this. Please leave out names."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def answers(self) -> Answers:
        data: dict[str, Any] = self.cleaned_data
        return Answers(
            satisfied_exchange=BOOLEANS.get(data["satisfied_exchange"]),
            satisfied_broker=BOOLEANS.get(data["satisfied_broker"]),
            neighbours=data["neighbours"],
            lasting_contact=BOOLEANS.get(data["lasting_contact"]),
            remark=data["remark"],
        )


class PaperSurveyForm(SurveyForm):
    answered_on = forms.DateField(
        label=_("Filled in on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    field_order = ["answered_on"]
