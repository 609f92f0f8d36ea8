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
from django.utils.translation import gettext as _

from tenants.market.models import Ad, AdKind
from tenants.market.selectors import public_ads
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


LAYOUTS = {"A4": PosterLayout(ads_per_page=5, scale=1.0), "A3": PosterLayout(6, 1.41)}
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
        with pdf.rotation(90, x=x + width / 2, y=top + height / 2):
            pdf.set_xy(x + width / 2 - height / 2, top + height / 2 - width / 2 + 2)
            pdf.set_font(FONT, "B", 10 * scale)
            pdf.multi_cell(height, 5 * scale, number, align="C", new_x="LEFT", new_y="NEXT")
            pdf.set_font(FONT, "", 10 * scale)
            pdf.multi_cell(height, 5 * scale, phone, align="C")
    pdf.set_dash_pattern()


def _poster_head(pdf: ThemedPdf, neighbourhood: object, scale: float, page: int) -> None:
    name = getattr(neighbourhood, "name", "")
    pdf.band(_("Neighbours help each other in %(name)s") % {"name": name}, size=24 * scale)
    month = timezone.localdate().strftime("%m-%Y")
    heading = _("Requests and offers (%(month)s)") % {"month": month}
    if page > 1:
        heading += " – " + _("continued")
    pdf.ln(2)
    pdf.paragraph(heading, size=18 * scale, bold=True)


def poster_pdf(*, neighbourhood: object, language: str, size: str = "A4") -> bytes:
    """The poster of this month's requests and offers, in the neighbourhood's theme."""
    layout = LAYOUTS[size]
    scale = layout.scale
    phone = _phone(neighbourhood)
    with translation.override(language):
        pdf = _pdf(neighbourhood, _("Requests and offers"), language, format=size)
        ads = poster_ads()
        shown = ads[: layout.ads_per_page * layout.max_pages]
        pages = [
            shown[start : start + layout.ads_per_page]
            for start in range(0, len(shown), layout.ads_per_page)
        ] or [[]]
        call = _("Call the broker: %(phone)s") % {"phone": phone} if phone else ""
        site = site_url(neighbourhood, reverse("market:list"))  # type: ignore[arg-type]
        for number, page_ads in enumerate(pages, start=1):
            pdf.add_page()
            _poster_head(pdf, neighbourhood, scale, number)
            if not page_ads:
                pdf.paragraph(
                    _(
                        "No new requests or offers this month. Do you need a hand, or can you "
                        "lend one? Tell the broker."
                    ),
                    size=16 * scale,
                )
            for ad in page_ads:
                kind = _("Request") if ad.kind == AdKind.REQUEST else _("Offer")
                pdf.ln(2 * scale)
                pdf.paragraph(f"{kind} {ad.pk}: {ad.title}", size=16 * scale, bold=True)
                pdf.paragraph(_excerpt(ad.body, 140), size=13 * scale)
            pdf.ln(3 * scale)
            if number == len(pages) and len(ads) > len(shown):
                more = _("%(count)s more requests and offers at %(site)s") % {
                    "count": len(ads) - len(shown),
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
            size=11,
        )
        pdf.ln(1)
        for step in (
            _("1. Tell the broker what you need or what you can do."),
            _("2. The broker finds a neighbour who fits and introduces you."),
            _("3. You help each other. It costs nothing."),
        ):
            pdf.paragraph(step, size=10)
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
