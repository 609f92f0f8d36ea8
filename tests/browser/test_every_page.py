"""The sweep: every page of both URLconfs, as the role it is for, in Chromium.

Each neighbourhood page is opened in both themes (Utrecht's copy wears kade, Breda's
baksteen), each console page once, and at 1280, 640 (200 % zoom of a 1280-pixel screen) and
375 px (a phone): no serious or critical axe-core violations, and the page itself never
scrolls sideways (wide tables scroll inside their own focusable region).

The list of pages is the URL patterns: every route of the two URLconfs is either in
`NEIGHBOURHOOD_PAGES`/`CONSOLE_PAGES` (with the role that visits it; its ids come from the
demo data of the e2e copies) or in `NOT_PAGES` with the reason. A new route fails
`test_every_route_is_swept_or_said_to_be_no_page` until it is placed in one of them, and the
sweep fails when it did not reach a page it lists.

Three tests, each a unit of its own in a parallel run (tests/support/scheduling.py), so that
they sweep on different workers at once: Utrecht's copy, Breda's copy, the console. One
context per role; a page is loaded once and resized for the narrower widths (the layout
reflows without a new request).
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import totp
from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tenants.credits.models import Offer, VoucherBatch
from tenants.mailings.models import Newsletter, Subscriber
from tenants.mailings.subscriptions import link_token
from tenants.market.models import Ad, AdStatus, Category, Response
from tenants.mediations.models import FollowUp, Mediation, Placement
from tenants.organisations.models import Organisation
from tenants.outreach.digest import unsubscribe_token
from tenants.people.models import HeldMessage, Note, ParticipantLink, SubArea
from tenants.people.services.links import issue_link
from tenants.referrals.models import GroupVisit, Referral
from tenants.responding.services.replies import reply_token
from tenants.stories.models import Story
from tenants.surveys.models import Occasion
from tenants.surveys.services.invitations import record_invitation
from tests.browser.support import (
    SLUG_PREFIX,
    BrowserCast,
    Site,
    complete_code_step,
    describe_violation,
    in_dutch,
    serious_violations,
)
from tests.support.cast import PASSWORD, activate, totp_device
from tests.support.live_server import LiveSite
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.accounts.services import accept_invitation, create_operator, invite_user
from tijdvoorelkaar.accounts.tokens import invitation_tokens
from tijdvoorelkaar.neighbourhoods.jobs import start_provisioning
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood, ProvisioningJob
from tijdvoorelkaar.neighbourhoods.services import NeighbourhoodSpec
from tijdvoorelkaar.operations.jobs import start_backup
from tijdvoorelkaar.operations.models import OperationJob
from tijdvoorelkaar.quickstart.demo_data import add_demo_content

WIDTHS = (1280, 640, 375)
# What can change when the same page reflows narrower (everything else is checked at 1280):
# a box that starts to scroll must be reachable by keyboard, targets must keep 24 x 24 px.
LAYOUT_RULES = ("scrollable-region-focusable", "target-size")
HEIGHT = 800
ANONYMOUS, RESIDENT, BROKER, ADMIN, OPERATOR = (
    "anonymous",
    "resident",
    "broker",
    "admin",
    "operator",
)
SWEEP_OPERATOR = "operator-sweep@browser.test"  # enrols on the console during the sweep
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"

# Every page route of a neighbourhood and who opens it. A link that lands on another page
# (its token moves into the session) is opened as itself and counts for both.
NEIGHBOURHOOD_PAGES = {
    "": ANONYMOUS,
    "ads/": ANONYMOUS,
    "ads/<int:pk>/": ANONYMOUS,
    "ads/new/": ANONYMOUS,
    "ads/placed/": ANONYMOUS,
    "ads/confirm/<str:token>/": ANONYMOUS,
    "ads/confirm/": ANONYMOUS,
    "ads/sign-in/": ANONYMOUS,
    "ads/<int:pk>/respond/": ANONYMOUS,
    "ads/<int:pk>/respond/sent/": ANONYMOUS,
    "ads/<int:pk>/report/": ANONYMOUS,
    "ads/<int:pk>/report/sent/": ANONYMOUS,
    "people/<int:pk>/": ANONYMOUS,
    "responses/<str:token>/reply/": ANONYMOUS,
    "outcome/<str:token>/yes/": ANONYMOUS,
    "outcome/<str:token>/no/": ANONYMOUS,
    "survey/<str:token>/": ANONYMOUS,
    "survey/thanks/": ANONYMOUS,
    "accounts/login/": ANONYMOUS,
    "accounts/invitation/<str:uidb64>/<str:token>/": ANONYMOUS,
    "newsletter/": ANONYMOUS,
    "newsletter/subscribed/": ANONYMOUS,
    "newsletter/<int:number>/": ANONYMOUS,
    "newsletter/confirm/<int:pk>/<str:token>/": ANONYMOUS,
    "newsletter/unsubscribe/<int:pk>/<str:token>/": ANONYMOUS,
    "stories/": ANONYMOUS,
    "stories/<int:pk>/": ANONYMOUS,
    "digest/stop/<str:token>/": ANONYMOUS,
    # The resident signs in by the link from a mail, then sees their own pages.
    "ads/sign-in/<str:token>/": RESIDENT,
    "ads/sign-in/confirm/": RESIDENT,
    "ads/mine/": RESIDENT,
    "ads/mine/<int:pk>/edit/": RESIDENT,
    "ads/<int:pk>/confirmed/": RESIDENT,
    "people/me/edit/": RESIDENT,
    "ads/mine/digest/": RESIDENT,
    # The broker logs in for the first time: sets up the second step, then the workspace.
    "accounts/two-factor/enrol/": BROKER,
    "accounts/two-factor/recovery-codes/": BROKER,
    "accounts/security/": BROKER,
    "api/docs/": BROKER,
    "broker/": BROKER,
    "broker/board/": BROKER,
    "broker/moderation/": BROKER,
    "broker/held-messages/<int:pk>/": BROKER,
    "broker/participants/": BROKER,
    "broker/participants/new/": BROKER,
    "broker/participants/<int:pk>/": BROKER,
    "broker/participants/<int:pk>/edit/": BROKER,
    "broker/participants/<int:pk>/profile/": BROKER,
    "broker/participants/<int:pk>/notes/<int:note_pk>/": BROKER,
    "broker/participants/<int:pk>/erase/": BROKER,
    "broker/participants/<int:pk>/conversations/": BROKER,
    "broker/participants/<int:pk>/conversations/new/": BROKER,
    "broker/participants/<int:pk>/ads/new/": BROKER,
    "broker/ads/<int:pk>/edit/": BROKER,
    "broker/organisations/": BROKER,
    "broker/organisations/new/": BROKER,
    "broker/organisations/<int:pk>/": BROKER,
    "broker/organisations/<int:pk>/edit/": BROKER,
    "broker/mediations/": BROKER,
    "broker/mediations/new/": BROKER,
    "broker/mediations/<int:pk>/": BROKER,
    "broker/mediations/follow-ups/": BROKER,
    "broker/mediations/follow-ups/<int:pk>/done/": BROKER,
    "broker/mediations/suggest/": BROKER,
    "broker/mediations/placements/": BROKER,
    "broker/mediations/placements/<int:pk>/end/": BROKER,
    "broker/referrals/": BROKER,
    "broker/referrals/new/in/": BROKER,
    "broker/referrals/new/out/": BROKER,
    "broker/referrals/<int:pk>/": BROKER,
    "broker/referrals/<int:pk>/edit/": BROKER,
    "broker/group-visits/": BROKER,
    "broker/newsletters/": BROKER,
    "broker/newsletters/<int:pk>/": BROKER,
    "broker/newsletters/<int:pk>/preview/": BROKER,
    "broker/newsletters/<int:pk>/web/": BROKER,
    "broker/newsletters/<int:pk>/send/": BROKER,
    "broker/newsletters/<int:pk>/mailing/": BROKER,
    "broker/newsletters/subscribers/": BROKER,
    "broker/group-visits/new/": BROKER,
    "broker/group-visits/<int:pk>/": BROKER,
    "broker/stories/": BROKER,
    "broker/stories/new/": BROKER,
    "broker/stories/<int:pk>/": BROKER,
    "broker/stories/<int:pk>/edit/": BROKER,
    "broker/printables/": BROKER,
    "broker/participants/<int:pk>/digest/": BROKER,
    "broker/surveys/": BROKER,
    "broker/surveys/<int:pk>/paper/": BROKER,
    "broker/surveys/remarks/": BROKER,
    "broker/transfers/": BROKER,
    "broker/transfers/preview/": BROKER,
    "broker/report/": BROKER,
    # Time credits' offers and vouchers (CREDITS_ONLY below).
    "credits/offers/": RESIDENT,
    "credits/offers/<int:pk>/redeem/": RESIDENT,
    "credits/vouchers/redeem/": RESIDENT,
    "credits/offers/new/": BROKER,
    "credits/offers/received/": BROKER,
    "broker/credits/vouchers/": BROKER,
    "broker/credits/vouchers/<int:pk>/": BROKER,
    # The admin logs in with the code step.
    "accounts/two-factor/verify/": ADMIN,
    "manage/": ADMIN,
    "manage/settings/": ADMIN,
    "manage/staff/": ADMIN,
    "manage/staff/<int:pk>/": ADMIN,
    "manage/audit/": ADMIN,
    "manage/outbox/": ADMIN,
    "broker/newsletters/settings/": ADMIN,
    "manage/routing/": ADMIN,
    "manage/categories/": ADMIN,
    "manage/categories/<int:pk>/": ADMIN,
    "manage/sub-areas/": ADMIN,
    "manage/sub-areas/<int:pk>/": ADMIN,
    # Time credits' statements, rewards, gifts, reversals and limits (CREDITS_ONLY below).
    "credits/mine/": RESIDENT,
    "credits/thank/<str:token>/": ANONYMOUS,
    "broker/credits/": BROKER,
    "broker/credits/participants/<int:pk>/": BROKER,
    "broker/credits/transfers/<int:pk>/reverse/": BROKER,
    "broker/credits/gift/": BROKER,
    "broker/credits/reward/": BROKER,
    "broker/credits/reward/<str:job>/": BROKER,
    "credits/organisations/<int:pk>/reward/": RESIDENT,
    "credits/organisations/<int:pk>/reward/<str:job>/": RESIDENT,
    "manage/credits/": ADMIN,
}
# Pages that exist only where time credits are on: where they are off (Breda's copy) each
# must answer 404, and is counted as reached.
CREDITS_ONLY = {
    "credits/offers/",
    "credits/offers/<int:pk>/redeem/",
    "credits/vouchers/redeem/",
    "credits/offers/new/",
    "credits/offers/received/",
    "broker/credits/vouchers/",
    "broker/credits/vouchers/<int:pk>/",
    "credits/mine/",
    "credits/thank/<str:token>/",
    "broker/credits/",
    "broker/credits/participants/<int:pk>/",
    "broker/credits/transfers/<int:pk>/reverse/",
    "broker/credits/gift/",
    "broker/credits/reward/",
    "broker/credits/reward/<str:job>/",
    "credits/organisations/<int:pk>/reward/",
    "credits/organisations/<int:pk>/reward/<str:job>/",
    "manage/credits/",
}
# Where a link lands: opening the link checks that page, and it counts for both routes.
LANDS_ON = {
    "ads/confirm/<str:token>/": "ads/confirm/",
    "ads/sign-in/<str:token>/": "ads/sign-in/confirm/",
}
CONSOLE_PAGES = {
    "accounts/login/": ANONYMOUS,
    "accounts/two-factor/verify/": OPERATOR,
    "accounts/two-factor/enrol/": OPERATOR,
    "accounts/two-factor/recovery-codes/": OPERATOR,
    "": OPERATOR,
    "neighbourhoods/new/": OPERATOR,
    "neighbourhoods/<slug:slug>/": OPERATOR,
    "neighbourhoods/<slug:slug>/delete/": OPERATOR,
    "jobs/<uuid:job_id>/": OPERATOR,
    "backups/": OPERATOR,
    "backups/jobs/<uuid:job_id>/": OPERATOR,
    "backups/<slug:slug>/": OPERATOR,
    "backups/<slug:slug>/<str:key>/restore/": OPERATOR,
    "backups/<slug:slug>/<str:key>/replace/": OPERATOR,
    "inbox/": OPERATOR,
    "inbox/<str:name>/": OPERATOR,
    "figures/": OPERATOR,
    "accounts/security/": OPERATOR,
    "api/docs/": OPERATOR,
}
POST_ONLY = "an action (POST only), its form is on a page swept"
NOT_PAGES = {
    "api/v1/": "the JSON API (every route under it)",
    "api/schema/": "the OpenAPI document (YAML), shown by api/docs/",
    "theme.css": "the theme's colours as a stylesheet",
    "i18n/setlang/": "the language switch's action (POST only)",
    "accounts/logout/": "log out (POST only; a GET answers 405)",
    "media/<str:schema>/<path:path>": "an ad's photo (an image file)",
    "broker/participants/<int:pk>/export/": "a participant's data as a JSON download",
    "broker/transfers/export/": "a CSV or Excel download",
    "broker/report/export.csv": "the report as a CSV download",
    "broker/report/export.xlsx": "the report as an Excel download",
    "broker/report/export.pdf": "the report as a PDF download",
    "broker/report/progress/<int:pk>/": "the progress fragment the report page polls (htmx)",
    "broker/report/compute/": POST_ONLY,
    "broker/credits/export/": "a CSV or Excel download",
    "broker/printables/poster.pdf": "a PDF download (the poster)",
    "broker/printables/postcard.pdf": "a PDF download (the postcard)",
    "broker/stories/<int:pk>/consent/": POST_ONLY,
    "broker/stories/<int:pk>/publish/": POST_ONLY,
    "figures/export.csv": "the operator's figures as a CSV download",
    "ads/mine/<int:pk>/renew/": POST_ONLY,
    "ads/mine/<int:pk>/close/": POST_ONLY,
    "ads/sign-out/": POST_ONLY,
    "backups/<slug:slug>/back-up/": POST_ONLY,
    "broker/participants/<int:pk>/consents/": POST_ONLY,
    "broker/participants/<int:pk>/certificates/": POST_ONLY,
    "broker/participants/<int:pk>/notes/": POST_ONLY,
    "broker/participants/<int:pk>/held/<int:message_pk>/": POST_ONLY,
    "broker/participants/<int:pk>/move/": POST_ONLY,
    "broker/organisations/<int:pk>/active/": POST_ONLY,
    "broker/organisations/<int:pk>/members/": POST_ONLY,
    "broker/organisations/<int:pk>/members/<int:participant_pk>/remove/": POST_ONLY,
    "broker/responses/<int:pk>/seen/": POST_ONLY,
    "broker/moderation/ads/<int:pk>/approve/": POST_ONLY,
    "broker/moderation/ads/<int:pk>/reject/": POST_ONLY,
    "broker/moderation/reports/<int:pk>/": POST_ONLY,
    "broker/ads/<int:pk>/renew/": POST_ONLY,
    "broker/ads/<int:pk>/close/": POST_ONLY,
    "manage/routing/<int:pk>/": POST_ONLY,
    "broker/newsletters/subscribers/<int:pk>/unsubscribe/": POST_ONLY,
    "broker/newsletters/<int:pk>/mailing/counts/": "a fragment of the mailing page (htmx polls it)",
    "neighbourhoods/<slug:slug>/archive/": POST_ONLY,
    "neighbourhoods/<slug:slug>/invite/": POST_ONLY,
}
# Routes both URLconfs share (accounts/) that only one kind of host uses.
NOT_PAGES_ON_THE_CONSOLE = {
    "accounts/invitation/<str:uidb64>/<str:token>/": (
        "operators are made by a command, never invited"
    ),
}


def routes(urlconf: str) -> set[str]:
    """Every route of a URLconf, as its patterns spell it (`broker/mediations/<int:pk>/`)."""

    def walk(resolver: URLResolver, prefix: str) -> Iterator[str]:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, route)
            elif isinstance(pattern, URLPattern):
                yield route

    return set(walk(get_resolver(urlconf), ""))


def _not_a_page(route: str, extra: dict[str, str]) -> bool:
    return route in NOT_PAGES or route in extra or route.startswith("api/v1/")


def test_every_route_is_swept_or_said_to_be_no_page() -> None:
    for urlconf, pages, extra in (
        ("tijdvoorelkaar.urls_neighbourhood", NEIGHBOURHOOD_PAGES, {}),
        ("tijdvoorelkaar.urls_platform", CONSOLE_PAGES, NOT_PAGES_ON_THE_CONSOLE),
    ):
        found = routes(urlconf)
        unplaced = sorted(r for r in found if r not in pages and not _not_a_page(r, extra))
        assert not unplaced, f"{urlconf}: add these routes to the sweep or to NOT_PAGES: {unplaced}"
        both = sorted(r for r in pages if _not_a_page(r, extra))
        assert not both, f"{urlconf}: listed as page and as no page: {both}"
        gone = sorted(set(pages) - found)
        assert not gone, f"{urlconf}: these routes no longer exist: {gone}"


# -- What the sweep visits -----------------------------------------------------------------


@dataclass
class Neighbours:
    """One e2e neighbourhood with the demo's content, its staff and a resident, and the ids
    and tokens its parameterised routes need (by route, by parameter name)."""

    site: Site
    neighbourhood: Neighbourhood
    admin_email: str
    broker_email: str
    params: dict[str, dict[str, object]] = field(default_factory=dict)
    resident_sign_in: str = ""


def _first(queryset: Any, what: str) -> Any:
    found = queryset.first()
    assert found is not None, f"the demo data has no {what}"
    return found


def _newsletter_params() -> dict[str, dict[str, object]]:
    """The demo's draft and sent issue, and signed links of a subscriber."""
    draft = {"pk": _first(Newsletter.objects.filter(status="draft"), "newsletter draft").pk}
    sent = _first(Newsletter.objects.exclude(status="draft"), "sent newsletter")
    reader = _first(Subscriber.objects.filter(status="active").order_by("pk"), "subscriber")
    return {
        "broker/newsletters/<int:pk>/": draft,
        "broker/newsletters/<int:pk>/preview/": draft,
        "broker/newsletters/<int:pk>/send/": draft,
        "broker/newsletters/<int:pk>/web/": draft,
        "broker/newsletters/<int:pk>/mailing/": {"pk": sent.pk},
        "newsletter/<int:number>/": {"number": sent.number},
        "newsletter/confirm/<int:pk>/<str:token>/": {
            "pk": reader.pk,
            "token": link_token(reader, "confirm"),
        },
        "newsletter/unsubscribe/<int:pk>/<str:token>/": {
            "pk": reader.pk,
            "token": link_token(reader, "unsubscribe"),
        },
    }


