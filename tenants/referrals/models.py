"""Referrals (people sent to the broker by an institution, or sent on by the broker) and group
visits (the broker presenting the method to an existing group).

A referral may touch on someone's health: it holds a short reason and a coarse category only,
never a diagnosis or a file. Every staff read and change of a referral is audited.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenants.organisations.models import Organisation
from tenants.people.models import Participant
from tijdvoorelkaar.user_keys import user_reference


class Direction(models.TextChoices):
    IN = "in", _("Referred in (to the broker)")
    OUT = "out", _("Referred on (by the broker)")


class Service(models.TextChoices):
    SOCIAL_WORK = "social_work", _("Social work")
    DEBT_HELP = "debt_help", _("Debt help")
    COURSE = "course", _("Course")
    OTHER = "other", _("Other")


class ReasonCategory(models.TextChoices):
    LONELINESS = "loneliness", _("Loneliness or few contacts")
    HEALTH = "health", _("Health")
    MONEY = "money", _("Money")
    LANGUAGE = "language", _("Language")
    PRACTICAL = "practical", _("Practical help")
    WORK = "work", _("Work or daytime activity")
    OTHER = "other", _("Other")


REASON_HELP = _(
    "Keep it short and factual: one sentence about what the referral is for. It may be "
    "health-related, so write no diagnosis, medication or history here."
)
CATEGORY_HELP = _("Optional and coarse, for the statistics only.")


class Referral(models.Model):
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    referred_on = models.DateField(_("date"))
    # Referred in: who sent them.
    institution = models.CharField(
        _("institution"),
        max_length=120,
        blank=True,
        help_text=_("E.g. the GP practice, mental-health care, social services."),
    )
    referrer_name = models.CharField(_("referrer's name"), max_length=120, blank=True)
    referrer_role = models.CharField(
        _("referrer's role"), max_length=80, blank=True, help_text=_("E.g. GP, social worker.")
    )
    # Referred on: to what.
    service = models.CharField(_("service"), max_length=20, choices=Service.choices, blank=True)
    service_name = models.CharField(
        _("name of the service"),
        max_length=120,
        blank=True,
        help_text=_("Optional, e.g. the name of the course or the team."),
    )
    reason = models.CharField(_("short reason"), max_length=200, help_text=REASON_HELP)
    category = models.CharField(
        _("category"),
        max_length=20,
        choices=ReasonCategory.choices,
        blank=True,
        help_text=CATEGORY_HELP,
    )
    created_by = user_reference()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-referred_on", "-id"]  # hundreds a year: the list sorts them unindexed
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(
                condition=Q(direction="in", service="") & ~Q(institution="")
                | Q(direction="out", institution="", referrer_name="", referrer_role="")
                & ~Q(service=""),
                name="referral_fields_match_direction",
                violation_error_message=_(
                    "A referral in names an institution; a referral on names a service."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"referral {self.pk}"


class GroupVisit(models.Model):
    visited_on = models.DateField(_("date"))
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_visits",
        db_index=False,  # tens of visits a year, scanned
    )
    group_name = models.CharField(
        _("group"),
        max_length=120,
        blank=True,
        help_text=_("The group you visited, e.g. “coffee morning” or “parents' evening”."),
    )
    reached = models.PositiveIntegerField(_("people reached"))
    joined = models.ManyToManyField(
        Participant,
        verbose_name=_("people who became participants"),
        blank=True,
        related_name="group_visits_joined",
        through="GroupVisitJoin",
    )
    note = models.CharField(_("note"), max_length=1000, blank=True)  # bounded: ADR 0013
    created_by = user_reference()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("group visit")
        verbose_name_plural = _("group visits")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(group_name=""),
                name="group_visit_names_a_group",
                violation_error_message=_("Name the group or choose an organisation."),
            )
        ]

    def __str__(self) -> str:
        return f"group visit {self.pk}"

    @property
    def group_label(self) -> str:
        if self.organisation_id and self.group_name:
            return f"{self.group_name} ({self.organisation})"
        return self.group_name or str(self.organisation)


class GroupVisitJoin(models.Model):
    """A participant who joined after a group visit: the join table, keyed by the pair itself
    (docs/adr/0011)."""

    pk = models.CompositePrimaryKey("groupvisit", "participant")
    groupvisit = models.ForeignKey(  # no index of its own: the key leads with it
        GroupVisit, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    participant = models.ForeignKey(  # no index: tens of rows, scanned
        Participant, on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        db_table = "referrals_groupvisit_joined"

    def __str__(self) -> str:
        return f"participant {self.participant_id} joined after group visit {self.groupvisit_id}"
