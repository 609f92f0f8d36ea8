"""The poster and the postcard, for people who are not online (ThemedPdf, fpdf2).

The poster: this month's requests and offers in large print, each with its number, and a
row of tear-off strips at the bottom carrying the broker's phone and that number. A page holds
a few ads (big letters need room); more ads continue on further pages, up to a limit, after
which the poster points to the site. The postcard: A6, two sides, the method in plain words
and how to reach the broker, for the yearly door-to-door mailing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tenants.market.models import Ad, AdKind
from tenants.market.selectors import public_ads
from tenants.stories.selectors import newest_stories
from tijdvoorelkaar.printing.document import FONT, ThemedPdf, theme_for
from tijdvoorelkaar.sites import site_url

SIZES = ("A4", "A3")
LANGUAGES = ("nl", "en")
THIS_MONTH = datetime.timedelta(days=31)


@dataclass(frozen=True)
class PosterLayout:
    ads_per_page: int
    scale: float  # letters grow with the page: A3 is √2 times A4
    max_pages: int = 4


LAYOUTS = {"A4": PosterLayout(ads_per_page=6, scale=1.0), "A3": PosterLayout(6, 1.41)}
STRIP_HEIGHT = 55  # mm on A4, scaled


def poster_ads() -> list[Ad]:
    """This month's requests and offers: placed in the last 31 days and still open."""
    since = timezone.now() - THIS_MONTH
    return list(
        public_ads()
        .filter(kind__in=[AdKind.REQUEST, AdKind.OFFER], published_at__gte=since)
        .order_by("kind", "-published_at", "-id")
    )


def _phone(neighbourhood: object) -> str:
    return getattr(neighbourhood, "broker_phone", "") or ""


def _pdf(neighbourhood: object, title: str, language: str, **page: object) -> ThemedPdf:
    theme, accent = theme_for(neighbourhood)
    pdf = ThemedPdf(theme=theme, title=title, language=language, accent=accent, **page)  # type: ignore[arg-type]
    pdf.set_auto_page_break(False)
    return pdf


