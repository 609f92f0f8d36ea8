"""Two-step login for staff: an authenticator app (TOTP) plus ten one-use recovery codes.

Who: everyone who can read participant data or run the platform (admin, broker, operator).
Residents and organisation accounts log in with their password only.

The devices are django-otp's (`TOTPDevice`, `StaticDevice`); they live in the same schema as
their user. A session counts as verified once `django_otp.login()` has stored the device in
it; an API token counts as verified because it is only issued after a code (see TokenView).

Wrong codes are counted per user in the cache: after TWO_FACTOR_FAILURE_LIMIT wrong codes in
a row the user waits TWO_FACTOR_COOLOFF_SECONDS (the rule axes applies to passwords). Reading
the counter, checking the code and counting a failure happen under a lock on the user's row,
so parallel tries are checked one at a time and no more than the limit are ever checked.
Every step is audited with ids only: in a neighbourhood in its audit log, for operators (who
live in the public schema, which has no audit log) in the `tijdvoorelkaar.security` log.
"""

from __future__ import annotations

import base64
import logging
import re
from dataclasses import dataclass
from typing import Any

import segno
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from .models import Role, User

TWO_FACTOR_ROLES = frozenset({Role.ADMIN, Role.BROKER, Role.OPERATOR})
SECURITY_LOG = logging.getLogger("tijdvoorelkaar.security")
DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"
PENDING_CODES_SESSION_KEY = "_two_factor_recovery_codes"


def needs_two_factor(user: Any) -> bool:
    """Whether this account must pass the second step (staff and operators)."""
    return bool(getattr(user, "is_authenticated", False)) and user.role in TWO_FACTOR_ROLES


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_two_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_of(device: TOTPDevice) -> str:
    """The key as authenticator apps take it by hand: base32 in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an SVG QR code, as a data: URI for an <img> with
    alt text (served with the page: the secret never leaves for a QR service)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=4)


def _audit(*, user: User, actor: User | None, action: str, detail: dict[str, Any]) -> None:
    if getattr(connection.tenant, "pk", None) is None:  # public schema: operators
        SECURITY_LOG.info(
            "%s user=%s actor=%s %s",
            action,
            user.pk,
            getattr(actor, "pk", None),
            " ".join(f"{key}={value}" for key, value in sorted(detail.items())),
        )
        return
    from tenants.audit.services import record_audit_event

    record_audit_event(actor=actor, action=action, target=user, detail=detail)


# --- Wrong codes: a counter per user -------------------------------------------------------


def _failures_key(user: User) -> str:
    return f"two-factor-failures:{user.pk}"  # the cache's key function adds the schema


def is_locked_out(user: User) -> bool:
    return int(cache.get(_failures_key(user), 0)) >= settings.TWO_FACTOR_FAILURE_LIMIT


def _take_code_lock(user: User) -> None:
    """Inside a transaction: wait for any other code check of this user to finish. Without it
    parallel tries all read "not locked" before any of them counted its failure."""
    User.objects.select_for_update().only("pk").get(pk=user.pk)


def _count_failure(user: User, *, via: str) -> None:
    key = _failures_key(user)
    cache.add(key, 0, timeout=settings.TWO_FACTOR_COOLOFF_SECONDS)
    failures = cache.incr(key)
    cache.touch(key, settings.TWO_FACTOR_COOLOFF_SECONDS)  # the pause counts from the last try
    _audit(
        user=user,
        actor=user,
        action="twofactor.code_failed",
        detail={"via": via, "failures": failures},
    )
    if failures == settings.TWO_FACTOR_FAILURE_LIMIT:
        _audit(user=user, actor=user, action="twofactor.locked_out", detail={"via": via})


# --- Enrolment -----------------------------------------------------------------------------


def pending_device(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up (one per user, made on first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def _normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes by TWO_FACTOR_RECOVERY_CODES new ones."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def confirm_enrolment(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with a code from it. Returns the device and the new
    recovery codes (shown once). Raises ValidationError on `code`."""
    if not needs_two_factor(user):
        raise ValidationError({"code": _("Your account does not use two-step verification.")})
    with transaction.atomic():  # the failure, if any, is committed with the lock released
        _take_code_lock(user)
        if is_locked_out(user):
            raise ValidationError({"code": lockout_message()})
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is not None and device.verify_token(_normalise(code)):
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_recovery_codes(user)
            cache.delete(_failures_key(user))
            _audit(user=user, actor=user, action="twofactor.enrolled", detail={"device": device.pk})
            return device, codes
        _count_failure(user, via="enrolment")
    raise ValidationError({"code": _("This code is not right. Try the newest code.")})


