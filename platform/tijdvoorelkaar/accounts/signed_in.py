"""The signed-in user and the device of their second step, read in one query.

Django's `AuthenticationMiddleware` reads the session's user (a query) and django-otp's
`OTPMiddleware` then the device that verified the session (a second): on every request of a
staff member past the second step. Both rows are one row of a join, the device with its
user, so `SecondStepMiddleware` (django-otp's, in its place) reads that row first when the
session names a device, and `AccountBackend` (Django's `ModelBackend`) hands its user to
Django's own `get_user`.

Nothing else changes, and the checks stay where they were, in Django's and django-otp's code:
the backend returns active accounts only; Django compares the session's password hash (a new
password ends other sessions) and flushes the session if it does not match; django-otp keeps
the device only if it is confirmed and belongs to that user, else forgets it. A session
without a device, or whose device or user is gone, is read as before: the user, then the
device by its id.
"""

from __future__ import annotations

from contextlib import suppress
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.db import DEFAULT_DB_ALIAS, connection
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device

ACCOUNT_BACKEND = "tijdvoorelkaar.accounts.signed_in.AccountBackend"
# What sessions made before the backend above name: moved over on their next request.
DJANGO_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

# The device read with its user for the request being authenticated (this thread's only).
_read_with_user: ContextVar[Device | None] = ContextVar("device_read_with_user", default=None)


class AccountBackend(ModelBackend):
    """Django's `ModelBackend`; `get_user` takes the user read with the session's device."""

    def get_user(self, user_id: Any) -> Any:
        device = _read_with_user.get()
        if device is None or device.user_id != user_id:
            return super().get_user(user_id)
        user = device.user
        return user if self.user_can_authenticate(user) else None


class SecondStepMiddleware(OTPMiddleware):
    """django-otp's middleware (`request.user.otp_device`, `is_verified()`), reading the
    session's user and device in one query."""

    def _verify_user_sync(self, request: HttpRequest, user: Any) -> Any:
        session = request.session
        if session.get(BACKEND_SESSION_KEY) == DJANGO_MODEL_BACKEND:
            session[BACKEND_SESSION_KEY] = ACCOUNT_BACKEND
        read = None if hasattr(request, "_cached_user") else device_with_its_user(session)
        token = _read_with_user.set(read)
        try:  # evaluates the user: Django's get_user, then django-otp's device checks
            return super()._verify_user_sync(request, user)
        finally:
            _read_with_user.reset(token)

    def _device_from_persistent_id(self, persistent_id: str) -> Any:
        read = _read_with_user.get()
        if read is not None and read.persistent_id == self._normalize_persistent_id(persistent_id):
            return read
        return super()._device_from_persistent_id(persistent_id)


def device_with_its_user(session: Any) -> Device | None:
    """The device the session was verified with, its user read along (one query), if the
    session names one and it belongs to the session's user; else None."""
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    user_id = session.get(SESSION_KEY)
    if not persistent_id or user_id is None or session.get(BACKEND_SESSION_KEY) != ACCOUNT_BACKEND:
        return None
    persistent_id = OTPMiddleware._normalize_persistent_id(persistent_id)
    with suppress(ValueError, LookupError):
        model_label, device_id = persistent_id.rsplit("/", 1)
        model = apps.get_model(model_label)
        if issubclass(model, Device):
            return _read(model, device_id=int(device_id), user_id=int(user_id))
    return None


@dataclass(frozen=True)
class _Join:
    """The join's SQL for one kind of device, with the columns it reads of each model."""

    sql: str
    device_fields: tuple[str, ...]
    user_fields: tuple[str, ...]


_joins: dict[type[Device], _Join | None] = {}
_DEVICE_ID, _USER_ID = -1, -2  # stand-ins while compiling, to find the parameters' order


def _read(model: type[Device], *, device_id: int, user_id: int) -> Device | None:
    if model not in _joins:
        _joins[model] = _compile(model)
    join = _joins[model]
    if join is None:
        return model.objects.select_related("user").filter(id=device_id, user_id=user_id).first()
    with connection.cursor() as cursor:
        cursor.execute(join.sql, (device_id, user_id))
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(join.device_fields)
    device = model.from_db(DEFAULT_DB_ALIAS, join.device_fields, row[:split])
    user_field = model._meta.get_field("user")
    user = user_field.related_model.from_db(DEFAULT_DB_ALIAS, join.user_fields, row[split:])
    user_field.set_cached_value(device, user)  # device.user, without a query
    return device


def _compile(model: type[Device]) -> _Join | None:
    """The SQL of `select_related("user").filter(id=…, user_id=…)`, compiled once per process
    (Django compiles a queryset anew for each request, ≈ 0.4 ms here): it names no schema,
    so it serves every neighbourhood. None, and the queryset each time, if a column needs
    converting from what the database returns (a field with `from_db_value`)."""
    user_model = model._meta.get_field("user").related_model
    device_fields = model._meta.concrete_fields
    user_fields = user_model._meta.concrete_fields
    if any(hasattr(field, "from_db_value") for field in (*device_fields, *user_fields)):
        return None
    device_names = tuple(field.attname for field in device_fields)
    user_names = tuple(field.attname for field in user_fields)
    sql, params = (
        model.objects.filter(id=_DEVICE_ID, user_id=_USER_ID)
        .values_list(*device_names, *(f"user__{name}" for name in user_names))[:1]
        .query.sql_with_params()
    )
    if tuple(params) != (_DEVICE_ID, _USER_ID):
        return None
    return _Join(sql, device_names, user_names)
