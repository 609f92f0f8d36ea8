"""The printed sheet of a voucher batch: A4, eight vouchers a page between dashed cut lines,
each in the neighbourhood's theme with its name, the credit's name, the value, the code in
readable groups and a QR code that opens the hand-in page with the code filled in."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tijdvoorelkaar.neighbourhoods.models import Neighbourhood
from tijdvoorelkaar.printing.document import FONT, ThemedPdf, theme_for
from tijdvoorelkaar.sites import site_url

from .models import VoucherBatch
from .naming import amount_display, credit_word

COLUMNS, ROWS = 2, 4
MARGIN = 10.0
QR_SIZE = 30.0


def redeem_link(neighbourhood: Neighbourhood, code: str) -> str:
    """The hand-in page with the code filled in (the access log keeps paths, not queries)."""
    return site_url(
        neighbourhood, f"{reverse('credits:voucher-redeem')}?{urlencode({'code': code})}"
    )


def voucher_sheet(*, neighbourhood: Neighbourhood, batch: VoucherBatch, codes: list[str]) -> bytes:
    theme, accent = theme_for(neighbourhood)
    pdf = ThemedPdf(
        theme=theme,
        title=_("%(credit)s vouchers") % {"credit": neighbourhood.credit_name},
        language=get_language() or "nl",
        accent=accent,
    )
    pdf.set_auto_page_break(False)
    width = (pdf.w - 2 * MARGIN) / COLUMNS
    height = (pdf.h - 2 * MARGIN) / ROWS
    per_page = COLUMNS * ROWS
    for index, code in enumerate(codes):
        if index % per_page == 0:
            pdf.add_page()
            _cut_lines(pdf, width, height)
        column, row = index % COLUMNS, (index % per_page) // COLUMNS
        x, y = MARGIN + column * width, MARGIN + row * height
        _voucher(pdf, neighbourhood, batch, index + 1, code, x, y, width, height)
    return pdf.to_bytes()


def _cut_lines(pdf: ThemedPdf, width: float, height: float) -> None:
    pdf.set_draw_color(150, 150, 150)
    pdf.set_line_width(0.2)
    with pdf.local_context():
        pdf.set_dash_pattern(dash=2, gap=2)
        for column in range(COLUMNS + 1):
            x = MARGIN + column * width
            pdf.line(x, MARGIN, x, pdf.h - MARGIN)
        for row in range(ROWS + 1):
            y = MARGIN + row * height
            pdf.line(MARGIN, y, pdf.w - MARGIN, y)


def _voucher(  # noqa: PLR0913
    pdf: ThemedPdf,
    neighbourhood: Neighbourhood,
    batch: VoucherBatch,
    number: int,
    code: str,
    x: float,
    y: float,
    width: float,
    height: float,
) -> None:
    pad = 5.0
    inner = width - 2 * pad
    pdf.set_fill_colour("primary")
    pdf.rect(x + pad, y + pad, inner, 10, style="F")
    pdf.set_text_colour("on_primary")
    pdf.set_font(FONT, "B", 11)
    pdf.set_xy(x + pad + 2, y + pad)
    pdf.cell(inner - 4, 10, neighbourhood.name)
    pdf.set_text_colour("text")
    pdf.set_xy(x + pad, y + pad + 13)
    pdf.set_font(FONT, "B", 26)
    pdf.cell(inner - QR_SIZE - 2, 12, amount_display(batch.value))  # 1,5 on a Dutch sheet
    pdf.set_xy(x + pad, y + pad + 25)
    pdf.set_font(FONT, "B", 13)
    pdf.cell(inner - QR_SIZE - 2, 6, credit_word(batch.value, neighbourhood))  # "1 Roosje"
    pdf.set_xy(x + pad, y + pad + 33)
    pdf.set_font(FONT, "", 8)
    pdf.multi_cell(
        inner - QR_SIZE - 2,
        3.5,
        _("Hand this voucher in where %(credit)s are taken. Code:")
        % {"credit": neighbourhood.credit_name},
    )
    pdf.set_xy(x + pad, y + height - pad - 14)
    pdf.set_font(FONT, "B", 13)
    pdf.cell(inner, 7, code)
    pdf.set_xy(x + pad, y + height - pad - 6)
    pdf.set_font(FONT, "", 7)
    pdf.cell(inner, 4, _("No. %(batch)s-%(number)s") % {"batch": batch.pk, "number": number})
    pdf.qr_code(
        redeem_link(neighbourhood, code), x=x + width - pad - QR_SIZE, y=y + pad + 12, size=QR_SIZE
    )
    pdf.set_font(FONT, "", 11)
