"""Reads of referrals and group visits, with what their lists show selected up front."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from tenants.people.models import Participant

from .models import GroupVisit, Referral


def referrals_for_list(*, direction: str = "") -> QuerySet[Referral]:
    referrals = Referral.objects.select_related("participant")
    if direction:
        referrals = referrals.filter(direction=direction)
    return referrals.order_by("-referred_on", "-id")


def all_referrals() -> QuerySet[Referral]:
    return Referral.objects.select_related("participant")


def group_visits_for_list() -> QuerySet[GroupVisit]:
    return (
        GroupVisit.objects.select_related("organisation")
        .annotate(joined_count=Count("joined"))
        .order_by("-visited_on", "-id")
    )


def all_group_visits() -> QuerySet[GroupVisit]:
    return GroupVisit.objects.select_related("organisation").prefetch_related("joined")


def participant_choices() -> QuerySet[Participant]:
    """Participants a referral or group visit may name (not erased)."""
    return Participant.objects.filter(erased_at__isnull=True).order_by("display_name", "id")
