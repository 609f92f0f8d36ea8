"""The named cast: neighbourhoods A and B, each with an admin, a broker and a resident, and an
operator on the platform; clients bound to a host and logged in as one of them.

The cast is built through the real services (provisioning, invitations), so tests exercise
the rules they depend on. `tests/conftest.py` builds it once per session (`build_cast`).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import tenant_context
from rest_framework.authtoken.models import Token

from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.accounts.services import accept_invitation, invite_user
from tijdvoorelkaar.accounts.tokens import invitation_tokens
from tijdvoorelkaar.accounts.twofactor import needs_two_factor
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.services import NeighbourhoodSpec, provision_neighbourhood

PASSWORD = "correct-horse-battery"  # noqa: S105 - test fixture
PLATFORM_HOST = "localhost"
TOTP_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test key; test users only


@dataclass
class Member:
    user: User
    token: str


@dataclass
class Place:
    """One neighbourhood of the cast with its admin, broker and resident."""

    neighbourhood: Neighbourhood
    host: str
    admin: Member
    broker: Member
    resident: Member

    def client(self, member: Member | None = None) -> Client:
        return client_for(self.host, self.neighbourhood, member)


@dataclass
class Cast:
    a: Place
    b: Place
    operator: Member


def build_cast() -> Cast:
    """Both neighbourhoods and the operator (call with the database unblocked)."""
    a = build_place("wijk-a", theme="kade")
    b = build_place("wijk-b", theme="baksteen")
    operator = User.objects.create_user("operator@platform.test", PASSWORD, role=Role.OPERATOR)
    return Cast(a=a, b=b, operator=Member(operator, Token.objects.create(user=operator).key))


def spec_for(slug: str, **overrides: object) -> NeighbourhoodSpec:
    values: dict[str, object] = {
        "name": slug.replace("-", " ").title(),
        "slug": slug,
        "domains": [f"{slug}.test"],
        "admin_email": f"admin@{slug}.test",
        "admin_name": f"Admin {slug}",
    }
    values.update(overrides)
    return NeighbourhoodSpec(**values)  # type: ignore[arg-type]


def activate(user: User) -> User:
    return accept_invitation(user=user, token=invitation_tokens.make_token(user), password=PASSWORD)


def build_place(slug: str, theme: str) -> Place:
    spec = spec_for(slug, theme=theme, broker_phone="030 000 00 00")
    neighbourhood = provision_neighbourhood(spec=spec)
    with tenant_context(neighbourhood):
        admin = activate(User.objects.get(email=spec.admin_email))
        broker = activate(
            invite_user(
                email=f"broker@{slug}.test", full_name="Broker", role=Role.BROKER, invited_by=admin
            )
        )
        resident = User.objects.create_user(
            f"resident@{slug}.test", PASSWORD, full_name="Resident", role=Role.RESIDENT
        )
        members = [Member(u, Token.objects.create(user=u).key) for u in (admin, broker, resident)]
        for staff in (admin, broker):
            totp_device(staff)  # staff have an authenticator, as after their first login
    return Place(neighbourhood, spec.domains[0], *members)


def totp_device(user: User) -> TOTPDevice:
    """The user's confirmed authenticator (made with the fixed test key if missing), in the
    current schema."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(
        user=user, name="authenticator", key=TOTP_KEY, confirmed=True
    )


def next_totp_code(device: TOTPDevice) -> str:
    """A code the device accepts now: the current one, or (when the current time step was
    already used, e.g. by a login a moment ago) the next one, which is within tolerance."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    step = max(totp.t(), device.last_t + 1)
    totp.time = device.t0 + step * device.step
    return f"{totp.token():0{device.digits}d}"


def client_for(
    host: str, neighbourhood: Neighbourhood | None = None, member: Member | None = None
) -> Client:
    """A test client that talks to `host`, logged in as `member` (in that host's schema).
    Staff and operators get a session that has passed the second step, as after a code."""
    client = Client(HTTP_HOST=host)
    if member is not None:
        if neighbourhood is None:
            force_login_verified(client, member.user)
        else:
            with tenant_context(neighbourhood):
                force_login_verified(client, member.user)
    return client


def force_login_verified(client: Client, user: User) -> None:
    """`client.force_login(user)`, plus the second step for staff and operators (call it
    inside the user's schema). Use it instead of force_login for staff."""
    client.force_login(user)
    if needs_two_factor(user):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id  # as django_otp.login
        session.save()


THEME_STYLESHEET = re.compile(r'<link rel="stylesheet" href="(/theme\.css\?v=[0-9a-f]{12})">')


def theme_stylesheet(client: Client, page: str = "/") -> tuple[str, str]:
    """The theme colours' stylesheet (/theme.css) that `page` links to: its address and text."""
    address = THEME_STYLESHEET.search(client.get(page).content.decode())
    assert address is not None, f"{page} links no /theme.css"
    response = client.get(address.group(1))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/css")
    return address.group(1), response.content.decode()
