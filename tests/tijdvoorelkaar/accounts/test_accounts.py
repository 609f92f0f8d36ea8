"""Accounts: invitations, logins that only count where they were made, throttling, tokens."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation
from django_tenants.utils import tenant_context

from tests.support.cast import PASSWORD, client_for, next_totp_code, totp_device
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.accounts.services import change_role, invite_user, set_active

pytestmark = pytest.mark.django_db


def _invite(cast, django_capture_on_commit_callbacks, email="nieuw@wijk-a.test") -> str:  # type: ignore[no-untyped-def]
    with tenant_context(cast.a.neighbourhood), django_capture_on_commit_callbacks(execute=True):
        invite_user(
            email=email, full_name="Nieuwe Makelaar", role=Role.BROKER, invited_by=cast.a.admin.user
        )
    [message] = [m for m in mail.outbox if email in m.to]
    return re.search(r"http://wijk-a\.test(/accounts/invitation/\S+/)", message.body).group(1)


def _open(client, link: str) -> str:  # type: ignore[no-untyped-def]
    """Follow an invitation link; returns the page's own URL, which no longer holds the token."""
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"].endswith("/choose-password/")
    assert client.get(response["Location"]).status_code == 200
    return response["Location"]


def test_an_invitation_link_sets_a_password_once_and_logs_in(
    cast, django_capture_on_commit_callbacks
) -> None:
    link = _invite(cast, django_capture_on_commit_callbacks)
    client = cast.a.client()
    page = _open(client, link)
    response = client.post(
        page, {"password": "een-lang-wachtwoord", "password_again": "een-lang-wachtwoord"}
    )
    assert response.status_code == 302
    assert response.wsgi_request.user.email == "nieuw@wijk-a.test"
    with tenant_context(cast.a.neighbourhood):
        assert User.objects.get(email="nieuw@wijk-a.test").is_active
    assert cast.a.client().get(link).status_code == 400  # used once


def test_the_invitation_greets_the_invited_person_by_name(
    cast, django_capture_on_commit_callbacks
) -> None:
    _invite(cast, django_capture_on_commit_callbacks)
    [message] = [m for m in mail.outbox if "nieuw@wijk-a.test" in m.to]
    with translation.override(cast.a.neighbourhood.default_language):
        greeting = translation.gettext("Hello %(name)s,") % {"name": "Nieuwe Makelaar"}
    assert message.body.startswith(greeting + "\n\n"), message.body[:80]


def test_a_weak_or_mismatched_password_is_refused_with_a_reason(
    cast, django_capture_on_commit_callbacks
) -> None:
    link = _invite(cast, django_capture_on_commit_callbacks)
    client = cast.a.client()
    page = _open(client, link)
    weak = client.post(page, {"password": "12345", "password_again": "12345"})
    assert weak.status_code == 400 and b'aria-invalid="true"' in weak.content
    assert link.split("/")[-2] not in weak.wsgi_request.path  # the token is not in the URL
    differ = client.post(
        page, {"password": "een-lang-wachtwoord", "password_again": "iets-anders-123"}
    )
    assert differ.status_code == 400
    with tenant_context(cast.a.neighbourhood):
        assert not User.objects.get(email="nieuw@wijk-a.test").is_active


def test_withdrawing_an_invitation_makes_its_link_useless(
    cast, django_capture_on_commit_callbacks
) -> None:
    link = _invite(cast, django_capture_on_commit_callbacks)
    with tenant_context(cast.a.neighbourhood):
        invitee = User.objects.get(email="nieuw@wijk-a.test")
        set_active(user=invitee, active=False, changed_by=cast.a.admin.user)
    assert cast.a.client().get(link).status_code == 400


def test_an_accepted_invitation_is_not_sent_again(cast) -> None:
    response = client_for(cast.a.host).post(
        f"/api/v1/staff/{cast.a.broker.user.pk}/resend_invitation/",
        HTTP_AUTHORIZATION=f"Token {cast.a.admin.token}",
    )
    assert response.status_code == 400


def test_an_invitation_link_only_works_in_its_own_neighbourhood(
    cast, django_capture_on_commit_callbacks
) -> None:
    link = _invite(cast, django_capture_on_commit_callbacks)
    assert cast.b.client().get(link).status_code == 400