def _prepare(site: Site) -> Neighbours:
    """The demo's content in the copy, an admin (with an authenticator) and a broker who
    has none yet, and a real id or token for every parameterised page route."""
    neighbourhood = Neighbourhood.objects.get(slug=site.slug)
    with tenant_context(neighbourhood):
        admin = activate(User.objects.get(role=Role.ADMIN))
        totp_device(admin)
        broker = invite_user(
            email=f"makelaar@{site.slug}.test",
            full_name="Makelaar",
            role=Role.BROKER,
            invited_by=admin,
        )
        accept_invitation(
            user=broker, token=invitation_tokens.make_token(broker), password=PASSWORD
        )
        add_demo_content(neighbourhood)  # after the broker: the demo's vacancies need one
        invited = invite_user(
            email=f"nieuw@{site.slug}.test",
            full_name="Nieuwe Collega",
            role=Role.BROKER,
            invited_by=admin,
        )
        ad = _first(
            Ad.objects.filter(status=AdStatus.PUBLISHED, participant__email__gt="").order_by("pk"),
            "published ad of a resident with an e-mail address",
        )
        resident = ad.participant
        response = _first(Response.objects.filter(held_for_broker=False), "relayed response")
        mediation = _first(Mediation.objects.order_by("pk"), "mediation")
        note = _first(Note.objects.order_by("pk"), "note")
        story = _first(Story.objects.filter(published_at__isnull=False), "published story")
        ad_pk = {"pk": ad.pk}
        params: dict[str, dict[str, object]] = {
            "ads/<int:pk>/": ad_pk,
            "ads/<int:pk>/respond/": ad_pk,
            "ads/<int:pk>/respond/sent/": ad_pk,
            "ads/<int:pk>/report/": ad_pk,
            "ads/<int:pk>/report/sent/": ad_pk,
            "ads/<int:pk>/confirmed/": ad_pk,
            "ads/mine/<int:pk>/edit/": ad_pk,
            "broker/ads/<int:pk>/edit/": ad_pk,
            "people/<int:pk>/": {"pk": resident.pk},
            # The link stores its token and shows one button; only pressing it checks it.
            "ads/confirm/<str:token>/": {"token": "sweep"},
            "ads/sign-in/<str:token>/": {
                "token": issue_link(participant=resident, purpose=ParticipantLink.Purpose.SIGN_IN)
            },
            "responses/<str:token>/reply/": {"token": reply_token(response)},
            "accounts/invitation/<str:uidb64>/<str:token>/": {
                "uidb64": urlsafe_base64_encode(force_bytes(invited.pk)),
                "token": invitation_tokens.make_token(invited),
            },
            "broker/held-messages/<int:pk>/": {
                "pk": _first(HeldMessage.objects.order_by("pk"), "held message").pk
            },
            "broker/participants/<int:pk>/notes/<int:note_pk>/": {
                "pk": note.participant_id,
                "note_pk": note.pk,
            },
            "broker/organisations/<int:pk>/": {
                "pk": _first(Organisation.objects, "organisation").pk
            },
            "broker/mediations/<int:pk>/": {"pk": mediation.pk},
            "broker/mediations/follow-ups/<int:pk>/done/": {
                "pk": _first(FollowUp.objects.filter(done_at__isnull=True), "open follow-up").pk
            },
            "broker/mediations/placements/<int:pk>/end/": {
                "pk": _first(Placement.objects.filter(ended_on__isnull=True), "placement").pk
            },
            "broker/referrals/<int:pk>/": {"pk": _first(Referral.objects, "referral").pk},
            "broker/group-visits/<int:pk>/": {"pk": _first(GroupVisit.objects, "group visit").pk},
            "manage/staff/<int:pk>/": {"pk": broker.pk},
            "stories/<int:pk>/": {"pk": story.pk},
            "broker/stories/<int:pk>/": {"pk": story.pk},
            "broker/stories/<int:pk>/edit/": {"pk": story.pk},
            "digest/stop/<str:token>/": {"token": unsubscribe_token(resident)},
            "manage/categories/<int:pk>/": {"pk": _first(Category.objects, "category").pk},
            "manage/sub-areas/<int:pk>/": {"pk": _first(SubArea.objects, "sub-area").pk},
            **_newsletter_params(),
        }
        # Credits' pages: where they are off there is none, and any number answers 404.
        offer = Offer.objects.order_by("pk").first()
        batch = VoucherBatch.objects.order_by("pk").first()
        params["credits/offers/<int:pk>/redeem/"] = {"pk": offer.pk if offer else 1}
        params["broker/credits/vouchers/<int:pk>/"] = {"pk": batch.pk if batch else 1}
        for answer in ("yes", "no"):
            params[f"outcome/<str:token>/{answer}/"] = {
                "token": issue_link(
                    participant=mediation.requester,
                    purpose=ParticipantLink.Purpose.OUTCOME,
                    subject_id=mediation.pk,
                )
            }
        survey, _created = record_invitation(
            participant=resident,
            occasion=Occasion.ANNUAL,
            round="sweep",
            sent_on=timezone.localdate(),
        )
        params["survey/<str:token>/"] = {
            "token": issue_link(
                participant=resident, purpose=ParticipantLink.Purpose.SURVEY, subject_id=survey.pk
            )
        }
        params["broker/surveys/<int:pk>/paper/"] = {"pk": survey.pk}
        participant = {"pk": resident.pk}
        for route in NEIGHBOURHOOD_PAGES:
            if route.startswith("broker/participants/<int:pk>/") and route not in params:
                params[route] = participant
        params["broker/organisations/<int:pk>/edit/"] = params["broker/organisations/<int:pk>/"]
        params["broker/referrals/<int:pk>/edit/"] = params["broker/referrals/<int:pk>/"]
        if neighbourhood.credits_enabled:
            params |= _credits_params(broker, resident)
        else:  # none of them exists there: any value answers 404
            params |= {
                "credits/thank/<str:token>/": {"token": "x"},
                "broker/credits/participants/<int:pk>/": {"pk": resident.pk},
                "broker/credits/transfers/<int:pk>/reverse/": {"pk": 1},
                "broker/credits/reward/<str:job>/": {"job": "x"},
                "credits/organisations/<int:pk>/reward/": {"pk": 1},
                "credits/organisations/<int:pk>/reward/<str:job>/": {"pk": 1, "job": "x"},
            }
    return Neighbours(site, neighbourhood, admin.email, broker.email, params)


