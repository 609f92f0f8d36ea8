"""The marketplace's public lists through the API: categories, sub-areas, personal pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import mixins
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.people.models import Participant, SubArea
from tenants.people.sessions import current_participant
from tijdvoorelkaar.accounts.access import PublicViewSet

from ..selectors import active_categories, person_ads, public_person
from ..views.common import int_or_none
from .serializers import CategorySerializer, PersonSerializer, SubAreaSerializer


class CategoryViewSet(mixins.ListModelMixin, PublicViewSet):
    """The categories in use, in the admin's order."""

    serializer_class = CategorySerializer

    def get_queryset(self) -> Any:
        return active_categories()


class SubAreaViewSet(mixins.ListModelMixin, PublicViewSet):
    serializer_class = SubAreaSerializer

    def get_queryset(self) -> Any:
        return SubArea.objects.order_by("position", "name")


class PersonViewSet(PublicViewSet):
    """Personal pages: public fields only."""

    serializer_class = PersonSerializer
    queryset = Participant.objects.none()

    def retrieve(self, request: Request, pk: str) -> Response:
        person = public_person(pk=int_or_none(pk) or 0, viewer=current_participant(request))  # type: ignore[arg-type]
        if person is None:
            raise Http404
        person.open_ads = list(person_ads(participant=person))  # type: ignore[attr-defined]
        return Response(PersonSerializer(person).data)
