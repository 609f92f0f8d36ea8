"""Computing the report's figures for one period, from what the apps record.

Each section is a fixed handful of aggregate queries (filtered COUNTs and SUMs in the
database), so a snapshot costs the same number of queries for 20 or 20,000 participants. The
keys are those of `figures.py`; docs/features/statistics.md says in words what each counts.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    Count,
    DateField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least, Lower, Now, Trim, TruncDate
from django.utils import timezone

from tenants.credits.models import Account, Movement, Transfer
from tenants.market.models import Ad, AdKind, AdStatus, ReciprocityPrompt, Response
from tenants.mediations.models import Mediation, MediationStatus, Placement
from tenants.people.models import (
    AgeBand,
    BornAbroad,
    Consent,
    ConsentTopic,
    Gender,
    HeardVia,
    Household,
    PaidWork,
    Participant,
    ParticipantProfile,
)
from tenants.referrals.models import Direction, GroupVisit, Referral, Service
from tijdvoorelkaar.contributions import hooks

from .figures import SMALL_CELL
from .periods import Period

Figures = dict[str, Any]


class Median(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class DaysBetween(Func):
    """`later - earlier` of two dates: whole days (PostgreSQL's date subtraction)."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()


def _date(day: datetime.date) -> Value:
    return Value(day, output_field=DateField())


def mediation_figures(period: Period) -> Figures:
    residents = Q(provider__isnull=False)
    organisations = Q(organisation__isnull=False)
    active = Q(active=True)
    match = Q(status=MediationStatus.MATCH)
    row = Mediation.objects.filter(started_on__range=(period.start, period.end)).aggregate(
        total=Count("pk"),
        residents=Count("pk", filter=residents),
        residents_active=Count("pk", filter=residents & active),
        organisations=Count("pk", filter=organisations),
        organisations_active=Count("pk", filter=organisations & active),
        matches=Count("pk", filter=match),
        matches_active=Count("pk", filter=match & active),
        no_match=Count("pk", filter=Q(status=MediationStatus.NO_MATCH)),
        cancelled=Count("pk", filter=Q(status=MediationStatus.CANCELLED)),
        open=Count("pk", filter=Q(status=MediationStatus.OPEN)),
        median_days=Median(
            DaysBetween("ended_on", "started_on"),
            filter=~Q(status=MediationStatus.OPEN) & Q(ended_on__isnull=False),
        ),
    )
    return {f"mediations.{key}": value for key, value in row.items()}


def _moments(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    """The period as moments: from its first local midnight to the one after its last day
    (a range on the column itself, which its index serves, instead of a date per row)."""
    zone = timezone.get_current_timezone()
    first = datetime.datetime.combine(period.start, datetime.time(), tzinfo=zone)
    after = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time())
    return first, after.replace(tzinfo=zone)


def during(field: str, period: Period) -> Q:
    first, after = _moments(period)
    return Q(**{f"{field}__gte": first, f"{field}__lt": after})


def until(field: str, period: Period) -> Q:
    return Q(**{f"{field}__lt": _moments(period)[1]})


# Who took part, and how, in one pass over each table: every event yields a row (participant,
# flags), grouped per participant. The ORM cannot aggregate over a UNION, and twelve
# IN-subqueries (one per flag and figure) scanned the mediations twelve times.
TAKING_PART = """
WITH started AS (
    SELECT requester_id, provider_id, status = %(match)s AS matched
    FROM {mediation} WHERE started_on BETWEEN %(start)s AND %(end)s
), events AS (
    SELECT requester_id AS who, matched AS received, false AS gave,
           false AS offered, false AS requested FROM started
    UNION ALL
    SELECT provider_id, false, matched, false, false FROM started WHERE provider_id IS NOT NULL
    UNION ALL
    SELECT participant_id, false, false, kind = %(offer)s, kind = %(request)s FROM {ad}
    WHERE published_at >= %(first)s AND published_at < %(after)s
    UNION ALL
    SELECT responder_id, false, false, false, false FROM {response}
    WHERE created_at >= %(first)s AND created_at < %(after)s
    UNION ALL
    SELECT joined.participant_id, false, false, false, false
    FROM {joined} AS joined JOIN {visit} AS visit ON visit.id = joined.groupvisit_id
    WHERE visit.visited_on BETWEEN %(start)s AND %(end)s
), people AS (
    SELECT who, bool_or(received) AS received, bool_or(gave) AS gave,
           bool_or(offered) AS offered, bool_or(requested) AS requested
    FROM events GROUP BY who
)
SELECT count(*),
       count(*) FILTER (WHERE received OR gave),
       count(*) FILTER (WHERE received AND gave),
       count(*) FILTER (WHERE offered OR requested),
       count(*) FILTER (WHERE offered AND requested)
FROM people
"""


def participant_figures(period: Period) -> Figures:
    first, after = _moments(period)
    sql = TAKING_PART.format(
        mediation=Mediation._meta.db_table,
        ad=Ad._meta.db_table,
        response=Response._meta.db_table,
        joined=GroupVisit.joined.through._meta.db_table,
        visit=GroupVisit._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "start": period.start,
                "end": period.end,
                "first": first,
                "after": after,
                "match": MediationStatus.MATCH.value,
                "offer": AdKind.OFFER.value,
                "request": AdKind.REQUEST.value,
            },
        )
        active, in_match, both_ways, placers, offer_and_request = cursor.fetchone()
    row = Participant.objects.aggregate(
        new=Count("pk", filter=during("created_at", period)),
        total=Count("pk", filter=until("created_at", period)),
    )
    return {
        "participants.new": row["new"],
        "participants.active": active,
        "participants.total": row["total"],
        "reciprocity.in_match": in_match,
        "reciprocity.gave_and_received": both_ways,
        "reciprocity.placers": placers,
        "reciprocity.offer_and_request": offer_and_request,
    }


