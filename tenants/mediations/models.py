"""Mediations: a recorded contact between someone asking and someone giving (a participant or
an organisation), active when the broker brought it about or supported it. Follow-ups are the
scheduled check-ins; feedback is a participant's own answer to "did it work out?"."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tenants.market.models import Ad, Response
from tenants.organisations.models import Organisation
from tenants.people.models import Participant
from tijdvoorelkaar.user_keys import user_reference


class MediationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MATCH = "match", _("Match")
    NO_MATCH = "no_match", _("No match")
    CANCELLED = "cancelled", _("Cancelled")


class Mediation(models.Model):
    requester = models.ForeignKey(
        Participant,
        verbose_name=_("asking"),
        on_delete=models.PROTECT,
        related_name="mediations_as_requester",
    )
    provider = models.ForeignKey(
        Participant,
        verbose_name=_("giving"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mediations_as_provider",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mediations",
        db_index=False,  # an organisation's few mediations: its page scans hundreds
    )
    ads = models.ManyToManyField(
        Ad,
        verbose_name=_("ads"),
        blank=True,
        related_name="mediations",
        through="MediationAd",
    )
    # The marketplace response that opened it, for mediations found via the site.
    response = models.OneToOneField(
        Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="mediation"
    )
    active = models.BooleanField(_("brought about or supported by the broker"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=MediationStatus.choices, default=MediationStatus.OPEN
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = user_reference()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("mediation")
        verbose_name_plural = _("mediations")
        indexes = [models.Index(fields=["status", "started_on"], name="mediation_status_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(provider__isnull=True) ^ Q(organisation__isnull=True),
                name="mediation_one_giving_side",
            ),
            models.CheckConstraint(
                condition=~Q(provider=F("requester")), name="mediation_not_with_oneself"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="mediation_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status="open", ended_on__isnull=True) | ~Q(status="open"),
                name="open_mediation_has_no_end",
            ),
        ]

    def __str__(self) -> str:
        return f"mediation {self.pk}"


class FollowUp(models.Model):
    """A scheduled check-in on a mediation: for the broker (on the dashboard and in the
    morning digest), or the participants' own "did it work out?" question."""

    class Kind(models.TextChoices):
        BROKER = "broker", _("Broker follows up")
        ASK_PARTICIPANTS = "ask_participants", _("Ask the participants")

    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BROKER)
    due_on = models.DateField(_("due on"))  # the dashboard's query: follow_up_due
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = user_reference()
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["done_at", "due_on"], name="follow_up_due")]

    def __str__(self) -> str:
        return f"follow-up of mediation {self.mediation_id} on {self.due_on}"


class MediationAd(models.Model):
    """The ads a mediation came from: the join table, keyed by the pair itself (docs/adr/0011)."""

    pk = models.CompositePrimaryKey("mediation", "ad")
    mediation = models.ForeignKey(  # no index of its own: the key leads with it
        Mediation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    ad = models.ForeignKey(Ad, on_delete=models.CASCADE, related_name="+")  # an ad's mediations

    class Meta:
        db_table = "mediations_mediation_ads"

    def __str__(self) -> str:
        return f"ad {self.ad_id} of mediation {self.mediation_id}"


class Feedback(models.Model):
    """One side's answer to "did it work out?" (from the one-click link in the mail), keyed by
    the mediation and the participant: one answer each (docs/adr/0011)."""

    pk = models.CompositePrimaryKey("mediation", "participant")
    mediation = models.ForeignKey(  # no index of its own: the key leads with it
        Mediation, on_delete=models.CASCADE, related_name="feedback", db_index=False
    )
    participant = models.ForeignKey(  # no index: read per mediation; a participant's erasure scans
        Participant, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    worked_out = models.BooleanField()
    answered_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"feedback on mediation {self.mediation_id}"


class Placement(models.Model):
    """A participant who found a volunteer place at an organisation."""

    # No indexes: tens of placements a year; a participant's or organisation's page scans them.
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="placements", db_index=False
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="placements", db_index=False
    )
    vacancy = models.ForeignKey(
        Ad,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placements",
        db_index=False,
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="placement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"placement of {self.participant_id} at {self.organisation_id}"
