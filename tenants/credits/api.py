"""The credits API under /api/v1/credits/: accounts and their statements for everyone who
holds one (staff see all), transfers for staff. While the neighbourhood's credits are off
every endpoint answers 404, as if it did not exist."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.audit.actions import (
    CREDIT_ACCOUNT_LIST_VIEWED,
    CREDIT_ACCOUNT_VIEWED,
    CREDIT_STATEMENT_VIEWED,
)
from tenants.mediations.models import Mediation
from tenants.organisations.models import Organisation
from tenants.people.models import Participant
from tijdvoorelkaar.accounts.access import NeighbourhoodViewSet, StaffAPIView, StaffViewSet
from tijdvoorelkaar.accounts.models import NEIGHBOURHOOD_ROLES, STAFF_ROLES, Role
from tijdvoorelkaar.neighbourhoods.selectors import current_neighbourhood

from . import reports, selectors
from .models import AMOUNT_DIGITS, Account, Movement, Transfer
from .rewards import job_state, start_reward
from .services import give_credits, reverse_transfer, reward_participants

# Wider than the ledger's two places, so that 0.125 reaches the service and is refused
# there with the same message as on a page.
AmountField = serializers.DecimalField(max_digits=AMOUNT_DIGITS + 4, decimal_places=6)


class CreditsSwitch:
    """Checked before authentication: with credits off the endpoints do not exist."""

    switched_off_is_404 = True  # the schema declares a 404 on every operation (api_schema)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        if not current_neighbourhood().credits_enabled:
            raise Http404
        super().initial(request, *args, **kwargs)  # type: ignore[misc]


class AccountSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    balance = serializers.DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=2)
    owner = serializers.SerializerMethodField()

    class Meta:
        model = Account
        fields = ["id", "kind", "participant", "organisation", "owner", "balance"]
        read_only_fields = fields

    def get_owner(self, account: Account) -> str:
        if account.participant_id:
            return account.participant.display_name  # type: ignore[union-attr]
        if account.organisation_id:
            return account.organisation.name  # type: ignore[union-attr]
        return str(account.get_kind_display())


class StatementLineSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    kind = serializers.CharField(source="transfer.kind")
    description = serializers.CharField(source="transfer.description")
    made_at = serializers.DateTimeField(source="transfer.made_at")
    balance_after = serializers.DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=2)

    class Meta:
        model = Movement
        fields = ["transfer", "kind", "description", "made_at", "amount", "balance_after"]
        read_only_fields = fields


class MovementSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Movement
        fields = ["account", "amount"]
        read_only_fields = fields


class TransferSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    movements = MovementSerializer(many=True, read_only=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "kind",
            "description",
            "made_at",
            "made_by",
            "on_behalf_of",
            "mediation",
            "ad",
            "reverses",
            "movements",
        ]
        read_only_fields = fields


class TransferInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A reward (`recipients`, `amount`, optional `organisation`: from its issuing account,
    else the neighbourhood's) or a gift (`giver`, `receiver`, `amount`, optional
    `mediation`). The same `idempotency_key` twice makes one transfer."""

    kind = serializers.ChoiceField(choices=[Transfer.Kind.REWARD, Transfer.Kind.GIFT])
    amount = AmountField
    description = serializers.CharField(max_length=200)
    recipients = serializers.PrimaryKeyRelatedField(
        queryset=Participant.objects.filter(erased_at=None), many=True, required=False
    )
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    giver = serializers.PrimaryKeyRelatedField(
        queryset=Participant.objects.filter(erased_at=None), required=False
    )
    receiver = serializers.PrimaryKeyRelatedField(
        queryset=Participant.objects.filter(erased_at=None), required=False
    )
    mediation = serializers.PrimaryKeyRelatedField(
        queryset=Mediation.objects.all(), required=False, allow_null=True
    )
    idempotency_key = serializers.CharField(max_length=64, required=False, allow_blank=True)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        needed = ["recipients"] if data["kind"] == Transfer.Kind.REWARD else ["giver", "receiver"]
        missing = {name: [_required()] for name in needed if name not in data}
        if missing:
            raise serializers.ValidationError(missing)
        return data


def _required() -> str:
    return str(serializers.Field.default_error_messages["required"])


class ReversalSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=200)
    idempotency_key = serializers.CharField(max_length=64, required=False, allow_blank=True)


class AccountViewSet(
    CreditsSwitch, mixins.ListModelMixin, mixins.RetrieveModelMixin, NeighbourhoodViewSet
):
    """Credit accounts with their balances: a resident sees their own, an organisation's
    member also their organisations', staff every account (a staff read is audited)."""

    allowed_roles = frozenset(NEIGHBOURHOOD_ROLES)
    serializer_class = AccountSerializer
    personal_data = {
        "list": CREDIT_ACCOUNT_LIST_VIEWED,
        "retrieve": CREDIT_ACCOUNT_VIEWED,
        "statement": CREDIT_STATEMENT_VIEWED,
    }
    audited_roles = STAFF_ROLES

    def get_queryset(self) -> Any:
        if not self.request.user.is_authenticated:  # the schema generator asks without one
            return Account.objects.none()
        return selectors.accounts_visible_to(self.request.user)

    @extend_schema(responses=StatementLineSerializer(many=True))
    @action(detail=True)
    def statement(self, request: Request, pk: str) -> Response:
        """The account's movements, newest first, with the balance after each."""
        page = self.paginate_queryset(selectors.statement(self.get_object()))
        return self.get_paginated_response(StatementLineSerializer(page, many=True).data)


