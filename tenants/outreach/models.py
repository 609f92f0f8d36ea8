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
    sub_areas = models.ManyToManyField(
        SubArea, verbose_name=_("sub-areas"), blank=True, through="DigestSubArea"
    )
    categories = models.ManyToManyField(
        Category, verbose_name=_("categories"), blank=True, through="DigestCategory"
    )
    last_sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"digest preference of participant {self.participant_id}"


# The digest's join tables, keyed by the pair itself (docs/adr/0011). Read from the preference's
# side only (prefetched by preference, matched in Python: digest.py), which the key serves; no
# page or job looks preferences up by category or sub-area, and removing one scans a small table.


class DigestSubArea(models.Model):
    pk = models.CompositePrimaryKey("digestpreference", "subarea")
    digestpreference = models.ForeignKey(
        DigestPreference, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    subarea = models.ForeignKey(SubArea, on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        db_table = "outreach_digestpreference_sub_areas"

    def __str__(self) -> str:
        return f"sub-area {self.subarea_id} of digest preference {self.digestpreference_id}"


class DigestCategory(models.Model):
    pk = models.CompositePrimaryKey("digestpreference", "category")
    digestpreference = models.ForeignKey(
        DigestPreference, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        db_table = "outreach_digestpreference_categories"

    def __str__(self) -> str:
        return f"category {self.category_id} of digest preference {self.digestpreference_id}"