def _credits_params(broker: User, resident: Any) -> dict[str, dict[str, object]]:
    """A match to thank for, a transfer to reverse, a reward job (from the demo's ledger)."""
    from tenants.credits.models import Transfer
    from tenants.credits.rewards import start_reward

    thanked = _first(Transfer.objects.filter(kind="gift", mediation__isnull=False), "thank-you")
    reward = _first(Transfer.objects.filter(kind="reward").order_by("pk"), "reward")
    job = start_reward(recipients=[resident], amount_each=1, by=broker, description="Sweep")
    club = _first(Organisation.objects.order_by("pk"), "organisation")
    club.members.add(resident)  # the resident rewards for their organisation too
    member_job = start_reward(
        recipients=[resident],
        amount_each=1,
        by=broker,
        description="Sweep",
        organisation=club,
        member=resident,
    )
    return {
        "credits/organisations/<int:pk>/reward/": {"pk": club.pk},
        "credits/organisations/<int:pk>/reward/<str:job>/": {"pk": club.pk, "job": member_job},
        "credits/thank/<str:token>/": {
            "token": issue_link(
                participant=thanked.mediation.requester,
                purpose=ParticipantLink.Purpose.OUTCOME,
                subject_id=thanked.mediation_id,
            )
        },
        "broker/credits/participants/<int:pk>/": {"pk": resident.pk},
        "broker/credits/transfers/<int:pk>/reverse/": {"pk": reward.pk},
        "broker/credits/reward/<str:job>/": {"job": job},
    }