class TransferViewSet(
    CreditsSwitch, mixins.ListModelMixin, mixins.RetrieveModelMixin, StaffViewSet
):
    """Transfers of the ledger, for staff: list, one, a reward or a gift made, a reversal."""

    serializer_class = TransferSerializer

    def get_queryset(self) -> Any:
        return selectors.transfers_for_list()

    @extend_schema(request=TransferInputSerializer, responses={201: TransferSerializer})
    def create(self, request: Request) -> Response:
        incoming = TransferInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        common = {
            "by": request.user,
            "description": data["description"],
            "idempotency_key": data.get("idempotency_key") or None,
        }
        if data["kind"] == Transfer.Kind.REWARD:
            try:
                transfer = reward_participants(
                    recipients=data["recipients"],
                    amount_each=data["amount"],
                    organisation=data.get("organisation"),
                    **common,
                )
            except ValidationError as error:  # the endpoint calls each share `amount`
                named = error.message_dict
                raise ValidationError(
                    {("amount" if k == "amount_each" else k): v for k, v in named.items()}
                ) from None
        else:
            transfer = give_credits(
                giver=data["giver"],
                receiver=data["receiver"],
                amount=data["amount"],
                mediation=data.get("mediation"),
                **common,
            )
        return Response(TransferSerializer(transfer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReversalSerializer, responses={201: TransferSerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request: Request, pk: str) -> Response:
        """Undo the transfer by a compensating one, with a reason."""
        incoming = ReversalSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        reversal = reverse_transfer(
            transfer=self.get_object(),
            by=request.user,
            reason=incoming.validated_data["reason"],
            idempotency_key=incoming.validated_data.get("idempotency_key") or None,
        )
        return Response(TransferSerializer(reversal).data, status=status.HTTP_201_CREATED)


class RewardJobInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A reward of many volunteers, run as one background job (all or nothing)."""

    recipients = serializers.PrimaryKeyRelatedField(
        queryset=Participant.objects.filter(erased_at=None), many=True
    )
    amount = AmountField
    description = serializers.CharField(max_length=200)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )


class RewardJobSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.CharField()
    status = serializers.ChoiceField(choices=["queued", "running", "done", "failed"])
    progress = serializers.IntegerField(min_value=0, max_value=100)
    transfer = serializers.IntegerField(required=False, allow_null=True)
    error = serializers.CharField(required=False, allow_blank=True)


JOB_ID = re.compile(r"[0-9a-f]{32}")


def _job_data(job_id: str, state: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": job_id,
        "status": state["status"],
        "progress": state.get("progress", 0),
        "transfer": state.get("transfer"),
        "error": state.get("error", ""),
    }


class RewardJobViewSet(CreditsSwitch, NeighbourhoodViewSet):
    """Rewards of many (up to 2,000 people) as one background job: POST answers 202 with the
    job, GET shows its progress and, when done, the transfer it made. Staff reward for any
    organisation (or the neighbourhood); an organisation's member only for an organisation
    they belong to, only its members and placements, audited as done by them."""

    allowed_roles = frozenset({*STAFF_ROLES, Role.ORGANISATION})
    serializer_class = RewardJobSerializer

    @extend_schema(request=RewardJobInputSerializer, responses={202: RewardJobSerializer})
    def create(self, request: Request) -> Response:
        incoming = RewardJobInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        member = None
        if request.user.role not in STAFF_ROLES:  # type: ignore[union-attr]
            member = Participant.objects.filter(user=request.user, erased_at=None).first()
            if member is None or data.get("organisation") is None:
                raise ValidationError(
                    {"organisation": _("Only its members reward for an organisation.")}
                )
        try:
            job = start_reward(
                recipients=data["recipients"],
                amount_each=data["amount"],
                by=request.user,
                description=data["description"],
                organisation=data.get("organisation"),
                member=member,
            )
        except ValidationError as error:  # the endpoint calls each share `amount`
            named = error.message_dict
            raise ValidationError(
                {("amount" if k == "amount_each" else k): v for k, v in named.items()}
            ) from None
        return Response(_job_data(job, job_state(job) or {}), status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        responses=RewardJobSerializer,
        parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH, description="the job's id")],
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        state = job_state(pk) if JOB_ID.fullmatch(pk) else None
        if state is None:
            raise Http404
        return Response(_job_data(pk, state))


class OrganisationFiguresSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    issued = serializers.DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=2)
    received = serializers.DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=2)


class OverviewSerializer(serializers.Serializer):  # type: ignore[type-arg]
    issued = serializers.DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=2)
    in_circulation = serializers.DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=2)
    redeemed = serializers.DecimalField(max_digits=AMOUNT_DIGITS, decimal_places=2)
    participants_holding = serializers.IntegerField()
    organisations = OrganisationFiguresSerializer(many=True)


class OverviewView(CreditsSwitch, StaffAPIView):
    """The ledger's figures: issued, in circulation, redeemed, per organisation."""

    serializer_class = OverviewSerializer

    def get(self, request: Request) -> Response:
        return Response(OverviewSerializer(reports.overview()).data)
