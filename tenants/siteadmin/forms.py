from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.audit.descriptions import describe_action
from tenants.audit.selectors import week_bounds
from tijdvoorelkaar.accounts.models import Role

STAFF_ROLE_CHOICES = [(Role.ADMIN.value, Role.ADMIN.label), (Role.BROKER.value, Role.BROKER.label)]


class InviteStaffForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=120)
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=STAFF_ROLE_CHOICES, widget=forms.RadioSelect)


class StaffMemberForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=STAFF_ROLE_CHOICES, widget=forms.RadioSelect)
    is_active = forms.BooleanField(label=_("Account active"), required=False)


class AuditFilterForm(forms.Form):
    """The audit page's filters (GET). Choices come from the view: staff and action codes."""

    actor = forms.TypedChoiceField(
        label=_("Staff member"), required=False, coerce=int, empty_value=None
    )
    action = forms.ChoiceField(label=_("Action"), required=False)
    week = forms.RegexField(
        label=_("Week"),
        regex=r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$",
        required=False,
        help_text=_("For example 2026-W47 (year and week number)."),
        error_messages={"invalid": _("Enter a week as year and week number, like 2026-W47.")},
        widget=forms.TextInput(attrs={"type": "week"}),
    )

    def __init__(self, *args: Any, staff: list[Any], actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["actor"].choices = [("", _("Everyone"))] + [
            (member.pk, member.full_name or member.email) for member in staff
        ]
        self.fields["action"].choices = [
            ("", _("All actions")),
            (
                _("Kinds"),
                [
                    ("reads", _("Reads of personal data")),
                    ("changes", _("Changes")),
                    ("security", _("Two-step login (security)")),
                ],
            ),
            (_("Actions"), [(code, describe_action(code)) for code in actions]),
        ]

    def clean_week(self) -> str:
        week = self.cleaned_data.get("week") or ""
        if week:
            try:
                week_bounds(week)
            except ValueError:
                raise forms.ValidationError(
                    _("Enter a week as year and week number, like 2026-W47.")
                ) from None
        return week
