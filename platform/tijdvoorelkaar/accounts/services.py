"""Writes to accounts: inviting, activating, changing roles. Views, API and commands call these."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from tenants.audit.services import record_audit_event
from tenants.outbox.services import queue_mail
from tijdvoorelkaar.sites import site_url

from .models import NEIGHBOURHOOD_ROLES, Role, User
from .tokens import invitation_tokens


def _neighbourhood():  # type: ignore[no-untyped-def]
    tenant = connection.tenant
    if getattr(tenant, "pk", None) is None:
        raise PermissionDenied("Neighbourhood accounts exist only inside a neighbourhood.")
    return tenant


def invite_user(*, email: str, full_name: str, role: str, invited_by: User | None) -> User:
    """Create an inactive account in the current neighbourhood and mail it an invitation."""
    _neighbourhood()  # refuses outside a neighbourhood
    email = User.objects.normalize_email(email).strip().lower()
    if role not in NEIGHBOURHOOD_ROLES:
        raise ValidationError({"role": _("This role does not exist in a neighbourhood.")})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("There is already an account with this e-mail address.")})
    with transaction.atomic():
        user = User.objects.create_user(email, full_name=full_name, role=role, is_active=False)
        send_invitation(user=user)
        record_audit_event(
            actor=invited_by, action="account.invited", target=user, detail={"role": role}
        )
    return user


def send_invitation(*, user: User) -> None:
    """Queue (again) the invitation mail with a fresh one-use link, while it is not accepted."""
    neighbourhood = _neighbourhood()
    if user.has_usable_password():
        raise ValidationError(_("This person has already accepted the invitation."))
    path = reverse(
        "accounts:accept-invitation",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_tokens.make_token(user),
        },
    )
    context = {
        "user": user,
        "neighbourhood": neighbourhood,
        "link": site_url(neighbourhood, path),
        "role": Role(user.role).label,
    }
    with translation.override(neighbourhood.default_language):
        subject = _("Your invitation for %(name)s") % {"name": neighbourhood.name}
        body = render_to_string("accounts/mail/invitation.txt", context)
    queue_mail(to=user.email, subject=subject, body=body, purpose="invitation")


@transaction.atomic
def accept_invitation(*, user: User, token: str, password: str) -> User:
    """Set the password chosen through an invitation link and activate the account."""
    if not invitation_tokens.check_token(user, token):
        raise ValidationError(_("This invitation link has expired or was already used."))
    validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    record_audit_event(actor=user, action="account.activated", target=user)
    return user


@transaction.atomic
def update_staff_member(
    *, member: User, changed_by: User, role: str | None = None, is_active: bool | None = None
) -> User:
    """Change a staff member's role and/or active state: both or neither."""
    if role is not None and role != member.role:
        change_role(user=member, role=role, changed_by=changed_by)
    if is_active is not None and is_active != member.is_active:
        set_active(user=member, active=is_active, changed_by=changed_by)
    return member


@transaction.atomic
def change_role(*, user: User, role: str, changed_by: User) -> User:
    if role not in NEIGHBOURHOOD_ROLES:
        raise ValidationError({"role": _("This role does not exist in a neighbourhood.")})
    _refuse_last_admin_change(user=user, changed_by=changed_by, new_role=role)
    old_role = user.role
    user.role = role
    user.save(update_fields=["role"])
    record_audit_event(
        actor=changed_by,
        action="account.role_changed",
        target=user,
        detail={"from": old_role, "to": role},
    )
    return user


@transaction.atomic
def set_active(*, user: User, active: bool, changed_by: User) -> User:
    """(De)activate an account. Deactivating someone who has not accepted their invitation
    withdraws it: the unusable password is replaced, so the links already sent stop working."""
    if not active:
        _refuse_last_admin_change(user=user, changed_by=changed_by, new_role=None)
    if active and not user.has_usable_password():
        raise ValidationError(_("This person has not accepted the invitation; send it again."))
    fields = ["is_active"]
    if not active and not user.has_usable_password():
        user.set_unusable_password()
        fields.append("password")
    user.is_active = active
    user.save(update_fields=fields)
    record_audit_event(
        actor=changed_by,
        action="account.activated" if active else "account.deactivated",
        target=user,
    )
    return user


def _refuse_last_admin_change(*, user: User, changed_by: User, new_role: str | None) -> None:
    """A neighbourhood must keep at least one active admin, or nobody can manage it."""
    if user.role != Role.ADMIN or new_role == Role.ADMIN:
        return
    other_admins = User.objects.filter(role=Role.ADMIN, is_active=True).exclude(pk=user.pk)
    if not other_admins.exists():
        raise ValidationError(_("A neighbourhood needs at least one active admin."))


def create_operator(*, email: str, password: str, full_name: str = "") -> User:
    """An operator account of the platform (public schema only)."""
    if getattr(connection.tenant, "pk", None) is not None:
        raise PermissionDenied("Operators exist only on the platform, not in a neighbourhood.")
    validate_password(password)
    return User.objects.create_user(email, password, full_name=full_name, role=Role.OPERATOR)
