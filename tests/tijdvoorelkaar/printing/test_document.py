"""The themed PDF prints names beyond Latin-1, in the theme's colours, and QR codes."""

from __future__ import annotations

from tests.support.pdfs import page_count, pdf_text
from tijdvoorelkaar.printing.document import ThemedPdf, rgb
from tijdvoorelkaar.theming.registry import get_theme


def test_a_themed_pdf_prints_every_name_and_reads_back() -> None:
    pdf = ThemedPdf(theme=get_theme("kade"), title="Poster", language="nl", format="A6")
    pdf.add_page()
    pdf.band("Buurthulp gezocht")
    pdf.paragraph("Şükrü Çelik, Łukasz Wójcik en Zoë Müller helpen één keer per week.")
    pdf.qr_code("https://utrecht-zuid.example/v/ABCD", x=10, y=60, size=30)

    data = pdf.to_bytes()

    assert data.startswith(b"%PDF")
    assert page_count(data) == 1
    text = pdf_text(data)
    assert "Buurthulp gezocht" in text
    assert "Şükrü Çelik, Łukasz Wójcik en Zoë Müller" in text


def test_theme_colours_come_from_the_manifest_and_the_accent_overrides() -> None:
    theme = get_theme("default")
    plain = ThemedPdf(theme=theme, title="x", language="en")
    own = ThemedPdf(theme=theme, title="x", language="en", accent="#123456")

    assert plain.colour("primary") == rgb(theme.colours["primary"])
    assert plain.colour("accent") == rgb(theme.colours["accent"])
    assert own.colour("accent") == (0x12, 0x34, 0x56)
