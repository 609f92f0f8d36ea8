"""The headline figures of each neighbourhood per period, in the public schema: the statistics
job writes them (`services.record_headlines`), the operator's console reads only them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tijdvoorelkaar.neighbourhoods.models import Neighbourhood


class NeighbourhoodHeadline(models.Model):
    """One neighbourhood's headline figures for one period ("2025-2026", "term", ...). Counts
    only: no personal data ever lands here."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="headlines"
    )
    period_key = models.CharField(_("period"), max_length=40)
    period_start = models.DateField()
    period_end = models.DateField()
    computed_at = models.DateTimeField()
    figures = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "period_key"], name="one_headline_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="headline_period_in_order",
            ),
        ]
        indexes = [models.Index(fields=["period_key"], name="headline_period_key")]

    def __str__(self) -> str:
        return f"{self.period_key} headlines of neighbourhood {self.neighbourhood_id}"
