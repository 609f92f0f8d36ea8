"""What a signed-in request costs before any view runs, and that reading the user and the
second step's device in one query (accounts/signed_in.py) keeps every check: a deactivated
account, a new password, a device reset or another user's device end the session or its
second step at once."""

from __future__ import annotations

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import tenant_context

from tests.support.cast import totp_device
from tijdvoorelkaar import urls_neighbourhood
from tijdvoorelkaar.accounts.models import User
from tijdvoorelkaar.accounts.services import set_active
from tijdvoorelkaar.accounts.signed_in import ACCOUNT_BACKEND, DJANGO_MODEL_BACKEND, _read

pytestmark = pytest.mark.django_db

BARE = "/signed-in-bare/"


def bare(request: HttpRequest) -> HttpResponse:
    """No query of its own: what remains is the request's (and `user` makes the user read)."""
    return HttpResponse("staff" if request.user.is_verified() else "other")  # type: ignore[union-attr]


urlpatterns = [path(BARE.lstrip("/"), bare), *urls_neighbourhood.urlpatterns]


@pytest.fixture
def bare_view(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ROOT_URLCONF = __name__


def _queries_of(client: Client) -> list[str]:
    client.get(BARE)  # a first request: the staff session's clock is written once a minute
    with CaptureQueriesContext(connections["default"]) as captured:
        response = client.get(BARE)
    assert response.status_code == 200
    return [q["sql"] for q in captured if not q["sql"].startswith("SET search_path")]


def test_a_verified_staff_request_reads_its_user_and_device_in_one_query(cast, bare_view) -> None:
    client = cast.a.client(cast.a.broker)
    [query] = _queries_of(client)  # was two: the user, then the device
    assert '"otp_totp_totpdevice"' in query and '"accounts_user"' in query
    assert client.get(BARE).content == b"staff"


def test_a_residents_request_reads_the_user_alone_and_an_anonymous_one_nothing(
    cast, bare_view
) -> None:
    [query] = _queries_of(cast.a.client(cast.a.resident))
    assert '"accounts_user"' in query and "otp_" not in query
    assert _queries_of(cast.a.client()) == []


def test_a_deactivated_staff_member_is_signed_out_at_once(cast) -> None:
    client = cast.a.client(cast.a.broker)
    assert client.get("/broker/").status_code == 200
    with tenant_context(cast.a.neighbourhood):
        broker = User.objects.get(pk=cast.a.broker.user.pk)
        set_active(user=broker, active=False, changed_by=cast.a.admin.user)
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert client.get("/broker/").status_code == 302


def test_a_new_password_ends_the_other_verified_sessions(cast) -> None:
    client = cast.a.client(cast.a.broker)
    assert client.get("/broker/").status_code == 200
    with tenant_context(cast.a.neighbourhood):
        user = User.objects.get(pk=cast.a.broker.user.pk)
        user.set_password("another long password 42")
        user.save(update_fields=["password"])
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert client.get("/broker/").status_code == 302


def test_a_device_of_someone_else_or_unconfirmed_does_not_verify_a_session(cast) -> None:
    client = cast.a.client(cast.a.broker)
    with tenant_context(cast.a.neighbourhood):
        admins = totp_device(cast.a.admin.user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = admins.persistent_id
        session.save()
    assert not client.get("/").wsgi_request.user.is_verified()
    with tenant_context(cast.a.neighbourhood):  # forgotten, as django-otp does
        assert DEVICE_ID_SESSION_KEY not in client.session

    client = cast.a.client(cast.a.broker)
    assert client.get("/").wsgi_request.user.is_verified()
    with tenant_context(cast.a.neighbourhood):
        TOTPDevice.objects.filter(user=cast.a.broker.user).update(confirmed=False)
    assert not client.get("/").wsgi_request.user.is_verified()
    assert client.get("/broker/").status_code == 302


def test_a_session_from_before_the_account_backend_stays_signed_in(cast) -> None:
    client = cast.a.client(cast.a.broker)
    with tenant_context(cast.a.neighbourhood):
        session = client.session
        assert session[BACKEND_SESSION_KEY] == ACCOUNT_BACKEND
        session[BACKEND_SESSION_KEY] = DJANGO_MODEL_BACKEND  # as Django's login wrote it
        session.save()
    assert client.get("/broker/").status_code == 200
    with tenant_context(cast.a.neighbourhood):
        assert client.session[BACKEND_SESSION_KEY] == ACCOUNT_BACKEND


def test_the_join_compiled_once_reads_what_the_orm_reads(cast) -> None:
    with tenant_context(cast.a.neighbourhood):
        broker = User.objects.get(pk=cast.a.broker.user.pk)
        totp = totp_device(broker)
        recovery = StaticDevice.objects.create(user=broker, name="recovery codes", confirmed=True)
        for device in (totp, recovery):
            model = type(device)
            read = _read(model, device_id=device.pk, user_id=broker.pk)
            assert read is not None
            orm = model.objects.select_related("user").get(pk=device.pk)
            assert _fields(read) == _fields(orm) and _fields(read.user) == _fields(orm.user)
            assert not read._state.adding and not read.user._state.adding
            assert _read(model, device_id=device.pk, user_id=cast.a.admin.user.pk) is None


def _fields(instance) -> list[object]:  # type: ignore[no-untyped-def]
    return [getattr(instance, field.attname) for field in instance._meta.concrete_fields]
