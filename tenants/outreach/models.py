"""A resident's choice of a digest of new ads: how often, and for which sub-areas and
categories (none chosen: all)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.market.models import Category
from tenants.people.models import Participant, SubArea


class Frequency(models.TextChoices):
    NEVER = "never", _("Never")
    WEEKLY = "weekly", _("Once a week")
    MONTHLY = "monthly", _("Once a month")


class DigestPreference(models.Model):
    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="digest_preference"
    )
    # No index: one row per participant who chose (hundreds); the daily job scans them.
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.NEVER
    )
    sub_areas = models.ManyToManyField(SubArea, verbose_name=_("sub-areas"), blank=True)
    categories = models.ManyToManyField(Category, verbose_name=_("categories"), blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"digest preference of participant {self.participant_id}"
