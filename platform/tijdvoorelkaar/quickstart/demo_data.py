"""The demo: two neighbourhoods, an operator and an admin in each. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass

from django_tenants.utils import tenant_context

from tijdvoorelkaar.accounts.models import User
from tijdvoorelkaar.accounts.services import accept_invitation, create_operator
from tijdvoorelkaar.accounts.tokens import invitation_tokens
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.neighbourhoods.services import NeighbourhoodSpec, provision_neighbourhood

DEMO_PASSWORD = "demo-wachtwoord"  # noqa: S105 - published on purpose, demo only
OPERATOR_EMAIL = "operator@tijdvoorelkaar.test"


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


def ensure_demo(port: str) -> list[DemoLogin]:
    """Create what is missing of the demo and return the logins to print."""
    logins = [DemoLogin(f"http://localhost:{port}/", OPERATOR_EMAIL, "operator")]
    if not User.objects.filter(email=OPERATOR_EMAIL).exists():
        create_operator(email=OPERATOR_EMAIL, password=DEMO_PASSWORD, full_name="Stichting (demo)")
    for spec in DEMO_NEIGHBOURHOODS:
        neighbourhood = Neighbourhood.objects.filter(slug=spec.slug).first()
        if neighbourhood is None:
            neighbourhood = provision_neighbourhood(spec=NeighbourhoodSpec(**spec.as_dict()))
        with tenant_context(neighbourhood):
            admin = User.objects.get(email=spec.admin_email)
            if not admin.has_usable_password():  # the demo accepts the invitation itself
                token = invitation_tokens.make_token(admin)
                accept_invitation(user=admin, token=token, password=DEMO_PASSWORD)
        logins.append(DemoLogin(f"http://{spec.domains[0]}:{port}/", spec.admin_email, "admin"))
    return logins
