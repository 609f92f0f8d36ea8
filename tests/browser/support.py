"""What the browser tests share: how to reach the live site, who is in it, and the checks
(theme colours from the manifests, texts as the Dutch pages show them, axe-core)."""

from __future__ import annotations

import re
import tomllib
from contextlib import nullcontext
from dataclasses import dataclass

from axe_playwright_python.base import AXE_SCRIPT
from django.conf import settings
from django.utils import translation
from django_tenants.utils import tenant_context
from playwright.sync_api import Page, expect

from tests.support.cast import PASSWORD, next_totp_code, totp_device
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.accounts.services import accept_invitation, invite_user
from tijdvoorelkaar.accounts.tokens import invitation_tokens
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Straight to the IPv4 loopback the server listens on, never a try at ::1 first.
    "--host-resolver-rules=MAP localhost 127.0.0.1, MAP *.localhost 127.0.0.1",
]
SLUG_PREFIX = "e2e-"  # every neighbourhood these tests create; removed at module end
OPERATOR_EMAIL = "operator@browser.test"
PHONE = {"width": 375, "height": 667}
SERIOUS_IMPACTS = frozenset({"serious", "critical"})


@dataclass(frozen=True)
class Site:
    """A neighbourhood the browser visits, and what its pages should show."""

    name: str
    slug: str
    host: str
    theme: str
    phone: str
    credit_name: str | None


@dataclass(frozen=True)
class BrowserCast:
    utrecht: Site
    breda: Site
    operator_email: str
    password: str


def theme_colour(theme: str, colour: str = "primary") -> str:
    """A colour as the theme's manifest states it (read here, not through the registry)."""
    manifest = settings.THEMES_DIR / theme / "manifest.toml"
    return tomllib.loads(manifest.read_text())["colours"][colour].lower()


def in_dutch(text: str) -> str:
    """What a Dutch page shows for `text`: its translation, or the msgid if there is none."""
    with translation.override("nl"):
        return translation.gettext(text)


def serious_violations(page: Page, rules: tuple[str, ...] = ()) -> list[dict]:
    """axe-core on the page as it is now (all rules, or only `rules`): its serious and
    critical violations. axe is put into a page once per load, not once per run: the sweep
    runs it at three widths on one load."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    options: dict[str, object] = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": list(rules)}
    violations = page.evaluate("options => axe.run(document, options)", options)["violations"]
    return [v for v in violations if v.get("impact") in SERIOUS_IMPACTS]


def describe_violation(violation: dict, nodes: int | None = None) -> str:
    """A violation and where (its first `nodes` elements, or all), as a failure shows it."""
    return f"- {violation['id']} ({violation['impact']}): {violation['help']}\n" + "\n".join(
        f"    {', '.join(map(str, n['target']))}: {n['html']}" for n in violation["nodes"][:nodes]
    )


def assert_accessible(page: Page, what: str) -> None:
    """axe-core on the page as it is now: no serious or critical violations."""
    serious = serious_violations(page)
    report = "\n".join(describe_violation(v) for v in serious)
    assert not serious, f"axe-core on {what} ({page.url}):\n{report}"


def new_broker(email: str, *, invited_by: User) -> User:
    """A broker of the neighbourhood whose schema is active: invited, the invitation accepted
    with the test password, and an authenticator for the code step (`log_in`)."""
    broker = invite_user(email=email, full_name="Makelaar", role=Role.BROKER, invited_by=invited_by)
    accept_invitation(user=broker, token=invitation_tokens.make_token(broker), password=PASSWORD)
    totp_device(broker)
    return broker


def code_for(email: str, neighbourhood: Neighbourhood | None = None) -> str:
    """A two-step code the user's authenticator (made with the test key if missing) shows now."""
    with tenant_context(neighbourhood) if neighbourhood is not None else nullcontext():
        return next_totp_code(totp_device(User.objects.get(email=email)))


def complete_code_step(page: Page, email: str, neighbourhood: Neighbourhood | None = None) -> None:
    """On the code page after the password: type the current code and continue."""
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
    expect(page.locator("#id_code")).to_be_focused()
    page.keyboard.type(code_for(email, neighbourhood))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def log_in(
    page: Page,
    url: str,
    email: str,
    password: str,
    neighbourhood: Neighbourhood | None = None,
) -> None:
    """Log in at `url` (a login page) with the password, and for staff and operators also
    the code step (their authenticator is made with the test key when they have none)."""
    user_needs_code = _needs_code(email, neighbourhood)
    if user_needs_code:
        code_for(email, neighbourhood)  # makes the device before the code page asks
    page.goto(url)
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")
    if user_needs_code:
        complete_code_step(page, email, neighbourhood)


def _needs_code(email: str, neighbourhood: Neighbourhood | None) -> bool:
    from tijdvoorelkaar.accounts.twofactor import needs_two_factor

    with tenant_context(neighbourhood) if neighbourhood is not None else nullcontext():
        return needs_two_factor(User.objects.get(email=email))
