"""Chromium against the running platform: each neighbourhood and the console in its own
theme, an operator creating a neighbourhood by hand, and axe-core on the pages on the way.

Texts are looked up through Django's translations (`in_dutch`), so the tests hold whether
or not the Dutch catalogue is compiled.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core import mail
from django.db import connection
from django_tenants.utils import schema_exists
from playwright.sync_api import Page, expect

from tests.browser.support import (
    SLUG_PREFIX,
    BrowserCast,
    Site,
    assert_accessible,
    complete_code_step,
    in_dutch,
    theme_colour,
)
from tests.support.cast import PLATFORM_HOST
from tests.support.live_server import LiveSite
from tijdvoorelkaar.neighbourhoods.models import Domain, Neighbourhood, ProvisioningJob
from tijdvoorelkaar.neighbourhoods.naming import schema_name_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PRIMARY_COLOUR_JS = "getComputedStyle(document.documentElement).getPropertyValue('--primary')"


def open_in_theme(page: Page, url: str, theme: str, check_colour: bool = True) -> None:
    """Open `url` and check that it wears `theme`: body class, colours, stylesheet."""
    stylesheet = f"/static/themes/{theme}/css/theme.css"
    with page.expect_response(lambda r: r.url.endswith(stylesheet)) as loaded:
        response = page.goto(url)
    assert response is not None and response.status == 200, url
    assert loaded.value.status == 200, f"{stylesheet} on {url}"
    expect(page.locator("body")).to_have_class(re.compile(rf"(^|\s)theme-{theme}(\s|$)"))
    if check_colour:
        assert primary_colour(page) == theme_colour(theme)
    sheets = page.evaluate("[...document.styleSheets].map(s => s.href || '')")
    assert any(href.endswith(stylesheet) for href in sheets), sheets


def primary_colour(page: Page) -> str:
    return page.evaluate(PRIMARY_COLOUR_JS).strip().lower()


def see_neighbourhood_home(page: Page, site: Site) -> None:
    expect(page.locator(".site-header .brand")).to_contain_text(site.name)
    expect(page.get_by_role("heading", level=1)).to_contain_text(site.name)
    expect(page.get_by_role("link", name=site.phone).first).to_be_visible()
    if site.credit_name:
        expect(page.locator(".lead")).to_contain_text(site.credit_name)
    else:
        expect(page.locator(".lead")).not_to_contain_text("Roosjes")


def test_each_neighbourhood_and_the_console_wear_their_own_theme(
    page: Page, live_site: LiveSite, browser_cast: BrowserCast
) -> None:
    for site in (browser_cast.utrecht, browser_cast.breda):
        open_in_theme(page, live_site.url(site.host), site.theme)
        see_neighbourhood_home(page, site)
        assert_accessible(page, f"the home page of {site.name}")

    open_in_theme(page, live_site.url(path="/accounts/login/"), "default")
    expect(page.locator(".site-header .brand")).to_contain_text("TijdVoorElkaar")
    expect(page.get_by_role("heading", level=1)).to_have_text(in_dutch("Log in"))
    assert_accessible(page, "the console's login page")


def test_a_neighbourhood_login_page_is_accessible(
    page: Page, live_site: LiveSite, browser_cast: BrowserCast
) -> None:
    for site in (browser_cast.utrecht, browser_cast.breda):
        open_in_theme(page, live_site.url(site.host, "/accounts/login/"), site.theme)
        expect(page.locator("main")).to_contain_text(site.name)
        assert_accessible(page, f"the login page of {site.name}")


def test_a_missing_page_wears_the_theme_and_is_accessible(
    page: Page, live_site: LiveSite, browser_cast: BrowserCast
) -> None:
    for host, theme in [
        *((site.host, site.theme) for site in (browser_cast.utrecht, browser_cast.breda)),
        (PLATFORM_HOST, "default"),
    ]:
        response = page.goto(live_site.url(host, "/no-such-page/"))
        assert response is not None and response.status == 404
        expect(page.locator("body")).to_have_class(re.compile(rf"(^|\s)theme-{theme}(\s|$)"))
        expect(page.get_by_role("heading", level=1)).to_have_text(in_dutch("Page not found"))
        expect(page.get_by_role("link", name=in_dutch("Go to the home page"))).to_be_visible()
        assert_accessible(page, f"the missing page on {host}")


def test_an_operator_creates_a_neighbourhood_from_the_console(
    page: Page, live_site: LiveSite, browser_cast: BrowserCast, settings: Any, tmp_path: Path
) -> None:
    name, slug = "Tilburg Noord", f"{SLUG_PREFIX}tilburg-noord"
    host, admin_email = f"{slug}.localhost", f"beheer@{slug}.test"

    # Log in with the keyboard only: the e-mail field has the focus on arrival.
    page.goto(live_site.url(path="/accounts/login/"))
    expect(page.locator("#id_username")).to_be_focused()
    page.keyboard.type(browser_cast.operator_email)
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(browser_cast.password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # Operators have a second step: the code from their authenticator app.
    assert_accessible(page, "the two-step code page")
    complete_code_step(page, browser_cast.operator_email)
    expect(page).to_have_url(live_site.url())

    expect(page.get_by_role("heading", level=1)).to_have_text(in_dutch("Neighbourhoods"))
    expect(page.get_by_role("main")).to_contain_text(browser_cast.utrecht.name)
    assert_accessible(page, "the console dashboard")

    page.get_by_role("main").get_by_role("link", name=in_dutch("New neighbourhood")).click()
    expect(page).to_have_url(live_site.url(path="/neighbourhoods/new/"))
    assert_accessible(page, "the new-neighbourhood form")

    # First with a slug that is taken: an error at the slug field, and nothing created.
    page.locator("#id_name").fill(name)
    page.locator("#id_slug").fill(browser_cast.utrecht.slug)
    page.locator("#id_domains").fill(host)
    page.locator("#id_admin_name").fill("Beheer Tilburg")
    page.locator("#id_admin_email").fill(admin_email)
    page.locator("#id_theme").select_option("kade")
    page.locator("input[name=languages][value=nl]").check()
    page.locator("input[name=languages][value=en]").uncheck()
    submit = page.get_by_role("main").get_by_role("button", name=in_dutch("Create neighbourhood"))
    counts = (Neighbourhood.objects.count(), ProvisioningJob.objects.count())
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        submit.click()
    assert posted.value.status == 400

    slug_input = page.locator("#id_slug")
    expect(slug_input).to_have_attribute("aria-invalid", "true")
    expect(slug_input).to_have_attribute("aria-describedby", re.compile(r"\bid_slug_errors\b"))
    slug_field = page.locator(".form-field").filter(has=slug_input)
    expect(slug_field.locator("#id_slug_errors")).to_have_text(
        in_dutch("A neighbourhood with this slug already exists.")
    )
    expect(page.locator("#id_domains")).not_to_have_attribute("aria-invalid", "true")
    # The page comes back with focus on the error message (as "place an ad" does), so a
    # keyboard or screen-reader user starts from it, not from the top of the page.
    alert = page.get_by_role("alert").first
    expect(alert).to_be_visible()
    expect(alert).to_be_focused()
    assert_accessible(page, "the new-neighbourhood form showing errors")
    assert (Neighbourhood.objects.count(), ProvisioningJob.objects.count()) == counts
    assert not Domain.objects.filter(domain=host).exists()
    assert not schema_exists(schema_name_for(slug))

    # Then with a free slug: the job page shows progress until it is done.
    slug_input.fill(slug)
    submit.click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_site.url(path='/jobs/'))}[0-9a-f-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.locator("#job-bar")).to_have_attribute("value", "100", timeout=30_000)
    status = page.locator("#job-status")
    expect(status).to_contain_text(in_dutch("Done."))
    assert_accessible(page, "the provisioning job page")
    assert [m.subject for m in mail.outbox if m.to == [admin_email]], "no invitation sent"

    status.get_by_role("link").click()
    expect(page).to_have_url(live_site.url(path=f"/neighbourhoods/{slug}/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    assert_accessible(page, f"the console's page for {name}")

    # A backup from the console: its job page, then the list holding it, ready to restore.
    settings.BACKUP_DIR = tmp_path
    page.get_by_role("link", name=in_dutch("Backups and restores of this neighbourhood")).click()
    expect(page).to_have_url(live_site.url(path=f"/backups/{slug}/"))
    page.get_by_role("main").get_by_role("button", name=in_dutch("Back up now")).click()
    expect(page.locator("#job-bar")).to_have_attribute("value", "100", timeout=30_000)
    assert_accessible(page, "the backup job page")
    page.locator("#job-status").get_by_role("link").click()
    expect(page.get_by_role("main").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_role("main").locator("tbody")).to_contain_text(in_dutch("same as this code"))
    assert_accessible(page, "the backups of a neighbourhood")

    # The new neighbourhood is live at its own domain, in the theme chosen.
    open_in_theme(page, live_site.url(host), "kade", check_colour=False)
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    created = Neighbourhood.objects.get(slug=slug)
    assert created.languages == ["nl"] and created.theme == "kade"
    assert created.accent_colour == ""
    assert primary_colour(page) == theme_colour("kade")

    # A job's page keeps one live region while it polls, and changes its text there: a screen
    # reader follows a region that stays in the page, not one replaced every second. The job
    # is written outside the test's transaction, so that the running server reads it.
    waiting = uuid.uuid4()
    _committed(
        "INSERT INTO public.neighbourhoods_provisioningjob (id, request, status, step, progress,"
        " error, language, created_at) VALUES (%s, '{}', 'queued', '', 0, '', 'nl', now())",
        [waiting],
    )
    try:
        page.goto(live_site.url(path=f"/jobs/{waiting}/"))
        region = page.get_by_role("status")
        expect(region).to_have_text(in_dutch("Waiting for a worker…"))
        region.evaluate("element => { element.dataset.kept = 'yes'; }")
        _committed(
            "UPDATE public.neighbourhoods_provisioningjob SET status = 'failed', progress = 100,"
            " error = 'Het ging mis.' WHERE id = %s",
            [waiting],
        )
        expect(region).to_contain_text("Het ging mis.")
        expect(region).to_have_attribute("data-kept", "yes")
        expect(page.locator("#job-progress")).not_to_have_attribute("hx-get", re.compile("."))
    finally:
        _committed("DELETE FROM public.neighbourhoods_provisioningjob WHERE id = %s", [waiting])


def _committed(sql: str, params: list[Any]) -> None:
    """Run `sql` on a connection of its own, committed at once."""
    database = connection.settings_dict
    with psycopg.connect(
        dbname=database["NAME"],
        host=database["HOST"] or None,
        port=database["PORT"] or None,
        user=database["USER"] or None,
        password=database["PASSWORD"] or None,
        autocommit=True,
    ) as other:
        other.execute(sql, params)
