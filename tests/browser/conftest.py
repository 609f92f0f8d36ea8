"""Browser tests: a real HTTP server in a thread, one headless Chromium, committed data.

The server thread has its own database connections, so it sees only committed rows. The
data these tests need is therefore built through the real services in a module fixture,
outside any test transaction, and removed again afterwards. Tests carry a plain
(non-transactional) `django_db` mark: it makes pytest-django create the test database when
only browser tests are selected, and lets the server thread reach the database while a
test runs. Never `transaction=True` here: its flush would wipe the session's neighbourhoods.

Pages are reached by host name, as in production: `localhost` is the platform console,
`<slug>.localhost` a neighbourhood (Chromium resolves every *.localhost to loopback).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

from tests.browser.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    OPERATOR_EMAIL,
    SLUG_PREFIX,
    BrowserCast,
    Site,
)
from tests.support.cast import PASSWORD, totp_device
from tests.support.live_server import LiveSite
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood, ProvisioningJob
from tijdvoorelkaar.neighbourhoods.services import (
    NeighbourhoodSpec,
    delete_neighbourhood,
    provision_neighbourhood,
)
from tijdvoorelkaar.quickstart.demo_data import DEMO_NEIGHBOURHOODS

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.fixture(scope="module")
def _orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API leaves its asyncio loop marked as running in this thread while
    it is started, and Django then refuses ORM calls here (SynchronousOnlyOperation). The
    calls stay synchronous, so allow them, but only while this module's Playwright runs:
    once it stops the mark is gone and later test modules get Django's check back."""
    before = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    yield
    if before is None:
        del os.environ[ASYNC_UNSAFE]
    else:
        os.environ[ASYNC_UNSAFE] = before


@pytest.fixture(scope="module")
def browser(_orm_beside_playwright: None, live_site: LiveSite) -> Iterator[Browser]:
    """Headless Chromium, one per test module (see `_orm_beside_playwright` for why not one
    per session). It closes before the server it talks to."""
    if not Path(CHROMIUM).is_file():
        message = f"Chromium not found at {CHROMIUM}: apt-get install chromium (see .ci/run)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
        # While Playwright runs, Django stores this thread's connections per asyncio context
        # (the loop counts as running), not per thread. Dropping the test database at the
        # end, with Playwright gone, would not find them: close them while it still can.
        connections.close_all()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile per test (no cookies carried over), in Dutch. The test fails
    if any of its pages broke the Content-Security-Policy (Chromium says so on the console)."""
    ctx = browser.new_context(locale="nl-NL")
    ctx.set_default_timeout(10_000)
    violations: list[str] = []
    ctx.on("console", lambda message: _note_csp_violation(message, violations))
    yield ctx
    ctx.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


def _note_csp_violation(message: ConsoleMessage, violations: list[str]) -> None:
    if "Content Security Policy" in message.text:
        violations.append(f"{message.page.url if message.page else '?'}: {message.text}")


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def _demo_spec(demo_slug: str, slug: str) -> NeighbourhoodSpec:
    """A copy of a demo neighbourhood under a slug and domain of its own, Dutch only."""
    demo = next(spec for spec in DEMO_NEIGHBOURHOODS if spec.slug == demo_slug)
    return NeighbourhoodSpec(
        **{
            **demo.as_dict(),
            "slug": slug,
            "domains": [f"{slug}.localhost"],
            "admin_email": f"beheer@{slug}.test",
            "languages": ["nl"],
        }
    )


def _site(spec: NeighbourhoodSpec) -> Site:
    return Site(
        name=spec.name,
        slug=spec.slug,
        host=spec.domains[0],
        theme=spec.theme,
        phone=spec.broker_phone,
        credit_name=spec.credit_name if spec.credits_enabled else None,
    )


@pytest.fixture(scope="module")
def browser_cast(
    request: pytest.FixtureRequest,
    _orm_beside_playwright: None,
    django_db_setup: None,
    django_db_blocker: Any,
) -> BrowserCast:
    """Utrecht Zuid (kade, credits "Roosjes") and Breda Hoge Vucht (baksteen, no credits),
    as in the demo, plus an operator; committed, so the server thread sees them."""
    specs = [
        _demo_spec("utrecht-zuid", f"{SLUG_PREFIX}utrecht-zuid"),
        _demo_spec("breda-hoge-vucht", f"{SLUG_PREFIX}breda-hoge-vucht"),
    ]
    sites = [_site(spec) for spec in specs]  # before provisioning normalises the specs
    request.addfinalizer(lambda: _remove_browser_data(django_db_blocker))  # also if we fail
    with django_db_blocker.unblock():
        for spec in specs:
            provision_neighbourhood(spec=spec)
        operator = User.objects.create_user(
            OPERATOR_EMAIL, PASSWORD, full_name="Operator (browser)", role=Role.OPERATOR
        )
        totp_device(operator)  # its authenticator, for the code step (support.code_for)
    return BrowserCast(*sites, operator_email=OPERATOR_EMAIL, password=PASSWORD)


def _remove_browser_data(django_db_blocker: Any) -> None:
    """Remove what these tests made, so that the rest of the suite never sees it."""
    with django_db_blocker.unblock():
        for neighbourhood in Neighbourhood.objects.filter(slug__startswith=SLUG_PREFIX):
            backup = delete_neighbourhood(
                neighbourhood=neighbourhood, confirm_slug=neighbourhood.slug
            )
            backup.unlink(missing_ok=True)
        ProvisioningJob.objects.filter(requested_by__email=OPERATOR_EMAIL).delete()
        User.objects.filter(email=OPERATOR_EMAIL).delete()
