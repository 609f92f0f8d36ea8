"""The admin's report journey: open the report, pick last reporting year, read a chart, and
download the spreadsheet and the printable report; axe-core on the way."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tenants.mediations.services import set_mediation_status, start_mediation
from tenants.people.services.participants import register_participant
from tenants.statistics.periods import reporting_year_of
from tenants.statistics.services import compute_standard_snapshots
from tests.browser.support import BrowserCast, assert_accessible, in_dutch, log_in
from tests.support.cast import PASSWORD, activate, totp_device
from tests.support.live_server import LiveSite
from tests.support.pdfs import pdf_text
from tijdvoorelkaar.accounts.models import Role, User
from tijdvoorelkaar.neighbourhoods.models import Neighbourhood

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.fixture(scope="module")
def utrecht(browser_cast: BrowserCast, django_db_blocker: Any) -> Iterator[Neighbourhood]:
    """An admin, three matches last reporting year and one this year, and the nightly
    snapshots (committed)."""
    with django_db_blocker.unblock():
        neighbourhood = Neighbourhood.objects.get(slug=browser_cast.utrecht.slug)
        with tenant_context(neighbourhood):
            totp_device(activate(User.objects.get(role=Role.ADMIN)))
            last = reporting_year_of(timezone.localdate(), 7).previous()
            assert last is not None
            people = [register_participant(display_name=name) for name in ("Ria", "Sem")]
            for days in (10, 100, 200, 400):
                start = last.start + datetime.timedelta(days=days)
                mediation = start_mediation(
                    requester=people[0], provider=people[1], active=True, started_on=start
                )
                set_mediation_status(mediation=mediation, status="match", ended_on=start)
            compute_standard_snapshots()
    yield neighbourhood


def test_the_admin_reads_last_years_report_and_downloads_it(
    page: Page, live_site: LiveSite, browser_cast: BrowserCast, utrecht: Neighbourhood
) -> None:
    host = browser_cast.utrecht.host
    with tenant_context(utrecht):
        admin = User.objects.get(role=Role.ADMIN)
    last = reporting_year_of(timezone.localdate(), 7).previous()
    assert last is not None
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_site.url(host, "/accounts/login/"), admin.email, PASSWORD, utrecht)

    page.goto(live_site.url(host, "/broker/"))
    with page.expect_navigation():
        page.get_by_role("link", name=in_dutch("Report"), exact=True).click()
    assert_accessible(page, "the report of this year")

    # Pick last reporting year.
    page.locator("#id_period").select_option(value="reporting_year")
    page.locator("#id_year").fill(str(last.start.year))
    with page.expect_navigation():
        page.get_by_role("button", name=in_dutch("Show")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"{last.start.year}–{last.end.year}"
    )
    assert_accessible(page, "last year's report")

    # The outcomes chart: an image with a name, its numbers printed beside the bars.
    chart = page.get_by_role(
        "img", name=re.compile(in_dutch("Outcome of the mediations started in the period"))
    )
    expect(chart).to_be_visible()
    expect(chart.locator("text.chart-value").first).to_have_text("3")  # three matches

    # Download the spreadsheet and the printable report.
    with page.expect_download() as spreadsheet:
        page.get_by_role("link", name=in_dutch("spreadsheet (XLSX)")).click()
    workbook = load_workbook(io.BytesIO(Path(spreadsheet.value.path()).read_bytes()))
    assert in_dutch("Mediations and matches")[:31] in workbook.sheetnames
    with page.expect_download() as printable:
        page.get_by_role("link", name=in_dutch("printable report (PDF)")).click()
    text = pdf_text(Path(printable.value.path()).read_bytes())
    assert f"{last.start.year}–{last.end.year}" in text

    # On a phone the report fits the width.
    page.set_viewport_size({"width": 375, "height": 800})
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 375

    # The period's date fields show focus at every Tab stop, their calendar button included
    # (focus inside the field, which :focus-visible alone does not mark).
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("#id_start").focus()
    for _ in range(4):  # day, month, year, calendar button
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert page.evaluate("document.activeElement.id") == "id_start" and outline == "solid"
        page.keyboard.press("Tab")
