"""Reads of the survey: the figures the statistics report counts, the open invitations a broker
can enter a paper form for, and the remarks staff may read."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet

from .models import SurveyAnswer, SurveyInvitation


def survey_figures(start: date, end: date) -> dict[str, int]:
    """Counts of the answers given from `start` to `end` (both included), in one query:
    `answers`, `satisfied_exchange`, `satisfied_broker`, `neighbours_0`, `neighbours_1`,
    `neighbours_2_plus`, `lasting_contacts`."""
    return SurveyAnswer.objects.filter(answered_on__range=(start, end)).aggregate(
        answers=Count("pk"),
        satisfied_exchange=Count("pk", filter=Q(satisfied_exchange=True)),
        satisfied_broker=Count("pk", filter=Q(satisfied_broker=True)),
        neighbours_0=Count("pk", filter=Q(neighbours=0)),
        neighbours_1=Count("pk", filter=Q(neighbours=1)),
        neighbours_2_plus=Count("pk", filter=Q(neighbours=2)),
        lasting_contacts=Count("pk", filter=Q(lasting_contact=True)),
    )


def open_invitations() -> QuerySet[SurveyInvitation]:
    """Invitations not answered yet, newest first, with the participant's public face."""
    return (
        SurveyInvitation.objects.filter(answered=False, participant__erased_at__isnull=True)
        .select_related("participant")
        .order_by("-sent_on", "-pk")
    )


def remarks() -> QuerySet[SurveyAnswer]:
    """Answers with something added, newest first (staff only; reading them is audited)."""
    return SurveyAnswer.objects.exclude(remark="").order_by("-answered_on", "-pk")
