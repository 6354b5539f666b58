"""QR codes for printed pages (posters, monthly notices), made by segno.

Error correction Q (a quarter of the code may be smudged, folded or photocopied badly and it
still reads), never boosted, so that every code of the site is made alike. Black on white
with the standard four-module quiet zone: what a black-and-white photocopier keeps.
"""

import io
import math

import segno
from django.utils.html import format_html
from django.utils.safestring import mark_safe

ERROR = "q"
BORDER = 4
PNG_MIN_PIXELS = 2000  # a download big enough for a banner, not only an A4 sheet


def make(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR, boost_error=False, micro=False)


def inline_svg(url: str, label: str) -> str:
    """The code as an SVG element for an HTML page, sized by CSS (``.qr``), named for screen
    readers. segno writes only its own path data; the label is escaped here."""
    svg = make(url).svg_inline(scale=1, border=BORDER, omitsize=True, svgclass="qr", lineclass=None)
    # segno's inline SVG has no role or name: add them, escaped.
    opening = format_html('<svg role="img" aria-label="{}" ', label)
    return mark_safe(svg.replace("<svg ", opening, 1))  # noqa: S308 (segno's markup, escaped label)


def svg_file(url: str) -> bytes:
    """A standalone SVG file (scalable: print shops enlarge it for banners)."""
    out = io.BytesIO()
    make(url).save(out, kind="svg", scale=10, border=BORDER, xmldecl=True, title=url)
    return out.getvalue()


def png_scale(code: segno.QRCode) -> int:
    width, _height = code.symbol_size(scale=1, border=BORDER)
    return math.ceil(PNG_MIN_PIXELS / width)


def png_file(url: str) -> bytes:
    """A PNG at least ``PNG_MIN_PIXELS`` wide, whole pixels per module (sharp when printed)."""
    code = make(url)
    out = io.BytesIO()
    code.save(out, kind="png", scale=png_scale(code), border=BORDER)
    return out.getvalue()
