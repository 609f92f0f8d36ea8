from __future__ import annotations

from django.db.models import QuerySet

from .models import STAFF_ROLES, User


def staff_accounts() -> QuerySet[User]:
    """The current neighbourhood's admins and brokers, active ones first."""
    return User.objects.filter(role__in=STAFF_ROLES).order_by("-is_active", "full_name", "email")