@pytest.fixture(scope="module")
def prepared(browser_cast: BrowserCast, django_db_blocker: Any) -> Callable[[str], Neighbours]:
    """`prepared("utrecht")`: that e2e copy filled (`_prepare`), once per module, when a
    fixture first needs it (committed: never call it inside a test's transaction). The three
    sweeps are units of their own in a parallel run (tests/support/scheduling.py), so a worker
    fills only the copies its sweeps visit."""
    places: dict[str, Neighbours] = {}

    def place(copy: str) -> Neighbours:
        if copy not in places:
            with django_db_blocker.unblock():
                places[copy] = _prepare(getattr(browser_cast, copy))
        return places[copy]

    return place


@pytest.fixture(scope="module", params=["utrecht", "breda"])  # kade with credits; baksteen
def place(request: pytest.FixtureRequest, prepared: Callable[[str], Neighbours]) -> Neighbours:
    """A filled copy, for the neighbourhood sweep's two runs."""
    return prepared(request.param)


@pytest.fixture(scope="module")
def console_world(
    browser_cast: BrowserCast,
    prepared: Callable[[str], Neighbours],
    django_db_blocker: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, Any]]:
    """For the console: the Utrecht copy filled, an operator without an authenticator, a
    finished provisioning job for the job page and a real backup of the copy (committed;
    removed with the module's data)."""
    prepared("utrecht")
    with django_db_blocker.unblock():
        create_operator(email=SWEEP_OPERATOR, password=PASSWORD, full_name="Operator (sweep)")
        operator = User.objects.get(email=SWEEP_OPERATOR)
        job = start_provisioning(
            spec=NeighbourhoodSpec(
                name="Sweep Job",
                slug=f"{SLUG_PREFIX}sweep-job",
                domains=[f"{SLUG_PREFIX}sweep-job.localhost"],
                admin_email="beheer@sweep-job.test",
                admin_name="Beheer",
                theme="kade",
                languages=["nl"],
            ),
            requested_by=operator,
        )
        # A real backup of the Utrecht copy (the job runs at once: no transaction here).
        backups = tmp_path_factory.mktemp("backups")
        with override_settings(BACKUP_DIR=backups):
            utrecht = Neighbourhood.objects.get(slug=browser_cast.utrecht.slug)
            backup = start_backup(neighbourhood=utrecht, requested_by=operator)
        backup.refresh_from_db()
    assert backup.status == "done", backup.error
    yield {"job": job, "operator": operator, "backups": backups, "backup_job": backup}
    with django_db_blocker.unblock():
        ProvisioningJob.objects.filter(requested_by=operator).delete()
        OperationJob.objects.filter(requested_by=operator).delete()
        operator.delete()


