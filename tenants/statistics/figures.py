"""Every figure of the report, defined once: its key, its label and its definition in plain
words (translated: Dutch and English), the table it belongs to, and the figure it is a share of.
How each is computed is in `computing.py` under the same key, and docs/features/statistics.md
says the same in words. Pages, exports, the API and the PDF all read this list.

A figure's value is a whole number (a count), a decimal (days, an average, credits) or None
(suppressed: fewer than `SMALL_CELL` answers, or not available). Lists (the routing steps, the
referrals in by kind, credits per organisation, site visits per day) are tables of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Self-reported figures (and survey answers) are shown only where at least this many answered.
SMALL_CELL = 5


@dataclass(frozen=True)
class Figure:
    key: str
    table: str
    label: Promise
    definition: Promise
    share_of: str = ""  # shown as "n (x%)" of this figure
    decimals: int = 0
    adds_to: str = ""  # this row is part of a sum that must equal `adds_to`


@dataclass(frozen=True)
class Table:
    key: str
    title: Promise
    note: Promise | str = ""


TABLES = (
    Table("mediations", _("Mediations and matches")),
    Table("participants", _("Participants")),
    Table("heard_via", _("How new participants heard of us")),
    Table(
        "composition",
        _("Composition (self-reported, with consent)"),
        _("Shown only where at least 5 people answered."),
    ),
    Table("reciprocity", _("Reciprocity")),
    Table("support", _("Support by the broker")),
    Table("routing_steps", _("Routing steps reached")),
    Table("volunteering", _("Volunteering")),
    Table("referrals", _("Referrals")),
    Table("referrals_in_by_kind", _("Referrals in, by referrer")),
    Table("group_visits", _("Group visits")),
    Table("ads", _("Ads and responses")),
    Table("site_use", _("Use of the site")),
    Table("survey", _("Survey"), _("Shown only where at least 5 people answered.")),
    Table("credits", _("Time credits")),
    Table("credits_by_organisation", _("Time credits by organisation")),
)


def F(key: str, table: str, label: Promise, definition: Promise, **extra: object) -> Figure:
    return Figure(key, table, label, definition, **extra)  # type: ignore[arg-type]


FIGURES: tuple[Figure, ...] = (
    # Mediations: each counted in the period it started, with its outcome as it is now.
    F(
        "mediations.total",
        "mediations",
        _("Mediations"),
        _("Mediations that started in the period, between residents and with organisations."),
    ),
    F(
        "mediations.residents",
        "mediations",
        _("between residents"),
        _("Mediations started in the period in which a resident gives."),
        share_of="mediations.total",
        adds_to="mediations.total",
    ),
    F(
        "mediations.residents_active",
        "mediations",
        _("of which actively supported"),
        _("Mediations between residents the broker brought about or supported."),
        share_of="mediations.residents",
    ),
    F(
        "mediations.organisations",
        "mediations",
        _("with organisations"),
        _("Mediations started in the period in which an organisation gives."),
        share_of="mediations.total",
        adds_to="mediations.total",
    ),
    F(
        "mediations.organisations_active",
        "mediations",
        _("of which actively supported"),
        _("Mediations with organisations the broker brought about or supported."),
        share_of="mediations.organisations",
    ),
    F(
        "mediations.matches",
        "mediations",
        _("Matches"),
        _("Mediations started in the period that are now a match."),
        share_of="mediations.total",
        adds_to="mediations.total",
    ),
    F(
        "mediations.matches_active",
        "mediations",
        _("of which with broker support"),
        _("Matches of mediations the broker brought about or supported."),
        share_of="mediations.matches",
    ),
    F(
        "mediations.no_match",
        "mediations",
        _("No match"),
        _("Mediations started in the period that ended without a match."),
        share_of="mediations.total",
        adds_to="mediations.total",
    ),
    F(
        "mediations.cancelled",
        "mediations",
        _("Cancelled"),
        _("Mediations started in the period that were cancelled."),
        share_of="mediations.total",
        adds_to="mediations.total",
    ),
    F(
        "mediations.open",
        "mediations",
        _("Still open"),
        _("Mediations started in the period that have no outcome yet."),
        share_of="mediations.total",
        adds_to="mediations.total",
    ),
    F(
        "mediations.median_days",
        "mediations",
        _("Median days from start to outcome"),
        _(
            "Of the mediations started in the period that have an outcome: the middle number of "
            "days between start and end."
        ),
        decimals=1,
    ),
    # Participants.
    F(
        "participants.new",
        "participants",
        _("New participants"),
        _("Participants registered in the period."),
    ),
    F(
        "participants.active",
        "participants",
        _("Active participants"),
        _(
            "Participants who in the period placed an ad that went online, responded to an ad, "
            "were one of the two sides of a mediation that started, or joined at a group visit."
        ),
    ),
    F(
        "participants.total",
        "participants",
        _("Participants in total"),
        _(
            "Participants registered up to the end of the period (erased ones included: they "
            "took part)."
        ),
    ),
    *(
        F(
            f"heard_via.{code}",
            "heard_via",
            label,
            _("New participants in the period who said they heard of us this way."),
            share_of="participants.new",
            adds_to="participants.new",
        )
        for code, label in (
            ("group_visit", _("Group visit")),
            ("referral", _("GP or other referral")),
            ("event", _("Event")),
            ("poster", _("Poster")),
            ("postcard", _("Postcard")),
            ("website", _("Website")),
            ("word_of_mouth", _("Word of mouth")),
            ("other", _("Other")),
            ("unknown", _("Not recorded")),
        )
    ),
    # Composition: participants registered by the end of the period whose consent stands.
    F(
        "composition.gender_answered",
        "composition",
        _("Answered about gender"),
        _(
            "Participants registered by the end of the period, with a standing consent for "
            "self-reported figures, who gave their gender."
        ),
    ),
    F(
        "composition.women",
        "composition",
        _("Women"),
        _("Of those who gave their gender: women."),
        share_of="composition.gender_answered",
    ),
    F(
        "composition.born_answered",
        "composition",
        _("Answered about country of birth"),
        _("Consenting participants who said whether they were born abroad."),
    ),
    F(
        "composition.born_abroad",
        "composition",
        _("Born abroad"),
        _("Of those who answered: born abroad."),
        share_of="composition.born_answered",
    ),
    F(
        "composition.work_answered",
        "composition",
        _("Answered about paid work"),
        _("Consenting participants who said whether they have paid work."),
    ),
    F(
        "composition.without_paid_work",
        "composition",
        _("Without paid work"),
        _("Of those who answered: without paid work."),
        share_of="composition.work_answered",
    ),
    F(
        "composition.household_answered",
        "composition",
        _("Answered about their household"),
        _("Consenting participants who described their household."),
    ),
    F(
        "composition.living_alone",
        "composition",
        _("Living alone"),
        _("Of those who answered: living alone."),
        share_of="composition.household_answered",
    ),
    F(
        "composition.age_answered",
        "composition",
        _("Answered about their age"),
        _("Consenting participants who gave their age band."),
    ),
    F(
        "composition.age_under_25",
        "composition",
        _("Under 25"),
        _("Of those who gave their age band: under 25."),
        share_of="composition.age_answered",
    ),
    F(
        "composition.age_25_44",
        "composition",
        _("25 to 44"),
        _("Of those who gave their age band: 25 to 44."),
        share_of="composition.age_answered",
    ),
    F(
        "composition.age_45_64",
        "composition",
        _("45 to 64"),
        _("Of those who gave their age band: 45 to 64."),
        share_of="composition.age_answered",
    ),
    F(
        "composition.age_65_74",
        "composition",
        _("65 to 74"),
        _("Of those who gave their age band: 65 to 74."),
        share_of="composition.age_answered",
    ),
    F(
        "composition.age_75_plus",
        "composition",
        _("75 and over"),
        _("Of those who gave their age band: 75 and over."),
        share_of="composition.age_answered",
    ),
    # Reciprocity.
    F(
        "reciprocity.in_match",
        "reciprocity",
        _("Participants in a match"),
        _(
            "Participants who asked or gave in a mediation that started in the period and is "
            "now a match."
        ),
    ),
    F(
        "reciprocity.gave_and_received",
        "reciprocity",
        _("both gave and received"),
        _("Of the participants in a match: those who gave in one match and asked in another."),
        share_of="reciprocity.in_match",
    ),
    F(
        "reciprocity.placers",
        "reciprocity",
        _("Participants who placed a request or offer"),
        _("Participants with a request or an offer that went online in the period."),
    ),
    F(
        "reciprocity.offer_and_request",
        "reciprocity",
        _("both offer and request"),
        _("Of those: participants who placed both a request and an offer."),
        share_of="reciprocity.placers",
    ),
    F(
        "reciprocity.prompts_shown",
        "reciprocity",
        _("Reciprocity prompt shown"),
        _("Times “and do you also have a request?” was shown after an ad was placed."),
    ),
    F(
        "reciprocity.prompts_taken",
        "reciprocity",
        _("taken up"),
        _("Of those prompts: the ones after which the participant placed an ad."),
        share_of="reciprocity.prompts_shown",
    ),
    # Support.
    F(
        "support.conversations",
        "support",
        _("Support conversations"),
        _("Support conversations held in the period."),
    ),
    F(
        "support.participants",
        "support",
        _("Participants with a support conversation"),
        _("Participants who had at least one support conversation in the period."),
    ),
    F(
        "support.per_participant",
        "support",
        _("Conversations per participant"),
        _("Support conversations divided by the participants who had one."),
        decimals=1,
    ),
    F(
        "support.moves",
        "support",
        _("Moves between routing steps"),
        _("Times the broker moved a participant to a routing step in the period."),
    ),
    F(
        "support.without_movement",
        "support",
        _("Trajectories without movement"),
        _("Participants in the routing by the end of the period whom nobody moved in it."),
    ),
    # Volunteering.
    F(
        "volunteering.vacancies",
        "volunteering",
        _("Vacancies placed"),
        _("Volunteer vacancies that went online in the period."),
    ),
    F(
        "volunteering.organisations",
        "volunteering",
        _("Organisations that posted vacancies"),
        _("Organisations with a vacancy that went online in the period."),
    ),
    F(
        "volunteering.placements",
        "volunteering",
        _("Volunteer placements"),
        _("Placements at an organisation that started in the period."),
    ),
    F(
        "volunteering.people_placed",
        "volunteering",
        _("People placed"),
        _("Participants with a placement that started in the period."),
    ),
    # Referrals.
    F(
        "referrals.in",
        "referrals",
        _("Referrals in"),
        _("People an institution referred to the broker in the period."),
    ),
    *(
        F(
            f"referrals.out.{code}",
            "referrals",
            label,
            _("People the broker referred on to this kind of service in the period."),
            share_of="referrals.out",
            adds_to="referrals.out",
        )
        for code, label in (
            ("social_work", _("Referred on: social work")),
            ("debt_help", _("Referred on: debt help")),
            ("course", _("Referred on: course")),
            ("other", _("Referred on: other")),
        )
    ),
    F(
        "referrals.out",
        "referrals",
        _("Referrals on"),
        _("People the broker referred on to a service in the period."),
    ),
    # Group visits.
    F(
        "group_visits.count",
        "group_visits",
        _("Group visits"),
        _("Groups the broker visited in the period."),
    ),
    F(
        "group_visits.reached",
        "group_visits",
        _("People reached"),
        _("People present at those visits, as the broker counted them."),
    ),
    F(
        "group_visits.joined",
        "group_visits",
        _("People who joined"),
        _("Participants recorded as having joined at those visits."),
    ),
    F(
        "group_visits.conversion",
        "group_visits",
        _("Conversion (joined per 100 reached)"),
        _("People who joined, per hundred people reached."),
        decimals=1,
    ),
    # Ads.
    F(
        "ads.placed",
        "ads",
        _("Ads placed"),
        _("Requests, offers and vacancies that went online in the period."),
    ),
    F(
        "ads.online_per_day",
        "ads",
        _("Ads online per day, on average"),
        _("For each day of the period so far, the ads online that day; the average of those."),
        decimals=1,
    ),
    F(
        "ads.by_broker",
        "ads",
        _("placed by the broker"),
        _("Of the ads placed: those the broker placed on someone's behalf."),
        share_of="ads.placed",
    ),
    F(
        "ads.led_to_mediation",
        "ads",
        _("led to a mediation"),
        _("Of the ads placed: those named in at least one mediation."),
        share_of="ads.placed",
    ),
    F(
        "ads.responses",
        "ads",
        _("Responses via the site"),
        _("Responses to ads sent through the site in the period."),
    ),
    # Site use (tenants.siteuse): visits counted without cookies or stored addresses.
    F(
        "site.visits",
        "site_use",
        _("Visits"),
        _("Visits to the site in the period, bots left out."),
    ),
    F(
        "site.visits_per_day",
        "site_use",
        _("Visits per day"),
        _("Visits divided by the days of the period so far."),
        decimals=1,
    ),
    F(
        "site.unique_visitors",
        "site_use",
        _("Unique visitors"),
        _(
            "Different visitors per day, added up over the days (the daily key changes, so a "
            "visitor cannot be followed from day to day)."
        ),
    ),
    F(
        "site.regular_visitors",
        "site_use",
        _("Regular visitors"),
        _("Visitors with 6 or more visits in the period, as the counter estimates them."),
    ),
    # Survey (tenants.surveys): answers kept apart from who gave them.
    F("survey.answers", "survey", _("Survey answers"), _("Surveys answered in the period.")),
    F(
        "survey.satisfied_exchange",
        "survey",
        _("Satisfied with the exchange"),
        _("Answers (very) satisfied with the exchange."),
        share_of="survey.answers",
    ),
    F(
        "survey.satisfied_broker",
        "survey",
        _("Satisfied with the broker"),
        _("Answers (very) satisfied with the broker."),
        share_of="survey.answers",
    ),
    F(
        "survey.neighbours_0",
        "survey",
        _("Got to know no neighbour"),
        _("Answers: got to know no new neighbour through it."),
        share_of="survey.answers",
    ),
    F(
        "survey.neighbours_1",
        "survey",
        _("Got to know one neighbour"),
        _("Answers: got to know one new neighbour."),
        share_of="survey.answers",
    ),
    F(
        "survey.neighbours_2_plus",
        "survey",
        _("Got to know two or more"),
        _("Answers: got to know two or more new neighbours."),
        share_of="survey.answers",
    ),
    F(
        "survey.lasting_contacts",
        "survey",
        _("Lasting contact"),
        _("Answers: there is a lasting contact."),
        share_of="survey.answers",
    ),
    # Credits, where they are on (hours; a quarter hour is 0.25).
    F(
        "credits.issued",
        "credits",
        _("Credits issued"),
        _(
            "Credits handed out by the neighbourhood and by organisations in the period, less "
            "what was reversed."
        ),
        decimals=2,
    ),
    F(
        "credits.redeemed",
        "credits",
        _("Credits redeemed"),
        _("Credits participants handed in (for an offer or a voucher) in the period."),
        decimals=2,
    ),
    F(
        "credits.in_circulation",
        "credits",
        _("Credits in circulation"),
        _("Credits held by participants and on paper vouchers at the end of the period."),
        decimals=2,
    ),
)

BY_KEY = {figure.key: figure for figure in FIGURES}

# Tables whose rows are lists in the figures (label, then numbers), with their columns.
LIST_TABLES: dict[str, tuple[Promise, ...]] = {
    "routing_steps": (_("Routing step"), _("Participants who reached it")),
    "referrals_in_by_kind": (_("Referrer"), _("Referrals in")),
    "credits_by_organisation": (_("Organisation"), _("Issued"), _("Redeemed")),
}

# Sections only some neighbourhoods have: their figures are absent otherwise.
OPTIONAL_TABLES = {
    "site_use": "site",
    "survey": "survey",
    "credits": "credits",
    "credits_by_organisation": "credits",
}


def figures_of(table: str) -> list[Figure]:
    return [figure for figure in FIGURES if figure.table == table]
