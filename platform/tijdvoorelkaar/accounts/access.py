"""Who may reach what. Every page and endpoint states its roles through these classes, so
the safe way is the easy way: a view without them is a review finding."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.contrib.auth.mixins import AccessMixin
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from rest_framework import generics, permissions, status, viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.views import APIView

from .models import ADMIN_ROLES, STAFF_ROLES, Role
from .twofactor import has_two_factor, needs_two_factor, session_is_verified

M = TypeVar("M", bound=Model)


def second_step_done(request: Any) -> bool:
    """Staff and operators count only after their second step: a session that passed it
    (django-otp), or an API token (issued only after a code). Others need no second step."""
    if not needs_two_factor(request.user):
        return True
    if isinstance(getattr(request, "successful_authenticator", None), TokenAuthentication):
        return True
    return session_is_verified(request)


def _has_role(request: HttpRequest, roles: frozenset[str]) -> bool:
    user = request.user
    return (
        getattr(request, "neighbourhood", None) is not None
        and user.is_authenticated
        and user.role in roles
    )


def _is_operator(request: HttpRequest) -> bool:
    return (
        getattr(request, "neighbourhood", None) is None
        and request.user.is_authenticated
        and request.user.role == Role.OPERATOR
    )


def has_neighbourhood_role(request: HttpRequest, roles: frozenset[str]) -> bool:
    """One of `roles` in this neighbourhood, with the second step done where it applies."""
    return _has_role(request, roles) and second_step_done(request)


def is_operator_request(request: HttpRequest) -> bool:
    """An operator, on the platform's own domain (operators exist only in the public schema),
    who passed the second step."""
    return _is_operator(request) and second_step_done(request)


def second_step_url(request: HttpRequest) -> str:
    """Where a signed-in staff member goes next: set up an authenticator, or enter a code."""
    name = (
        "accounts:two-factor-verify"
        if has_two_factor(request.user)
        else "accounts:two-factor-enrol"
    )
    return f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}"


class NeighbourhoodRoleRequired(AccessMixin):
    """Pages of a neighbourhood for the roles in `allowed_roles`. Staff who have not done
    their second step yet are sent to it (and come back here afterwards)."""

    allowed_roles: frozenset[str] = frozenset()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not _has_role(request, self.allowed_roles):
            self.raise_exception = True
            return self.handle_no_permission()
        if not second_step_done(request):
            return redirect(second_step_url(request))
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class AdminRequired(NeighbourhoodRoleRequired):
    """Pages that configure the neighbourhood: its admins only."""

    allowed_roles = ADMIN_ROLES


class StaffRequired(NeighbourhoodRoleRequired):
    """Pages of the broker's workspace: the neighbourhood's staff (admins and brokers)."""

    allowed_roles = STAFF_ROLES


class OperatorRequired(AccessMixin):
    """Pages of the operator console (after the operator's second step)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not _is_operator(request):
            self.raise_exception = True
            return self.handle_no_permission()
        if not second_step_done(request):
            return redirect(second_step_url(request))
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class TwoFactorAccountRequired(AccessMixin):
    """The pages of the second step and of one's own two-step settings: for a signed-in
    account that needs a second step, on the host where it belongs (staff in their
    neighbourhood, operators on the platform). With `verified_only`, after the second step."""

    verified_only = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        user_is_operator = request.user.role == Role.OPERATOR
        on_platform = getattr(request, "neighbourhood", None) is None
        if not needs_two_factor(request.user) or user_is_operator != on_platform:
            self.raise_exception = True
            return self.handle_no_permission()
        if self.verified_only and not second_step_done(request):
            return redirect(second_step_url(request))
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def _view_roles(view: Any) -> frozenset[str]:
    """The roles an endpoint allows: its `allowed_roles`, narrowed to the admins for the
    actions a viewset lists in `admin_actions`."""
    if getattr(view, "action", None) in view.admin_actions:
        return ADMIN_ROLES
    return frozenset(view.allowed_roles)


class HasNeighbourhoodRole(permissions.BasePermission):
    message = _("Your role in this neighbourhood does not allow this.")

    def has_permission(self, request: Any, view: Any) -> bool:
        if view.public_reads and request.method in permissions.SAFE_METHODS:
            return True
        roles = _view_roles(view)
        if _has_role(request, roles) and not second_step_done(request):
            self.message = _(
                "Complete two-step verification first (log in on the site, or ask for a token "
                "with your code)."
            )
            return False
        return has_neighbourhood_role(request, roles)


class IsOperator(permissions.BasePermission):
    message = _("Only platform operators, on the platform domain, may do this.")

    def has_permission(self, request: Any, view: Any) -> bool:
        if _is_operator(request) and not second_step_done(request):
            self.message = _(
                "Complete two-step verification first (log in on the site, or ask for a token "
                "with your code)."
            )
            return False
        return is_operator_request(request)


class AuditedReads:
    """Reads of personal data are audited by the base class, from what the view declares:
    `personal_data` maps each read that returns contact details, notes, referrals, profiles
    or held messages (a viewset's action, or an API view's method: "get") to its audit code,
    a read (`<noun>.viewed` or `.exported`, tenants.audit.actions). Every successful read of
    one is recorded with the ids it returned and the object it was about. With
    `audited_roles`, only reads by those roles are (staff reading others' data, not a
    resident reading their own)."""

    personal_data: Mapping[str, str] = {}
    audited_roles: frozenset[str] | None = None

    def get_object(self) -> Any:
        self.read_object = super().get_object()  # type: ignore[misc]
        return self.read_object

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        code = self.personal_data.get(getattr(self, "action", None) or request.method.lower())
        audited = self.audited_roles is None or getattr(request.user, "role", None) in (
            self.audited_roles
        )
        if code and audited and request.method == "GET" and status.is_success(response.status_code):
            from tenants.audit.services import record_audit_event  # the audit log: a tenant app

            read = getattr(self, "read_object", None)
            record_audit_event(
                actor=request.user,
                action=code,
                # Filed under the person it is about (a note's, a referral's participant).
                target=getattr(read, "participant", None) or read,
                detail={"api": True, "ids": returned_ids(response.data)},
            )
        return response


def returned_ids(data: Any) -> list[Any]:
    """The ids of the records an API answer holds: a page's results, a list, or one."""
    rows = data.get("results", [data]) if isinstance(data, dict) else data
    return [row["id"] for row in rows if isinstance(row, dict) and "id" in row]


class NeighbourhoodAPIView(AuditedReads, generics.GenericAPIView):  # type: ignore[type-arg]
    """Base for a neighbourhood's endpoints: set `allowed_roles`; the check is applied here.
    With `public_reads`, anyone may read (GET, HEAD, OPTIONS) and only the roles may write."""

    allowed_roles: frozenset[str] = frozenset()
    admin_actions: frozenset[str] = frozenset()
    public_reads = False
    permission_classes = [HasNeighbourhoodRole]


class NeighbourhoodViewSet(AuditedReads, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Base for a neighbourhood's endpoint sets: set `allowed_roles`; list in
    `admin_actions` the actions (`create`, `retire`, ...) that only its admins may take."""

    allowed_roles: frozenset[str] = frozenset()
    admin_actions: frozenset[str] = frozenset()
    public_reads = False
    permission_classes = [HasNeighbourhoodRole]


class PublicAPIView(APIView):
    """Endpoints anyone may use, signed in or not (the public ad list, responding by link):
    choosing this base says so on purpose; never set `AllowAny` by hand."""

    permission_classes = [permissions.AllowAny]


class PublicViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Endpoint sets anyone may use (the ads, categories, personal pages), as PublicAPIView;
    whatever an action allows beyond that it checks itself (an owner, or staff)."""

    permission_classes = [permissions.AllowAny]


class StaffAPIView(NeighbourhoodAPIView):
    """Endpoints of the broker's workspace: the neighbourhood's staff (admins and brokers)."""

    allowed_roles = STAFF_ROLES


class StaffViewSet(NeighbourhoodViewSet):
    """Endpoint sets of the broker's workspace: the neighbourhood's staff."""

    allowed_roles = STAFF_ROLES


class OperatorAPIView(generics.GenericAPIView):  # type: ignore[type-arg]
    permission_classes = [IsOperator]


class OperatorViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    permission_classes = [IsOperator]


def object_or_404(queryset: QuerySet[M], pk: object, **conditions: Any) -> M:
    """The object a URL's id names among `queryset`, which holds only what the caller may see.

    One 404 for "does not exist", "not yours" and an id that is no number at all (a router's
    path accepts any text; a huge number finds nothing): never a 500, never a hint."""
    text = str(pk)
    if not (text.isascii() and text.isdigit()):
        raise Http404
    try:
        return queryset.get(pk=int(text), **conditions)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def local_next(request: HttpRequest, default: str, *, within: str = "/") -> str:
    """The `next` page a form asked to return to, if it is a path on this host under
    `within`; else `default`. A bare word would be taken by redirect() for a URL name."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted.startswith(within) and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default
