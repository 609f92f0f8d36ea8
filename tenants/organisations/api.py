"""The social map's endpoints, for brokers and admins."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.audit import actions
from tenants.people.models import Participant
from tijdvoorelkaar.accounts.access import StaffViewSet, object_or_404

from . import selectors
from .models import Organisation
from .services import (
    EDITABLE_FIELDS,
    add_organisation_member,
    create_organisation,
    remove_organisation_member,
    set_organisation_active,
    update_organisation,
)


class OrganisationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    member_count = serializers.IntegerField(read_only=True)
    vacancy_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", *EDITABLE_FIELDS, "is_active", "member_count", "vacancy_count"]
        read_only_fields = ["id", "member_count", "vacancy_count"]
        # The service checks the name without regard to case and answers with a 400.
        extra_kwargs = {"name": {"validators": []}}


class OrganisationDetailSerializer(OrganisationSerializer):
    members = serializers.SerializerMethodField()

    class Meta(OrganisationSerializer.Meta):
        fields = [*OrganisationSerializer.Meta.fields, "members"]

    def get_members(self, obj: Organisation) -> list[dict[str, Any]]:
        return [{"id": p.pk, "display_name": p.display_name} for p in selectors.members_of(obj)]


class MemberSerializer(serializers.Serializer):  # type: ignore[type-arg]
    participant = serializers.PrimaryKeyRelatedField(
        queryset=Participant.objects.filter(erased_at__isnull=True)
    )


class OrganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StaffViewSet):
    """Organisations on the social map: list (search `q`, `kind`, `inactive`), read, add,
    change (set `is_active` to deactivate), and members who may post vacancies."""

    serializer_class = OrganisationSerializer
    personal_data = {
        "list": actions.ORGANISATION_LIST_VIEWED,
        "retrieve": actions.ORGANISATION_VIEWED,
    }

    def get_queryset(self) -> Any:
        params = self.request.query_params
        return selectors.organisations_for_list(
            query=params.get("q", ""),
            kind=kind if (kind := params.get("kind", "")) in Organisation.Kind.values else "",
            include_inactive=self.action != "list" or params.get("inactive") in ("1", "true"),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="search in name and contact"),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=Organisation.Kind.values),
            OpenApiParameter("inactive", OpenApiTypes.BOOL, description="include inactive"),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The list carries each contact person's e-mail and phone: whose, is recorded."""
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=OrganisationDetailSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(OrganisationDetailSerializer(self.get_object()).data)

    @extend_schema(request=OrganisationSerializer, responses={201: OrganisationSerializer})
    def create(self, request: Request) -> Response:
        incoming = OrganisationSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        active = data.pop("is_active", True)
        organisation = create_organisation(by=request.user, **data)
        if not active:
            set_organisation_active(organisation=organisation, active=False, by=request.user)
        return Response(self._fresh(organisation.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=OrganisationSerializer, responses=OrganisationSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        organisation = self.get_object()
        incoming = OrganisationSerializer(organisation, data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        active = data.pop("is_active", None)
        update_organisation(organisation=organisation, changes=data, by=request.user)
        if active is not None:
            set_organisation_active(organisation=organisation, active=active, by=request.user)
        return Response(self._fresh(organisation.pk))

    def _fresh(self, pk: int) -> dict[str, Any]:
        organisation = selectors.organisations_for_list(include_inactive=True).get(pk=pk)
        return OrganisationSerializer(organisation).data

    @extend_schema(request=MemberSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def members(self, request: Request, pk: str) -> Response:
        organisation = self.get_object()
        incoming = MemberSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        add_organisation_member(
            organisation=organisation,
            participant=incoming.validated_data["participant"],
            by=request.user,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=MemberSerializer, responses={204: None})
    @action(detail=True, methods=["post"], url_path="remove-member")
    def remove_member(self, request: Request, pk: str) -> Response:
        organisation = self.get_object()
        incoming = MemberSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        participant = object_or_404(
            organisation.members.all(), incoming.validated_data["participant"].pk
        )
        remove_organisation_member(
            organisation=organisation, participant=participant, by=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
