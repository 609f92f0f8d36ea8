from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.accounts.models import Role

STAFF_ROLE_CHOICES = [(Role.ADMIN.value, Role.ADMIN.label), (Role.BROKER.value, Role.BROKER.label)]


class InviteStaffForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=120)
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=STAFF_ROLE_CHOICES, widget=forms.RadioSelect)


class StaffMemberForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=STAFF_ROLE_CHOICES, widget=forms.RadioSelect)
    is_active = forms.BooleanField(label=_("Account active"), required=False)