@dataclass
class Sweep:
    """Opens pages in one context and collects what is wrong with them, at every width."""

    live_site: LiveSite
    host: str
    what: str
    params: dict[str, dict[str, object]]
    visited: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    credits: bool = True  # the neighbourhood's time credits are on

    def path(self, route: str) -> str:
        values = self.params.get(route, {})
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)

    def open(self, page: Page, route: str) -> None:
        response = page.goto(self.live_site.url(self.host, self.path(route)))
        status = response.status if response is not None else 0
        if route in CREDITS_ONLY and not self.credits:
            if status != 404:
                self.problems.append(f"{self.what} /{route}: HTTP {status} with credits off")
            self.visited.add(route)
            return
        if status >= 400:
            self.problems.append(f"{self.what} /{route}: HTTP {status}")
        if route == "api/docs/":  # Swagger UI draws the page after loading the schema
            page.locator(".swagger-ui .opblock").first.wait_for()
        self.check(page, route)

    def open_missing(self, page: Page) -> None:
        """The themed "not found" page, which no route names."""
        response = page.goto(self.live_site.url(self.host, "/no-such-page/"))
        assert response is not None and response.status == 404, self.what
        self.check(page, "(not found)")

    def check(self, page: Page, route: str) -> None:
        """The page as it is now, at each width; then back to the widest."""
        landed = LANDS_ON.get(route)
        if landed is not None:
            assert page.url.endswith(self.path(landed)), (route, page.url)
            self.visited.add(landed)
        self.visited.add(route)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": HEIGHT})
            scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
            if scroll_width > width:
                wide = page.evaluate(WIDEST_JS, width)
                self.problems.append(
                    f"{self.what} /{route} at {width} px: {scroll_width} px wide, by {wide}"
                )
            rules = () if width == WIDTHS[0] else LAYOUT_RULES
            for violation in serious_violations(page, rules):
                where = f"{self.what} /{route} at {width} px"
                self.problems.append(f"{where}: {describe_violation(violation, nodes=3)}")
        page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})


