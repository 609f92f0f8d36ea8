"""Switching credits off leaves no trace: every page and API list of a neighbourhood with a
full ledger, crawled as a signed-in resident and as its admin, shows neither the credit's
name nor a link to a credits page, and every credits page and endpoint answers 404.
Switched on again, it all shows as it was.

The routes are the URL resolver's (as the browser sweep's); each id comes from the demo's
content. Two pages are left out on purpose: the admin's settings, where the switch and the
name are set, and the OpenAPI document (and its viewer), which describes the platform."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django_tenants.utils import tenant_context
from rest_framework.authtoken.models import Token

from tenants.credits.models import Transfer
from tenants.market.models import Ad
from tenants.mediations.models import FollowUp, Mediation, Placement
from tenants.organisations.models import Organisation
from tenants.people.models import HeldMessage, Note, ParticipantLink, SubArea
from tenants.people.services.links import issue_link
from tenants.people.sessions import SESSION_KEY
from tenants.referrals.models import GroupVisit, Referral
from tests.support.credits import set_credits
from tijdvoorelkaar.quickstart.demo_data import add_demo_content

pytestmark = pytest.mark.django_db

URLCONF = "tijdvoorelkaar.urls_neighbourhood"
LEFT_OUT = {"manage/settings/", "api/schema/", "api/docs/", "api/v1/neighbourhood/"}
CREDIT_LINK = re.compile(r'href="[^"]*/credits/')
MEDIATION = "broker/mediations/<int:pk>/"


def _routes() -> Iterator[str]:
    def walk(resolver: URLResolver, prefix: str) -> Iterator[str]:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, route)
            elif isinstance(pattern, URLPattern):
                yield route

    yield from sorted(set(walk(get_resolver(URLCONF), "")))


def _ids() -> dict[str, Any]:
    """A real id for each kind of object a route names, from the demo's content."""
    mediation = Mediation.objects.filter(credit_transfers__kind="gift").first()
    note = Note.objects.order_by("pk").first()
    return {
        "ads/": Ad.objects.order_by("pk").first().pk,
        "people/": Ad.objects.order_by("pk").first().participant_id,
        "broker/ads/": Ad.objects.order_by("pk").first().pk,
        "broker/participants/": mediation.requester_id,
        "broker/mediations/follow-ups/": FollowUp.objects.order_by("pk").first().pk,
        "broker/mediations/placements/": Placement.objects.order_by("pk").first().pk,
        "broker/mediations/": mediation.pk,
        "broker/organisations/": Organisation.objects.order_by("pk").first().pk,
        "broker/referrals/": Referral.objects.order_by("pk").first().pk,
        "broker/group-visits/": GroupVisit.objects.order_by("pk").first().pk,
        "broker/held-messages/": HeldMessage.objects.order_by("pk").first().pk,
        "broker/credits/participants/": mediation.requester_id,
        "broker/credits/transfers/": Transfer.objects.order_by("pk").first().pk,
        "manage/sub-areas/": SubArea.objects.order_by("pk").first().pk,
        "note_pk": note.pk if note else 1,
        "outcome": issue_link(
            participant=mediation.requester,
            purpose=ParticipantLink.Purpose.OUTCOME,
            subject_id=mediation.pk,
        ),
    }


def _path(route: str, ids: dict[str, Any]) -> str:
    owner = next((prefix for prefix in ids if route.startswith(prefix)), None)

    def value(match: re.Match[str]) -> str:
        kind, name = match.group(1), match.group(2)
        if name == "note_pk":
            return str(ids["note_pk"])
        if kind == "int":
            return str(ids[owner] if owner else 1)
        return ids["outcome"] if name == "token" else "x"

    return "/" + re.sub(r"<(\w+):(\w+)>", value, route)


def _crawl(cast, ids: dict[str, Any], only: Any = None) -> dict[str, tuple[int, str]]:  # type: ignore[no-untyped-def]
    """Every page (GET) as the admin who is also signed in as a resident; every API route
    with the admin's token (or only the routes `only` accepts)."""
    client = cast.a.client(cast.a.admin)
    with tenant_context(cast.a.neighbourhood):
        session = client.session
        session[SESSION_KEY] = ids["people/"]
        session.save()
        token = Token.objects.get(user=cast.a.admin.user).key
    seen = {}
    for route in _routes():
        if route in LEFT_OUT or route.startswith(("media/", "i18n/", "accounts/logout")):
            continue
        if only is not None and not only(route):
            continue
        path = _path(route, ids)
        extra = {"HTTP_AUTHORIZATION": f"Token {token}"} if route.startswith("api/") else {}
        response = client.get(path, **extra)
        body = response.content.decode(errors="replace") if response.status_code == 200 else ""
        seen[path] = (response.status_code, body)
    return seen


def test_switched_off_no_page_or_endpoint_shows_a_trace_and_on_all_is_back(cast) -> None:
    on = set_credits(cast.a.neighbourhood, cast.a.admin.user, credits_enabled=True)
    with tenant_context(on):
        add_demo_content(on)
        ids = _ids()
    set_credits(cast.a.neighbourhood, cast.a.admin.user, credits_enabled=False)

    off = _crawl(cast, ids)
    credit_paths = [path for path in off if "credits/" in path]
    assert len(credit_paths) >= 10  # the pages and the API's accounts and transfers
    assert {path: off[path][0] for path in credit_paths} == dict.fromkeys(credit_paths, 404)
    traces = {}
    for path, (_status, body) in off.items():
        found = [
            what
            for what, there in (
                ("the name", "roosje" in body.lower()),
                ("a link", bool(CREDIT_LINK.search(body))),
            )
            if there
        ]
        if found:
            traces[path] = found
    assert traces == {}
    pages = sum(1 for status, _body in off.values() if status == 200)
    assert pages >= 60  # the crawl reached the neighbourhood's pages, not only refusals

    set_credits(cast.a.neighbourhood, cast.a.admin.user, credits_enabled=True)
    back = _crawl(
        cast, ids, only=lambda route: "credits/" in route or route in ("broker/", MEDIATION)
    )
    shown = [
        path for path, (status, _body) in back.items() if path in credit_paths and status == 200
    ]
    assert len(shown) >= 8
    assert "Roosjes" in back["/broker/"][1]  # the menu
    assert "Roosjes" in back[f"/broker/mediations/{ids['broker/mediations/']}/"][1]


def test_the_did_it_work_out_mail_mentions_credits_only_while_on(cast) -> None:
    from django.template.loader import render_to_string

    def mail(neighbourhood) -> str:  # type: ignore[no-untyped-def]
        context = {"neighbourhood": neighbourhood, "name": "Ans", "other": "Bert", "ad": None}
        return render_to_string("responding/mail/outcome_question.txt", context)

    on = set_credits(cast.a.neighbourhood, cast.a.admin.user, credits_enabled=True)
    assert "Roosjes" in mail(on)
    off = set_credits(cast.a.neighbourhood, cast.a.admin.user, credits_enabled=False)
    assert "Roosje" not in mail(off)
