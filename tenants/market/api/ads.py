"""The marketplace's ads through the API: list and search, detail, placing without an account,
the confirmation link, changes by the owner.

The public parts are open to anyone; placing is throttled per IP. Owner actions need the
participant: signed in by a mailed link (session, CSRF-checked) or a user account linked to
the participant. Staff (admin, broker) may act for any participant; that is audited."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, Throttled
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from tenants.people.models import Participant, SubArea
from tenants.people.services.links import LinkProblem
from tenants.people.sessions import SESSION_KEY, current_participant, sign_in_participant
from tijdvoorelkaar.accounts.access import PublicViewSet, has_neighbourhood_role, object_or_404
from tijdvoorelkaar.accounts.models import STAFF_ROLES

from ..limits import placing_limited
from ..models import Ad, AdKind, AdStatus, Category
from ..selectors import ad_for_visitor, search_ads
from ..services.ads import close_ad, renew_ad, update_ad
from ..services.placing import confirm_ad_by_link, submit_ad
from ..views.common import int_or_none
from .serializers import (
    AdChangeSerializer,
    AdInputSerializer,
    AdSerializer,
    ConfirmSerializer,
    PlacedSerializer,
)


class ConfirmThrottle(SimpleRateThrottle):
    """Trying confirmation tokens through the API: per client IP. (Placing counts against the
    same per-IP and per-address limits as the page: limits.over_limit.)"""

    scope = "market_confirm"
    rate = "10/hour"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if view.action != "confirm":
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def _participant(request: Request) -> Participant | None:
    """The caller as a participant. Signed in by a link only (a session cookie without a
    user), a write must carry the CSRF token, as a page's form does."""
    participant = current_participant(request)  # type: ignore[arg-type]
    if (
        participant is not None
        and not request.user.is_authenticated
        and request.session.get(SESSION_KEY)
        and request.method not in permissions.SAFE_METHODS
    ):
        SessionAuthentication().enforce_csrf(request)
    return participant


LIST_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Words to search for (Dutch or English)"),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=AdKind.values),
    OpenApiParameter("category", OpenApiTypes.INT),
    OpenApiParameter("sub_area", OpenApiTypes.INT),
]


class AdViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PublicViewSet):
    """Published ads for everyone; placing without an account; changes by the owner (or staff
    acting for them)."""

    serializer_class = AdSerializer
    throttle_classes = [ConfirmThrottle]

    def get_queryset(self) -> Any:
        params = self.request.query_params
        filters: dict[str, Any] = {}
        for name, model in (("category", Category), ("sub_area", SubArea)):
            if params.get(name):
                filters[name] = model.objects.filter(pk=int_or_none(params[name]) or 0).first()
                if filters[name] is None:
                    return Ad.objects.none()  # an unknown filter value finds nothing
        kind = params.get("kind", "")
        return search_ads(
            text=params.get("q", "")[:200],
            kind=kind if kind in AdKind.values else "",
            **filters,
        )

    @extend_schema(parameters=LIST_PARAMETERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def retrieve(self, request: Request, pk: str) -> Response:
        ad = ad_for_visitor(pk=int_or_none(pk) or 0, participant=current_participant(request))  # type: ignore[arg-type]
        if ad is None:
            raise Http404
        return Response(AdSerializer(ad).data)

    @extend_schema(
        request=AdInputSerializer,
        responses={
            201: PlacedSerializer,
            400: OpenApiResponse(description="Fields and reasons"),
            429: OpenApiResponse(description="Too many ads from this IP or address"),
        },
    )
    def create(self, request: Request) -> Response:
        participant = _participant(request)
        if placing_limited(request._request, participant, request.data):
            raise Throttled(detail=_("Too many ads at once; try again in an hour."))
        incoming = AdInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        ad = submit_ad(
            signed_in=participant, language=request.LANGUAGE_CODE, **incoming.validated_data
        )
        messages = {
            AdStatus.UNCONFIRMED: _("Check your mail: the ad goes online after its link."),
            AdStatus.AWAITING_APPROVAL: _("The broker looks at the ad first."),
            AdStatus.PUBLISHED: _("The ad is on the site."),
        }
        return Response(
            {"id": ad.pk, "status": ad.status, "detail": str(messages.get(ad.status, ""))},
            status=status.HTTP_201_CREATED,
        )

    def _owned(self, request: Request, pk: str) -> tuple[Ad, Any]:
        """The ad the caller may change, and who acts (a staff user, or None for the owner)."""
        if has_neighbourhood_role(request, STAFF_ROLES):
            return object_or_404(Ad.objects.select_related("participant"), pk), request.user
        participant = _participant(request)
        if participant is None:
            raise NotAuthenticated(_("Sign in with the link from your mail, or with your account."))
        return object_or_404(Ad.objects.filter(participant=participant), pk), None

    @extend_schema(request=AdChangeSerializer, responses=AdSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        ad, by = self._owned(request, pk)
        incoming = AdChangeSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        changes = dict(incoming.validated_data)
        if not changes.get("photo"):
            changes.pop("photo", None)  # no new photo: keep the old one
        ad = update_ad(ad=ad, by=by, **changes)
        return Response(AdSerializer(ad).data)

    @extend_schema(request=None, responses=AdSerializer)
    @action(detail=True, methods=["post"])
    def renew(self, request: Request, pk: str) -> Response:
        ad, by = self._owned(request, pk)
        return Response(AdSerializer(renew_ad(ad=ad, by=by)).data)

    @extend_schema(request=None, responses=AdSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        ad, by = self._owned(request, pk)
        return Response(AdSerializer(close_ad(ad=ad, by=by)).data)

    @extend_schema(
        request=ConfirmSerializer,
        responses={
            200: AdSerializer,
            404: OpenApiResponse(description="Unknown link"),
            410: OpenApiResponse(description="Expired or used link: ask for a new one"),
        },
    )
    @action(detail=False, methods=["post"])
    def confirm(self, request: Request) -> Response:
        """Redeem the token from the confirmation mail; also signs the participant in."""
        incoming = ConfirmSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            ad = confirm_ad_by_link(token=incoming.validated_data["token"])
        except (LinkProblem, Ad.DoesNotExist) as problem:
            reason = getattr(problem, "reason", "unknown")
            texts = {
                "expired": _("This link has expired; ask for a new one."),
                "used": _("This link has already been used; ask for a new one."),
                "unknown": _("We do not recognise this link."),
            }
            return Response(
                {"detail": str(texts[reason]), "code": reason},
                status=status.HTTP_404_NOT_FOUND if reason == "unknown" else status.HTTP_410_GONE,
            )
        sign_in_participant(request._request, ad.participant)
        return Response(AdSerializer(ad).data)
