"""The newsletter's API under /api/v1/mailings/: subscribers and newsletters for the
neighbourhood's staff (reading subscribers is audited), and subscribing for anyone."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tenants.outbox.services import retry_failed_batch
from tijdvoorelkaar.accounts.access import PublicAPIView, StaffViewSet

from . import drafts, selectors, services, subscriptions
from .models import Newsletter, NewsletterStatus, Subscriber


class SubscriberSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Subscriber
        fields = ["id", "email", "language", "status", "source", "created_at", "confirmed_at"]
        read_only_fields = fields


class PaperSubscriberSerializer(serializers.Serializer):  # type: ignore[type-arg]
    email = serializers.EmailField(max_length=254)
    language = serializers.ChoiceField(choices=sorted(subscriptions.LANGUAGES))
    agreed = serializers.BooleanField(help_text="They agreed (on paper or in person).")


class SubscriberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StaffViewSet):
    """The neighbourhood's subscribers. Reading addresses is written to the audit log."""

    serializer_class = SubscriberSerializer
    personal_data = {"list": "subscriber_list.viewed", "retrieve": "subscriber_list.viewed"}

    def get_queryset(self) -> Any:
        return selectors.subscribers(status=self.request.query_params.get("status", ""))

    @extend_schema(request=PaperSubscriberSerializer, responses={201: SubscriberSerializer})
    def create(self, request: Request) -> Response:
        incoming = PaperSubscriberSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        subscriber = subscriptions.subscribe_on_paper(by=request.user, **incoming.validated_data)
        return Response(SubscriberSerializer(subscriber).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=SubscriberSerializer)
    @action(detail=True, methods=["post"])
    def unsubscribe(self, request: Request, pk: str) -> Response:
        subscriber = subscriptions.unsubscribe(subscriber=self.get_object(), by=request.user)
        return Response(SubscriberSerializer(subscriber).data)


class ItemSerializer(serializers.Serializer):  # type: ignore[type-arg]
    title = serializers.CharField(max_length=200)
    text = serializers.CharField(max_length=1000, allow_blank=True, required=False)
    url = serializers.CharField(max_length=500, allow_blank=True, required=False)
    image_url = serializers.CharField(max_length=500, allow_blank=True, required=False)


class HeadingSerializer(serializers.Serializer):  # type: ignore[type-arg]
    msgid = serializers.CharField(max_length=200)
    params = serializers.DictField(
        child=serializers.CharField(max_length=200, allow_blank=True), required=False
    )


class SectionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    title = serializers.CharField(max_length=120, allow_blank=True)
    items = ItemSerializer(many=True)
    heading = HeadingSerializer(
        required=False,
        help_text=(
            "The platform's heading as assembled (its English source text and placeholders). "
            "Send it back unchanged with a title left as it was, and each reader gets the "
            "heading in their own language; without it, or with a changed title, the title "
            "goes out as written."
        ),
    )


class NewsletterSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    sections = SectionSerializer(many=True, required=False)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Newsletter
        fields = [
            "id",
            "number",
            "issue_month",
            "subject",
            "intro",
            "contact",
            "sections",
            "language",
            "status",
            "scheduled_for",
            "recipients",
            "started_at",
            "sent_at",
            "web_url",
        ]
        read_only_fields = [
            "id",
            "number",
            "issue_month",
            "language",
            "status",
            "scheduled_for",
            "recipients",
            "started_at",
            "sent_at",
            "web_url",
        ]

    def get_web_url(self, newsletter: Newsletter) -> str:
        return f"/newsletter/{newsletter.number}/"


class SendSerializer(serializers.Serializer):  # type: ignore[type-arg]
    at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="When to send; empty or past: now."
    )


COUNTS = inline_serializer(
    "MailingCounts",
    {
        "recipients": serializers.IntegerField(),
        "queued": serializers.IntegerField(),
        "sent": serializers.IntegerField(),
        "failed": serializers.IntegerField(),
        "bounced": serializers.IntegerField(),
        "done": serializers.BooleanField(),
    },
)


class NewsletterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, StaffViewSet):
    """Issues of the newsletter: assemble the next, edit a draft, test, schedule or send, and
    follow the sending."""

    serializer_class = NewsletterSerializer

    def get_queryset(self) -> Any:
        return Newsletter.objects.order_by("-number")

    @extend_schema(request=None, responses={201: NewsletterSerializer})
    def create(self, request: Request) -> Response:
        """Assemble the next issue's draft (or return the one that exists)."""
        from django.utils import timezone

        month = services.next_issue_month(timezone.localdate())
        newsletter = drafts.assemble_newsletter(month=month, by=request.user)
        return Response(NewsletterSerializer(newsletter).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=NewsletterSerializer, responses=NewsletterSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        newsletter = self.get_object()
        incoming = NewsletterSerializer(newsletter, data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        newsletter = drafts.update_newsletter(
            newsletter=newsletter, changes=dict(incoming.validated_data), by=request.user
        )
        return Response(NewsletterSerializer(newsletter).data)

    @extend_schema(request=None, responses={202: OpenApiResponse(description="Test queued")})
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str) -> Response:
        """Send the newsletter to the caller's own address, in the request's language (as
        subscribers reading in it get it)."""
        services.send_test(
            newsletter=self.get_object(),
            to=request.user.email,
            by=request.user,
            language=get_language() or "",
        )
        return Response(status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=SendSerializer, responses=NewsletterSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: str) -> Response:
        incoming = SendSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        newsletter = services.schedule_newsletter(
            newsletter=self.get_object(), at=incoming.validated_data.get("at"), by=request.user
        )
        return Response(NewsletterSerializer(newsletter).data)

    @extend_schema(responses=COUNTS)
    @action(detail=True, methods=["get"])
    def counts(self, request: Request, pk: str) -> Response:
        newsletter = self.get_object()
        if newsletter.status == NewsletterStatus.SENDING:
            services.settle_sending()
            newsletter.refresh_from_db()
        return Response(selectors.mailing_counts(newsletter))

    @extend_schema(
        request=None,
        responses=inline_serializer("Retried", {"retried": serializers.IntegerField()}),
    )
    @action(detail=True, methods=["post"], url_path="retry-failed")
    def retry_failed(self, request: Request, pk: str) -> Response:
        newsletter = self.get_object()
        retried = retry_failed_batch(batch=newsletter.batch) if newsletter.batch else 0
        if retried:
            Newsletter.objects.filter(pk=newsletter.pk).update(status=NewsletterStatus.SENDING)
        return Response({"retried": retried})


class SubscribeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    email = serializers.EmailField(max_length=254)
    language = serializers.ChoiceField(choices=sorted(subscriptions.LANGUAGES), required=False)


class SubscribeView(PublicAPIView):
    """Ask for the newsletter: a confirmation link is mailed (at most once an hour per
    address). The answer is the same for known and unknown addresses."""

    @extend_schema(
        request=SubscribeSerializer,
        responses={202: OpenApiResponse(description="A confirmation link is on its way")},
    )
    def post(self, request: Request) -> Response:
        incoming = SubscribeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        subscriptions.subscribe(
            email=incoming.validated_data["email"],
            language=incoming.validated_data.get("language", "nl"),
        )
        return Response(status=status.HTTP_202_ACCEPTED)
