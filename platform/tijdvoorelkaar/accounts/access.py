"""Who may reach what. Every page and endpoint states its roles through these classes, so
the safe way is the easy way: a view without them is a review finding."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import generics, permissions, viewsets

from .models import Role


def has_neighbourhood_role(request: HttpRequest, roles: frozenset[str]) -> bool:
    user = request.user
    return (
        getattr(request, "neighbourhood", None) is not None
        and user.is_authenticated
        and user.role in roles
    )


def is_operator_request(request: HttpRequest) -> bool:
    """An operator, on the platform's own domain (operators exist only in the public schema)."""
    return (
        getattr(request, "neighbourhood", None) is None
        and request.user.is_authenticated
        and request.user.role == Role.OPERATOR
    )


class NeighbourhoodRoleRequired(AccessMixin):
    """Pages of a neighbourhood for the roles in `allowed_roles`."""

    allowed_roles: frozenset[str] = frozenset()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_neighbourhood_role(request, self.allowed_roles):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class OperatorRequired(AccessMixin):
    """Pages of the operator console."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_operator_request(request):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class HasNeighbourhoodRole(permissions.BasePermission):
    message = _("Your role in this neighbourhood does not allow this.")

    def has_permission(self, request: Any, view: Any) -> bool:
        return has_neighbourhood_role(request, view.allowed_roles)


class IsOperator(permissions.BasePermission):
    message = _("Only platform operators, on the platform domain, may do this.")

    def has_permission(self, request: Any, view: Any) -> bool:
        return is_operator_request(request)


class NeighbourhoodAPIView(generics.GenericAPIView):  # type: ignore[type-arg]
    """Base for a neighbourhood's endpoints: set `allowed_roles`; the check is applied here."""

    allowed_roles: frozenset[str] = frozenset()
    permission_classes = [HasNeighbourhoodRole]


class NeighbourhoodViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    allowed_roles: frozenset[str] = frozenset()
    permission_classes = [HasNeighbourhoodRole]


class OperatorAPIView(generics.GenericAPIView):  # type: ignore[type-arg]
    permission_classes = [IsOperator]


class OperatorViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    permission_classes = [IsOperator]
