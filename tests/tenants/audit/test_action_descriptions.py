"""The audit log speaks the admin's language: a description per action code (the code stays
in the data and the filter's values), and dates written the one localised way."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django_tenants.utils import tenant_context

from tenants.audit.descriptions import ACTION_DESCRIPTIONS, describe_action
from tenants.audit.models import AuditEvent
from tenants.audit.services import record_audit_event
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

pytestmark = pytest.mark.django_db

RECORDED = [
    re.compile(r'action="([a-z_]+\.[a-z_]+)"'),  # record_audit_event(action="…"), _audit(…)
    re.compile(r'\baudit_in_schema\(\s*[^)]*?"([a-z_]+\.[a-z_]+)"', re.S),
    re.compile(r'^\s+"(twofactor\.[a-z_]+)",$', re.M),
]
CONSTANT = re.compile(r'^[A-Z_]+ = "([a-z_]+\.[a-z_]+)"', re.M)  # tenants/audit/actions.py


def _codes_in_the_code_base() -> set[str]:
    root = Path(settings.REPO_ROOT)
    codes = {f"neighbourhood.{status}" for status in Neighbourhood.Status.values}
    codes.update(CONSTANT.findall((root / "tenants" / "audit" / "actions.py").read_text()))
    for folder in ("tenants", "platform"):
        for path in (root / folder).rglob("*.py"):
            if "migrations" in path.parts or path.name == "descriptions.py":
                continue
            text = path.read_text()
            for pattern in RECORDED:
                codes.update(pattern.findall(text))
    return codes


def test_every_recorded_action_has_a_description() -> None:
    codes = _codes_in_the_code_base()
    assert len(codes) > 60 and "participant.through_broker_only" in codes
    assert sorted(codes - set(ACTION_DESCRIPTIONS)) == []


def test_an_unknown_code_is_shown_as_it_is() -> None:
    assert describe_action("credits.transferred_someday") == "credits.transferred_someday"


@pytest.mark.parametrize(
    ("language", "description", "date"),
    [
        ("nl", "Deelnemer ingesteld op contact alleen via de makelaar", "6 december 2026"),
        ("en", "Participant set to contact through the broker only", "6 December 2026"),
    ],
)
def test_the_log_shows_descriptions_and_dates_in_the_admins_language(
    cast, language: str, description: str, date: str
) -> None:
    with tenant_context(cast.a.neighbourhood):
        event = record_audit_event(actor=None, action="participant.through_broker_only")
        at = dt.datetime(2026, 12, 6, 14, 5, tzinfo=ZoneInfo(settings.TIME_ZONE))
        AuditEvent.objects.filter(pk=event.pk).update(at=at)
    page = (
        cast.a.client(cast.a.admin)
        .get("/manage/audit/", HTTP_ACCEPT_LANGUAGE=language)
        .content.decode()
    )
    rows = page.split("<tbody>")[1]
    assert description in rows and "participant.through_broker_only" not in rows
    assert f"{date} 14:05" in rows and "6 Dec " not in rows
    # The filter keeps the code as its value, and names it the readable way.
    assert f'<option value="participant.through_broker_only">{description}</option>' in page
