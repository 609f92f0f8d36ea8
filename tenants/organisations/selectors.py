"""Reads of the social map: the broker's list, an organisation's page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from tenants.people.models import Participant
from tijdvoorelkaar.contributions import hooks

from .models import Organisation


def organisations_for_list(
    *, query: str = "", kind: str = "", include_inactive: bool = False
) -> QuerySet[Organisation]:
    """The list: filtered by name/contact/description, kind and active state, with counts of
    members and of what other apps count (vacancies) so that each row needs no query of its
    own."""
    counts: dict[str, Any] = {"member_count": Count("members", distinct=True)}
    for counts_of_app in hooks("organisation_counts"):
        counts.update(counts_of_app())
    organisations = Organisation.objects.select_related("sub_area").annotate(**counts)
    if not include_inactive:
        organisations = organisations.filter(is_active=True)
    if kind:
        organisations = organisations.filter(kind=kind)
    query = query.replace("\x00", "").strip()  # PostgreSQL text cannot hold NUL (a 500)
    if query:
        organisations = organisations.filter(
            Q(name__icontains=query)
            | Q(contact_name__icontains=query)
            | Q(description__icontains=query)
        )
    return organisations.order_by("name")


def all_organisations() -> QuerySet[Organisation]:
    """Every organisation (active or not): the queryset views fetch one from by id."""
    return Organisation.objects.select_related("sub_area")


def organisation_page(organisation: Organisation) -> dict[str, Any]:
    """What other apps show on the organisation's page (vacancies, placements)."""
    context: dict[str, Any] = {}
    for page_of_app in hooks("organisation_page"):
        context.update(page_of_app(organisation))
    return context


def members_of(organisation: Organisation) -> QuerySet[Participant]:
    return organisation.members.order_by("display_name", "id")


def member_candidates(*, organisation: Organisation, query: str) -> QuerySet[Participant]:
    """Participants (not erased, not yet members) whose name, e-mail or phone matches."""
    query = query.strip()
    if len(query) < 2:
        return Participant.objects.none()
    return (
        Participant.objects.filter(erased_at__isnull=True)
        .filter(
            Q(display_name__icontains=query)
            | Q(full_name__icontains=query)
            | Q(email__icontains=query)
            | Q(phone__icontains=query)
        )
        .exclude(organisations=organisation)
        .order_by("display_name", "id")[:20]
    )
