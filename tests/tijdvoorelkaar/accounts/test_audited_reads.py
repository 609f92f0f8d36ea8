"""Every API read that returns personal data is an audited read.

The views declare it (`personal_data`, action -> audit code) and the base class in
tijdvoorelkaar.accounts.access records it. One test reads each declared endpoint and finds a
read event; the other walks the published schema and fails for an endpoint that returns
personal fields without declaring them, so a new endpoint cannot forget.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import resolve
from django_tenants.utils import tenant_context
from rest_framework.request import Request

from tenants.audit.actions import is_sensitive_read
from tenants.audit.models import AuditEvent
from tenants.people.models import PROFILE_FIELDS
from tests.support.cast import build_place
from tests.support.credits import set_credits
from tijdvoorelkaar.quickstart.demo_data import add_demo_content

pytestmark = pytest.mark.django_db

URLCONF = "tijdvoorelkaar.urls_neighbourhood"
# Contact details, notes, reasons, held messages, conversation summaries and profile answers.
PERSONAL_FIELDS = {
    "email",
    "phone",
    "street_address",
    "postal_code",
    "contact_email",
    "contact_phone",
    "contact_person_email",
    "contact_person_phone",
    "text",
    "note",
    "reason",
    "subject",
    "body",
    "message",
    "summary",
    *PROFILE_FIELDS,
}
# Endpoints whose fields share a name with personal data but hold none, and why.
NOT_PERSONAL = {
    "/api/v1/ads/": "an ad's text is published",
    "/api/v1/ads/{id}/": "an ad's text is published",
    "/api/v1/broker-ads/{id}/": "an ad's text, placed to be published",
    "/api/v1/moderation/ads/": "an ad's text, waiting to be published",
    "/api/v1/stories/": "a published story, told with everyone's consent",
    "/api/v1/stories/{id}/": "a published story, told with everyone's consent",
    "/api/v1/stories/manage/": "a story's text, written to be published with consent",
    "/api/v1/stories/manage/{id}/": "a story's text, written to be published with consent",
    "/api/v1/mailings/newsletters/": "a newsletter's subject and text, written for everyone",
    "/api/v1/mailings/newsletters/{id}/": "a newsletter's subject and text, written for everyone",
    "/api/v1/moderation/reports/": "a report's reason is a code (spam, offensive ...)",
    "/api/v1/group-visits/": "the note is about a group visit, not a person",
    "/api/v1/group-visits/{id}/": "the note is about a group visit, not a person",
    "/api/v1/people/{id}/": "a personal page: public fields only",
    "/api/v1/participants/profile-figures/": "counts per answer, no person",
    "/api/v1/replies/{token}/": "the ad's owner, by a mailed link, reads a reply to their ad",
}


@pytest.fixture
def place(cast) -> Any:  # type: ignore[no-untyped-def]
    """A neighbourhood with the demo's people, notes, referrals, messages and time credits
    (switched on: while off the credits endpoints answer 404)."""
    place = build_place("audit-wijk", theme="default")
    place.neighbourhood = set_credits(place.neighbourhood, place.admin.user, credits_enabled=True)
    with tenant_context(place.neighbourhood):
        add_demo_content(place.neighbourhood)
    return place


def _get_operations(client: Client) -> dict[str, dict[str, Any]]:
    schema = client.get("/api/schema/", {"format": "json"}).json()
    return {path: item["get"] for path, item in schema["paths"].items() if "get" in item} | {
        "#components": schema["components"]["schemas"]
    }


def _view(path: str) -> tuple[Any, str]:
    """The view class behind a schema path and the action (or method) a GET runs there."""
    match = resolve(re.sub(r"\{[^}]+\}", "1", path), urlconf=URLCONF)
    actions = getattr(match.func, "actions", None) or {"get": "get"}
    return match.func.cls, actions["get"]


def _fields(schema: Any, components: dict[str, Any], seen: frozenset[str] = frozenset()) -> set:  # type: ignore[type-arg]
    if isinstance(schema, list):
        return set().union(*(_fields(item, components, seen) for item in schema))
    if not isinstance(schema, dict):
        return set()
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return set() if name in seen else _fields(components[name], components, seen | {name})
    found = set(schema.get("properties", {}))
    for value in [*schema.get("properties", {}).values(), *schema.values()]:
        found |= _fields(value, components, seen)
    return found


def test_every_endpoint_returning_personal_fields_declares_its_reads(cast) -> None:
    operations = _get_operations(Client(HTTP_HOST=cast.a.host))
    components = operations.pop("#components")
    undeclared = {}
    for path, operation in operations.items():
        body = operation["responses"].get("200", {}).get("content", {})
        fields = _fields(body.get("application/json", {}).get("schema"), components)
        view, action = _view(path)
        if fields & PERSONAL_FIELDS and path not in NOT_PERSONAL:
            if action not in getattr(view, "personal_data", {}):
                undeclared[path] = sorted(fields & PERSONAL_FIELDS)
    assert undeclared == {}


def _declared_reads(host: str) -> list[tuple[str, str]]:
    operations = _get_operations(Client(HTTP_HOST=host))
    operations.pop("#components")
    reads = []
    for path in operations:
        view, action = _view(path)
        if action in getattr(view, "personal_data", {}):
            reads.append((path, view.personal_data[action]))
    return reads


def _an_id(place, path: str, member) -> int:  # type: ignore[no-untyped-def]
    """An object the endpoint can show: the first of the view's own queryset."""
    view_class, action = _view(path)
    request = Request(RequestFactory().get("/"))
    request.user = member.user
    view = view_class(action=action, request=request, kwargs={}, format_kwarg=None)
    with tenant_context(place.neighbourhood):
        first = view.get_queryset().order_by("pk").first()
    assert first is not None, f"no demo data for {path}"
    return first.pk


def test_each_declared_read_writes_an_audit_event_of_the_read_kind(cast, place) -> None:
    reads = _declared_reads(place.host)
    assert len(reads) >= 15  # participants, notes, referrals, held messages, staff ...
    client = Client(HTTP_HOST=place.host, HTTP_AUTHORIZATION=f"Token {place.admin.token}")
    missing = []
    for path, code in reads:
        assert is_sensitive_read(code), (path, code)
        url = (
            re.sub(r"\{[^}]+\}", str(_an_id(place, path, place.admin)), path)
            if "{" in path
            else path
        )
        with tenant_context(place.neighbourhood):
            before = AuditEvent.objects.count()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        with tenant_context(place.neighbourhood):
            event = AuditEvent.objects.order_by("-pk").first()
            if AuditEvent.objects.count() != before + 1 or event.action != code:
                missing.append((url, code))
            elif "{" in path:
                assert event.target_id, url  # filed under what (or whom) it was about
    assert missing == []


def test_the_list_of_participants_is_a_read_with_the_ids_it_showed(cast) -> None:
    client = Client(HTTP_HOST=cast.a.host, HTTP_AUTHORIZATION=f"Token {cast.a.broker.token}")
    assert client.get("/api/v1/participants/").status_code == 200
    with tenant_context(cast.a.neighbourhood):
        event = AuditEvent.objects.get(action="participant_list.viewed")
    assert is_sensitive_read(event.action)
    assert event.detail == {"api": True, "ids": []}
    assert event.actor_id == cast.a.broker.user.pk
