"""The demo: two neighbourhoods, an operator, an admin and a broker in each, and each app's
demo content. Idempotent."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import tenant_context

from tenants.organisations.models import Organisation
from tenants.organisations.services import add_organisation_member
from tenants.people.models import Participant
from tenants.people.services.participants import register_participant
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.accounts.services import accept_invitation, create_operator, invite_user
from tijdvoorelkaar.accounts.tokens import invitation_tokens
from tijdvoorelkaar.contributions import hooks
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.services import NeighbourhoodSpec, provision_neighbourhood

DEMO_PASSWORD = "demo-wachtwoord"  # noqa: S105 - published on purpose, demo only
OPERATOR_EMAIL = "operator@tijdvoorelkaar.test"
# Demo staff log in with two steps like real staff. Published on purpose, demo only: add this
# key to an authenticator app (one entry serves every demo login), or use a recovery code.
DEMO_TOTP_SECRET = "TIJDVOORELKAARDEMOTIJDVOORELKAAR"  # noqa: S105 - base32, 20 bytes
DEMO_RECOVERY_CODES = [str(digit) * 8 for digit in range(1, 10)]  # 11111111 … 99999999


# A member of an organisation with a login, where credits are on: rewards its volunteers at
# /credits/organisations/<id>/reward/ and makes offers (contact person of its organisation).
DEMO_MEMBER = {"utrecht-zuid": ("Scouting Lunetten", "scouting", "Joke Verhoef")}


@dataclass(frozen=True)
class DemoLogin:
    url: str
    email: str
    role: str


DEMO_NEIGHBOURHOODS = [
    NeighbourhoodSpec(
        name="Utrecht Zuid",
        slug="utrecht-zuid",
        domains=["utrecht-zuid.localhost"],
        admin_email="beheer@utrecht-zuid.test",
        admin_name="Portes (beheer)",
        theme="kade",
        languages=["nl", "en"],
        credits_enabled=True,
        credit_name="Roosjes",
        reporting_year_start_month=7,
        broker_phone="030 123 45 67",
        broker_office_hours="ma, wo en do 9.00–12.00",
        broker_address="Buurthuis Lunetten, Hondsrug 1, Utrecht",
    ),
    NeighbourhoodSpec(
        name="Breda Hoge Vucht",
        slug="breda-hoge-vucht",
        domains=["breda-hoge-vucht.localhost"],
        admin_email="beheer@breda-hoge-vucht.test",
        admin_name="Zet (beheer)",
        theme="baksteen",
        languages=["nl"],
        credits_enabled=False,
        reporting_year_start_month=1,
        moderation="before",
        broker_phone="076 765 43 21",
        broker_office_hours="di en vr 10.00–13.00",
        broker_address="Wijkcentrum Hoge Vucht, Breda",
    ),
]


def add_demo_content(neighbourhood: Neighbourhood) -> None:
    """Let each neighbourhood app add its demo content, once: the `demo` its contributions
    declare, in the order of TENANT_APPS (people before the ads that name them)."""
    if Participant.objects.exists():
        return
    with transaction.atomic():
        for add_demo_data in hooks("demo"):
            add_demo_data(neighbourhood)


def ensure_demo_two_factor(user: User) -> None:
    """The demo's published authenticator key and recovery codes for a demo staff login;
    spent recovery codes come back each time the demo starts."""
    key = base64.b32decode(DEMO_TOTP_SECRET).hex()
    TOTPDevice.objects.filter(user=user).exclude(key=key, confirmed=True).delete()
    TOTPDevice.objects.get_or_create(
        user=user, key=key, confirmed=True, defaults={"name": "authenticator (demo)"}
    )
    recovery, _created = StaticDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "recovery codes (demo)"}
    )
    recovery.token_set.all().delete()
    StaticToken.objects.bulk_create(
        StaticToken(device=recovery, token=code) for code in DEMO_RECOVERY_CODES
    )


def ensure_demo(port: str) -> list[DemoLogin]:
    """Create what is missing of the demo and return the logins to print."""
    logins = [DemoLogin(f"http://localhost:{port}/", OPERATOR_EMAIL, "operator")]
    if not User.objects.filter(email=OPERATOR_EMAIL).exists():
        create_operator(email=OPERATOR_EMAIL, password=DEMO_PASSWORD, full_name="Stichting (demo)")
    ensure_demo_two_factor(User.objects.get(email=OPERATOR_EMAIL))
    for spec in DEMO_NEIGHBOURHOODS:
        neighbourhood = Neighbourhood.objects.filter(slug=spec.slug).first()
        if neighbourhood is None:
            neighbourhood = provision_neighbourhood(spec=NeighbourhoodSpec(**spec.as_dict()))
        with tenant_context(neighbourhood):
            admin = User.objects.get(email=spec.admin_email)
            if not admin.has_usable_password():  # the demo accepts the invitation itself
                token = invitation_tokens.make_token(admin)
                accept_invitation(user=admin, token=token, password=DEMO_PASSWORD)
            broker_email = f"makelaar@{spec.admin_email.split('@')[1]}"
            if not User.objects.filter(email=broker_email).exists():
                broker = invite_user(
                    email=broker_email,
                    full_name="Makelaar (demo)",
                    role=Role.BROKER,
                    invited_by=admin,
                )
                accept_invitation(
                    user=broker, token=invitation_tokens.make_token(broker), password=DEMO_PASSWORD
                )
            for staff in User.objects.filter(email__in=[spec.admin_email, broker_email]):
                ensure_demo_two_factor(staff)
            add_demo_content(neighbourhood)
            member_email = ensure_demo_member(neighbourhood, admin)
        site = f"http://{spec.domains[0]}:{port}/"
        logins += [
            DemoLogin(site, spec.admin_email, "admin"),
            DemoLogin(site, broker_email, "broker"),
        ]
        if member_email:
            logins.append(DemoLogin(site, member_email, "member"))
    return logins


def ensure_demo_member(neighbourhood: Neighbourhood, admin: User) -> str:
    """The neighbourhood's demo organisation member, made if missing: a login with the
    organisation role, the participant it signs in as, a member of its organisation.
    Returns the login's e-mail address, or "" where the demo has none."""
    if neighbourhood.slug not in DEMO_MEMBER:
        return ""
    organisation_name, mailbox, full_name = DEMO_MEMBER[neighbourhood.slug]
    email = f"{mailbox}@{admin.email.split('@')[1]}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = invite_user(
            email=email, full_name=full_name, role=Role.ORGANISATION, invited_by=admin
        )
        accept_invitation(
            user=user, token=invitation_tokens.make_token(user), password=DEMO_PASSWORD
        )
    participant = Participant.objects.filter(user=user).first() or register_participant(
        user=user, display_name=full_name, email=email, registered_by=admin
    )
    organisation = Organisation.objects.get(name=organisation_name)
    if not organisation.members.filter(pk=participant.pk).exists():
        add_organisation_member(organisation=organisation, participant=participant, by=admin)
    return email