# The innermost elements that stick out past the viewport, outside any box that scrolls:
# what makes a page scroll sideways, for the failure message.
WIDEST_JS = """width => {
  const scrolls = e => { for (let a = e.parentElement; a; a = a.parentElement) {
    if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX)) return true; }
    return false; };
  const out = e => e.getBoundingClientRect().right > width + 1;
  const clipped = e => getComputedStyle(e).position !== 'absolute' && scrolls(e);
  return [...document.body.querySelectorAll('*')]
    .filter(e => out(e) && ![...e.children].some(out) && !clipped(e)).slice(0, 3)
    .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`
      + ` (${Math.round(e.getBoundingClientRect().right)} px)`).join(', ');
}"""


def _context(browser: Browser) -> BrowserContext:
    context = browser.new_context(locale="nl-NL", viewport={"width": WIDTHS[0], "height": HEIGHT})
    context.set_default_timeout(15_000)
    return context


def _sweep_pages(sweep: Sweep, page: Page, pages: dict[str, str], role: str) -> None:
    for route, who in pages.items():
        if who == role and route not in sweep.visited and route not in LANDS_ON.values():
            sweep.open(page, route)


def _enrol(sweep: Sweep, page: Page) -> None:
    """On the set-up page after the first password login: scan (read) the key, type the
    code, and pass the recovery codes."""
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/enrol/"))
    sweep.check(page, "accounts/two-factor/enrol/")
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label(in_dutch("Code from the app")).fill(f"{totp(key):06d}")
    page.get_by_role("button", name=in_dutch("Turn on")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(in_dutch("Your recovery codes"))
    sweep.check(page, "accounts/two-factor/recovery-codes/")
    with page.expect_navigation():
        page.get_by_role("button", name=in_dutch("I have saved them")).click()


def _password_step(page: Page, url: str, email: str) -> None:
    page.goto(url)
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")


def _sweep_neighbourhood(browser: Browser, live_site: LiveSite, place: Neighbours) -> Sweep:
    sweep = Sweep(
        live_site,
        place.site.host,
        f"{place.site.theme}:",
        place.params,
        credits=place.site.credit_name is not None,
    )
    login = live_site.url(place.site.host, "/accounts/login/")

    def as_role(role: str, enter: Callable[[Page], None]) -> None:
        context = _context(browser)
        try:
            page = context.new_page()
            enter(page)
            _sweep_pages(sweep, page, NEIGHBOURHOOD_PAGES, role)
        finally:
            context.close()

    def resident(page: Page) -> None:
        sweep.open(page, "ads/sign-in/<str:token>/")
        with page.expect_navigation():
            page.get_by_role("main").get_by_role("button").click()
        expect(page).to_have_url(re.compile(r"/ads/mine/$"))

    def broker(page: Page) -> None:
        _password_step(page, login, place.broker_email)
        _enrol(sweep, page)
        # The import's preview shows what was uploaded: upload first.
        page.goto(live_site.url(place.site.host, "/broker/transfers/"))
        page.get_by_label(in_dutch("Participants"), exact=True).check()
        page.locator("input[type=file]").set_input_files(
            files=[{"name": "deelnemers.csv", "mimeType": "text/csv", "buffer": IMPORT_CSV}]
        )
        with page.expect_navigation():
            page.get_by_role("button", name=in_dutch("Show the preview")).click()
        expect(page).to_have_url(re.compile(r"/broker/transfers/preview/$"))
        sweep.check(page, "broker/transfers/preview/")

    def admin(page: Page) -> None:
        _password_step(page, login, place.admin_email)
        expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
        sweep.check(page, "accounts/two-factor/verify/")
        complete_code_step(page, place.admin_email, place.neighbourhood)

    as_role(ANONYMOUS, sweep.open_missing)
    as_role(RESIDENT, resident)
    as_role(BROKER, broker)
    as_role(ADMIN, admin)
    return sweep


IMPORT_CSV = (
    "Voornaam;Achternaam;E-mailadres;Mobiele telefoon;Opmerkingen\r\n"
    "Zoë;Müller;zoe.muller@example.org;06 1234 5678;Wil graag helpen met de tuin, elke woensdag\r\n"
    "Ömer;Çelik;omer.celik@example.org;06 8765 4321;\r\n"
).encode("cp1252")


@pytest.mark.browser
@pytest.mark.django_db
def test_every_neighbourhood_page_fits_every_width_and_passes_axe(
    browser: Browser, live_site: LiveSite, place: Neighbours
) -> None:
    started = time.monotonic()
    sweep = _sweep_neighbourhood(browser, live_site, place)
    missed = sorted(set(NEIGHBOURHOOD_PAGES) - sweep.visited)
    assert not missed, f"the sweep did not reach these pages in {place.site.name}: {missed}"
    print(f"\nthe sweep of {place.site.name} took {time.monotonic() - started:.0f} s")  # noqa: T201
    problems = sweep.problems
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


@pytest.mark.browser
@pytest.mark.django_db
def test_every_console_page_fits_every_width_and_passes_axe(
    browser: Browser,
    live_site: LiveSite,
    browser_cast: BrowserCast,
    console_world: dict[str, Any],
    settings: Any,
    tmp_path: Path,
) -> None:
    started = time.monotonic()
    # The demo's inbox on (as in the demo: the file backend) and a mail in it.
    settings.MAIL_INBOX_ENABLED = True
    settings.EMAIL_BACKEND = FILE_BACKEND
    settings.EMAIL_FILE_PATH = settings.MAIL_INBOX_DIR = str(tmp_path)
    mail.EmailMessage("Uw advertentie", "Er is één reactie.", to=["a@example.org"]).send()
    [inbox_file] = tmp_path.glob("*.log")
    settings.BACKUP_DIR = console_world["backups"]
    backup_key = {"slug": browser_cast.utrecht.slug, "key": console_world["backup_job"].result}
    console = Sweep(
        live_site,
        "localhost",
        "console:",
        {
            "neighbourhoods/<slug:slug>/": {"slug": browser_cast.utrecht.slug},
            "neighbourhoods/<slug:slug>/delete/": {"slug": browser_cast.utrecht.slug},
            "jobs/<uuid:job_id>/": {"job_id": console_world["job"].pk},
            "backups/jobs/<uuid:job_id>/": {"job_id": console_world["backup_job"].pk},
            "backups/<slug:slug>/": {"slug": browser_cast.utrecht.slug},
            "backups/<slug:slug>/<str:key>/restore/": backup_key,
            "backups/<slug:slug>/<str:key>/replace/": backup_key,
            "inbox/<str:name>/": {"name": f"{inbox_file.stem}.0"},
        },
    )
    context = _context(browser)
    try:
        page = context.new_page()
        console.open(page, "accounts/login/")
        console.open_missing(page)
        _password_step(page, live_site.url(path="/accounts/login/"), browser_cast.operator_email)
        console.check(page, "accounts/two-factor/verify/")
    finally:
        context.close()
    context = _context(browser)
    try:
        page = context.new_page()
        _password_step(page, live_site.url(path="/accounts/login/"), SWEEP_OPERATOR)
        _enrol(console, page)
        _sweep_pages(console, page, CONSOLE_PAGES, OPERATOR)
        page.goto(live_site.url(path=console.path("inbox/<str:name>/")))
        expect(page.get_by_role("main")).to_contain_text("Er is één reactie.")
    finally:
        context.close()
    missed = sorted(set(CONSOLE_PAGES) - console.visited)
    assert not missed, f"the sweep did not reach these console pages: {missed}"
    print(f"\nthe console's sweep took {time.monotonic() - started:.0f} s")  # noqa: T201
    problems = console.problems
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
