"""Paper vouchers under /api/v1/credits/: staff print (the codes come once, in the answer)
and void batches; an organisation's member (or staff) hands a code in for an organisation, a
participant for themselves. Wrong codes are rate-limited (429). 404 while credits are off."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.organisations.models import Organisation
from tijdvoorelkaar.accounts.access import NeighbourhoodAPIView, StaffViewSet
from tijdvoorelkaar.accounts.models import NEIGHBOURHOOD_ROLES, STAFF_ROLES, Role

from .api import AmountField, CreditsSwitch
from .limits import code_tries_spent, count_wrong_code
from .models import AMOUNT_DIGITS, Voucher, VoucherBatch
from .offer_api import own_participant
from .offers import organisations_run_by
from .vouchers import MAX_VOUCHERS, batches_with_counts, print_vouchers, redeem_voucher, void_batch


class BatchSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    value = serializers.DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=2)
    handed_in = serializers.IntegerField()

    class Meta:
        model = VoucherBatch
        fields = ["id", "description", "count", "value", "printed_at", "voided_at", "handed_in"]
        read_only_fields = fields


class PrintedSerializer(BatchSerializer):
    codes = serializers.ListField(child=serializers.CharField())

    class Meta(BatchSerializer.Meta):
        fields = [*BatchSerializer.Meta.fields, "codes"]
        read_only_fields = fields


class PrintInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    count = serializers.IntegerField(min_value=1, max_value=MAX_VOUCHERS)
    value = AmountField
    description = serializers.CharField(max_length=200)
    idempotency_key = serializers.CharField(max_length=64, required=False, allow_blank=True)


class VoidInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=200)


class CodeInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """`organisation`: required for an organisation's member and staff (one they run);
    a resident's voucher goes to their own account."""

    code = serializers.CharField(max_length=40)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False
    )


class HandedInSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    batch = serializers.IntegerField(source="batch_id")
    value = serializers.DecimalField(
        source="batch.value", max_digits=AMOUNT_DIGITS, decimal_places=2
    )

    class Meta:
        model = Voucher
        fields = ["batch", "number", "value", "redeemed_at"]
        read_only_fields = fields


class VoucherBatchViewSet(
    CreditsSwitch, mixins.ListModelMixin, mixins.RetrieveModelMixin, StaffViewSet
):
    """Printed batches with how many were handed in."""

    serializer_class = BatchSerializer

    def get_queryset(self) -> Any:
        return batches_with_counts()

    @extend_schema(request=PrintInputSerializer, responses={201: PrintedSerializer})
    def create(self, request: Request) -> Response:
        """Print a batch: `codes` are in this answer only (the server keeps their hashes);
        the same `idempotency_key` again answers the batch with no codes."""
        incoming = PrintInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        printed = print_vouchers(by=request.user, **incoming.validated_data)
        batch = batches_with_counts().get(pk=printed.batch.pk)
        batch.codes = printed.codes  # type: ignore[attr-defined]
        return Response(PrintedSerializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VoidInputSerializer, responses={200: BatchSerializer})
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: str) -> Response:
        """Void the vouchers not yet handed in; their value goes back."""
        incoming = VoidInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        void_batch(
            batch=self.get_object(), by=request.user, reason=incoming.validated_data["reason"]
        )
        return Response(BatchSerializer(batches_with_counts().get(pk=pk)).data)


class VoucherRedeemView(CreditsSwitch, NeighbourhoodAPIView):
    allowed_roles = frozenset(NEIGHBOURHOOD_ROLES)

    @extend_schema(
        request=CodeInputSerializer,
        responses={
            201: HandedInSerializer,
            429: OpenApiResponse(
                description="Too many wrong codes from this address or person this hour"
            ),
        },
    )
    def post(self, request: Request) -> Response:
        """Hand a voucher in: its value goes to the organisation (or to you, a resident).
        An unknown, used or voided code is a 400 naming `code`."""
        who = f"user:{request.user.pk}"
        if code_tries_spent(request._request, who):
            raise Throttled(detail=_("Too many wrong codes. Try again in an hour."))
        incoming = CodeInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        target = _receiver(request.user, data.get("organisation"))
        try:
            voucher = redeem_voucher(code=data["code"], by=request.user, **target)
        except ValidationError:
            count_wrong_code(request._request, who)
            raise
        return Response(HandedInSerializer(voucher).data, status=status.HTTP_201_CREATED)


def _receiver(user: Any, organisation: Organisation | None) -> dict[str, Any]:
    if user.role in STAFF_ROLES or user.role == Role.ORGANISATION:
        if (
            organisation is None
            or not organisations_run_by(user).filter(pk=organisation.pk).exists()
        ):
            raise ValidationError({"organisation": _("Choose an organisation you hand it in for.")})
        return {"organisation": organisation}
    return {"participant": own_participant(user)}
