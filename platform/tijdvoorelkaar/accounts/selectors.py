from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import STAFF_ROLES, User


def staff_accounts() -> QuerySet[User]:
    """The current neighbourhood's admins and brokers, active ones first."""
    return (
        User.objects.filter(role__in=STAFF_ROLES)
        .annotate(
            two_factor_on=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .order_by("-is_active", "full_name", "email")
    )
