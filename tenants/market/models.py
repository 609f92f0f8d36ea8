"""The marketplace: ads (requests, offers, volunteer vacancies), the responses to them, reports
of inappropriate ads, and the reciprocity prompts shown after placing one."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from tenants.organisations.models import Organisation
from tenants.people.models import Participant, SubArea
from tijdvoorelkaar.translated_names import NamedInDutchAndEnglish
from tijdvoorelkaar.user_keys import user_reference


class Category(NamedInDutchAndEnglish):
    """What kind of help; each neighbourhood keeps its own list (seeded with defaults), named
    in Dutch and optionally in English."""

    name = models.CharField(_("name in Dutch"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class AdKind(models.TextChoices):
    REQUEST = "request", _("Request")
    OFFER = "offer", _("Offer")
    VACANCY = "vacancy", _("Volunteer vacancy")


class AdStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for confirmation")
    AWAITING_APPROVAL = "awaiting_approval", _("Waiting for the broker's approval")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")
    EXPIRED = "expired", _("Expired")
    REJECTED = "rejected", _("Rejected")


# On the site now: published, and not past its end even if the hourly expiry has not run yet.
LIVE = Q(status=AdStatus.PUBLISHED) & (Q(expires_at__isnull=True) | Q(expires_at__gt=Now()))


class Ad(models.Model):
    # Its own sequence, not the schema's (ADR 0010): the ad number is printed on posters and
    # read out over the phone, so it stays short and counts ads only.
    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(_("kind"), max_length=10, choices=AdKind.choices)
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"), max_length=2000)
    # No index on category, sub-area or published_at: the lists filter published ads
    # (ad_status_newest leads with the status), and a category's or sub-area's removal is rare.
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="ads",
        db_index=False,
    )
    sub_area = models.ForeignKey(
        SubArea,
        verbose_name=_("sub-area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ads",
        db_index=False,
    )
    when = models.CharField(_("when or how often"), max_length=120, blank=True)
    photo = models.ImageField(_("photo"), upload_to="ads/%Y/%m/", blank=True)
    participant = models.ForeignKey(
        Participant, verbose_name=_("placed by"), on_delete=models.CASCADE, related_name="ads"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="vacancies",
    )
    # Set when a broker placed the ad on the participant's behalf.
    placed_by_broker = user_reference()
    status = models.CharField(
        _("status"), max_length=20, choices=AdStatus.choices, default=AdStatus.UNCONFIRMED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    renewal_reminded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Why the broker refused it, for colleagues (never shown to the public).
    rejection_reason = models.CharField(_("reason for refusing"), max_length=300, blank=True)
    # Dutch and English stems of title (weight A) and text (weight B); kept by the services.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("ad")
        verbose_name_plural = _("ads")
        indexes = [
            # Also the expiry and renewal jobs' and the first live end's (published ads by
            # `expires_at`): daily or cached, over the published ads this finds by status. And
            # the search's: it matches live ads only, a few hundred (ads expire), whose stored
            # vectors are read in a few milliseconds; a GIN index on `search_vector` was not
            # used by the planner at 3,000 or 20,000 ads, and it grew with every ad placed.
            models.Index(fields=["status", "-published_at"], name="ad_status_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="vacancy", organisation__isnull=False) | ~Q(kind="vacancy"),
                name="vacancy_has_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == AdStatus.PUBLISHED

    @property
    def excerpt(self) -> str:
        return excerpt_of(self.body)


EXCERPT_LENGTH = 160


def excerpt_of(body: str) -> str:
    """The start of an ad's text for a card: a plain slice (the truncatechars filter costs
    a millisecond per list page for its Unicode handling)."""
    if len(body) <= EXCERPT_LENGTH:
        return body
    return body[: EXCERPT_LENGTH - 1].rstrip() + "…"


class Response(models.Model):
    """Someone answered an ad through the site. The message is relayed to the ad's owner;
    neither side sees the other's address until the owner replies."""

    ad = models.ForeignKey(Ad, on_delete=models.CASCADE, related_name="responses")
    responder = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="responses_sent"
    )
    # A bounded column, not `text`: the widest row fits a page, so the table needs no TOAST
    # table (docs/adr/0013). The services and forms refuse longer messages first.
    message = models.CharField(_("message"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Relayed to the owner (or, for someone matched through the broker only, to the broker).
    relayed_at = models.DateTimeField(null=True, blank=True)
    held_for_broker = models.BooleanField(default=False)
    seen_by_broker_at = models.DateTimeField(null=True, blank=True)
    owner_replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"response {self.pk} to ad {self.ad_id}"


class Report(models.Model):
    """An ad reported as inappropriate; it waits in the broker's moderation queue."""

    class Reason(models.TextChoices):
        OFFENSIVE = "offensive", _("Offensive or discriminating")
        COMMERCIAL = "commercial", _("Commercial or paid work")
        UNSAFE = "unsafe", _("Unsafe or suspicious")
        WRONG_PLACE = "wrong_place", _("Not neighbour help")
        OTHER = "other", _("Something else")

    class Outcome(models.TextChoices):
        KEPT = "kept", _("Ad kept")
        REMOVED = "removed", _("Ad removed")

    # No indexes: reports are few (tens a year); the moderation queue scans them.
    ad = models.ForeignKey(Ad, on_delete=models.CASCADE, related_name="reports", db_index=False)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    explanation = models.CharField(_("explanation"), max_length=1000, blank=True)  # ADR 0013
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = user_reference()
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"report {self.pk} on ad {self.ad_id}"


class ReciprocityPrompt(models.Model):
    """ "And do you also have a request?" shown after an ad was placed; `taken_ad` is the ad
    placed from it. Counted for the statistics; never compulsory."""

    source_ad = models.ForeignKey(Ad, on_delete=models.CASCADE, related_name="prompts_shown")
    shown_at = models.DateTimeField(auto_now_add=True)  # only the nightly figures ask
    taken_ad = models.OneToOneField(
        Ad, null=True, blank=True, on_delete=models.SET_NULL, related_name="prompted_by"
    )
    taken_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"prompt after ad {self.source_ad_id}"
