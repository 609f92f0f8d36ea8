"""Accounts. The same table exists in every schema: in the public schema it holds the
platform's operators, in a neighbourhood's schema that neighbourhood's people and staff.
A login therefore only exists where it was made."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OPERATOR = "operator", _("Platform operator")
    ADMIN = "admin", _("Neighbourhood admin")
    BROKER = "broker", _("Social broker")
    ORGANISATION = "organisation", _("Organisation")
    RESIDENT = "resident", _("Resident")


ADMIN_ROLES = frozenset({Role.ADMIN})
STAFF_ROLES = frozenset({Role.ADMIN, Role.BROKER})
NEIGHBOURHOOD_ROLES = (Role.ADMIN, Role.BROKER, Role.ORGANISATION, Role.RESIDENT)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password) if password else user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("role", Role.OPERATOR)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser):
    """Roles decide what a user may do (accounts/access.py), not Django's permissions and
    groups: without PermissionsMixin no schema needs auth's and contenttypes' tables."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("name"), max_length=120, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.RESIDENT)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Operators have it. PermissionsMixin's own field (and Django's translations of its labels).
    is_superuser = PermissionsMixin._meta.get_field("is_superuser").clone()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    objects = UserManager()

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_staff(self) -> bool:
        """Staff of a neighbourhood: may see its people's data."""
        return self.role in STAFF_ROLES

    @property
    def is_operator(self) -> bool:
        return self.role == Role.OPERATOR
