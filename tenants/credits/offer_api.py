"""Offers under /api/v1/credits/offers/ and what was redeemed, /api/v1/credits/redemptions/.
Everyone in the neighbourhood reads the offers; an organisation's member (and staff) make
and withdraw them; a participant redeems for themselves, staff for anyone. 404 while
credits are off."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.organisations.models import Organisation
from tenants.people.models import Participant
from tijdvoorelkaar.accounts.access import NeighbourhoodViewSet
from tijdvoorelkaar.accounts.models import NEIGHBOURHOOD_ROLES, STAFF_ROLES

from .api import AmountField, CreditsSwitch
from .models import AMOUNT_DIGITS, Offer, Redemption
from .offers import (
    available_offers,
    create_offer,
    organisations_run_by,
    redeem_offer,
    withdraw_offer,
)


class OfferSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    price = serializers.DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=2)
    provider_name = serializers.CharField(source="provider.name")

    class Meta:
        model = Offer
        fields = [
            "id",
            "provider",
            "provider_name",
            "title",
            "description",
            "price",
            "stock",
            "ends_on",
        ]
        read_only_fields = fields


class OfferInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    provider = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    price = AmountField
    stock = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=10_000)
    ends_on = serializers.DateField(required=False, allow_null=True)


class RedeemInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """`participant`: staff name who it is for; anyone else redeems for themselves."""

    participant = serializers.PrimaryKeyRelatedField(
        queryset=Participant.objects.filter(erased_at=None), required=False
    )
    idempotency_key = serializers.CharField(max_length=64, required=False, allow_blank=True)


class RedemptionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    offer_title = serializers.CharField(source="offer.title")
    provider = serializers.IntegerField(source="offer.provider_id")

    class Meta:
        model = Redemption
        fields = [
            "id",
            "offer",
            "offer_title",
            "provider",
            "participant",
            "transfer",
            "redeemed_at",
        ]
        read_only_fields = fields


def own_participant(user: Any) -> Participant:
    """The participant a signed-in user is; a refusal naming `participant` if none."""
    participant = Participant.objects.filter(user=user, erased_at=None).first()
    if participant is None:
        raise ValidationError({"participant": _("Your account is not linked to a participant.")})
    return participant


class OfferViewSet(
    CreditsSwitch, mixins.ListModelMixin, mixins.RetrieveModelMixin, NeighbourhoodViewSet
):
    """Offers available today (withdrawn, ended and sold-out ones are gone from the list)."""

    allowed_roles = frozenset(NEIGHBOURHOOD_ROLES)
    serializer_class = OfferSerializer

    def get_queryset(self) -> QuerySet[Offer]:
        return available_offers()

    @extend_schema(request=OfferInputSerializer, responses={201: OfferSerializer})
    def create(self, request: Request) -> Response:
        """A new offer of an organisation you are a member of (staff: any)."""
        incoming = OfferInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        offer = create_offer(by=request.user, **incoming.validated_data)
        return Response(OfferSerializer(offer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RedeemInputSerializer, responses={201: RedemptionSerializer})
    @action(detail=True, methods=["post"])
    def redeem(self, request: Request, pk: str) -> Response:
        """Take the offer: its price moves from the participant's account to the provider's.
        The same `idempotency_key` twice is one redemption."""
        offer = self.get_object()
        incoming = RedeemInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        if request.user.role in STAFF_ROLES:
            if "participant" not in data:
                raise ValidationError({"participant": _("Name the participant it is for.")})
            participant = data["participant"]
        else:
            participant = own_participant(request.user)
        redemption = redeem_offer(
            offer=offer,
            participant=participant,
            by=request.user,
            idempotency_key=data.get("idempotency_key") or None,
        )
        return Response(RedemptionSerializer(redemption).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: OfferSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        """Take your organisation's offer off the list (staff: any offer)."""
        offer = self.get_object()
        if not organisations_run_by(request.user).filter(pk=offer.provider_id).exists():
            self.permission_denied(request)
        return Response(OfferSerializer(withdraw_offer(offer=offer, by=request.user)).data)


class RedemptionViewSet(CreditsSwitch, mixins.ListModelMixin, NeighbourhoodViewSet):
    """Redemptions: staff see all; an organisation's member those with their organisations
    and their own; a resident their own."""

    allowed_roles = frozenset(NEIGHBOURHOOD_ROLES)
    serializer_class = RedemptionSerializer

    def get_queryset(self) -> QuerySet[Redemption]:
        user = self.request.user
        redemptions = Redemption.objects.select_related("offer").order_by("-redeemed_at", "-id")
        if not user.is_authenticated:
            return redemptions.none()
        if user.role in STAFF_ROLES:
            return redemptions
        return redemptions.filter(
            Q(participant__user=user) | Q(offer__provider__in=organisations_run_by(user))
        )
