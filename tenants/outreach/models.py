"""A resident's choice of a digest of new ads: how often, and for which sub-areas and
categories (none chosen: all)."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenants.people.models import Participant

# At most this many sub-areas and as many categories in one choice (the service says so, the
# column refuses more): the row is stored plain, so its widest must fit a page (docs/adr/0013).
MAX_CHOSEN = 200


class Frequency(models.TextChoices):
    NEVER = "never", _("Never")
    WEEKLY = "weekly", _("Once a week")
    MONTHLY = "monthly", _("Once a month")


class DigestPreference(models.Model):
    # Keyed by its participant (one each; docs/adr/0011): nothing else refers to it.
    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="digest_preference", primary_key=True
    )
    # No index: one row per participant who chose (hundreds); the daily job scans them.
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.NEVER
    )
    # The chosen sub-areas and categories by id (none: all), in the row instead of two join
    # tables (two tables and their keys less in every neighbourhood; docs/adr/0011): a small
    # set read only from the preference's side (matched in Python: digest.py), never looked up
    # by sub-area or category. No foreign key checks them or cascades: an id whose sub-area or
    # category is gone is ignored wherever they are read (the job matches against
    # `existing_choices()`, the export and the form look the ids up), as if removed with it,
    # and the next save of the choice leaves it out.
    sub_area_ids = ArrayField(models.BigIntegerField(), verbose_name=_("sub-areas"), default=list)
    category_ids = ArrayField(models.BigIntegerField(), verbose_name=_("categories"), default=list)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(sub_area_ids__len__lte=MAX_CHOSEN, category_ids__len__lte=MAX_CHOSEN),
                name="digest_choice_bounded",
            )
        ]

    def __str__(self) -> str:
        return f"digest preference of participant {self.participant_id}"
