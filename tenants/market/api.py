"""The marketplace's API: ads (list and search, detail, placing without an account, the
confirmation link, changes by the owner), categories, sub-areas and personal pages.

The public parts are open to anyone; placing is throttled per IP. Owner actions need the
participant: signed in by a mailed link (session, CSRF-checked) or a user account linked to
the participant. Staff (admin, broker) may act for any participant; that is audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, Throttled
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from tenants.organisations.models import Organisation
from tenants.people.models import Participant, SubArea
from tenants.people.services.links import LinkProblem
from tenants.people.services.participants import participant_for_contact
from tenants.people.sessions import SESSION_KEY, current_participant, sign_in_participant
from tijdvoorelkaar.accounts.models import STAFF_ROLES

from .limits import over_limit
from .models import Ad, AdKind, AdStatus, Category
from .photos import clean_photo
from .selectors import active_categories, ad_for_visitor, person_ads, public_person, search_ads
from .services.ads import close_ad, confirm_ad_by_link, renew_ad, submit_ad, update_ad


class ConfirmThrottle(SimpleRateThrottle):
    """Trying confirmation tokens through the API: per client IP. (Placing counts against the
    same per-IP and per-address limits as the page: limits.over_limit.)"""

    scope = "market_confirm"
    rate = "10/hour"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if view.action != "confirm":
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class CategorySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Category
        fields = ["id", "name", "slug", "position"]


class SubAreaSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = SubArea
        fields = ["id", "name", "position"]


class OwnerSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A participant's public face: never contact data."""

    class Meta:
        model = Participant
        fields = ["id", "display_name"]


class AdSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    category = CategorySerializer(read_only=True)
    sub_area = SubAreaSerializer(read_only=True)
    owner = OwnerSerializer(source="participant", read_only=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True, default=None)
    photo = serializers.SerializerMethodField()

    class Meta:
        model = Ad
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "category",
            "sub_area",
            "when",
            "photo",
            "owner",
            "organisation",
            "status",
            "published_at",
            "expires_at",
        ]
        read_only_fields = fields

    def get_photo(self, ad: Ad) -> str | None:
        return ad.photo.url if ad.photo else None


class PersonAdSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Ad
        fields = ["id", "kind", "title", "published_at"]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    sub_area = serializers.CharField(source="sub_area.name", read_only=True, default=None)
    open_ads = PersonAdSerializer(many=True, read_only=True)

    class Meta:
        model = Participant
        fields = ["id", "display_name", "sub_area", "introduction", "open_ads"]
        read_only_fields = fields


def _photo(upload: Any) -> Any:
    """The page's photo rules: an image of at most 5 MB, downscaled, metadata stripped."""
    if not upload:
        return None
    try:
        return clean_photo(upload)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.messages) from error


class AdInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What a resident fills in; the same rules as the page (without the honeypot). Send it as
    multipart/form-data to include a photo."""

    kind = serializers.ChoiceField(choices=AdKind.choices)
    title = serializers.CharField(max_length=100)
    body = serializers.CharField(max_length=2000)
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(is_active=True))
    sub_area = serializers.PrimaryKeyRelatedField(
        queryset=SubArea.objects.all(), required=False, allow_null=True
    )
    when = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True), required=False, allow_null=True
    )
    display_name = serializers.CharField(max_length=80, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    photo = serializers.FileField(
        required=False, allow_null=True, help_text="JPEG, PNG or WebP, at most 5 MB."
    )

    def validate_photo(self, upload: Any) -> Any:
        return _photo(upload)


class AdChangeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    title = serializers.CharField(max_length=100, required=False)
    body = serializers.CharField(max_length=2000, required=False)
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.filter(is_active=True), required=False
    )
    sub_area = serializers.PrimaryKeyRelatedField(
        queryset=SubArea.objects.all(), required=False, allow_null=True
    )
    when = serializers.CharField(max_length=120, required=False, allow_blank=True)
    photo = serializers.FileField(
        required=False, allow_null=True, help_text="JPEG, PNG or WebP, at most 5 MB."
    )

    def validate_photo(self, upload: Any) -> Any:
        return _photo(upload)


class PlacedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=AdStatus.choices)
    detail = serializers.CharField()


class ConfirmSerializer(serializers.Serializer):  # type: ignore[type-arg]
    token = serializers.CharField(max_length=200)


def _is_staff(request: Request) -> bool:
    user = request.user
    return bool(user and user.is_authenticated and user.role in STAFF_ROLES)


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


class AdViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Published ads for everyone; placing without an account; changes by the owner (or staff
    acting for them)."""

    serializer_class = AdSerializer
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ConfirmThrottle]

    def get_queryset(self) -> Any:
        params = self.request.query_params
        filters: dict[str, Any] = {}
        for name, model in (("category", Category), ("sub_area", SubArea)):
            if params.get(name):
                filters[name] = model.objects.filter(pk=_int(params[name]) or 0).first()
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
        ad = ad_for_visitor(pk=_int(pk) or 0, participant=current_participant(request))  # type: ignore[arg-type]
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
        signed_in = participant is not None
        if over_limit(
            request._request,
            "place",
            email=participant.email if participant else str(request.data.get("email", "")),
            phone=participant.phone if participant else str(request.data.get("phone", "")),
        ):
            raise Throttled(detail=_("Too many ads at once; try again in an hour."))
        incoming = AdInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        contact = {name: data.pop(name, "") for name in ("display_name", "email", "phone")}
        if participant is None:
            errors = {}
            if not contact["display_name"].strip():
                errors["display_name"] = [_("Give the name others will see.")]
            if not contact["email"] and not contact["phone"].strip():
                errors["email"] = [_("Give an e-mail address, or else a phone number.")]
            if errors:
                raise serializers.ValidationError(errors)
            participant = participant_for_contact(**contact)
            if participant.pk is None:
                participant.preferred_language = request.LANGUAGE_CODE
        organisation = data.get("organisation")
        if data["kind"] == AdKind.VACANCY and (
            not signed_in
            or organisation is None
            or not organisation.members.filter(pk=participant.pk).exists()
        ):
            raise serializers.ValidationError(
                {"kind": [_("Only members of an organisation may post its volunteer vacancies.")]}
            )
        ad = submit_ad(participant=participant, signed_in=signed_in, **data)
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
        if _is_staff(request):
            ad = Ad.objects.filter(pk=_int(pk) or 0).select_related("participant").first()
            by = request.user
        else:
            participant = _participant(request)
            if participant is None:
                raise NotAuthenticated(
                    _("Sign in with the link from your mail, or with your account.")
                )
            ad = Ad.objects.filter(pk=_int(pk) or 0, participant=participant).first()
            by = None
        if ad is None:
            raise Http404
        return ad, by

    @extend_schema(request=AdChangeSerializer, responses=AdSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        ad, by = self._owned(request, pk)
        incoming = AdChangeSerializer(data=request.data)
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


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, str) and value.isdecimal() else None


class CategoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """The categories in use, in the admin's order."""

    serializer_class = CategorySerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self) -> Any:
        return active_categories()


class SubAreaViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    serializer_class = SubAreaSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self) -> Any:
        return SubArea.objects.order_by("position", "name")


class PersonViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Personal pages: public fields only."""

    serializer_class = PersonSerializer
    permission_classes = [permissions.AllowAny]
    queryset = Participant.objects.none()

    def retrieve(self, request: Request, pk: str) -> Response:
        person = public_person(pk=_int(pk) or 0, viewer=current_participant(request))  # type: ignore[arg-type]
        if person is None:
            raise Http404
        person.open_ads = list(person_ads(participant=person))  # type: ignore[attr-defined]
        return Response(PersonSerializer(person).data)
