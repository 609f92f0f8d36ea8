"""A neighbourhood admin's pages and endpoints: settings, branding, staff, audit log, mail."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django_tenants.utils import tenant_context

from tenants.audit.models import AuditEvent
from tenants.outbox.models import OutboxMessage
from tenants.outbox.services import deliver_message
from tests.support.cast import client_for, theme_stylesheet
from tijdvoorelkaar.accounts.models import Role, User

pytestmark = pytest.mark.django_db

MANAGE_PAGES = [
    "/manage/",
    "/manage/settings/",
    "/manage/staff/",
    "/manage/audit/",
    "/manage/outbox/",
]


def _settings_form(neighbourhood, **changes):  # type: ignore[no-untyped-def]
    data = {
        "name": neighbourhood.name,
        "languages": neighbourhood.languages,
        "credit_name": neighbourhood.credit_name,
        "credit_name_singular": neighbourhood.credit_name_singular,
        "reporting_year_start_month": 7,
        "moderation": neighbourhood.moderation,
        "ad_lifetime_weeks": 8,
        "support_conversation_limit": 3,
        "follow_up_weeks": "2,6",
        "broker_phone": neighbourhood.broker_phone,
        "broker_office_hours": "",
        "broker_address": "",
        "accent_colour": "",
        "tagline": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("page", MANAGE_PAGES)
def test_only_the_admin_reaches_the_admin_pages(cast, page: str) -> None:
    assert cast.a.client(cast.a.admin).get(page).status_code == 200
    assert cast.a.client(cast.a.broker).get(page).status_code == 403
    assert cast.a.client(cast.a.resident).get(page).status_code == 403
    anonymous = cast.a.client().get(page)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_the_admin_start_page_links_to_every_admin_page(cast) -> None:
    response = cast.a.client(cast.a.admin).get("/manage/")
    links = {
        "/manage/settings/",
        "/manage/categories/",
        "/manage/sub-areas/",
        "/manage/routing/",
        "/manage/staff/",
        "/manage/audit/",
        "/manage/outbox/",
        "/broker/newsletters/settings/",  # the newsletter's sender, bounce address, day, pace
    }
    for link in links:
        assert f'href="{link}"'.encode() in response.content
        assert cast.a.client(cast.a.admin).get(link).status_code == 200  # each one exists


def test_an_admin_brands_the_site_and_sees_it_at_once(cast) -> None:
    client = cast.a.client(cast.a.admin)
    client.get("/")  # the host lookup is cached now
    response = client.post(
        "/manage/settings/",
        _settings_form(cast.a.neighbourhood, tagline="Samen in Wijk A", accent_colour="#6b2e83"),
    )
    assert response.status_code == 302
    visitor = cast.a.client()
    assert "Samen in Wijk A" in visitor.get("/").content.decode()
    assert "--primary: #6b2e83" in theme_stylesheet(visitor)[1]
    with tenant_context(cast.a.neighbourhood):
        event = AuditEvent.objects.get(action="neighbourhood.settings_changed")
        assert event.actor == cast.a.admin.user
        assert set(event.detail["fields"]) == {"tagline", "accent_colour"}


def test_a_colour_too_light_to_read_is_refused_with_a_reason(cast) -> None:
    response = cast.a.client(cast.a.admin).post(
        "/manage/settings/", _settings_form(cast.a.neighbourhood, accent_colour="#ffee00")
    )
    assert response.status_code == 400
    assert b"4.5:1" in response.content and b'aria-invalid="true"' in response.content


def test_an_admin_cannot_change_the_theme_through_the_api(cast) -> None:
    client = client_for(cast.a.host)
    auth = {"HTTP_AUTHORIZATION": f"Token {cast.a.admin.token}"}
    response = client.patch(
        "/api/v1/neighbourhood/", {"theme": "baksteen"}, content_type="application/json", **auth
    )
    assert response.status_code == 400 and "theme" in response.json()
    ok = client.patch(
        "/api/v1/neighbourhood/",
        {"credits_enabled": True, "credit_name": "Uren"},
        content_type="application/json",
        **auth,
    )
    assert ok.status_code == 200 and ok.json()["credit_name"] == "Uren"


def test_anyone_may_read_the_public_settings_but_only_admins_change_them(cast) -> None:
    client = client_for(cast.a.host)
    public = client.get("/api/v1/neighbourhood/")
    assert public.status_code == 200 and public.json()["broker_phone"] == "030 000 00 00"
    for member in (cast.a.broker, cast.a.resident):
        refused = client.patch(
            "/api/v1/neighbourhood/",
            {"tagline": "x"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Token {member.token}",
        )
        assert refused.status_code == 403


def test_inviting_staff_from_the_page_sends_the_mail_through_the_outbox(
    cast, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.a.client(cast.a.admin).post(
            "/manage/staff/",
            {"full_name": "Fatima", "email": "fatima@wijk-a.test", "role": Role.BROKER},
        )
    assert response.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        assert OutboxMessage.objects.get(to="fatima@wijk-a.test").status == "sent"
        assert not User.objects.get(email="fatima@wijk-a.test").is_active
    assert [m.to for m in mail.outbox] == [["fatima@wijk-a.test"]]


def test_staff_api_invites_changes_roles_and_refuses_non_admins(cast) -> None:
    client = client_for(cast.a.host)
    admin = {"HTTP_AUTHORIZATION": f"Token {cast.a.admin.token}"}
    invited = client.post(
        "/api/v1/staff/",
        {"email": "joost@wijk-a.test", "full_name": "Joost", "role": "broker"},
        **admin,
    )
    assert invited.status_code == 201 and invited.json()["invitation_pending"] is True
    changed = client.patch(
        f"/api/v1/staff/{cast.a.broker.user.pk}/",
        {"role": "admin"},
        content_type="application/json",
        **admin,
    )
    assert changed.status_code == 200 and changed.json()["role"] == "admin"
    listed = client.get("/api/v1/staff/", **admin).json()["results"]
    assert {row["email"] for row in listed} >= {"joost@wijk-a.test", cast.a.admin.user.email}
    assert cast.a.resident.user.email not in {row["email"] for row in listed}
    broker = client.get("/api/v1/staff/", HTTP_AUTHORIZATION=f"Token {cast.a.resident.token}")
    assert broker.status_code == 403
    bad = client.post(
        "/api/v1/staff/", {"email": "nope", "full_name": "", "role": "resident"}, **admin
    )
    assert bad.status_code == 400 and {"email", "full_name", "role"} <= set(bad.json())


def test_a_failed_mail_can_be_retried_from_the_outbox_page(
    cast, settings, django_capture_on_commit_callbacks
) -> None:
    with tenant_context(cast.a.neighbourhood):
        message = OutboxMessage.objects.create(
            to="x@wijk-a.test", subject="s", body="b", purpose="test", status="failed", attempts=5
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = cast.a.client(cast.a.admin).post("/manage/outbox/", {"message": message.pk})
    assert response.status_code == 302
    with tenant_context(cast.a.neighbourhood):
        message.refresh_from_db()
        assert message.status == "sent"


def test_reading_the_outbox_with_its_addresses_is_written_to_the_audit_log(cast) -> None:
    assert cast.a.client(cast.a.admin).get("/manage/outbox/").status_code == 200
    with tenant_context(cast.a.neighbourhood):
        event = AuditEvent.objects.get(action="outbox.viewed")
    assert event.actor == cast.a.admin.user
    log = cast.a.client(cast.a.admin).get("/manage/audit/").content.decode()
    assert "outbox.viewed" in log


def test_the_outbox_page_shows_what_waits_is_retried_or_failed_and_why(
    cast, monkeypatch, django_assert_max_num_queries
) -> None:
    # Given one message waiting, two failed attempts of a mail server that is down, and one
    # refused for good
    monkeypatch.setattr("django.core.mail.EmailMessage.send", _refuse_with(451, b"4.3.0 busy"))
    with tenant_context(cast.a.neighbourhood):
        waiting, retrying = (_mail(f"{name}@wijk-a.test") for name in ("wacht", "later"))
        deliver_message(retrying.pk)
        monkeypatch.setattr(
            "django.core.mail.EmailMessage.send", _refuse_with(550, b"5.1.1 <weg@wijk-a.test>")
        )
        failed = _mail("weg@wijk-a.test")
        deliver_message(failed.pk)
        retrying.refresh_from_db()
    client = cast.a.client(cast.a.admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.get("/")  # a staff session's first request writes its clock (staff_sessions.py)

    # When the admin looks at the mail that is being retried
    with django_assert_max_num_queries(12):
        response = client.get("/manage/outbox/?state=retrying")

    # Then the page counts each state and lists the retried one: when next, and why
    page = response.content.decode()
    assert {k: v for k, v in response.context["counts"].items() if v} == {
        "waiting": 1,
        "retrying": 1,
        "failed": 1,
    }
    assert [m.pk for m in response.context["page"]] == [retrying.pk]
    assert "last error: SMTPRecipientsRefused 451 4.3.0" in page
    next_attempt = date_format(localtime(retrying.next_attempt_at), "DATETIME_FORMAT")
    assert f"next attempt {next_attempt}" in page
    failed_page = client.get("/manage/outbox/?state=failed").content.decode()
    assert "last error: SMTPRecipientsRefused 550 5.1.1" in failed_page
    assert "&lt;weg@wijk-a.test&gt;" not in failed_page  # the server's words stay out
    assert waiting.pk in [m.pk for m in client.get("/manage/outbox/").context["page"]]


def _mail(to: str) -> OutboxMessage:
    return OutboxMessage.objects.create(to=to, subject="s", body="b", purpose="test")


def _refuse_with(code: int, text: bytes):  # type: ignore[no-untyped-def]
    def send(self, fail_silently=False):  # type: ignore[no-untyped-def]
        raise smtplib.SMTPRecipientsRefused({self.to[0]: (code, text)})

    return send