def test_logging_in_works_on_its_own_domain_only(cast) -> None:
    credentials = {"username": cast.a.broker.user.email, "password": PASSWORD}
    assert cast.a.client().post("/accounts/login/", credentials).status_code == 302
    refused = cast.b.client().post("/accounts/login/", credentials)
    assert refused.status_code == 400
    assert refused.wsgi_request.user.is_anonymous


def test_failed_logins_are_throttled_even_for_the_right_password(cast) -> None:
    client = cast.a.client()
    wrong = {"username": cast.a.resident.user.email, "password": "fout"}
    for _attempt in range(4):
        assert client.post("/accounts/login/", wrong).status_code == 400
    assert client.post("/accounts/login/", wrong).status_code == 429  # the fifth locks
    locked = client.post(
        "/accounts/login/", {"username": cast.a.resident.user.email, "password": PASSWORD}
    )
    assert locked.status_code == 429
    # The lock is per neighbourhood: the same address elsewhere is untouched.
    assert cast.b.client().post("/accounts/login/", wrong).status_code == 400


def test_an_api_token_is_issued_for_good_credentials_only(cast) -> None:
    client = client_for(cast.a.host)
    good = client.post(
        "/api/v1/auth/token/", {"username": cast.a.resident.user.email, "password": PASSWORD}
    )
    assert good.status_code == 200 and good.json()["token"] == cast.a.resident.token
    # Staff also need their two-step code (tests/tijdvoorelkaar/accounts/test_two_factor.py).
    with tenant_context(cast.a.neighbourhood):
        code = next_totp_code(totp_device(cast.a.broker.user))
    staff = client.post(
        "/api/v1/auth/token/",
        {"username": cast.a.broker.user.email, "password": PASSWORD, "otp_code": code},
    )
    assert staff.status_code == 200 and staff.json()["token"] == cast.a.broker.token
    bad = client.post(
        "/api/v1/auth/token/", {"username": cast.a.broker.user.email, "password": "fout"}
    )
    assert bad.status_code == 400


def test_a_neighbourhood_keeps_at_least_one_active_admin(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        with pytest.raises(ValidationError):
            change_role(user=cast.a.admin.user, role=Role.BROKER, changed_by=cast.a.admin.user)
        with pytest.raises(ValidationError):
            set_active(user=cast.a.admin.user, active=False, changed_by=cast.a.admin.user)
        change_role(user=cast.a.broker.user, role=Role.ADMIN, changed_by=cast.a.admin.user)
        change_role(user=cast.a.admin.user, role=Role.BROKER, changed_by=cast.a.broker.user)
        assert User.objects.get(pk=cast.a.admin.user.pk).role == Role.BROKER


def test_there_are_no_operators_inside_a_neighbourhood(cast) -> None:
    with tenant_context(cast.a.neighbourhood), pytest.raises(ValidationError):
        invite_user(email="x@wijk-a.test", full_name="X", role=Role.OPERATOR, invited_by=None)


def test_an_address_is_invited_once(cast) -> None:
    with tenant_context(cast.a.neighbourhood), pytest.raises(ValidationError) as caught:
        invite_user(
            email=cast.a.broker.user.email.upper(),
            full_name="Dubbel",
            role=Role.BROKER,
            invited_by=None,
        )
    assert "email" in caught.value.message_dict


def test_deleting_accounts_never_reaches_across_schemas(cast) -> None:
    # User lives in every schema; audit events only in neighbourhoods, jobs only in public.
    from tijdvoorelkaar.neighbourhoods.models import ProvisioningJob

    operator = User.objects.create_user("tijdelijk@platform.test", role=Role.OPERATOR)
    job = ProvisioningJob.objects.create(request={"slug": "x"}, requested_by=operator)
    with tenant_context(cast.a.neighbourhood):
        namesake = User.objects.create_user("bewoner@wijk-a.test")
        User.objects.filter(pk=namesake.pk).update(id=operator.pk + 1000)
        User.objects.get(pk=operator.pk + 1000).delete()
    job.refresh_from_db()
    assert job.requested_by_id == operator.pk  # untouched by a neighbourhood's deletion
    operator.delete()  # the public schema has no audit table to cascade into
    assert not User.objects.filter(email="tijdelijk@platform.test").exists()
