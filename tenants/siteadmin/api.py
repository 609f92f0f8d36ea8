"""A neighbourhood's own endpoints for its settings and staff accounts."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.audit import actions
from tijdvoorelkaar.accounts.access import NeighbourhoodAPIView, NeighbourhoodViewSet
from tijdvoorelkaar.accounts.models import ADMIN_ROLES, User
from tijdvoorelkaar.accounts.selectors import staff_accounts
from tijdvoorelkaar.accounts.services import invite_user, send_invitation, update_staff_member
from tijdvoorelkaar.accounts.twofactor import reset_two_factor
from tijdvoorelkaar.neighbourhoods.api import SettingsSerializer
from tijdvoorelkaar.neighbourhoods.services import update_settings

from .forms import STAFF_ROLE_CHOICES


class PublicNeighbourhoodSerializer(SettingsSerializer):
    class Meta(SettingsSerializer.Meta):
        read_only_fields = SettingsSerializer.Meta.fields


class NeighbourhoodSettingsView(NeighbourhoodAPIView):
    """This neighbourhood's settings: anyone may read them (they are public); admins change
    them (all but the theme, which the platform operator sets)."""

    allowed_roles = ADMIN_ROLES
    public_reads = True
    serializer_class = SettingsSerializer

    @extend_schema(responses=PublicNeighbourhoodSerializer)
    def get(self, request: Request) -> Response:
        return Response(PublicNeighbourhoodSerializer(request.neighbourhood).data)

    def patch(self, request: Request) -> Response:
        incoming = SettingsSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        updated = update_settings(
            neighbourhood=request.neighbourhood,
            changes=incoming.validated_data,
            changed_by=request.user,
        )
        return Response(SettingsSerializer(updated).data)


class StaffSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    invitation_pending = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "role", "is_active", "invitation_pending"]
        read_only_fields = ["id", "email", "full_name", "invitation_pending"]

    def get_invitation_pending(self, obj: User) -> bool:
        return not obj.has_usable_password()


class InviteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    email = serializers.EmailField()
    full_name = serializers.CharField(max_length=120)
    role = serializers.ChoiceField(choices=STAFF_ROLE_CHOICES)


class StaffChangeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    role = serializers.ChoiceField(choices=STAFF_ROLE_CHOICES, required=False)
    is_active = serializers.BooleanField(required=False)


class StaffViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, NeighbourhoodViewSet):
    """Staff accounts (admins and brokers): list, invite, change role, (de)activate."""

    allowed_roles = ADMIN_ROLES
    serializer_class = StaffSerializer
    personal_data = {"list": actions.STAFF_LIST_VIEWED, "retrieve": actions.STAFF_VIEWED}

    def get_queryset(self) -> Any:
        return staff_accounts()

    @extend_schema(request=InviteSerializer, responses={201: StaffSerializer})
    def create(self, request: Request) -> Response:
        incoming = InviteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        user = invite_user(invited_by=request.user, **incoming.validated_data)
        return Response(StaffSerializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StaffChangeSerializer, responses=StaffSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        member = self.get_object()
        incoming = StaffChangeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        update_staff_member(member=member, changed_by=request.user, **incoming.validated_data)
        return Response(StaffSerializer(member).data)

    @extend_schema(request=None, responses={202: None})
    @action(detail=True, methods=["post"])
    def resend_invitation(self, request: Request, pk: str) -> Response:
        send_invitation(user=self.get_object())
        return Response(status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def reset_two_factor(self, request: Request, pk: str) -> Response:
        """Remove a colleague's authenticator, recovery codes and API token (audited)."""
        reset_two_factor(user=self.get_object(), reset_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