def heard_via_figures(period: Period) -> Figures:
    figures: Figures = {f"heard_via.{code}": 0 for code in [*HeardVia.values, "unknown"]}
    rows = (
        Participant.objects.filter(during("created_at", period))
        .values("heard_via")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in rows:
        code = row["heard_via"] if row["heard_via"] in HeardVia.values else "unknown"
        figures[f"heard_via.{code}"] += row["count"]
    return figures


# (answered key, of-which key, the profile field, the answers that count as answered, the one)
COMPOSITION = (
    ("gender_answered", "women", "gender", (Gender.WOMAN, Gender.MAN, Gender.OTHER), Gender.WOMAN),
    (
        "born_answered",
        "born_abroad",
        "born_abroad",
        (BornAbroad.YES, BornAbroad.NO),
        BornAbroad.YES,
    ),
    ("work_answered", "without_paid_work", "paid_work", (PaidWork.YES, PaidWork.NO), PaidWork.NO),
    (
        "household_answered",
        "living_alone",
        "household",
        (Household.ALONE, Household.WITH_PARTNER, Household.WITH_CHILDREN, Household.OTHER),
        Household.ALONE,
    ),
)


# The age bands: one figure per band, all shares of "age_answered" (blank = rather not say).
AGE_BANDS = tuple((f"age_{band.value}", band) for band in AgeBand)


def composition_figures(period: Period) -> Figures:
    """Only profiles whose consent stands now; a pair is suppressed below SMALL_CELL answers."""
    consenting = Consent.objects.filter(
        participant=OuterRef("participant"),
        topic=ConsentTopic.SELF_REPORTED,
        withdrawn_at__isnull=True,
    )
    aggregates: dict[str, Any] = {}
    for answered, one, field, answers, value in COMPOSITION:
        aggregates[answered] = Count("pk", filter=Q(**{f"{field}__in": answers}))
        aggregates[one] = Count("pk", filter=Q(**{field: value}))
    aggregates["age_answered"] = Count("pk", filter=Q(age_band__in=AgeBand.values))
    for key, band in AGE_BANDS:
        aggregates[key] = Count("pk", filter=Q(age_band=band))
    row = ParticipantProfile.objects.filter(
        Exists(consenting), until("participant__created_at", period)
    ).aggregate(**aggregates)
    figures: Figures = {}
    for answered, one, *_rest in COMPOSITION:
        shown = row[answered] >= SMALL_CELL
        figures[f"composition.{answered}"] = row[answered] if shown else None
        figures[f"composition.{one}"] = row[one] if shown else None
    shown = row["age_answered"] >= SMALL_CELL
    for key in ("age_answered", *(key for key, _band in AGE_BANDS)):
        figures[f"composition.{key}"] = row[key] if shown else None
    return figures


def prompt_figures(period: Period) -> Figures:
    row = ReciprocityPrompt.objects.filter(during("shown_at", period)).aggregate(
        shown=Count("pk"), taken=Count("pk", filter=Q(taken_ad__isnull=False))
    )
    return {"reciprocity.prompts_shown": row["shown"], "reciprocity.prompts_taken": row["taken"]}


def contributed_figures(period: Period) -> Figures:
    """What apps beside this one add (the workspace's support and routing figures)."""
    figures: Figures = {}
    for figures_for in hooks("statistics"):
        figures.update(figures_for(period.start, period.end))
    return figures


def _offline_day() -> Any:
    """The last day an ad was online: closed, or its end, or (still published) today; an ad
    refused or expired without a recorded end counts until its last change."""
    until = Case(
        When(status=AdStatus.PUBLISHED, then=Now()),
        default=F("updated_at"),
    )
    return Coalesce(TruncDate("closed_at"), TruncDate(Least("expires_at", until)))


def ad_figures(period: Period, today: datetime.date) -> Figures:
    placed = during("published_at", period)
    in_mediation = Mediation.ads.through.objects.values("ad_id")
    last = min(period.end, today)
    overlap = Greatest(
        DaysBetween(
            Least(F("offline_on"), _date(last)), Greatest(F("online_on"), _date(period.start))
        )
        + 1,
        Value(0),
        output_field=IntegerField(),
    )
    row = (
        Ad.objects.filter(published_at__isnull=False)
        .annotate(online_on=TruncDate("published_at"), offline_on=_offline_day())
        .aggregate(
            placed=Count("pk", filter=placed),
            by_broker=Count("pk", filter=placed & Q(placed_by_broker__isnull=False)),
            led_to_mediation=Count("pk", filter=placed & Q(pk__in=in_mediation)),
            vacancies=Count("pk", filter=placed & Q(kind=AdKind.VACANCY)),
            organisations=Count(
                "organisation", distinct=True, filter=placed & Q(kind=AdKind.VACANCY)
            ),
            ad_days=Coalesce(Sum(overlap), 0),
        )
    )
    responses = Response.objects.filter(during("created_at", period)).count()
    return {
        "ads.placed": row["placed"],
        "ads.online_per_day": round(row["ad_days"] / period.days_until(today), 2),
        "ads.by_broker": row["by_broker"],
        "ads.led_to_mediation": row["led_to_mediation"],
        "ads.responses": responses,
        "volunteering.vacancies": row["vacancies"],
        "volunteering.organisations": row["organisations"],
    }


def placement_figures(period: Period) -> Figures:
    row = Placement.objects.filter(started_on__range=(period.start, period.end)).aggregate(
        placements=Count("pk"), people=Count("participant", distinct=True)
    )
    return {
        "volunteering.placements": row["placements"],
        "volunteering.people_placed": row["people"],
    }


def referral_figures(period: Period) -> Figures:
    figures: Figures = {"referrals.in": 0, "referrals.out": 0}
    figures.update({f"referrals.out.{code}": 0 for code in Service.values})
    rows = (
        Referral.objects.filter(referred_on__range=(period.start, period.end))
        .values("direction", "service", role=Lower(Trim("referrer_role")))
        .annotate(count=Count("pk"))
        .order_by("direction", "role", "service")
    )
    by_kind: dict[str, int] = {}
    for row in rows:
        if row["direction"] == Direction.IN:
            figures["referrals.in"] += row["count"]
            by_kind[row["role"]] = by_kind.get(row["role"], 0) + row["count"]
        else:
            figures["referrals.out"] += row["count"]
            figures[f"referrals.out.{row['service']}"] += row["count"]
    figures["referrals_in_by_kind"] = [[role, count] for role, count in by_kind.items()]
    return figures


def group_visit_figures(period: Period) -> Figures:
    within = (period.start, period.end)
    row = GroupVisit.objects.filter(visited_on__range=within).aggregate(
        count=Count("pk"), reached=Coalesce(Sum("reached"), 0)
    )
    joined = (
        GroupVisit.joined.through.objects.filter(groupvisit__visited_on__range=within)
        .values("participant_id")
        .distinct()
        .count()
    )
    return {
        "group_visits.count": row["count"],
        "group_visits.reached": row["reached"],
        "group_visits.joined": joined,
        "group_visits.conversion": round(100 * joined / row["reached"], 1)
        if row["reached"]
        else None,
    }


ISSUING = (Account.Kind.ORGANISATION_ISSUING, Account.Kind.NEIGHBOURHOOD_ISSUING)
HELD = (Account.Kind.PARTICIPANT, Account.Kind.VOUCHERS)
HANDED_IN = (Transfer.Kind.REDEMPTION, Transfer.Kind.VOUCHER_REDEEM)


def _hours(amount: Decimal | None) -> float:
    return float(amount or 0)


def credit_figures(period: Period) -> Figures:
    in_period = during("transfer__made_at", period)
    issued = Q(account__kind__in=ISSUING)
    redeemed = Q(account__kind__in=HELD, transfer__kind__in=HANDED_IN)
    movements = Movement.objects.filter(until("transfer__made_at", period))
    row = movements.aggregate(
        issued=Sum("amount", filter=issued & in_period),
        redeemed=Sum("amount", filter=redeemed & in_period),
        held=Sum("amount", filter=Q(account__kind__in=HELD)),
    )
    per_organisation = (
        movements.filter(in_period, account__organisation__isnull=False)
        .values("account__organisation__name")
        .annotate(
            issued=Sum("amount", filter=Q(account__kind=Account.Kind.ORGANISATION_ISSUING)),
            redeemed=Sum(
                "amount",
                filter=Q(account__kind=Account.Kind.ORGANISATION, transfer__kind__in=HANDED_IN),
            ),
        )
        .order_by("account__organisation__name")
    )
    return {
        "credits.issued": -_hours(row["issued"]),
        "credits.redeemed": -_hours(row["redeemed"]),
        "credits.in_circulation": _hours(row["held"]),
        "credits_by_organisation": [
            [line["account__organisation__name"], -_hours(line["issued"]), _hours(line["redeemed"])]
            for line in per_organisation
        ],
    }


def site_use_figures(period: Period, today: datetime.date) -> Figures | None:
    try:
        from tenants.siteuse.selectors import site_use_figures as counted
    except ImportError:  # the site-use counter is not installed in this build
        return None
    row = counted(period.start, period.end)
    return {
        "site.visits": row["visits"],
        "site.visits_per_day": round(row["visits"] / period.days_until(today), 1),
        "site.unique_visitors": row["unique_visitors"],
        "site.regular_visitors": row["regular_visitors"],
        "site_per_day": [[day.isoformat(), visits] for day, visits in row["per_day"]],
    }


SURVEY_KEYS = (
    "answers",
    "satisfied_exchange",
    "satisfied_broker",
    "neighbours_0",
    "neighbours_1",
    "neighbours_2_plus",
    "lasting_contacts",
)


def survey_figures(period: Period) -> Figures | None:
    try:
        from tenants.surveys.selectors import survey_figures as answered
    except ImportError:  # the survey is not installed in this build
        return None
    row = answered(period.start, period.end)
    shown = row["answers"] >= SMALL_CELL
    return {f"survey.{key}": row[key] if shown else None for key in SURVEY_KEYS}


# The sections in order, for the progress a person sees while a snapshot is computed.
Section = Callable[[Period, datetime.date, bool], Figures | None]
SECTIONS: tuple[tuple[str, Section], ...] = (
    ("mediations", lambda period, today, credits: mediation_figures(period)),
    ("participants", lambda period, today, credits: participant_figures(period)),
    ("heard_via", lambda period, today, credits: heard_via_figures(period)),
    ("composition", lambda period, today, credits: composition_figures(period)),
    ("reciprocity", lambda period, today, credits: prompt_figures(period)),
    ("support", lambda period, today, credits: contributed_figures(period)),
    ("ads", lambda period, today, credits: ad_figures(period, today)),
    ("volunteering", lambda period, today, credits: placement_figures(period)),
    ("referrals", lambda period, today, credits: referral_figures(period)),
    ("group_visits", lambda period, today, credits: group_visit_figures(period)),
    ("site_use", lambda period, today, credits: site_use_figures(period, today)),
    ("survey", lambda period, today, credits: survey_figures(period)),
    ("credits", lambda period, today, credits: credit_figures(period) if credits else None),
)


def compute_figures(
    period: Period,
    *,
    today: datetime.date,
    credits_enabled: bool,
    progress: Callable[[int], None] | None = None,
) -> Figures:
    """Every figure of the report for `period`, as of `today`."""
    figures: Figures = {}
    for index, (_name, section) in enumerate(SECTIONS, start=1):
        part = section(period, today, credits_enabled)
        if part is not None:
            figures.update(part)
        if progress is not None:
            progress(round(100 * index / len(SECTIONS)))
    return figures