def _excerpt(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"


def _strips(pdf: ThemedPdf, numbers: list[str], phone: str, scale: float) -> None:
    """Tear-off strips along the bottom edge, text turned a quarter, one per ad (or, with
    no ads, strips with the phone alone)."""
    height = STRIP_HEIGHT * scale
    top = pdf.h - pdf.b_margin - height
    width = (pdf.w - pdf.l_margin - pdf.r_margin) / len(numbers)
    pdf.set_draw_color(*pdf.colour("text"))
    pdf.set_dash_pattern(dash=2, gap=1.5)
    pdf.line(pdf.l_margin, top, pdf.w - pdf.r_margin, top)
    for index, number in enumerate(numbers):
        x = pdf.l_margin + index * width
        if index:
            pdf.line(x, top, x, top + height)
        # Turned a quarter about the strip's foot, so the text reads upwards; lines step to
        # the right. (fpdf reads a negative x or y as "from the far edge": none here.)
        foot_x = x + (width - 10 * scale) / 2
        foot_y = top + height - 2
        with pdf.rotation(90, x=foot_x, y=foot_y):
            pdf.set_xy(foot_x, foot_y)
            pdf.set_font(FONT, "B", 10 * scale)
            pdf.multi_cell(height - 4, 5 * scale, number, align="C", new_x="LEFT", new_y="NEXT")
            pdf.set_font(FONT, "", 10 * scale)
            pdf.multi_cell(height - 4, 5 * scale, phone, align="C")
    pdf.set_dash_pattern()


def _poster_head(pdf: ThemedPdf, neighbourhood: object, scale: float, page: int) -> None:
    name = getattr(neighbourhood, "name", "")
    pdf.band(_("Neighbours help each other in %(name)s") % {"name": name}, size=24 * scale)
    month = date_format(timezone.localdate(), "YEAR_MONTH_FORMAT")  # "december 2026", not 12-2026
    heading = _("Requests and offers (%(month)s)") % {"month": month}
    if page > 1:
        heading += " – " + _("continued")
    pdf.ln(2)
    pdf.paragraph(heading, size=18 * scale, bold=True)


def _height(pdf: ThemedPdf, text: str, size: float, bold: bool = False) -> float:
    """How tall `paragraph(text, size=size)` will be, measured without drawing."""
    pdf.set_font(FONT, "B" if bold else "", size)
    lines = pdf.multi_cell(0, size * 0.5, text, dry_run=True, output="LINES")
    pdf.set_font(FONT, "", 11)
    return len(lines) * size * 0.5


def _ad_texts(ad: Ad) -> tuple[str, str]:
    kind = _("Request") if ad.kind == AdKind.REQUEST else _("Offer")
    return f"{kind} {ad.pk}: {ad.title}", _excerpt(ad.body, 140)


def _fill_page(pdf: ThemedPdf, ads: list[Ad], layout: PosterLayout, limit: float) -> list[Ad]:
    """Write as many of `ads` as fit above `limit` (and at most a page's share); returns
    those written."""
    scale = layout.scale
    written: list[Ad] = []
    for ad in ads[: layout.ads_per_page]:
        title, text = _ad_texts(ad)
        needed = 2 * scale + _height(pdf, title, 16 * scale, True) + _height(pdf, text, 13 * scale)
        if written and pdf.get_y() + needed > limit:
            break
        pdf.ln(2 * scale)
        pdf.paragraph(title, size=16 * scale, bold=True)
        pdf.paragraph(text, size=13 * scale)
        written.append(ad)
    return written


def _story_box(pdf: ThemedPdf, scale: float, limit: float) -> None:
    """The newest success story, short, when there is room left on the last page."""
    stories = newest_stories(count=1)
    if not stories:
        return
    title = _("Success story: %(title)s") % {"title": stories[0].title}
    text = _excerpt(stories[0].text, 160)
    needed = 4 * scale + _height(pdf, title, 14 * scale, True) + _height(pdf, text, 12 * scale)
    if pdf.get_y() + needed <= limit:
        pdf.ln(4 * scale)
        pdf.paragraph(title, size=14 * scale, bold=True)
        pdf.paragraph(text, size=12 * scale)


def poster_pdf(*, neighbourhood: object, language: str, size: str = "A4") -> bytes:
    """The poster of this month's requests and offers, in the neighbourhood's theme: pages
    fill until the tear-off strips, up to `max_pages`; what is left is counted with the
    site's address."""
    layout = LAYOUTS[size]
    scale = layout.scale
    phone = _phone(neighbourhood)
    with translation.override(language):
        pdf = _pdf(neighbourhood, _("Requests and offers"), language, format=size)
        remaining = poster_ads()
        call = _("Call the broker: %(phone)s") % {"phone": phone} if phone else ""
        site = site_url(neighbourhood, reverse("market:list"))  # type: ignore[arg-type]
        number = 0
        while number == 0 or (remaining and number < layout.max_pages):
            number += 1
            pdf.add_page()
            _poster_head(pdf, neighbourhood, scale, number)
            # Below the ads: the "more" line, the call line and the strips.
            limit = pdf.h - pdf.b_margin - (STRIP_HEIGHT + 22) * scale
            if not remaining:
                pdf.paragraph(
                    _(
                        "No new requests or offers this month. Do you need a hand, or can you "
                        "lend one? Tell the broker."
                    ),
                    size=16 * scale,
                )
            page_ads = _fill_page(pdf, remaining, layout, limit)
            remaining = remaining[len(page_ads) :]
            last = not remaining or number == layout.max_pages
            if last:
                _story_box(pdf, scale, limit)
            pdf.ln(3 * scale)
            if last and remaining:
                more = _("%(count)s more requests and offers at %(site)s") % {
                    "count": len(remaining),
                    "site": site,
                }
                pdf.paragraph(more, size=13 * scale, bold=True)
            if call:
                pdf.paragraph(call, size=15 * scale, bold=True)
            labels = [_("Ad %(number)s") % {"number": ad.pk} for ad in page_ads]
            _strips(pdf, labels or [_("Broker")] * 6, phone or site, scale)
        return pdf.to_bytes()


def postcard_pdf(*, neighbourhood: object, language: str) -> bytes:
    """An A6 postcard, two sides: what this is and how it works; how to reach the broker."""
    name = getattr(neighbourhood, "name", "")
    site = site_url(neighbourhood)  # type: ignore[arg-type]
    with translation.override(language):
        pdf = _pdf(neighbourhood, _("Postcard"), language, format="A6", orientation="landscape")
        pdf.set_margins(7, 7, 7)
        pdf.add_page()
        pdf.band(_("Neighbours helping each other in %(name)s") % {"name": name}, size=14)
        pdf.ln(2)
        pdf.paragraph(
            _(
                "Everyone has something to give. Ask for a hand or offer one: odd jobs, "
                "company, a lift, language practice."
            ),
            size=12,
        )
        pdf.ln(1)
        for step in (
            _("1. Tell the broker what you need or what you can do."),
            _("2. The broker finds a neighbour who fits and introduces you."),
            _("3. You help each other. It costs nothing."),
        ):
            pdf.paragraph(step, size=11)
        phone = _phone(neighbourhood)
        if phone:
            pdf.ln(2)
            pdf.paragraph(_("Call the broker: %(phone)s") % {"phone": phone}, size=13, bold=True)
        pdf.add_page()
        pdf.band(_("Get in touch with the broker"), size=14)
        pdf.ln(2)
        contact = [
            (_("Phone:"), getattr(neighbourhood, "broker_phone", "")),
            (_("Office hours:"), getattr(neighbourhood, "broker_office_hours", "")),
            (_("Address:"), getattr(neighbourhood, "broker_address", "")),
            (_("Online:"), site),
        ]
        for label, value in contact:
            if value:
                pdf.paragraph(f"{label} {value}", size=11, bold=label == _("Phone:"))
        pdf.qr_code(site, x=pdf.w - 32, y=pdf.h - 32, size=25)
        return pdf.to_bytes()