def lockout_message() -> str:
    minutes = settings.TWO_FACTOR_COOLOFF_SECONDS // 60
    return _("Too many wrong codes. Wait %(minutes)d minutes and try again.") % {"minutes": minutes}


# --- The code step -------------------------------------------------------------------------


@dataclass(frozen=True)
class Verified:
    device: Device
    recovery_code_used: bool


def verify_code(*, user: User, code: str, via: str = "login") -> Verified:
    """Check a code from the authenticator or an unused recovery code (which is then spent).
    Raises ValidationError on `code` when it is wrong, missing or the user is locked out."""
    if is_locked_out(user):  # a quick answer without waiting for the lock
        raise ValidationError({"code": lockout_message()})
    code = _normalise(code)
    if not code:
        raise ValidationError({"code": _("Enter the code.")})
    with transaction.atomic():  # the failure, if any, is committed with the lock released
        _take_code_lock(user)
        if is_locked_out(user):
            raise ValidationError({"code": lockout_message()})
        verified = _verified_device(user=user, code=code, via=via)
        if verified is not None:
            cache.delete(_failures_key(user))
            return verified
        _count_failure(user, via=via)
    raise ValidationError({"code": _("This code is not right. Try the newest code.")})


def _verified_device(*, user: User, code: str, via: str) -> Verified | None:
    """The device that accepts `code` (a recovery code is spent), or None."""
    totp = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if totp is None:
        raise ValidationError({"code": _("Set up two-step verification first.")})
    if code.isdecimal() and len(code) == totp.digits and totp.verify_token(code):
        return Verified(totp, recovery_code_used=False)
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if recovery is not None and recovery.verify_token(code):
        left = StaticToken.objects.filter(device=recovery).count()
        _audit(
            user=user,
            actor=user,
            action="twofactor.recovery_code_used",
            detail={"via": via, "left": left},
        )
        return Verified(recovery, recovery_code_used=True)
    return None


def mark_session_verified(request: HttpRequest, device: Device) -> None:
    """What django_otp's login does: the session now counts as verified with `device`.
    The session gets a new key first, as at any rise in privilege (no fixation)."""
    request.session.cycle_key()
    otp_login(request, device)


def session_is_verified(request: Any) -> bool:
    user = getattr(request, "user", None)
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


# --- Managing ------------------------------------------------------------------------------


@transaction.atomic
def regenerate_recovery_codes(*, user: User) -> list[str]:
    """New recovery codes for a user with a confirmed authenticator; the old ones stop working."""
    if not has_two_factor(user):
        raise ValidationError(_("Set up two-step verification first."))
    codes = _new_recovery_codes(user)
    _audit(user=user, actor=user, action="twofactor.recovery_codes_renewed", detail={})
    return codes


@transaction.atomic
def reset_two_factor(*, user: User, reset_by: User) -> None:
    """Remove a user's authenticator and recovery codes, and their API token (it was issued
    after a code from the old device). They set up a new one at their next login.

    A user may reset their own; a neighbourhood admin may reset a colleague's. Operators
    reset their own only (no one else can reach their schema)."""
    if reset_by.pk != user.pk and not (
        reset_by.role == Role.ADMIN and user.role in TWO_FACTOR_ROLES and user.role != Role.OPERATOR
    ):
        raise ValidationError(_("You may not reset this person's two-step verification."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    Token.objects.filter(user=user).delete()
    cache.delete(_failures_key(user))
    _audit(
        user=user,
        actor=reset_by,
        action="twofactor.reset",
        detail={"own": reset_by.pk == user.pk},
    )


def forget_verification(request: HttpRequest) -> None:
    """After one's own reset: the session is no longer verified."""
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
