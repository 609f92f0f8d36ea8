"""Support conversations: logged, counted, a warning at the limit (not a block), audited reads."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.audit.models import AuditEvent
from tenants.brokerage.models import SupportConversation
from tenants.brokerage.services import log_support_conversation
from tenants.brokerage.timeline import TIMELINE
from tests.support.factories import participant

pytestmark = pytest.mark.django_db


def _form(**changes: str) -> dict[str, str]:
    data = {
        "held_on": timezone.localdate().isoformat(),
        "channel": "visit",
        "summary": "Samen gekeken wat ze zou willen doen.",
    }
    data.update(changes)
    return data


def test_the_form_warns_at_the_limit_and_still_records(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ans = participant()
        for _ in range(2):
            log_support_conversation(
                participant=ans, by=cast.a.broker.user, channel="phone", summary="Gebeld."
            )
    client = cast.a.client(cast.a.broker)
    url = f"/broker/participants/{ans.pk}/conversations/new/"
    assert 'class="warning-box"' not in client.get(url).content.decode()
    assert client.post(url, _form()).status_code == 302
    assert 'class="warning-box"' in client.get(url).content.decode()  # 3 of 3: warn first
    response = client.post(url, _form(next="/broker/board/"))
    assert response.status_code == 302 and response["Location"] == "/broker/board/"
    with tenant_context(cast.a.neighbourhood):
        assert SupportConversation.objects.filter(participant=ans).count() == 4
        assert len([e for e in TIMELINE.entries_for(ans) if e.kind == "conversation"]) == 4
        assert all("Gebeld" not in e.title for e in TIMELINE.entries_for(ans))  # no summaries there


def test_bad_input_is_refused_with_reasons(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ans = participant()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = cast.a.client(cast.a.broker).post(
        f"/broker/participants/{ans.pk}/conversations/new/",
        _form(held_on=tomorrow, summary="   ", channel="fax"),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert {"channel", "summary"} <= set(form.errors)
    with tenant_context(cast.a.neighbourhood):
        assert not SupportConversation.objects.exists()


def test_reading_the_summaries_is_audited_on_the_page_and_the_api(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        ans = participant()
        log_support_conversation(
            participant=ans, by=cast.a.broker.user, channel="office", summary="Intake gedaan."
        )
    client = cast.a.client(cast.a.broker)
    assert (
        "Intake gedaan."
        in client.get(f"/broker/participants/{ans.pk}/conversations/").content.decode()
    )
    listed = client.get(f"/api/v1/support-conversations/?participant={ans.pk}").json()
    assert listed["count"] == 1 and listed["results"][0]["summary"] == "Intake gedaan."
    created = client.post(
        "/api/v1/support-conversations/",
        {"participant": ans.pk, "channel": "phone", "summary": "Nagebeld."},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["count"] == 2
    with tenant_context(cast.a.neighbourhood):
        assert AuditEvent.objects.filter(action="support_conversation.viewed").count() == 2
        assert AuditEvent.objects.filter(action="support_conversation.logged").count() == 2
        assert not AuditEvent.objects.filter(detail__icontains="Intake").exists()


def test_the_audit_of_a_filtered_read_keeps_the_id_only_never_typed_text(cast) -> None:
    # The filter takes an id; anything else typed there (a name, an address) is not recorded.
    client = cast.a.client(cast.a.broker)
    assert client.get("/api/v1/support-conversations/?participant=Jan%20Jans").status_code == 200
    with tenant_context(cast.a.neighbourhood):
        event = AuditEvent.objects.filter(action="support_conversation.viewed").get()
        assert event.detail == {"api": True, "ids": []}
