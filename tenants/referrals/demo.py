"""Demo content: a few referrals in and on, and group visits with people reached and joined,
naming the participants the people app's demo made (none is fine)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tenants.organisations.models import Organisation
from tenants.people.models import Participant
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

from .models import GroupVisit, ReasonCategory, Service
from .services import record_group_visit, record_referral

REFERRALS_IN = [
    (
        "Huisartsenpraktijk",
        "huisarts",
        "Weinig contacten sinds het overlijden van haar man.",
        ReasonCategory.LONELINESS,
    ),
    (
        "Maatschappelijk werk",
        "maatschappelijk werker",
        "Wil graag iets voor anderen doen.",
        ReasonCategory.WORK,
    ),
    (
        "Wijkteam",
        "wijkverpleegkundige",
        "Zoekt iemand om samen boodschappen te doen.",
        ReasonCategory.PRACTICAL,
    ),
]
REFERRALS_OUT = [
    (
        Service.DEBT_HELP,
        "Schuldhulpverlening gemeente",
        "Vroeg om hulp bij rekeningen.",
        ReasonCategory.MONEY,
    ),
    (
        Service.COURSE,
        "Taalcursus in het buurthuis",
        "Wil beter Nederlands leren.",
        ReasonCategory.LANGUAGE,
    ),
]
# (days ago, organisation kind or None, group name, reached, joined)
GROUP_VISITS = [
    (200, Organisation.Kind.COMMUNITY, "Koffieochtend", 14, 3),
    (150, Organisation.Kind.SCHOOL, "Ouderavond groep 5–8", 35, 4),
    (110, Organisation.Kind.FAITH, "Vrouwengroep", 12, 2),
    (80, None, "Seniorensoos Buurtkamer", 18, 2),
    (45, Organisation.Kind.CARE, "Mantelzorgcafé", 9, 1),
    (20, Organisation.Kind.CLUB, "Ouders van de welpen", 16, 0),
]


def add_demo_data(neighbourhood: Neighbourhood) -> None:
    if GroupVisit.objects.exists():
        return
    today = timezone.localdate()
    people = list(Participant.objects.filter(erased_at__isnull=True).order_by("id")[:12])
    for number, (institution, role, reason, category) in enumerate(REFERRALS_IN):
        if number < len(people):
            record_referral(
                direction="in",
                participant=people[number],
                referred_on=today - datetime.timedelta(days=160 - 40 * number),
                institution=institution,
                referrer_role=role,
                reason=reason,
                category=category,
                by=None,
            )
    for number, (service, name, reason, category) in enumerate(REFERRALS_OUT):
        if number + 3 < len(people):
            record_referral(
                direction="out",
                participant=people[number + 3],
                referred_on=today - datetime.timedelta(days=90 - 30 * number),
                service=service,
                service_name=name,
                reason=reason,
                category=category,
                by=None,
            )
    organisations = {o.kind: o for o in Organisation.objects.order_by("-id")}
    joined_so_far = 0
    for days_ago, kind, group, reached, joined in GROUP_VISITS:
        newcomers = people[joined_so_far : joined_so_far + joined]
        joined_so_far += len(newcomers)
        record_group_visit(
            visited_on=today - datetime.timedelta(days=days_ago),
            organisation=organisations.get(kind) if kind else None,
            group_name=group,
            reached=reached,
            joined=newcomers,
            by=None,
        )
