"""PDFs in a neighbourhood's theme: posters, postcards, voucher sheets, reports.

fpdf2 because the quick start installs from PyPI alone (no Pango or Cairo, so not
WeasyPrint); DejaVu Sans is bundled because PDF's built-in fonts stop at Latin-1 and names
such as "Şükrü" or "Łukasz" must print. Every printable builds on `ThemedPdf`; tests read the
text back with `tests.support.pdfs.pdf_text()`.
"""

from __future__ import annotations

import io
from pathlib import Path

import segno
from fpdf import FPDF

from tijdvoorelkaar.theming.registry import Theme, get_theme

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
# fpdf2 knows A3, A4 and A5 by name; a postcard is A6.
PAGE_SIZES: dict[str, tuple[float, float]] = {"A6": (105, 148)}


def rgb(hex_colour: str) -> tuple[int, int, int]:
    """'#1f5f8b' -> (31, 95, 139)."""
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


class ThemedPdf(FPDF):
    """A page in the theme's colours with the bundled font; `theme_for(neighbourhood)` picks
    the theme. Sizes are in millimetres; `format` is "A3", "A4", "A5", "A6" or (w, h)."""

    def __init__(
        self,
        *,
        theme: Theme,
        title: str,
        language: str,
        format: str | tuple[float, float] = "A4",
        orientation: str = "portrait",
        accent: str | None = None,
    ) -> None:
        if isinstance(format, str):
            format = PAGE_SIZES.get(format.upper(), format)
        super().__init__(orientation=orientation, unit="mm", format=format)
        self.theme = theme
        self.accent = accent or theme.colours["accent"]
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_font(FONT, size=11)
        self.set_title(title)
        self.set_lang(language)
        self.set_creator("TijdVoorElkaar")
        self.set_text_colour("text")

    def colour(self, name: str) -> tuple[int, int, int]:
        """A theme colour by its manifest name ("primary", "text", ...) or "accent"."""
        return rgb(self.accent if name == "accent" else self.theme.colours[name])

    def set_text_colour(self, name: str) -> None:
        self.set_text_color(*self.colour(name))

    def set_fill_colour(self, name: str) -> None:
        self.set_fill_color(*self.colour(name))

    def band(self, text: str, *, size: float = 20, height: float | None = None) -> None:
        """A full-width heading band in the primary colour, text in on_primary."""
        self.set_fill_colour("primary")
        self.set_text_colour("on_primary")
        self.set_font(FONT, "B", size)
        self.multi_cell(
            0, height or size * 0.6, text, fill=True, new_x="LMARGIN", new_y="NEXT", padding=3
        )
        self.set_text_colour("text")
        self.set_font(FONT, "", 11)

    def paragraph(self, text: str, *, size: float = 11, bold: bool = False) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT, "", 11)

    def qr_code(self, data: str, *, x: float, y: float, size: float) -> None:
        """A QR code of `data`, `size` mm square, at (x, y)."""
        image = io.BytesIO()
        segno.make(data, error="m").save(image, kind="png", scale=8, border=1)
        image.seek(0)
        self.image(image, x=x, y=y, w=size, h=size)

    def to_bytes(self) -> bytes:
        return bytes(self.output())


def theme_for(neighbourhood: object) -> tuple[Theme, str | None]:
    """The neighbourhood's theme and its own accent colour (None: the theme's)."""
    theme = get_theme(getattr(neighbourhood, "theme", None))
    return theme, getattr(neighbourhood, "accent_colour", None) or None
